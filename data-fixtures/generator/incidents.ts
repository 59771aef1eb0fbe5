// Building blocks of the synthetic record: a crime with its people and outcome timelines, an arrest
// occasion, an intelligence report with realistic grading, a missing episode and a prison spell.

import { dayOf } from './calendar.ts';
import type { CrimeRecord, Emitter, OutcomeTimeline, PersonOutcome } from './emitter.ts';
import { NO_OUTCOME } from './emitter.ts';
import type { Offence } from './offences.ts';
import { Weighted, type Rng } from './rng.ts';

export interface Area {
  name: string;
  lat: number;
  lon: number;
}

/** West Midlands towns where records are placed (centre points; records jitter around them). */
export const WEST_MIDLANDS: readonly Area[] = [
  { name: 'Birmingham', lat: 52.4862, lon: -1.8904 },
  { name: 'Wolverhampton', lat: 52.5862, lon: -2.1288 },
  { name: 'Coventry', lat: 52.4068, lon: -1.5197 },
  { name: 'Walsall', lat: 52.5862, lon: -1.9829 },
  { name: 'Dudley', lat: 52.5123, lon: -2.0811 },
  { name: 'West Bromwich', lat: 52.5187, lon: -1.9945 },
  { name: 'Solihull', lat: 52.4118, lon: -1.7776 },
];
const AREA_WEIGHTS = new Weighted<Area>(WEST_MIDLANDS.map((a, i) => [a, i === 0 ? 40 : 10] as const));

/** County-lines destinations outside the force area, where exploited children are found. */
export const COUNTY_TOWNS: readonly Area[] = [
  { name: 'Shrewsbury', lat: 52.7073, lon: -2.7553 },
  { name: 'Hereford', lat: 52.0567, lon: -2.7150 },
  { name: 'Worcester', lat: 52.192, lon: -2.22 },
  { name: 'Stoke-on-Trent', lat: 53.0027, lon: -2.1794 },
  { name: 'Telford', lat: 52.6784, lon: -2.4453 },
  { name: 'Aberystwyth', lat: 52.4153, lon: -4.0829 },
];

export const ESTABLISHMENTS = [
  'HMP Birmingham', 'HMP Oakwood', 'HMP Featherstone', 'HMP Hewell', 'HMP Stafford', 'HMP Long Lartin',
  'HMP Drake Hall', 'HMP/YOI Brinsford',
] as const;

export function randomArea(rng: Rng): Area {
  return AREA_WEIGHTS.sample(rng);
}

export function jitter(area: Area, rng: Rng, spread = 1): { lat: number; lon: number } {
  return { lat: area.lat + (rng.float() - 0.5) * 0.04 * spread, lon: area.lon + (rng.float() - 0.5) * 0.06 * spread };
}

/** How an accused person's case goes; `force` fixes the final state for scripted stories. */
export function outcomeTimeline(rng: Rng, recorded: number, force?: 'CHARGED_PENDING' | 'CONVICTED'): OutcomeTimeline {
  const d1 = recorded + 7 + Math.round(rng.exp(70));
  if (force === 'CHARGED_PENDING') return { d1: recorded + 1, mid: 'CHARGED', d2: Infinity, fin: 'CHARGED' };
  if (force === 'CONVICTED') return { d1, mid: 'CHARGED', d2: d1 + 60 + Math.round(rng.exp(150)), fin: 'CONVICTED' };
  const u = rng.float();
  if (u < 0.2) return { d1: Infinity, mid: 'UNDER_INVESTIGATION', d2: Infinity, fin: 'UNDER_INVESTIGATION' };
  if (u < 0.58) return { d1, mid: 'NFA', d2: Infinity, fin: 'NFA' };
  if (u < 0.68) return { d1, mid: 'CAUTIONED', d2: Infinity, fin: 'CAUTIONED' };
  const fin: PersonOutcome = rng.chance(0.8) ? 'CONVICTED' : 'ACQUITTED';
  return { d1, mid: 'CHARGED', d2: d1 + 60 + Math.round(rng.exp(150)), fin };
}

/** A custody outcome consistent with how the case later went. */
function custodyOutcome(rng: Rng, o: OutcomeTimeline, arrestDay: number): string {
  if (o.mid === 'CHARGED' && o.d1 - arrestDay <= 2) return 'CHARGED';
  if (o.mid === 'CAUTIONED' && rng.chance(0.6)) return 'CAUTIONED';
  if (o.mid === 'NFA' && rng.chance(0.5)) return 'NFA';
  return rng.chance(0.55) ? 'RUI' : 'BAILED';
}

export interface CrimeSpec {
  offence: Offence;
  committed: number;
  /** Days from committed to recorded; default a short random delay. */
  recordDelay?: number;
  suspects: readonly number[];
  victims?: readonly number[];
  witnesses?: readonly number[];
  others?: readonly number[];
  where: { lat: number; lon: number };
  /** Probability each suspect is arrested; arrested suspects share an occasion when `together`. */
  arrestRate: number;
  together?: boolean;
  force?: 'CHARGED_PENDING' | 'CONVICTED';
  /** Arrest (when any) this many days after the offence; default random. */
  arrestDelay?: number;
}

export interface CrimeResult {
  crime: CrimeRecord;
  outcomes: Map<number, OutcomeTimeline>;
}

export function emitCrime(em: Emitter, rng: Rng, spec: CrimeSpec): CrimeResult {
  const recorded = spec.committed + (spec.recordDelay ?? Math.min(60, Math.round(rng.exp(3))));
  const crime: CrimeRecord = { ref: em.crimeRef(recorded), offence: spec.offence, committed: spec.committed, recorded, lat: spec.where.lat, lon: spec.where.lon };
  const outcomes = new Map<number, OutcomeTimeline>();
  for (const s of spec.suspects) {
    const o = outcomeTimeline(rng, recorded, spec.force);
    outcomes.set(s, o);
    em.crime(crime, s, o.fin === 'CONVICTED' || o.fin === 'CAUTIONED' ? 'OFFENDER' : 'SUSPECT', o);
  }
  for (const v of spec.victims ?? []) em.crime(crime, v, 'VICTIM', NO_OUTCOME);
  for (const w of spec.witnesses ?? []) em.crime(crime, w, 'WITNESS', NO_OUTCOME);
  for (const w of spec.others ?? []) em.crime(crime, w, 'OTHER', NO_OUTCOME);

  const arrested = spec.suspects.filter(() => rng.chance(spec.arrestRate));
  if (arrested.length > 0) {
    const together = spec.together ?? rng.chance(0.6);
    let occasion = '';
    let day = 0;
    let second = 0;
    for (let i = 0; i < arrested.length; i++) {
      if (i === 0 || !together) {
        day = Math.max(spec.committed, recorded - 1) + (spec.arrestDelay ?? Math.round(rng.exp(6)));
        second = rng.int(86_400);
        occasion = em.occasionRef(day);
      }
      const s = arrested[i]!;
      em.custody({ occasion, day, second: second + i * 120, offence: spec.offence, outcome: custodyOutcome(rng, outcomes.get(s)!, day), crimeRef: rng.chance(0.96) ? crime.ref : null }, s);
    }
  }
  return { crime, outcomes };
}

const DAY_2017 = dayOf('2017-01-01');
const SOURCE_5 = new Weighted<string>([['A', 8], ['B', 35], ['C', 30], ['D', 7], ['E', 20]]);
const INTEL_5 = new Weighted<string>([['1', 10], ['2', 30], ['3', 30], ['4', 25], ['5', 5]]);
const HANDLING_5 = new Weighted<string>([['1', 50], ['2', 20], ['3', 8], ['4', 17], ['5', 5]]);
const SOURCE_3 = new Weighted<string>([['1', 38], ['2', 48], ['3', 14]]);
const INTEL_3 = new Weighted<string>([['A', 20], ['B', 30], ['C', 25], ['D', 20], ['E', 5]]);

/** Grading as recorded on the day: 5x5x5 before 2017, 3x5x2 after. */
export function intelGrading(rng: Rng, day: number): { scheme: string; source: string; grade: string; handling: string } {
  if (day < DAY_2017) {
    return { scheme: '5x5x5', source: SOURCE_5.sample(rng), grade: INTEL_5.sample(rng), handling: HANDLING_5.sample(rng) };
  }
  return { scheme: '3x5x2', source: SOURCE_3.sample(rng), grade: INTEL_3.sample(rng), handling: rng.chance(0.85) ? 'P' : 'C' };
}

export function emitIntel(
  em: Emitter,
  rng: Rng,
  r: { day: number; subject: number; associates: readonly number[]; topic: string; where: { lat: number; lon: number } },
): void {
  const ref = em.intelRef(r.day);
  const g = intelGrading(rng, r.day);
  const rec = { ref, day: r.day, scheme: g.scheme, source: g.source, grade: g.grade, handling: g.handling, topic: r.topic, lat: r.where.lat, lon: r.where.lon };
  em.intel(rec, r.subject, 'SUBJECT');
  for (const a of r.associates) if (a !== r.subject) em.intel(rec, a, 'ASSOCIATE');
}

const RISK = new Weighted<string>([['NO_APPARENT_RISK', 15], ['LOW', 40], ['MEDIUM', 35], ['HIGH', 10]]);

export function emitMissing(
  em: Emitter,
  rng: Rng,
  m: { child: number; day: number; foundWith: readonly number[]; found: { lat: number; lon: number }; risk?: string; foundAfterHours?: number; neverFound?: boolean },
): void {
  const ref = em.episodeRef(m.day);
  const reportedSecond = rng.int(86_400);
  const hours = m.foundAfterHours ?? 1 + rng.exp(20);
  const foundAt = reportedSecond + Math.round(hours * 3600);
  const foundDay = m.neverFound ? null : m.day + Math.floor(foundAt / 86_400);
  const e = { ref, reportedDay: m.day, reportedSecond, foundDay, foundSecond: foundAt % 86_400, risk: m.risk ?? RISK.sample(rng), foundLat: m.found.lat, foundLon: m.found.lon };
  em.missing(e, m.child, 'MISSING');
  for (const w of m.foundWith) em.missing(e, w, 'FOUND_WITH');
}

/** A prison spell from reception; sentence in days sets expected release (half) and licence end. */
export function emitPrison(
  em: Emitter,
  rng: Rng,
  s: { person: number; reception: number; sentenceDays: number | null; offence: Offence | null; actual?: number | null; establishment?: string },
): void {
  const expected = s.sentenceDays === null ? null : s.reception + Math.round(s.sentenceDays / 2);
  const actual = s.actual !== undefined ? s.actual : expected === null ? null : expected + rng.range(-20, 10);
  em.pins({
    establishment: s.establishment ?? rng.pick(ESTABLISHMENTS),
    reception: s.reception,
    expected,
    actual,
    licenceEnd: s.sentenceDays === null ? null : s.reception + s.sentenceDays,
    offence: s.offence,
  }, s.person);
}
