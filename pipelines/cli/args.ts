// Shared flag parsing for commands: node:util parseArgs, turned into HarmnetError('USAGE') on misuse.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HarmnetError } from '../core/errors.ts';
import { isIsoDate } from '../core/dates.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every state-touching command accepts (design/cli.md). */
export const STATE_OPTIONS = {
  warehouse: { type: 'string' },
  snapshots: { type: 'string' },
  serving: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const satisfies Options;

export function parse<O extends Options>(command: string, argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new HarmnetError('USAGE', `harmnet ${command}: ${(e as Error).message}`);
  }
}

export function requireOption(command: string, value: string | undefined, flag: string): string {
  if (!value) throw new HarmnetError('USAGE', `harmnet ${command}: ${flag} is required`);
  return value;
}

export function isoDate(command: string, flag: string, value: string): string {
  if (!isIsoDate(value)) {
    throw new HarmnetError('USAGE', `harmnet ${command}: ${flag} must be a date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}
