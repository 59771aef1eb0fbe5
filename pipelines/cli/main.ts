// The `harmnet` command: dispatches to one module per command in ./commands/, and is the one place
// where errors become a one-line message on stderr and an exit code.

import { HarmnetError, isHarmnetError } from '../core/errors.ts';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface CommandModule {
  /** One line for `harmnet help`. */
  summary: string;
  main(argv: string[]): Promise<number | void>;
}

/** The commands of design/cli.md, in its order. */
export const COMMANDS = [
  'generate', 'run', 'schedule', 'snapshot', 'serve', 'users', 'match', 'evaluate', 'graph', 'export',
  'publish', 'hold', 'start',
] as const;

const here = path.dirname(fileURLToPath(import.meta.url));

async function loadCommand(name: string): Promise<CommandModule | undefined> {
  const file = path.join(here, 'commands', `${name}.ts`);
  if (!existsSync(file)) return undefined;
  return (await import(file)) as CommandModule;
}

function usage(): string {
  return [
    'usage: harmnet <command> [options]',
    '',
    `commands: ${COMMANDS.join(', ')}`,
    'run `harmnet <command> --help` for a command\'s options (see docs/cli.md).',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  if (!(COMMANDS as readonly string[]).includes(name)) {
    throw new HarmnetError('USAGE', `unknown command "${name}"; expected one of: ${COMMANDS.join(', ')}`);
  }
  const mod = await loadCommand(name);
  if (!mod) throw new HarmnetError('NOT_YET_AVAILABLE', `harmnet ${name}: not yet available in this version`);
  return (await mod.main(rest)) ?? 0;
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      if (isHarmnetError(e)) {
        process.stderr.write(`harmnet: ${e.message}\n`);
        process.exitCode = e.exitCode;
      } else {
        process.stderr.write(`harmnet: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
        process.exitCode = 1;
      }
    },
  );
}
