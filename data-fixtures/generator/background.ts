// The background population: one-off and repeat volume offenders with their victims and witnesses,
// everyday intelligence, and children reported missing — generated in one streaming pass per source.

import { YEAR_DAYS } from './calendar.ts';
import type { GenContext } from './context.ts';
import { emitCrime, emitIntel, emitMissing, jitter, randomArea } from './incidents.ts';
import { maybeImprison } from './networks.ts';
import { VOLUME_MIX } from './offences.ts';
import { rngFor, Weighted, type Rng } from './rng.ts';

export interface BackgroundSizes {
  offenders: number;
  victims: number;
  witnesses: number;
  missingChildren: number;
  crimes: number;
  intelReports: number;
}

const TOPIC = new Weighted<string>([['DRUGS', 30], ['OTHER', 40], ['FIREARMS', 4], ['OCG', 6], ['EXPLOITATION', 6], ['COUNTY_LINES', 8], ['CSE', 6]]);

/** A repeat-offending skew: low indices offend far more often than high ones. */
function offender(ctx: GenContext, rng: Rng): number {
  const u = rng.float();
  return ctx.offenders.base + Math.floor(ctx.offenders.size * u * u);
}

/** Background offenders come in small fixed groups (friends, siblings) of this many people. */
export const GROUP_SIZE = 3;

/** A co-offender from the first offender's small group, so background links stay in groups of ≤ 3. */
function coOffender(ctx: GenContext, rng: Rng, first: number): number {
  const { base, size } = ctx.offenders;
  const start = first - ((first - base) % GROUP_SIZE);
  return Math.min(base + size - 1, start + rng.int(GROUP_SIZE));
}

export function backgroundCrime(ctx: GenContext, sizes: BackgroundSizes, onProgress: (done: number) => void): void {
  const rng = rngFor(ctx.seed, 'background-crime');
  const { historyStart, last } = ctx.time;
  const span = last - historyStart + 1;
  // Repeat victims are repeat victims of the same group (as in domestic abuse), never a random bridge
  // between unrelated offenders.
  const lastVictim = new Map<number, number>();
  for (let i = 0; i < sizes.crimes; i++) {
    if ((i & 0xffff) === 0) onProgress(i);
    const offence = VOLUME_MIX.sample(rng);
    const committed = historyStart + rng.int(span);
    const detected = offence.victim === 'none' || rng.chance(0.7);
    const suspects: number[] = [];
    if (detected) {
      const first = offender(ctx, rng);
      suspects.push(first);
      const u = rng.float();
      const extra = u < 0.75 ? 0 : u < 0.95 ? 1 : 2;
      for (let k = 0; k < extra; k++) {
        const c = coOffender(ctx, rng, first);
        if (!suspects.includes(c)) suspects.push(c);
      }
    }
    const victims: number[] = [];
    if (offence.victim !== 'none') {
      const group = suspects.length ? suspects[0]! - ((suspects[0]! - ctx.offenders.base) % GROUP_SIZE) : -1;
      const previous = lastVictim.get(group);
      // Undetected crimes link nobody, so their victims may be anyone victimised before.
      const v = previous !== undefined && rng.chance(0.3) ? previous : ctx.victims.fresh(rng, suspects.length ? 0 : 0.4);
      if (group >= 0) lastVictim.set(group, v);
      victims.push(v);
      if (rng.chance(0.05)) victims.push(ctx.victims.fresh(rng));
    }
    const witnesses = rng.chance(0.2) ? [ctx.witnesses.fresh(rng, 0.05)] : [];
    const others = rng.chance(0.02) ? [ctx.witnesses.fresh(rng, 0.05)] : [];
    const res = emitCrime(ctx.em, rng, { offence, committed, suspects, victims, witnesses, others, where: jitter(randomArea(rng), rng, 2), arrestRate: 0.32 });
    for (const [p, o] of res.outcomes) {
      if (o.fin === 'CONVICTED') maybeImprison(ctx, rng, p, { ...offence, custodial: true }, o.d2, offence.custodial ? 0.5 : 0.08);
    }
  }
}

export function backgroundIntel(ctx: GenContext, sizes: BackgroundSizes): void {
  const rng = rngFor(ctx.seed, 'background-intel');
  const { historyStart, deepStart, last } = ctx.time;
  for (let i = 0; i < sizes.intelReports; i++) {
    const day = rng.chance(0.15) ? deepStart + rng.int(historyStart - deepStart) : historyStart + rng.int(last - historyStart + 1);
    const subject = offender(ctx, rng);
    const u = rng.float();
    const n = u < 0.3 ? 0 : u < 0.65 ? 1 : u < 0.9 ? 2 : 3;
    const associates: number[] = [];
    for (let k = 0; k < n; k++) associates.push(coOffender(ctx, rng, subject));
    emitIntel(ctx.em, rng, { day, subject, associates: [...new Set(associates)], topic: TOPIC.sample(rng), where: jitter(randomArea(rng), rng, 2) });
  }
}

export function backgroundMissing(ctx: GenContext, sizes: BackgroundSizes, base: number): void {
  const rng = rngFor(ctx.seed, 'background-missing');
  const { historyStart, last } = ctx.time;
  for (let c = 0; c < sizes.missingChildren; c++) {
    const child = base + c;
    const dob = ctx.pop.get(child).dob;
    const from = Math.max(historyStart, Math.round(dob + 11 * YEAR_DAYS));
    const to = Math.min(last, Math.round(dob + 18 * YEAR_DAYS) - 1);
    if (to <= from) continue;
    const episodes = 1 + Math.min(11, Math.floor(rng.exp(1.7)));
    const home = randomArea(rng);
    for (let e = 0; e < episodes; e++) {
      const day = from + rng.int(to - from + 1);
      // Children missing together are pairs of friends (c, c xor 1).
      const friend = c ^ 1;
      const peer = rng.chance(0.1) && friend < sizes.missingChildren ? [base + friend] : [];
      emitMissing(ctx.em, rng, { child, day, foundWith: peer.filter((p) => p !== child), found: jitter(home, rng), neverFound: rng.chance(0.003) });
    }
  }
}
