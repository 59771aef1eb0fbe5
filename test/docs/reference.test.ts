// Keeps docs/reference/ in step with the code: every CLI command, sub-command and flag parsed in
// pipelines/cli/commands/ is on cli.md (and no other flag is), and configuration.md lists every field of defaultConfig() with its default.

import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../pipelines/cli/main.ts';
import { defaultConfig } from '../../pipelines/core/config.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const COMMANDS_DIR = path.join(ROOT, 'pipelines/cli/commands');
const STATE_FLAGS = ['warehouse', 'snapshots', 'serving', 'json', 'help'];

/** A command module: a file in commands/ that exports `summary` (the others are helpers it routes to). */
function commandFiles(): string[] {
  return readdirSync(COMMANDS_DIR)
    .filter((f) => f.endsWith('.ts') && /export const summary\b/.test(readFileSync(path.join(COMMANDS_DIR, f), 'utf8')))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
}

/** The command's source and the sub-command modules it routes to (…-command.ts, export-neo4j-import.ts). */
function sources(command: string): string[] {
  const main = path.join(COMMANDS_DIR, `${command}.ts`);
  const text = readFileSync(main, 'utf8');
  const routed = [...text.matchAll(/from '(\.{1,2}\/[^']*(?:-command|export-neo4j-import)\.ts)'/g)].map((m) => path.resolve(COMMANDS_DIR, m[1]!));
  return [main, ...routed].map((f) => readFileSync(f, 'utf8'));
}

/** Flags a command accepts: every parseArgs option declared in its sources, plus the state flags when spread in. */
export function flagsOf(command: string): Set<string> {
  const flags = new Set<string>();
  for (const text of sources(command)) {
    for (const m of text.matchAll(/['"]?([a-z][a-z-]*)['"]?\s*:\s*\{\s*type:\s*'(?:string|boolean)'/g)) flags.add(m[1]!);
    if (/\.\.\.STATE_OPTIONS\b/.test(text)) for (const f of STATE_FLAGS) flags.add(f);
  }
  if (command === 'start') flags.add('no-serve');
  return flags;
}

/** Sub-commands dispatched by `case '…'` or an explicit comparison with argv[0]/what. */
function subcommandsOf(command: string): string[] {
  const text = sources(command)[0]!;
  const subs = new Set<string>();
  for (const m of text.matchAll(/case '([a-z-]+)':/g)) subs.add(m[1]!);
  for (const m of text.matchAll(/(?:sub|what|argv\[0\]|target) [!=]== '([a-z][a-z0-9-]*)'/g)) subs.add(m[1]!);
  subs.delete('help');
  return [...subs].sort();
}

function sections(doc: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = doc.split(/^## harmnet (\S+)\s*$/m);
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i]!, parts[i + 1]!);
  return out;
}

describe('docs/reference/cli.md', () => {
  const doc = readFileSync(path.join(ROOT, 'docs/reference/cli.md'), 'utf8');
  const bySection = sections(doc);

  it('has one section per command module and per dispatched command, and no other', () => {
    expect(commandFiles()).toEqual([...COMMANDS].sort());
    expect([...bySection.keys()].sort()).toEqual(commandFiles());
  });

  for (const command of commandFiles()) {
    it(`harmnet ${command}: every flag and sub-command is documented, and every documented flag exists`, () => {
      const section = bySection.get(command) ?? '';
      const flags = flagsOf(command);
      const documented = new Set([...section.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1]!));
      expect([...flags].filter((f) => !documented.has(f)).sort(), `flags of ${command} missing from its section`).toEqual([]);
      expect([...documented].filter((f) => !flags.has(f)).sort(), `flags in the ${command} section that ${command} does not accept`).toEqual([]);
      const subs = subcommandsOf(command);
      expect(subs.filter((s) => !section.includes(`harmnet ${command} ${s}`)), `sub-commands of ${command} missing`).toEqual([]);
    });
  }

  it('the flag scanner sees what parseArgs sees (hand-checked against run.ts)', () => {
    expect([...flagsOf('run')].sort()).toEqual(['as-of', 'extracts', 'from', 'help', 'json', 'replace', 'serving', 'snapshots', 'started-by', 'to', 'until', 'warehouse']);
    expect(subcommandsOf('export')).toEqual(['disclosure', 'neo4j-import', 'subject-access', 'transparency', 'verify']);
    expect(subcommandsOf('evaluate')).toEqual(['networks', 'report', 'resolution']);
  });
});

describe('docs/reference/configuration.md', () => {
  const doc = readFileSync(path.join(ROOT, 'docs/reference/configuration.md'), 'utf8');

  function leaves(o: unknown, prefix = ''): [string, string][] {
    if (o && typeof o === 'object' && !Array.isArray(o) && Object.keys(o).length > 0) {
      return Object.entries(o).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
    }
    return [[prefix, JSON.stringify(o)]];
  }

  it('lists every field of defaultConfig() with its default, and nothing else', () => {
    const rows = new Map([...doc.matchAll(/^\| `([A-Za-z0-9_.]+)` \| `(.*?)` \|/gm)].map((m) => [m[1]!, m[2]!]));
    const expected = new Map(leaves(defaultConfig('var')));
    expect([...expected.keys()].filter((k) => !rows.has(k)), 'fields missing from the page').toEqual([]);
    expect([...rows.keys()].filter((k) => !expected.has(k)), 'rows for fields that do not exist').toEqual([]);
    const wrong = [...expected].filter(([k, v]) => rows.get(k) !== v).map(([k, v]) => `${k}: page says ${rows.get(k)}, code says ${v}`);
    expect(wrong).toEqual([]);
  });

  it('names every environment variable configFromEnv reads', () => {
    const src = readFileSync(path.join(ROOT, 'pipelines/core/config.ts'), 'utf8');
    const vars = [...src.matchAll(/env\.(HARMNET_[A-Z_]+)/g)].map((m) => m[1]!);
    expect(vars.length).toBeGreaterThan(0);
    expect(vars.filter((v) => !doc.includes(v))).toEqual([]);
  });
});
