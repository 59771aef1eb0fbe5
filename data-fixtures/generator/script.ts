// The scripted story across the weekly drops: one network grows, one splits after its hub is
// imprisoned, two merge, one dissolves, an imprisoned hub is released — each recorded in truth/events.csv.

import { isoDay, YEAR_DAYS } from './calendar.ts';
import type { GenContext, Timeline } from './context.ts';
import { emitCrime, emitIntel, emitPrison, jitter } from './incidents.ts';
import { networkCrime, networkIntel, newNetwork, hubOf, activeMembers, topicFor, NetPeople, type Member, type Network, type NetworkType } from './networks.ts';
import { CSE_INCITE, FIREARM_ENDANGER, PWITS_CRACK, SUPPLY_COCAINE, SUPPLY_CRACK, SUPPLY_HEROIN } from './offences.ts';
import { rngFor } from './rng.ts';

export type EventKind = 'GROWTH' | 'SPLIT' | 'MERGE' | 'DISSOLVE' | 'IMPRISONED' | 'RELEASED';

export interface TruthEvent {
  asOf: number;
  event: EventKind;
  keys: string;
  person: number | null;
  detail: string;
}

/** Where in the run each scripted event falls, as a fraction of the weeks (16 weeks → weeks 5–13). */
export const EVENT_FRACTIONS = { imprison: 0.27, growth1: 0.33, split: 0.4, merge: 0.53, growth2: 0.6, dissolve: 0.73, release: 0.8 } as const;

export function eventWeeks(weeks: number): Record<keyof typeof EVENT_FRACTIONS, number> {
  const out = {} as Record<keyof typeof EVENT_FRACTIONS, number>;
  for (const [k, f] of Object.entries(EVENT_FRACTIONS)) {
    out[k as keyof typeof EVENT_FRACTIONS] = Math.min(weeks - 1, Math.max(0, Math.round(f * (weeks - 1))));
  }
  return out;
}

export interface Plan {
  nets: Network[];
  events: TruthEvent[];
  people: NetPeople;
  /** Scripted people whose story must not be disturbed by random prison spells. */
  protect: Set<number>;
  /** Prison spells known from the script, registered before any activity is generated. */
  spells: { person: number; from: number; to: number }[];
  /** Emits the scripted records (arrests, receptions, releases, the event-week crimes). */
  runScript(ctx: GenContext): void;
}

const TYPES: readonly NetworkType[] = ['SOC', 'CSE', 'COUNTY_LINES'];
const PREFIX: Record<NetworkType, string> = { SOC: 'SOC', CSE: 'CSE', COUNTY_LINES: 'CL' };

export function planNetworks(seed: number, time: Timeline, extraNetworks: number): Plan {
  const rng = rngFor(seed, 'plan');
  const people = new NetPeople();
  const { asOfs, last, historyStart } = time;
  const wk = eventWeeks(asOfs.length);
  const weekEnd = (k: number) => asOfs[k]!;
  const early = () => historyStart + rng.int(365);
  const make = (key: string, type: NetworkType, size: number, start = early()) => newNetwork(people, rng, { key, type, size, start, last });

  const growing = make('CL-01', 'COUNTY_LINES', 7);
  const splitting = make('SOC-01', 'SOC', 11);
  splitting.grouped = true;
  const mergeA = make('CL-02', 'COUNTY_LINES', 6);
  const mergeB = make('CL-03', 'COUNTY_LINES', 6);
  const dissolving = make('CSE-01', 'CSE', 6);
  const releasing = make('SOC-02', 'SOC', 8);
  const stable = [make('SOC-03', 'SOC', 9), make('CSE-02', 'CSE', 5), make('CL-04', 'COUNTY_LINES', 7), make('CSE-03', 'CSE', 5)];
  const extras: Network[] = [];
  for (let i = 0; i < extraNetworks; i++) {
    const type = rng.pick(TYPES);
    extras.push(make(`${PREFIX[type]}-${100 + i + 1}`, type, rng.range(5, 14), historyStart + rng.int(Math.round(4.5 * YEAR_DAYS))));
  }

  const events: TruthEvent[] = [];
  const spells: Plan['spells'] = [];
  const protect = new Set<number>();

  // Growth: recruits join in two event weeks.
  const recruits: { week: number; members: Member[] }[] = [];
  for (const [week, n, child] of [[wk.growth1, 2, true], [wk.growth2, 2, false]] as const) {
    const from = weekEnd(week) - 5;
    const ms: Member[] = [];
    for (let i = 0; i < n; i++) {
      const isChild = child && i === 0;
      const p = isChild ? people.add('network', from - 16.5 * YEAR_DAYS, from - 15 * YEAR_DAYS) : people.add('network', last - 30 * YEAR_DAYS, last - 19 * YEAR_DAYS);
      const m: Member = { p, from, to: Infinity, group: i % 2, hub: false, child: isChild };
      growing.members.push(m);
      ms.push(m);
    }
    recruits.push({ week, members: ms });
  }

  // Split: hub imprisoned, then the two groups carry on as separate networks.
  const splitHub = hubOf(splitting);
  const imprisonDay = weekEnd(wk.imprison) - 6;
  const splitDay = weekEnd(wk.split) - 3;
  splitting.end = splitDay;
  protect.add(splitHub.p);
  spells.push({ person: splitHub.p, from: imprisonDay + 2, to: Infinity });
  const children = [0, 1].map((g): Network => ({
    key: `SOC-01${g === 0 ? 'a' : 'b'}`, type: 'SOC', area: splitting.area, start: splitDay, end: Infinity,
    members: splitting.members.filter((m) => !m.hub && m.group === g).map((m) => ({ ...m, from: Math.max(m.from, splitDay), hub: false })),
    victims: [], meanGapDays: 9, grouped: false,
  }));
  for (const c of children) c.members[0]!.hub = true;

  // Merge: two county lines become one.
  const mergeDay = weekEnd(wk.merge) - 4;
  mergeA.end = mergeDay;
  mergeB.end = mergeDay;
  const merged: Network = {
    key: 'CL-02+03', type: 'COUNTY_LINES', area: mergeA.area, start: mergeDay, end: Infinity,
    members: [...mergeA.members, ...mergeB.members].map((m) => ({ ...m, from: Math.max(m.from, mergeDay), hub: m.hub && mergeA.members.includes(m) })),
    victims: [], meanGapDays: 8, grouped: false,
  };

  // Dissolve: three adults remanded, the rest stop offending.
  const dissolveArrest = weekEnd(wk.dissolve) - 5;
  dissolving.end = weekEnd(wk.dissolve) - 3;
  const remanded = dissolving.members.filter((m) => !m.child).slice(0, 3);
  for (const m of remanded) {
    spells.push({ person: m.p, from: dissolveArrest + 1, to: Infinity });
    protect.add(m.p);
  }

  // Release: SOC-02's hub has been inside for about two years.
  const relHub = hubOf(releasing);
  const releaseDay = weekEnd(wk.release) - 3;
  const reception = asOfs[0]! - Math.round(2.2 * YEAR_DAYS);
  protect.add(relHub.p);
  spells.push({ person: relHub.p, from: reception, to: releaseDay });

  const nets = [growing, splitting, ...children, mergeA, mergeB, merged, dissolving, releasing, ...stable, ...extras];
  const id = (p: number) => p;
  events.push({ asOf: weekEnd(wk.imprison), event: 'IMPRISONED', keys: 'SOC-01', person: id(splitHub.p), detail: `PINS reception ${isoDay(imprisonDay + 2)} (remand, firearms)` });
  events.push({ asOf: weekEnd(wk.split), event: 'SPLIT', keys: 'SOC-01>SOC-01a;SOC-01b', person: null, detail: `hub imprisoned ${isoDay(imprisonDay + 2)}; groups offend apart from ${isoDay(splitDay)}` });
  for (const r of recruits) {
    const size = growing.members.filter((m) => m.from <= weekEnd(r.week)).length;
    events.push({ asOf: weekEnd(r.week), event: 'GROWTH', keys: 'CL-01', person: null, detail: `${r.members.length} recruits; ${size} members; Class A supply` });
  }
  events.push({ asOf: weekEnd(wk.merge), event: 'MERGE', keys: 'CL-02;CL-03>CL-02+03', person: null, detail: `joint supply and co-arrest from ${isoDay(mergeDay)}` });
  events.push({ asOf: weekEnd(wk.dissolve), event: 'DISSOLVE', keys: 'CSE-01', person: null, detail: `${remanded.length} members remanded ${isoDay(dissolveArrest + 1)}; no offending after` });
  for (const m of remanded) {
    events.push({ asOf: weekEnd(wk.dissolve), event: 'IMPRISONED', keys: 'CSE-01', person: m.p, detail: `PINS reception ${isoDay(dissolveArrest + 1)} (remand, CSE)` });
  }
  events.push({ asOf: weekEnd(wk.release), event: 'RELEASED', keys: 'SOC-02', person: relHub.p, detail: `received ${isoDay(reception)}; actual_release_date ${isoDay(releaseDay)}` });

  const runScript = (ctx: GenContext): void => {
    const r = rngFor(seed, 'script');
    // Imprisonment of SOC-01's hub: arrest, charge, remand.
    emitCrime(ctx.em, r, {
      offence: FIREARM_ENDANGER, committed: imprisonDay, recordDelay: 0, suspects: [splitHub.p], where: jitter(splitting.area, r),
      arrestRate: 1, together: true, force: 'CHARGED_PENDING', arrestDelay: 1,
    });
    emitPrison(ctx.em, r, { person: splitHub.p, reception: imprisonDay + 2, sentenceDays: null, offence: FIREARM_ENDANGER, actual: null, establishment: 'HMP Birmingham' });
    // Each split-off group offends on its own in the split week.
    for (const c of children) {
      const ps = c.members.map((m) => m.p);
      for (let i = 0; i < 2; i++) networkCrime(ctx, c, r, splitDay + i, r.sample(ps, r.range(2, 3)), { offence: i ? SUPPLY_COCAINE : undefined, recordDelay: 0, arrestRate: 0.3, protect });
      networkIntel(ctx, c, r, splitDay + 2, ps[0]!, ps.slice(1, 3));
    }
    // Growth weeks: recruits supply Class A with established members; harm rises.
    for (const rec of recruits) {
      const from = weekEnd(rec.week) - 5;
      const established = activeMembers(ctx, growing, from).filter((m) => !rec.members.includes(m));
      for (const m of rec.members) {
        networkCrime(ctx, growing, r, from + r.int(3), [m.p, r.pick(established).p], { offence: SUPPLY_CRACK, recordDelay: 1, arrestRate: 0.5, protect });
      }
      networkCrime(ctx, growing, r, from + 1, r.sample(established, 2).map((m) => m.p), { offence: PWITS_CRACK, recordDelay: 1, arrestRate: 0.5, protect });
      emitIntel(ctx.em, r, { day: from + 3, subject: hubOf(growing).p, associates: rec.members.map((m) => m.p), topic: 'COUNTY_LINES', where: jitter(growing.area, r) });
    }
    // Merge week: joint supply, a joint arrest, and intelligence naming both lines.
    const a = activeMembers(ctx, mergeA, mergeDay - 1).map((m) => m.p);
    const b = activeMembers(ctx, mergeB, mergeDay - 1).map((m) => m.p);
    for (let i = 0; i < 2; i++) {
      emitCrime(ctx.em, r, {
        offence: SUPPLY_HEROIN, committed: mergeDay + i, recordDelay: 0, suspects: [...r.sample(a, 2), ...r.sample(b, 2)],
        where: jitter(mergeA.area, r), arrestRate: i === 0 ? 1 : 0.3, together: true, arrestDelay: 1,
      });
    }
    emitIntel(ctx.em, r, { day: mergeDay + 2, subject: hubOf(mergeA).p, associates: [hubOf(mergeB).p, ...r.sample(b, 1)], topic: topicFor(merged, r), where: jitter(mergeA.area, r) });
    // Dissolution: CSE-01's adults are charged and remanded.
    const victim = dissolving.victims[0]!;
    emitCrime(ctx.em, r, {
      offence: CSE_INCITE, committed: dissolveArrest - 11, recordDelay: 10, suspects: remanded.map((m) => m.p), victims: [victim],
      where: jitter(dissolving.area, r), arrestRate: 1, together: true, force: 'CHARGED_PENDING', arrestDelay: 1,
    });
    for (const m of remanded) emitPrison(ctx.em, r, { person: m.p, reception: dissolveArrest + 1, sentenceDays: null, offence: CSE_INCITE, actual: null, establishment: 'HMP Birmingham' });
    // Release of SOC-02's hub, who was received two years ago; intelligence soon puts him back with the network.
    emitCrime(ctx.em, r, {
      offence: SUPPLY_COCAINE, committed: reception - 160, suspects: [relHub.p, ...releasing.members.filter((m) => !m.hub).slice(0, 1).map((m) => m.p)],
      where: jitter(releasing.area, r), arrestRate: 1, together: true, force: 'CONVICTED',
    });
    emitPrison(ctx.em, r, {
      person: relHub.p, reception, sentenceDays: 2 * (releaseDay - reception), offence: SUPPLY_COCAINE, actual: releaseDay, establishment: 'HMP Long Lartin',
    });
    const mates = activeMembers(ctx, releasing, releaseDay).filter((m) => !m.hub).map((m) => m.p);
    emitIntel(ctx.em, r, { day: Math.min(releaseDay + 1, weekEnd(wk.release)), subject: relHub.p, associates: r.sample(mates, 2), topic: 'OCG', where: jitter(releasing.area, r) });
  };

  return { nets, events, people, protect, spells, runScript };
}
