// Fans every generated record out to the cumulative weekly drops: a record appears in each drop whose
// as-of date is on or after its recording date, with its outcome / release / found state as known then.

import path from 'node:path';
import { isoDay, isoTimestamp, padNum, yearOf } from './calendar.ts';
import { duplicateSlot, hasDuplicate, IDENTITY_COLUMNS, IdentityText, LEGACY_SYSTEM, SLOT, type Slot, type Source } from './identity-noise.ts';
import type { Offence } from './offences.ts';
import { permute, type Population } from './people.ts';
import { hash32 } from './rng.ts';
import { CsvSink, csvField, type SinkResult } from './writers.ts';

export const SOURCES = ['crime', 'custody', 'intel', 'pins', 'missing'] as const satisfies readonly Source[];

export const COLUMNS: Record<Source, readonly string[]> = {
  crime: ['crime_ref', 'ho_offence_code', 'offence_ref', 'committed_date', 'recorded_date', 'role', 'person_outcome', 'latitude', 'longitude', 'source_system', ...IDENTITY_COLUMNS],
  custody: ['custody_ref', 'occasion_ref', 'arrest_datetime', 'arrest_offence_code', 'custody_outcome', 'crime_ref', ...IDENTITY_COLUMNS],
  intel: ['intel_ref', 'submitted_date', 'grading_scheme', 'source_grade', 'intel_grade', 'handling_code', 'topic', 'mention_role', 'latitude', 'longitude', ...IDENTITY_COLUMNS],
  pins: ['prison_number', 'establishment', 'reception_date', 'expected_release_date', 'actual_release_date', 'licence_end_date', 'index_offence_code', ...IDENTITY_COLUMNS],
  missing: ['episode_ref', 'reported_datetime', 'found_datetime', 'risk_level', 'role', 'found_latitude', 'found_longitude', ...IDENTITY_COLUMNS],
};

export type CrimeRole = 'SUSPECT' | 'OFFENDER' | 'VICTIM' | 'WITNESS' | 'OTHER';
export type PersonOutcome = 'CONVICTED' | 'CHARGED' | 'CAUTIONED' | 'UNDER_INVESTIGATION' | 'NFA' | 'ACQUITTED' | 'NONE';

/** An involvement's outcome over time: UNDER_INVESTIGATION, then `mid` from day d1, then `fin` from d2. */
export interface OutcomeTimeline {
  d1: number;
  mid: PersonOutcome;
  d2: number;
  fin: PersonOutcome;
}

export const NO_OUTCOME: OutcomeTimeline = { d1: -Infinity, mid: 'NONE', d2: -Infinity, fin: 'NONE' };

export function outcomeAt(o: OutcomeTimeline, day: number): PersonOutcome {
  if (day >= o.d2) return o.fin;
  if (day >= o.d1) return o.mid;
  return 'UNDER_INVESTIGATION';
}

export interface CrimeRecord {
  ref: string;
  offence: Offence;
  committed: number;
  recorded: number;
  lat: number;
  lon: number;
}

export interface DropFiles {
  asOf: string;
  dir: string;
  files: Record<Source, SinkResult>;
}

const coord = (x: number): string => x.toFixed(5);

/** Writes rows into every drop they belong to, and records which person slots were used (for truth). */
export class Emitter {
  private readonly sinks: Record<Source, CsvSink>[];
  private readonly ids: IdentityText;
  readonly seq = { crime: 0, custody: 0, occasion: 0, intel: 0, episode: 0 };
  /** Per person: bit `slot` set when that person_ref was written to any drop. */
  readonly used: Uint16Array;

  constructor(
    private readonly out: string,
    private readonly asOfDays: readonly number[],
    readonly pop: Population,
    readonly migrationDay: number,
    totalPeople: number,
  ) {
    this.ids = new IdentityText(pop.seed);
    this.used = new Uint16Array(totalPeople);
    this.sinks = asOfDays.map((d) => {
      const dir = path.join(out, isoDay(d));
      const s = {} as Record<Source, CsvSink>;
      for (const src of SOURCES) s[src] = new CsvSink(path.join(dir, `${src}.csv`), COLUMNS[src]);
      return s;
    });
  }

  /** Index of the first drop that includes something recorded on `day` (length if none). */
  private firstDrop(day: number): number {
    const a = this.asOfDays;
    let i = 0;
    while (i < a.length && a[i]! < day) i++;
    return i;
  }

  private identity(person: number, slot: Slot): string {
    if (person >= this.used.length) throw new Error(`person index ${person} outside the population`);
    this.used[person]! |= 1 << slot;
    return this.ids.get(this.pop.get(person), slot);
  }

  /** The slot a person's row uses in a source: its duplicate ref on about half the rows, if it has one. */
  private slotFor(person: number, source: Source, main: Slot, rowKey: string): Slot {
    const dup = duplicateSlot(source);
    if (dup === undefined || !hasDuplicate(this.pop.seed, this.pop.get(person), source)) return main;
    return hash32(this.pop.seed, rowKey, person) & 1 ? dup : main;
  }

  /** Record refs: a permuted sequence number, so refs do not reveal the order they were generated in. */
  private ref(prefix: string, day: number, kind: keyof Emitter['seq']): string {
    return `${prefix}-${yearOf(day)}-${padNum(permute(++this.seq[kind], 100_000_000, hash32(this.pop.seed, kind)), 8)}`;
  }
  crimeRef(day: number): string {
    return this.ref('CR', day, 'crime');
  }
  occasionRef(day: number): string {
    return this.ref('OC', day, 'occasion');
  }
  intelRef(day: number): string {
    return this.ref('IR', day, 'intel');
  }
  episodeRef(day: number): string {
    return this.ref('MP', day, 'episode');
  }

  crime(c: CrimeRecord, person: number, role: CrimeRole, outcome: OutcomeTimeline): void {
    const start = this.firstDrop(c.recorded);
    if (start >= this.asOfDays.length) return;
    const legacy = c.recorded < this.migrationDay;
    const slot = legacy ? SLOT.CRIME_LEGACY : this.slotFor(person, 'crime', SLOT.CRIME, c.ref);
    const offenceRef = legacy ? c.offence.cjs : c.offence.urn;
    const head = `${c.ref},${c.offence.ho},${offenceRef},${isoDay(c.committed)},${isoDay(c.recorded)},${role},`;
    const tail = `,${coord(c.lat)},${coord(c.lon)},${legacy ? LEGACY_SYSTEM : 'CONNECT'},${this.identity(person, slot)}\n`;
    for (let i = start; i < this.asOfDays.length; i++) {
      this.sinks[i]!.crime.row(head + outcomeAt(outcome, this.asOfDays[i]!) + tail);
    }
  }

  custody(
    a: { occasion: string; day: number; second: number; offence: Offence; outcome: string; crimeRef: string | null },
    person: number,
  ): void {
    const start = this.firstDrop(a.day);
    if (start >= this.asOfDays.length) return;
    const ref = this.ref('CU', a.day, 'custody');
    const slot = this.slotFor(person, 'custody', SLOT.CUSTODY, ref);
    const line = `${ref},${a.occasion},${isoTimestamp(a.day, a.second)},${a.offence.ho},${a.outcome},${a.crimeRef ?? ''},${this.identity(person, slot)}\n`;
    for (let i = start; i < this.asOfDays.length; i++) this.sinks[i]!.custody.row(line);
  }

  intel(
    r: { ref: string; day: number; scheme: string; source: string; grade: string; handling: string; topic: string; lat: number; lon: number },
    person: number,
    role: 'SUBJECT' | 'ASSOCIATE',
  ): void {
    const start = this.firstDrop(r.day);
    if (start >= this.asOfDays.length) return;
    const slot = this.slotFor(person, 'intel', SLOT.INTEL, r.ref);
    const line = `${r.ref},${isoDay(r.day)},${r.scheme},${r.source},${r.grade},${r.handling},${r.topic},${role},${coord(r.lat)},${coord(r.lon)},${this.identity(person, slot)}\n`;
    for (let i = start; i < this.asOfDays.length; i++) this.sinks[i]!.intel.row(line);
  }

  /** A prison spell; the actual release date shows only in drops on or after it. */
  pins(
    s: { establishment: string; reception: number; expected: number | null; actual: number | null; licenceEnd: number | null; offence: Offence | null },
    person: number,
  ): void {
    const start = this.firstDrop(s.reception);
    if (start >= this.asOfDays.length) return;
    const id = this.identity(person, SLOT.PINS);
    const prisonNumber = id.slice(0, id.indexOf(','));
    const head = `${prisonNumber},${csvField(s.establishment)},${isoDay(s.reception)},${s.expected === null ? '' : isoDay(s.expected)},`;
    const tail = `,${s.licenceEnd === null ? '' : isoDay(s.licenceEnd)},${s.offence?.ho ?? ''},${id}\n`;
    for (let i = start; i < this.asOfDays.length; i++) {
      const released = s.actual !== null && s.actual <= this.asOfDays[i]! ? isoDay(s.actual) : '';
      this.sinks[i]!.pins.row(head + released + tail);
    }
  }

  /**
   * One person in a missing episode. MISSING rows appear from the report; the found time is filled in
   * from the day found; FOUND_WITH rows exist only once the child was found.
   */
  missing(
    e: { ref: string; reportedDay: number; reportedSecond: number; foundDay: number | null; foundSecond: number; risk: string; foundLat: number; foundLon: number },
    person: number,
    role: 'MISSING' | 'FOUND_WITH',
  ): void {
    const appears = role === 'MISSING' ? e.reportedDay : e.foundDay;
    if (appears === null) return;
    const start = this.firstDrop(appears);
    if (start >= this.asOfDays.length) return;
    const slot = this.slotFor(person, 'missing', SLOT.MISSING, e.ref);
    const id = this.identity(person, slot);
    const reported = isoTimestamp(e.reportedDay, e.reportedSecond);
    const found = e.foundDay === null ? '' : isoTimestamp(e.foundDay, e.foundSecond);
    const where = `${coord(e.foundLat)},${coord(e.foundLon)}`;
    for (let i = start; i < this.asOfDays.length; i++) {
      const isFound = e.foundDay !== null && e.foundDay <= this.asOfDays[i]!;
      this.sinks[i]!.missing.row(`${e.ref},${reported},${isFound ? found : ''},${e.risk},${role},${isFound ? where : ','},${id}\n`);
    }
  }

  /** Closes every file and returns per-drop row counts and hashes. */
  close(): DropFiles[] {
    return this.sinks.map((s, i) => {
      const files = {} as Record<Source, SinkResult>;
      for (const src of SOURCES) files[src] = s[src].close();
      return { asOf: isoDay(this.asOfDays[i]!), dir: path.join(this.out, isoDay(this.asOfDays[i]!)), files };
    });
  }
}
