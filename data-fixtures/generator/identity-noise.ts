// How one true person looks in one source record: a person_ref per (source, slot) and the identity
// block with realistic noise (nicknames, typos, transposed DOB, missing fields, legacy ALL-CAPS, …).

import { isoDay, padNum } from './calendar.ts';
import { NICKNAMES } from './names.ts';
import { ETHNICITY_CODES, permute, personCoin, type Person } from './people.ts';
import { rngFor, type Rng } from './rng.ts';
import { csvField } from './writers.ts';

export type Source = 'crime' | 'custody' | 'intel' | 'pins' | 'missing';

/** A person's record slots: one or two person_refs per source (two after a migration or a duplicate). */
export const SLOT = {
  CRIME_LEGACY: 0, CRIME: 1, CRIME_DUP: 2, CUSTODY: 3, CUSTODY_DUP: 4, INTEL: 5, INTEL_DUP: 6, PINS: 7,
  MISSING: 8, MISSING_DUP: 9,
} as const;
export type Slot = (typeof SLOT)[keyof typeof SLOT];
export const SLOT_COUNT = 10;
export const SLOT_SOURCE: readonly Source[] = [
  'crime', 'crime', 'crime', 'custody', 'custody', 'intel', 'intel', 'pins', 'missing', 'missing',
];
const DUP_SLOT: Partial<Record<Source, Slot>> = {
  crime: SLOT.CRIME_DUP, custody: SLOT.CUSTODY_DUP, intel: SLOT.INTEL_DUP, missing: SLOT.MISSING_DUP,
};
const PNC_SHOWN: Record<Source, number> = { crime: 0.6, custody: 0.92, intel: 0.45, pins: 0.97, missing: 0.3 };

/** The name of the legacy crime system that CONNECT replaced. */
export const LEGACY_SYSTEM = 'CRIMES';

/** The source's person_ref for a person's slot: unique, stable, and not revealing the person. */
export function personRef(p: Person, slot: Slot): string {
  const x = p.idx * 16 + slot;
  switch (slot) {
    case SLOT.CRIME_LEGACY: return `CRM${padNum(permute(x, 100_000_000, 13_579_111), 8)}`;
    case SLOT.CRIME: case SLOT.CRIME_DUP: return `CN${padNum(permute(x, 100_000_000, 24_680_222), 8)}`;
    case SLOT.CUSTODY: case SLOT.CUSTODY_DUP: return `CP${padNum(permute(x, 100_000_000, 35_791_333), 8)}`;
    case SLOT.INTEL: case SLOT.INTEL_DUP: return `NOM${padNum(permute(x, 100_000_000, 46_802_444), 8)}`;
    case SLOT.MISSING: case SLOT.MISSING_DUP: return `MPP${padNum(permute(x, 100_000_000, 57_913_555), 8)}`;
    case SLOT.PINS: return prisonNumber(permute(p.idx, 175_760_000, 98_765_432));
  }
}

/** Prison number like `A1234BC` from an integer below 26·10⁴·26². */
function prisonNumber(n: number): string {
  const A = 65;
  const l2 = String.fromCharCode(A + (n % 26), A + (Math.floor(n / 26) % 26));
  const digits = padNum(Math.floor(n / 676) % 10_000, 4);
  const l1 = String.fromCharCode(A + (Math.floor(n / 6_760_000) % 26));
  return `${l1}${digits}${l2}`;
}

/** Whether this person has a second person_ref in this source (a duplicate created by error or migration). */
export function hasDuplicate(seed: number, p: Person, source: Source): boolean {
  if (!DUP_SLOT[source]) return false;
  const rate = p.kind === 'network' || p.kind === 'background_offender' ? 0.05 : 0.02;
  return personCoin(seed, `dup-${source}`, p.idx) < rate;
}

export function duplicateSlot(source: Source): Slot | undefined {
  return DUP_SLOT[source];
}

export function stripDiacritics(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '');
}

/** One realistic keying error: transposed letters, a dropped or doubled letter, or a phonetic spelling. */
export function typo(name: string, rng: Rng): string {
  if (name.length < 4) return name;
  const phonetic: [RegExp, string][] = [[/ph/i, 'f'], [/ie$/, 'y'], [/y$/, 'ie'], [/ck/, 'k'], [/^Mc/, 'Mac'], [/^Mac/, 'Mc'], [/son$/, 'sen'], [/ll/, 'l'], [/ae/, 'a'], [/ou/, 'o']];
  const kind = rng.int(4);
  if (kind === 3) {
    for (const [re, to] of rng.sample(phonetic, phonetic.length)) if (re.test(name)) return name.replace(re, to);
  }
  const i = 1 + rng.int(name.length - 2);
  if (kind === 0) return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
  if (kind === 1) return name.slice(0, i) + name.slice(i + 1);
  return name.slice(0, i) + name[i] + name.slice(i);
}

function apostropheVariant(s: string, rng: Rng): string {
  return s.replace("'", rng.chance(0.5) ? '' : ' ');
}

function hyphenVariant(s: string, rng: Rng): string {
  const parts = s.split('-');
  const k = rng.int(3);
  return k === 0 ? parts[0]! : k === 1 ? parts[parts.length - 1]! : parts.join(' ');
}

/** Transposes day and month when that still makes a valid, different date. */
export function transposeDayMonth(iso: string): string {
  const [y, m, d] = iso.split('-');
  if (!y || !m || !d || m === d || Number(d) > 12) return iso;
  return `${y}-${d}-${m}`;
}

export interface Identity {
  person_ref: string;
  pnc_id: string;
  surname: string;
  forenames: string;
  date_of_birth: string;
  sex: string;
  ethnicity: string;
}

/** The noisy identity block of a person in one slot; deterministic in (seed, person, slot). */
export function identityOf(seed: number, p: Person, slot: Slot): Identity {
  const rng = rngFor(seed, 'identity', p.idx, slot);
  const source = SLOT_SOURCE[slot]!;
  const legacy = slot === SLOT.CRIME_LEGACY;
  const dup = slot === SLOT.CRIME_DUP || slot === SLOT.CUSTODY_DUP || slot === SLOT.INTEL_DUP || slot === SLOT.MISSING_DUP;
  const lowInfo = p.kind === 'victim' || p.kind === 'witness';
  // A duplicate exists because something differed: force one noticeable difference.
  const forced = dup ? rng.int(4) : -1;

  let first = p.first;
  const nick = NICKNAMES[first];
  if ((forced === 0 || rng.chance(0.07)) && nick) first = rng.pick(nick);
  else if (forced === 0 || rng.chance(0.03)) first = typo(first, rng);
  let forenames = p.middle && !rng.chance(0.3) ? `${first} ${p.middle}` : first;

  let surname = p.maiden && (legacy || (slot !== SLOT.CRIME && rng.chance(0.4))) ? p.maiden : p.surname;
  if (forced === 1 || rng.chance(0.03)) surname = typo(surname, rng);
  if (surname.includes("'") && rng.chance(0.4)) surname = apostropheVariant(surname, rng);
  if (surname.includes('-') && (forced === 1 || rng.chance(0.4))) surname = hyphenVariant(surname, rng);
  if (legacy) {
    surname = stripDiacritics(surname).toUpperCase();
    forenames = stripDiacritics(forenames);
  } else if (rng.chance(0.5)) {
    forenames = stripDiacritics(forenames);
  }

  let dob = isoDay(p.dob);
  if (forced === 2 || rng.chance(0.03)) dob = transposeDayMonth(dob);
  else if (rng.chance(0.01) && dob.slice(5) !== '02-29') dob = `${Number(dob.slice(0, 4)) + (rng.chance(0.5) ? 1 : -1)}${dob.slice(4)}`;
  if (forced === 3 || rng.chance(lowInfo ? 0.12 : 0.04)) dob = '';

  const sex = rng.chance(0.01) ? 'U' : p.sex;
  let ethnicity = p.ethnicity;
  if (rng.chance(0.08)) ethnicity = 'NS';
  else if (rng.chance(0.02)) ethnicity = rng.pick(ETHNICITY_CODES);
  const pnc = p.pnc && rng.chance(PNC_SHOWN[source]) ? p.pnc : '';
  return { person_ref: personRef(p, slot), pnc_id: pnc, surname, forenames, date_of_birth: dob, sex, ethnicity };
}

export const IDENTITY_COLUMNS = ['person_ref', 'pnc_id', 'surname', 'forenames', 'date_of_birth', 'sex', 'ethnicity'] as const;

/** The identity block as CSV text (no trailing comma), cached per (person, slot). */
export class IdentityText {
  private readonly cache = new Map<number, string>();
  constructor(private readonly seed: number) {}
  get(p: Person, slot: Slot): string {
    const key = p.idx * SLOT_COUNT + slot;
    let s = this.cache.get(key);
    if (s === undefined) {
      const id = identityOf(this.seed, p, slot);
      s = IDENTITY_COLUMNS.map((c) => csvField(id[c])).join(',');
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(key, s);
    }
    return s;
  }
}
