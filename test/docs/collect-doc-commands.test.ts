// The doc parser on small hand-written pages: which lines are commands, continuations, here-documents,
// expected output, SQL blocks and untagged fences; the expected-output check.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { missingFragments, readDocBlocks, splitCommands } from './collect-doc-commands.ts';

describe('splitCommands', () => {
  it('skips comments and blank lines, joins continuations and here-documents', () => {
    const body = ['# a comment', 'npx harmnet snapshot list', '', 'npx harmnet match --input a.csv \\', '  --out b.csv', "cat > x.csv <<'CSV'", 'a,b', 'CSV', 'ls'];
    expect(splitCommands(body, 10)).toEqual([ // fence on line 10, body from line 11
      { line: 12, command: 'npx harmnet snapshot list' },
      { line: 14, command: 'npx harmnet match --input a.csv \\\n  --out b.csv' },
      { line: 16, command: "cat > x.csv <<'CSV'\na,b\nCSV" },
      { line: 19, command: 'ls' },
    ]);
  });
});

describe('readDocBlocks', () => {
  it('takes sh commands, the text block right after as expected output, sql blocks that name a file, and flags untagged fences', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'harmnet-docparse-'));
    try {
      writeFileSync(path.join(dir, 'p.md'), [
        '# t', '```sh', 'echo one', 'echo two', '```', '', '```text', 'two', '```', 'prose', '```text', 'not expected', '```',
        '```sql var/w.duckdb', 'SELECT 1;', '```', '```sql', 'SELECT <template>', '```', '```', 'untagged', '```',
      ].join('\n'));
      const b = readDocBlocks(dir, 'p.md');
      expect(b.commands).toEqual([
        { file: 'p.md', line: 3, command: 'echo one' },
        { file: 'p.md', line: 4, command: 'echo two', expect: ['two'] },
      ]);
      expect(b.sql).toEqual([{ file: 'p.md', line: 14, database: 'var/w.duckdb', sql: 'SELECT 1;' }]);
      expect(b.untagged).toEqual([{ file: 'p.md', line: 20 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('missingFragments', () => {
  it('cuts expected lines at … and squashes white space', () => {
    expect(missingFragments(['snapshot 2026-11-16-…: OK — … files'], 'snapshot 2026-11-16-abc: OK —  16 files (1 MB)')).toEqual([]);
    expect(missingFragments(['audit log intact: … entries'], 'audit log BROKEN')).toEqual(['audit log intact:', 'entries']);
  });
});
