// Planted criminal networks (SOC, CSE, county lines): who belongs when, and their ordinary activity
// over the years — co-offending, co-arrests, intelligence, missing children found with members, prison.

import { isoDay, YEAR_DAYS } from './calendar.ts';
import type { GenContext } from './context.ts';
import { emitCrime, emitIntel, emitMissing, emitPrison, jitter, randomArea, COUNTY_TOWNS, type Area } from './incidents.ts';
import { COUNTY_LINES_MIX, CSE_MIX, SOC_MIX, type Offence } from './offences.ts';
import type { PersonKind, PersonSpec } from './people.ts';
import { rngFor, type Rng } from './rng.ts';

export type NetworkType = 'SOC' | 'CSE' | 'COUNTY_LINES';

export interface Member {
  p: number;
  from: number;
  to: number;
  /** Sub-group within the network (used by the split story). */
  group: number;
  hub: boolean;
  child: boolean;
}

export interface Network {
  key: string;
  type: NetworkType;
  area: Area;
  start: number;
  /** Exclusive; Infinity while the network continues. */
  end: number;
  members: Member[];
  /** Child victims (CSE): never members. */
  victims: number[];
  meanGapDays: number;
  /** Before a split the two groups mostly keep to themselves but still mix through the hub. */
  grouped: boolean;
}

/** Network people (members and CSE victims) get indices from 0 upward, before the background ranges. */
export class NetPeople {
  readonly specs: PersonSpec[] = [];
  add(kind: PersonKind, dobMin: number, dobMax: number, sex?: 'M' | 'F'): number {
    this.specs.push({ kind, dobMin: Math.round(dobMin), dobMax: Math.round(dobMax), ...(sex ? { sex } : {}) });
    return this.specs.length - 1;
  }
}

const Y = YEAR_DAYS;

export function newNetwork(
  people: NetPeople,
  rng: Rng,
  o: { key: string; type: NetworkType; size: number; start: number; last: number; children?: number; victims?: number },
): Network {
  const members: Member[] = [];
  const hubIdx = people.add('network', o.last - 52 * Y, o.last - 28 * Y);
  members.push({ p: hubIdx, from: o.start, to: Infinity, group: 0, hub: true, child: false });
  for (let i = 1; i < o.size; i++) {
    const p = people.add('network', o.last - 45 * Y, o.last - 19 * Y);
    members.push({ p, from: o.start + (i < 3 ? 0 : rng.int(240)), to: Infinity, group: i % 2, hub: false, child: false });
  }
  const children = o.children ?? (o.type === 'COUNTY_LINES' ? 2 : 0);
  for (let i = 0; i < children; i++) {
    const join = o.start + rng.int(Math.max(1, Math.min(900, o.last - o.start - 200)));
    members.push({ p: people.add('network', join - 16.9 * Y, join - 14 * Y), from: join, to: Infinity, group: i % 2, hub: false, child: true });
  }
  const victims: number[] = [];
  const nVictims = o.victims ?? (o.type === 'CSE' ? 5 : 0);
  for (let i = 0; i < nVictims; i++) {
    const when = o.start + rng.int(Math.max(1, Math.min(1000, o.last - o.start - 100)));
    victims.push(people.add('victim', when - 15 * Y, when - 12.5 * Y, rng.chance(0.85) ? 'F' : 'M'));
  }
  return { key: o.key, type: o.type, area: randomArea(rng), start: o.start, end: Infinity, members, victims, meanGapDays: 12, grouped: false };
}

export function hubOf(net: Network): Member {
  return net.members.find((m) => m.hub)!;
}

export function activeMembers(ctx: GenContext, net: Network, day: number): Member[] {
  return net.members.filter((m) => day >= m.from && day < m.to && !ctx.prison.inPrison(m.p, day));
}

const MIX: Record<NetworkType, { sample(rng: Rng): Offence }> = { SOC: SOC_MIX, CSE: CSE_MIX, COUNTY_LINES: COUNTY_LINES_MIX };
const TOPICS: Record<NetworkType, readonly string[]> = {
  SOC: ['OCG', 'FIREARMS', 'DRUGS', 'OCG'],
  CSE: ['CSE', 'CSE', 'EXPLOITATION'],
  COUNTY_LINES: ['COUNTY_LINES', 'COUNTY_LINES', 'DRUGS', 'EXPLOITATION'],
};

export function topicFor(net: Network, rng: Rng): string {
  return rng.pick(TOPICS[net.type]);
}

function isChildOn(ctx: GenContext, person: number, day: number): boolean {
  return day - ctx.pop.get(person).dob < 18 * Y;
}

/** Suspects for one network crime: 1–4 active members, sometimes kept inside one sub-group. */
function pickSuspects(ctx: GenContext, net: Network, active: Member[], rng: Rng, day: number): number[] {
  let pool = active.filter((m) => !(net.type === 'CSE' && m.child));
  if (net.grouped && rng.chance(0.65)) {
    const g = rng.int(2);
    pool = pool.filter((m) => m.group === g || (m.hub && rng.chance(0.5)));
  }
  const k = rng.chance(0.18) ? 1 : rng.range(2, net.type === 'CSE' ? 3 : 4);
  const chosen = rng.sample(pool, k).map((m) => m.p);
  const hub = active.find((m) => m.hub);
  if (hub && !chosen.includes(hub.p) && chosen.length < 4 && rng.chance(0.35)) chosen.push(hub.p);
  return chosen.filter((p) => !(net.type === 'CSE' && isChildOn(ctx, p, day)));
}

/** Prison after a conviction for a serious offence; registers the spell so the person stops offending. */
export function maybeImprison(ctx: GenContext, rng: Rng, person: number, offence: Offence, convictedOn: number, rate: number): void {
  if (!offence.custodial || !rng.chance(rate)) return;
  const sentence = rng.range(365, 2555);
  const actual = convictedOn + Math.round(sentence / 2) + rng.range(-20, 10);
  emitPrison(ctx.em, rng, { person, reception: convictedOn, sentenceDays: sentence, offence, actual });
  ctx.prison.add(person, convictedOn, actual);
}

/** One network crime with its suspects, victims, arrests and (sometimes) prison. */
export function networkCrime(
  ctx: GenContext,
  net: Network,
  rng: Rng,
  day: number,
  suspects: number[],
  opts: { offence?: Offence; recordDelay?: number; arrestRate?: number; protect?: ReadonlySet<number> } = {},
): void {
  if (suspects.length === 0) return;
  const offence = opts.offence ?? MIX[net.type].sample(rng);
  const victims: number[] = [];
  if (offence.victim === 'child') {
    const kids = net.victims.filter((v) => isChildOn(ctx, v, day));
    if (kids.length === 0) return;
    victims.push(rng.pick(kids));
  } else if (offence.victim === 'adult') {
    victims.push(ctx.victims.fresh(rng));
  }
  const witnesses = rng.chance(0.15) ? [ctx.witnesses.fresh(rng)] : [];
  const res = emitCrime(ctx.em, rng, {
    offence, committed: day, recordDelay: opts.recordDelay, suspects, victims, witnesses,
    where: jitter(net.area, rng), arrestRate: opts.arrestRate ?? 0.4, together: rng.chance(0.8),
  });
  for (const [p, o] of res.outcomes) {
    if (o.fin === 'CONVICTED' && !opts.protect?.has(p)) maybeImprison(ctx, rng, p, offence, o.d2, 0.3);
  }
}

export function networkIntel(ctx: GenContext, net: Network, rng: Rng, day: number, subject: number, associates: number[]): void {
  const extra = rng.chance(0.05) ? [ctx.offenders.base + rng.int(ctx.offenders.size)] : [];
  emitIntel(ctx.em, rng, { day, subject, associates: [...associates, ...extra], topic: topicFor(net, rng), where: jitter(net.area, rng) });
}

/** The network's ordinary activity over its life, in time order. */
export function networkActivity(ctx: GenContext, net: Network, protect: ReadonlySet<number>): void {
  const rng = rngFor(ctx.seed, 'network', net.key);
  const end = Math.min(net.end, ctx.time.last + 1);
  for (let t = net.start + rng.int(15); t < end; t += Math.max(1, Math.round(rng.exp(net.meanGapDays)))) {
    const active = activeMembers(ctx, net, t);
    if (active.length < 2) continue;
    const u = rng.float();
    if (u < 0.5) {
      networkCrime(ctx, net, rng, t, pickSuspects(ctx, net, active, rng, t), { protect });
    } else if (u < 0.85) {
      const hub = active.find((m) => m.hub);
      const subject = hub && rng.chance(0.3) ? hub : rng.pick(active);
      const others = active.filter((m) => m !== subject);
      const pool = net.grouped && rng.chance(0.6) ? others.filter((m) => m.group === subject.group || m.hub) : others;
      networkIntel(ctx, net, rng, t, subject.p, rng.sample(pool.length ? pool : others, rng.range(1, 3)).map((m) => m.p));
    } else if (net.type === 'CSE') {
      const kids = net.victims.filter((v) => isChildOn(ctx, v, t) && t - ctx.pop.get(v).dob > 11 * YEAR_DAYS);
      if (kids.length === 0) continue;
      const adults = active.filter((m) => !m.child);
      const foundWith = rng.chance(0.65) ? rng.sample(adults, rng.range(1, 2)).map((m) => m.p) : [];
      emitMissing(ctx.em, rng, { child: rng.pick(kids), day: t, foundWith, found: jitter(net.area, rng), risk: rng.chance(0.6) ? 'HIGH' : 'MEDIUM' });
    } else if (net.type === 'COUNTY_LINES') {
      const kids = active.filter((m) => m.child && isChildOn(ctx, m.p, t));
      if (kids.length === 0) continue;
      const adults = active.filter((m) => !m.child);
      const foundWith = rng.chance(0.55) && adults.length ? [rng.pick(adults).p] : [];
      emitMissing(ctx.em, rng, { child: rng.pick(kids).p, day: t, foundWith, found: jitter(rng.pick(COUNTY_TOWNS), rng, 0.5), risk: rng.chance(0.5) ? 'HIGH' : 'MEDIUM', foundAfterHours: 12 + rng.exp(48) });
    } else {
      networkIntel(ctx, net, rng, t, rng.pick(active).p, rng.sample(active, 2).map((m) => m.p));
    }
  }
}

/** truth/networks.csv rows for one as-of day. */
export function membershipRows(nets: readonly Network[], asOf: number, personId: (p: number) => string): string[][] {
  const rows: string[][] = [];
  for (const net of nets) {
    if (asOf < net.start || asOf >= net.end) continue;
    const ids = net.members.filter((m) => asOf >= m.from && asOf < m.to).map((m) => personId(m.p)).sort();
    for (const id of ids) rows.push([isoDay(asOf), net.key, net.type, id]);
  }
  return rows;
}
