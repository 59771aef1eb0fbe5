// `generate()`: the seeded, deterministic synthetic extract generator — weekly cumulative drops per
// extracts.md plus DIR/truth/ — shared by `harmnet generate`, `npm start`, benchmarks and tests.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HarmnetError } from '../../pipelines/core/errors.ts';
import { silentLog, type Log } from '../../pipelines/core/log.ts';
import { backgroundCrime, backgroundIntel, backgroundMissing, type BackgroundSizes } from './background.ts';
import { dayOf, isoDay, weekdayOf, YEAR_DAYS } from './calendar.ts';
import { Allocator, PrisonBook, type GenContext, type Timeline } from './context.ts';
import { Emitter, SOURCES } from './emitter.ts';
import type { Source } from './identity-noise.ts';
import { buildNamePools } from './names.ts';
import { networkActivity } from './networks.ts';
import { Population, type PersonSpec } from './people.ts';
import { planNetworks } from './script.ts';
import { writeTruth, type TruthCounts } from './truth.ts';

export type Scale = 'demo' | 'force';

export interface GenerateOptions {
  out: string;
  seed?: number;
  scale?: Scale;
  /** Number of weekly drops; default 16 for demo, 1 for force. */
  weeks?: number;
  /** The last drop's Monday, YYYY-MM-DD; default 2026-11-16 (fixed, never today). */
  asOf?: string;
  log?: Log;
}

export interface GenerateSummary {
  out: string;
  seed: number;
  scale: Scale;
  weeks: number;
  as_of: string[];
  /** Rows per source in the last (largest) drop. */
  rows: Record<Source, number>;
  truth: TruthCounts;
  networks: number;
  events: number;
}

export const DEFAULT_SEED = 42;
export const DEFAULT_AS_OF = '2026-11-16';
export const DEFAULT_WEEKS: Record<Scale, number> = { demo: 16, force: 1 };

interface ScaleSpec extends BackgroundSizes {
  extraNetworks: number;
}

/** Sizes per scale. Force ≈ West Midlands: ~1M people, ~2M crime rows, ~300k custody, ~900k intel mentions. */
export const SCALES: Record<Scale, ScaleSpec> = {
  demo: { offenders: 1000, victims: 2100, witnesses: 720, missingChildren: 300, crimes: 2800, intelReports: 1100, extraNetworks: 0 },
  force: { offenders: 220_000, victims: 660_000, witnesses: 235_000, missingChildren: 31_500, crimes: 920_000, intelReports: 480_000, extraNetworks: 600 },
};

export function timeline(asOf: string, weeks: number): Timeline {
  const last = dayOf(asOf);
  const asOfs = Array.from({ length: weeks }, (_, i) => last - 7 * (weeks - 1 - i));
  const historyStart = asOfs[0]! - Math.round(6 * YEAR_DAYS);
  return {
    asOfs, last, historyStart,
    deepStart: historyStart - Math.round(5 * YEAR_DAYS),
    migrationDay: historyStart + Math.round(2.5 * YEAR_DAYS),
  };
}

function validate(o: GenerateOptions): { seed: number; scale: Scale; weeks: number; asOf: string } {
  const scale = o.scale ?? 'demo';
  if (scale !== 'demo' && scale !== 'force') throw new HarmnetError('USAGE', `generate: scale must be demo or force, got "${String(scale)}"`);
  const seed = o.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new HarmnetError('USAGE', `generate: seed must be an integer 0..4294967295, got ${seed}`);
  const weeks = o.weeks ?? DEFAULT_WEEKS[scale];
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 260) throw new HarmnetError('USAGE', `generate: weeks must be an integer 1..260, got ${weeks}`);
  const asOf = o.asOf ?? DEFAULT_AS_OF;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf + 'T00:00:00Z')) || isoDay(dayOf(asOf)) !== asOf) {
    throw new HarmnetError('USAGE', `generate: as-of must be a date YYYY-MM-DD, got "${asOf}"`);
  }
  if (weekdayOf(dayOf(asOf)) !== 0) throw new HarmnetError('USAGE', `generate: as-of must be a Monday (drops are cut on Mondays), got ${asOf}`);
  return { seed, scale, weeks, asOf };
}

export async function generate(options: GenerateOptions): Promise<GenerateSummary> {
  const { seed, scale, weeks, asOf } = validate(options);
  const log = options.log ?? silentLog;
  const sizes = SCALES[scale];
  const time = timeline(asOf, weeks);
  log.info(`generate: ${scale} scale, seed ${seed}, ${weeks} weekly drop(s) ${isoDay(time.asOfs[0]!)} … ${asOf}`);

  const plan = planNetworks(seed, time, sizes.extraNetworks);
  const net = plan.people.specs;
  let base = net.length;
  const range = (size: number) => {
    const r = { base, size };
    base += size;
    return r;
  };
  const offenders = range(sizes.offenders);
  const victims = range(sizes.victims);
  const witnesses = range(sizes.witnesses);
  const missing = range(sizes.missingChildren);
  const total = base;
  const { last, historyStart } = time;
  const Y = YEAR_DAYS;
  const specOf = (idx: number): PersonSpec => {
    if (idx < net.length) return net[idx]!;
    if (idx < victims.base) return { kind: 'background_offender', dobMin: last - 55 * Y, dobMax: last - 19 * Y };
    if (idx < witnesses.base) return { kind: 'victim', dobMin: last - 85 * Y, dobMax: last - 14 * Y };
    if (idx < missing.base) return { kind: 'witness', dobMin: last - 80 * Y, dobMax: last - 18 * Y };
    return { kind: 'missing_child', dobMin: historyStart - 17 * Y, dobMax: last - 12 * Y };
  };
  const pop = new Population(seed, buildNamePools(seed), specOf, last);

  for (const d of time.asOfs) rmSync(path.join(options.out, isoDay(d)), { recursive: true, force: true });
  mkdirSync(options.out, { recursive: true });
  const em = new Emitter(options.out, time.asOfs, pop, time.migrationDay, total);
  const ctx: GenContext = {
    seed, em, pop, time, offenders,
    victims: new Allocator(victims.base, victims.size),
    witnesses: new Allocator(witnesses.base, witnesses.size),
    prison: new PrisonBook(),
  };
  for (const s of plan.spells) ctx.prison.add(s.person, s.from, s.to);

  log.progress(`generate: ${plan.nets.length} planted networks`);
  plan.runScript(ctx);
  for (const n of plan.nets) networkActivity(ctx, n, plan.protect);
  log.progress('generate: background crime');
  backgroundCrime(ctx, sizes, (done) => log.progress(`generate: background crime ${done}/${sizes.crimes}`));
  log.progress('generate: background intelligence');
  backgroundIntel(ctx, sizes);
  log.progress('generate: missing episodes');
  backgroundMissing(ctx, sizes, missing.base);

  if (ctx.victims.allocated >= victims.size || ctx.witnesses.allocated >= witnesses.size) {
    log.warn(`generate: victim/witness pools ran out (${ctx.victims.allocated}/${victims.size}, ${ctx.witnesses.allocated}/${witnesses.size}); people were re-used`);
  }
  const drops = em.close();
  for (const d of drops) {
    const files: Record<string, { rows: number; sha256: string }> = {};
    for (const src of SOURCES) files[src] = { rows: d.files[src].rows, sha256: d.files[src].sha256 };
    writeFileSync(path.join(d.dir, 'manifest.json'), JSON.stringify({ as_of: d.asOf, files }, null, 2) + '\n');
  }
  log.progress('generate: truth');
  const truthDir = path.join(options.out, 'truth');
  rmSync(truthDir, { recursive: true, force: true });
  const truth = writeTruth(truthDir, { pop, used: em.used, nets: plan.nets, events: plan.events, asOfs: time.asOfs });

  const lastDrop = drops[drops.length - 1]!;
  const rows = {} as Record<Source, number>;
  for (const src of SOURCES) rows[src] = lastDrop.files[src].rows;
  const summary: GenerateSummary = {
    out: options.out, seed, scale, weeks, as_of: drops.map((d) => d.asOf), rows, truth,
    networks: new Set(plan.nets.map((n) => n.key)).size, events: plan.events.length,
  };
  log.info(`generate: wrote ${weeks} drop(s) to ${options.out}; last drop rows ${SOURCES.map((s) => `${s} ${rows[s]}`).join(', ')}; ${truth.people} people`);
  return summary;
}
