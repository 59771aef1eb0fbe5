// Reads the documentation as the doc-commands test sees it: the pages in index order, every command
// line of each ```sh block (with `\` continuations and here-documents), and the expected output shown after it.

import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface DocCommand {
  /** Path relative to the repository root, e.g. docs/tutorial/02-ingest.md. */
  file: string;
  /** 1-based line of the command's first line. */
  line: number;
  /** The command exactly as a reader would paste it (continuation lines joined by newlines). */
  command: string;
  /** Lines of a ```text block that directly follows the ```sh block, for its last command. */
  expect?: string[];
}

/** A ```sql block whose fence names the database it reads, e.g. ```sql tutorial/warehouse.duckdb. */
export interface DocSqlBlock {
  file: string;
  line: number;
  database: string;
  sql: string;
}

export interface DocBlocks {
  commands: DocCommand[];
  sql: DocSqlBlock[];
  /** Fences with no language: each must say sh (a command to run) or text/json/… (not run). */
  untagged: { file: string; line: number }[];
}

/** Shell languages whose blocks are run. */
const SHELL = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);

interface Fence {
  lang: string;
  meta: string;
  line: number;
  body: string[];
  /** Blank lines only between this fence's opening and the previous fence's close. */
  adjacent: boolean;
}

function fences(text: string): Fence[] {
  const lines = text.split(/\r?\n/);
  const out: Fence[] = [];
  let open: (Fence & { marker: string }) | null = null;
  let lastClose = -2;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (open) {
      if (l.trim().startsWith(open.marker) && l.trim().replace(/[`~]/g, '') === '') {
        out.push({ lang: open.lang, meta: open.meta, line: open.line, body: open.body, adjacent: open.adjacent });
        open = null;
        lastClose = i;
      } else open.body.push(l);
      continue;
    }
    const m = /^\s*(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(l);
    if (m) {
      const between = lines.slice(lastClose + 1, i);
      open = { marker: m[1]!, lang: m[2]!.toLowerCase(), meta: m[3]!.trim(), line: i + 1, body: [], adjacent: lastClose >= 0 && between.every((x) => x.trim() === '') };
    }
  }
  return out;
}

/** Splits a shell block into commands: skips blank and comment lines, joins `\` continuations and here-documents. */
export function splitCommands(body: string[], firstLine: number): { line: number; command: string }[] {
  const out: { line: number; command: string }[] = [];
  let i = 0;
  while (i < body.length) {
    const l = body[i]!;
    if (l.trim() === '' || l.trim().startsWith('#')) {
      i++;
      continue;
    }
    const start = i;
    const parts = [l];
    while (/\\\s*$/.test(parts.at(-1)!) && i + 1 < body.length) parts.push(body[++i]!);
    const heredoc = /<<-?\s*['"]?(\w+)['"]?/.exec(parts.join('\n'));
    if (heredoc) {
      while (i + 1 < body.length && body[i]!.trim() !== heredoc[1]) parts.push(body[++i]!);
    }
    out.push({ line: firstLine + 1 + start, command: parts.join('\n') });
    i++;
  }
  return out;
}

export function readDocBlocks(root: string, file: string): DocBlocks {
  const text = readFileSync(path.join(root, file), 'utf8');
  const all = fences(text);
  const result: DocBlocks = { commands: [], sql: [], untagged: [] };
  for (let k = 0; k < all.length; k++) {
    const f = all[k]!;
    if (f.lang === '') result.untagged.push({ file, line: f.line });
    if (f.lang === 'sql' && f.meta) result.sql.push({ file, line: f.line, database: f.meta, sql: f.body.join('\n') });
    if (!SHELL.has(f.lang)) continue;
    const cmds = splitCommands(f.body, f.line).map((c) => ({ file, ...c }) as DocCommand);
    const next = all[k + 1];
    if (next && next.lang === 'text' && next.adjacent && cmds.length) cmds.at(-1)!.expect = next.body.filter((x) => x.trim() !== '');
    result.commands.push(...cmds);
  }
  return result;
}

/** README.md, then every page linked from docs/README.md in the order the index lists them. */
export function docsInIndexOrder(root: string): string[] {
  const index = readFileSync(path.join(root, 'docs/README.md'), 'utf8');
  const linked: string[] = [];
  for (const m of index.matchAll(/\]\(([^)#\s]+\.md)\)/g)) {
    const p = path.posix.normalize(path.posix.join('docs', m[1]!));
    if (!linked.includes(p)) linked.push(p);
  }
  return ['README.md', 'docs/README.md', ...linked.filter((p) => p !== 'docs/README.md')];
}

/**
 * The expected-output check: each line of the shown output, cut at every "…", must appear in the
 * actual output (runs of white space count as one space).
 */
export function missingFragments(expect: string[], actual: string): string[] {
  const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
  const have = squash(actual);
  const missing: string[] = [];
  for (const line of expect) {
    for (const frag of line.split('…').map(squash)) if (frag && !have.includes(frag)) missing.push(frag);
  }
  return missing;
}
