// Weekly drops on disk: which folders exist, which drop builds a given week, and the Mondays of a
// back-fill range. Pure apart from reading a directory listing.

import { readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { HarmnetError } from '../core/errors.ts';
import { addDays, isIsoDate } from '../core/dates.ts';

const ISO = /^\d{4}-\d{2}-\d{2}$/;


/** Drop folders (named by as-of date) in an extracts directory, oldest first. */
export function listDrops(extractsDir: string): string[] {
  if (!existsSync(extractsDir)) {
    throw new HarmnetError('EXTRACT_NOT_FOUND', `extracts folder not found: ${extractsDir}`);
  }
  return readdirSync(extractsDir)
    .filter((name) => isIsoDate(name) && statSync(path.join(extractsDir, name)).isDirectory())
    .sort();
}

/**
 * The drop that builds week `asOf`: the drop of that date if present, otherwise the earliest later
 * (cumulative) drop, filtered "as at" asOf by curate. A week after the last drop cannot be built.
 */
export function chooseDrop(drops: string[], asOf: string): string {
  const exact = drops.find((d) => d === asOf);
  if (exact) return exact;
  const later = drops.find((d) => d > asOf);
  if (later) return later;
  throw new HarmnetError(
    'EXTRACT_NOT_FOUND',
    `no extract drop on or after ${asOf} (latest drop: ${drops.at(-1) ?? 'none'}); a week is built from its own drop or a later cumulative one`,
  );
}


/** Weekly as-of dates from `from` to `to` inclusive, stepping 7 days from `from`. */
export function weeksBetween(from: string, to: string): string[] {
  if (from > to) throw new HarmnetError('USAGE', `--from ${from} is after --to ${to}`);
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 7)) out.push(d);
  return out;
}

/** The Monday on or before a date (UTC). */
export function mondayOnOrBefore(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const back = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - back);
  return d.toISOString().slice(0, 10);
}

export { addDays, isIsoDate };
