// True synthetic people: every attribute is a pure function of (seed, person index, kind spec), so the
// force-scale run can re-derive any of a million people on demand instead of holding them in memory.

import { isoDay, yearOf, padNum, YEAR_DAYS } from './calendar.ts';
import { pickForename, type NamePools } from './names.ts';
import { fmix32, rngFor, Weighted, hash32 } from './rng.ts';

export type PersonKind = 'network' | 'background_offender' | 'victim' | 'witness' | 'missing_child';

/** What the population layout knows about an index before the person is derived. */
export interface PersonSpec {
  kind: PersonKind;
  /** Inclusive day-number bounds for the date of birth. */
  dobMin: number;
  dobMax: number;
  /** Fixed sex, when the story needs it (e.g. most CSE victims are girls). */
  sex?: 'M' | 'F';
}

export interface Person {
  idx: number;
  /** truth person_id, e.g. P0000042. */
  id: string;
  kind: PersonKind;
  sex: 'M' | 'F';
  first: string;
  middle: string | null;
  /** Current surname (after marriage, if any). */
  surname: string;
  /** Surname before marriage, when the person married during the records' span. */
  maiden: string | null;
  dob: number;
  ethnicity: string;
  /** PNC id, when the person is known to the Police National Computer. */
  pnc: string | null;
}

/** The self-defined 18+1 ethnicity codes, weighted roughly like the West Midlands population. */
export const ETHNICITY_CODES = [
  'W1', 'W2', 'W3', 'W9', 'M1', 'M2', 'M3', 'M9', 'A1', 'A2', 'A3', 'A4', 'A9', 'B1', 'B2', 'B9', 'O1', 'O9', 'NS',
] as const;
const ETHNICITY = new Weighted<string>([
  ['W1', 600], ['W2', 10], ['W3', 5], ['W9', 30], ['M1', 20], ['M2', 5], ['M3', 10], ['M9', 10], ['A1', 60],
  ['A2', 80], ['A3', 20], ['A4', 10], ['A9', 20], ['B1', 30], ['B2', 30], ['B9', 10], ['O1', 5], ['O9', 10], ['NS', 20],
]);

const PNC_CHECK = 'ZABCDEFGHJKLMNPQRTUVWXY';

/**
 * PNC id `YYYY/NNNNNNNL`. The check letter is the commonly published rule (two-digit year and serial
 * read as one number, modulo 23, indexed into ZABCDEFGHJKLMNPQRTUVWXY); synthetic ids only.
 */
export function pncId(year: number, serial: number): string {
  const yy = year % 100;
  const check = PNC_CHECK[(yy * 10_000_000 + serial) % 23]!;
  return `${year}/${padNum(serial, 7)}${check}`;
}

/**
 * A keyed bijection on [0, modulus): an invertible integer mix on the smallest power of two that covers
 * the modulus (xor, odd multiply, xorshift — each a bijection), cycle-walked back into range. Refs made
 * from it are unique, stable and reveal neither the person index nor any relation between sources.
 */
export function permute(x: number, modulus: number, salt: number): number {
  const bits = Math.max(1, Math.ceil(Math.log2(modulus)));
  const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
  const k1 = (fmix32(salt) | 1) >>> 0;
  const k2 = (fmix32(salt ^ 0x5bd1e995) | 1) >>> 0;
  const k3 = fmix32(salt + 0x27d4eb2f) & mask;
  const half = Math.max(1, bits >> 1);
  let y = x % modulus;
  do {
    y = ((y ^ k3) & mask) >>> 0;
    y = (Math.imul(y, k1) & mask) >>> 0;
    y = (y ^ (y >>> half)) >>> 0;
    y = (Math.imul(y, k2) & mask) >>> 0;
    y = (y ^ (y >>> half)) >>> 0;
  } while (y >= modulus);
  return y;
}

export class Population {
  private readonly cache = new Map<number, Person>();

  constructor(
    readonly seed: number,
    readonly pools: NamePools,
    private readonly specOf: (idx: number) => PersonSpec,
    private readonly lastDay: number,
  ) {}

  spec(idx: number): PersonSpec {
    return this.specOf(idx);
  }

  get(idx: number): Person {
    let p = this.cache.get(idx);
    if (p) return p;
    p = this.derive(idx);
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(idx, p);
    return p;
  }

  private derive(idx: number): Person {
    const spec = this.specOf(idx);
    const rng = rngFor(this.seed, 'person', idx);
    const drawn: 'M' | 'F' = rng.chance(spec.kind === 'network' ? 0.85 : 0.5) ? 'M' : 'F';
    const sex = spec.sex ?? drawn;
    const first = pickForename(this.pools, sex, rng);
    let middle: string | null = rng.chance(0.35) ? pickForename(this.pools, sex, rng) : null;
    if (middle === first) middle = null;
    let surname = rng.pick(this.pools.surnames);
    let maiden: string | null = null;
    const dob = spec.dobMin + rng.int(Math.max(1, spec.dobMax - spec.dobMin + 1));
    const adultAtEnd = this.lastDay - dob > 22 * YEAR_DAYS;
    if (sex === 'F' && adultAtEnd && rng.chance(0.1)) {
      maiden = surname;
      surname = rng.pick(this.pools.surnames);
      if (surname === maiden) maiden = null;
    }
    if (rng.chance(0.03)) {
      const other = rng.pick(this.pools.surnames);
      if (other !== surname && !other.includes("'")) surname = `${surname}-${other}`;
    }
    const ethnicity = ETHNICITY.sample(rng);
    const known = spec.kind === 'network' || spec.kind === 'background_offender' || rng.chance(0.06);
    let pnc: string | null = null;
    if (known) {
      const dobYear = yearOf(dob);
      const year = Math.min(yearOf(this.lastDay), dobYear + 14 + rng.int(14));
      pnc = pncId(year, permute(idx, 10_000_000, 7_654_321));
    }
    return { idx, id: `P${padNum(idx + 1, 7)}`, kind: spec.kind, sex, first, middle, surname, maiden, dob, ethnicity, pnc };
  }
}

export function forenamesOf(p: Person): string {
  return p.middle ? `${p.first} ${p.middle}` : p.first;
}

/** A person's age in whole years on a day. */
export function ageOn(p: Person, day: number): number {
  return Math.floor((day - p.dob) / YEAR_DAYS);
}

/** truth/people.csv row values. */
export function truthPersonRow(p: Person): string[] {
  return [p.id, p.surname, forenamesOf(p), isoDay(p.dob), p.sex, p.ethnicity, p.kind];
}

/** Stable per-person coin: e.g. whether a person has a duplicate record in one source. */
export function personCoin(seed: number, label: string, idx: number): number {
  return hash32(seed, label, idx) / 4294967296;
}
