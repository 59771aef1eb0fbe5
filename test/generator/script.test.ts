// The scripted story is in truth/events.csv and visible in the drops (prison receptions, releases,
// network membership changes, joint offending), and every drop is a superset of the one before.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateSummary } from '../../data-fixtures/generator/generate.ts';
import { removeDir, tempDir } from '../helpers/context.ts';
import { readCsv } from './csv.ts';

type Rec = Record<string, string>;
const SOURCES = ['crime', 'custody', 'intel', 'pins', 'missing'] as const;

let dir = '';
let s: GenerateSummary;
const drops = new Map<string, Record<string, Rec[]>>();
let events: Rec[] = [];
let networks: Rec[] = [];
let personOf = new Map<string, string>();

beforeAll(async () => {
  dir = tempDir('harmnet-gen-script-');
  s = await generate({ out: dir });
  for (const asOf of s.as_of) {
    const d: Record<string, Rec[]> = {};
    for (const src of SOURCES) d[src] = readCsv(path.join(dir, asOf, `${src}.csv`)).records;
    drops.set(asOf, d);
  }
  events = readCsv(path.join(dir, 'truth', 'events.csv')).records;
  networks = readCsv(path.join(dir, 'truth', 'networks.csv')).records;
  personOf = new Map(readCsv(path.join(dir, 'truth', 'identities.csv')).records.map((r) => [`${r.source}|${r.person_ref}`, r.person_id]));
});
afterAll(() => removeDir(dir));

const week = (asOf: string) => s.as_of.indexOf(asOf) + 1;
const eventOf = (kind: string) => events.filter((e) => e.event === kind);
const membersAt = (key: string, asOf: string) => new Set(networks.filter((r) => r.network_key === key && r.as_of === asOf).map((r) => r.person_id));
const lastDrop = () => drops.get(s.as_of[s.as_of.length - 1]!)!;
const pid = (src: string, r: Rec) => personOf.get(`${src}|${r.person_ref}`)!;
const prevMonday = (asOf: string) => new Date(Date.parse(asOf) - 7 * 86_400_000).toISOString().slice(0, 10);

describe('scripted change across the weekly drops', () => {
  it('records every scripted event once, spread over weeks 5–14 of 16', () => {
    expect(eventOf('GROWTH')).toHaveLength(2);
    for (const k of ['SPLIT', 'MERGE', 'DISSOLVE', 'RELEASED']) expect(eventOf(k)).toHaveLength(1);
    expect(eventOf('IMPRISONED').length).toBeGreaterThanOrEqual(2);
    for (const e of events) {
      expect(week(e.as_of)).toBeGreaterThanOrEqual(5);
      expect(week(e.as_of)).toBeLessThanOrEqual(14);
    }
    expect(eventOf('SPLIT')[0]!.network_keys).toBe('SOC-01>SOC-01a;SOC-01b');
    expect(eventOf('MERGE')[0]!.network_keys).toBe('CL-02;CL-03>CL-02+03');
  });

  it('SPLIT: the hub has a PINS reception and a CHARGED custody record before the split; the groups become two networks without the hub', () => {
    const split = eventOf('SPLIT')[0]!;
    const hub = eventOf('IMPRISONED').find((e) => e.network_keys === 'SOC-01')!;
    expect(week(hub.as_of)).toBeLessThan(week(split.as_of));
    const d = drops.get(split.as_of)!;
    const receptions = d.pins!.filter((r) => pid('pins', r) === hub.person_id && r.reception_date <= split.as_of && r.reception_date > prevMonday(hub.as_of));
    expect(receptions).toHaveLength(1);
    expect(d.custody!.some((r) => pid('custody', r) === hub.person_id && r.custody_outcome === 'CHARGED' && r.arrest_datetime.slice(0, 10) <= receptions[0]!.reception_date)).toBe(true);
    const before = s.as_of[s.as_of.indexOf(split.as_of) - 1]!;
    const parent = membersAt('SOC-01', before);
    expect(parent.has(hub.person_id)).toBe(true);
    expect(membersAt('SOC-01', split.as_of).size).toBe(0);
    const a = membersAt('SOC-01a', split.as_of);
    const b = membersAt('SOC-01b', split.as_of);
    expect(a.size).toBeGreaterThanOrEqual(3);
    expect(b.size).toBeGreaterThanOrEqual(3);
    expect(a.has(hub.person_id) || b.has(hub.person_id)).toBe(false);
    expect([...a].some((p) => b.has(p))).toBe(false);
    expect([...a, ...b].every((p) => parent.has(p))).toBe(true);
    // In the split week each group co-offends on its own.
    const crimes = d.crime!.filter((r) => r.committed_date > prevMonday(split.as_of) && (r.role === 'SUSPECT' || r.role === 'OFFENDER'));
    const byCrime = new Map<string, string[]>();
    for (const r of crimes) byCrime.set(r.crime_ref, [...(byCrime.get(r.crime_ref) ?? []), pid('crime', r)]);
    const inA = [...byCrime.values()].filter((ps) => ps.length >= 2 && ps.every((p) => a.has(p)));
    const inB = [...byCrime.values()].filter((ps) => ps.length >= 2 && ps.every((p) => b.has(p)));
    expect(inA.length + inB.length).toBeGreaterThanOrEqual(2);
  });

  it('RELEASED: the hub has an actual_release_date in the release week, absent from earlier drops', () => {
    const rel = eventOf('RELEASED')[0]!;
    const row = (asOf: string) => drops.get(asOf)!.pins!.find((r) => pid('pins', r) === rel.person_id && r.establishment === 'HMP Long Lartin')!;
    const now = row(rel.as_of);
    expect(now.actual_release_date > prevMonday(rel.as_of) && now.actual_release_date <= rel.as_of).toBe(true);
    expect(now.reception_date < s.as_of[0]!).toBe(true);
    expect(row(prevMonday(rel.as_of)).actual_release_date).toBe('');
    expect(row(s.as_of[0]!).expected_release_date).toBe(now.actual_release_date);
    expect(membersAt('SOC-02', rel.as_of).has(rel.person_id)).toBe(true);
  });

  it('MERGE: both lines become one network, with joint offending and a joint arrest that week', () => {
    const m = eventOf('MERGE')[0]!;
    const before = prevMonday(m.as_of);
    const a = membersAt('CL-02', before);
    const b = membersAt('CL-03', before);
    expect(a.size).toBeGreaterThan(0);
    expect(b.size).toBeGreaterThan(0);
    expect(membersAt('CL-02', m.as_of).size + membersAt('CL-03', m.as_of).size).toBe(0);
    expect(membersAt('CL-02+03', m.as_of)).toEqual(new Set([...a, ...b]));
    const d = drops.get(m.as_of)!;
    const byOccasion = new Map<string, string[]>();
    for (const r of d.custody!) if (r.arrest_datetime.slice(0, 10) > before) byOccasion.set(r.occasion_ref, [...(byOccasion.get(r.occasion_ref) ?? []), pid('custody', r)]);
    expect([...byOccasion.values()].some((ps) => ps.some((p) => a.has(p)) && ps.some((p) => b.has(p)))).toBe(true);
  });

  it('DISSOLVE: the network disappears, its remanded members are in PINS, and none of its members offends afterwards', () => {
    const e = eventOf('DISSOLVE')[0]!;
    const before = prevMonday(e.as_of);
    const members = membersAt('CSE-01', before);
    expect(members.size).toBeGreaterThanOrEqual(3);
    expect(membersAt('CSE-01', e.as_of).size).toBe(0);
    const imprisoned = eventOf('IMPRISONED').filter((x) => x.network_keys === 'CSE-01').map((x) => x.person_id);
    expect(imprisoned.length).toBe(3);
    const pins = drops.get(e.as_of)!.pins!;
    for (const p of imprisoned) expect(pins.some((r) => pid('pins', r) === p && r.reception_date > before)).toBe(true);
    const later = lastDrop().crime!.filter((r) => r.committed_date > e.as_of && members.has(pid('crime', r)));
    expect(later).toEqual([]);
  });

  it('GROWTH: membership grows and Class A supply by members rises in each growth week', () => {
    for (const g of eventOf('GROWTH')) {
      const before = prevMonday(g.as_of);
      const m0 = membersAt('CL-01', before);
      const m1 = membersAt('CL-01', g.as_of);
      expect(m1.size).toBeGreaterThan(m0.size);
      const supply = (asOf: string) => new Set(drops.get(asOf)!.crime!
        .filter((r) => r.ho_offence_code.startsWith('092/') && r.role !== 'VICTIM' && m1.has(pid('crime', r)))
        .map((r) => r.crime_ref)).size;
      expect(supply(g.as_of) - supply(before)).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('cumulative drops', () => {
  const keyOf: Record<string, (r: Rec) => string> = {
    crime: (r) => `${r.crime_ref}|${r.person_ref}|${r.role}`,
    custody: (r) => r.custody_ref,
    intel: (r) => `${r.intel_ref}|${r.person_ref}`,
    pins: (r) => `${r.prison_number}|${r.reception_date}`,
    missing: (r) => `${r.episode_ref}|${r.person_ref}|${r.role}`,
  };
  // Fields that may change between drops: outcomes, release dates, found times (only from '' to a value).
  const mutable: Record<string, string[]> = { crime: ['person_outcome'], custody: [], intel: [], pins: ['actual_release_date'], missing: ['found_datetime', 'found_latitude', 'found_longitude'] };

  it('drop N+1 contains every record of drop N, unchanged except for outcome, release and found updates', () => {
    let outcomeChanges = 0;
    const problems: string[] = [];
    for (let i = 0; i + 1 < s.as_of.length; i++) {
      const a = drops.get(s.as_of[i]!)!;
      const b = drops.get(s.as_of[i + 1]!)!;
      for (const src of SOURCES) {
        const next = new Map(b[src]!.map((r) => [keyOf[src]!(r), r]));
        if (next.size !== b[src]!.length) problems.push(`${src} ${s.as_of[i + 1]}: duplicate keys`);
        for (const r of a[src]!) {
          const key = keyOf[src]!(r);
          const n = next.get(key);
          if (!n) {
            problems.push(`${src} ${key} missing from ${s.as_of[i + 1]}`);
            continue;
          }
          for (const k in r) {
            const same = n[k] === r[k];
            if (same) continue;
            if (!mutable[src]!.includes(k) || (src !== 'crime' && r[k] !== '')) problems.push(`${src} ${key} ${k}: ${r[k]} -> ${n[k]}`);
          }
          if (src === 'crime' && n.person_outcome !== r.person_outcome) outcomeChanges++;
        }
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(outcomeChanges).toBeGreaterThan(10);
  });

  it('each drop holds only records recorded on or before its as-of date', () => {
    for (const asOf of s.as_of) {
      const d = drops.get(asOf)!;
      expect(d.crime!.every((r) => r.recorded_date <= asOf)).toBe(true);
      expect(d.custody!.every((r) => r.arrest_datetime.slice(0, 10) <= asOf)).toBe(true);
      expect(d.intel!.every((r) => r.submitted_date <= asOf)).toBe(true);
      expect(d.pins!.every((r) => r.reception_date <= asOf && (r.actual_release_date === '' || r.actual_release_date <= asOf))).toBe(true);
      expect(d.missing!.every((r) => r.reported_datetime.slice(0, 10) <= asOf && (r.found_datetime === '' || r.found_datetime.slice(0, 10) <= asOf))).toBe(true);
    }
  });

  it('shows co-offending, co-arrests and children reported missing more than once', () => {
    const d = lastDrop();
    const suspects = new Map<string, number>();
    for (const r of d.crime!) if (r.role === 'SUSPECT' || r.role === 'OFFENDER') suspects.set(r.crime_ref, (suspects.get(r.crime_ref) ?? 0) + 1);
    expect([...suspects.values()].filter((n) => n >= 2).length).toBeGreaterThan(200);
    const occ = new Map<string, number>();
    for (const r of d.custody!) occ.set(r.occasion_ref, (occ.get(r.occasion_ref) ?? 0) + 1);
    expect([...occ.values()].filter((n) => n >= 2).length).toBeGreaterThan(50);
    const episodes = new Map<string, number>();
    for (const r of d.missing!) if (r.role === 'MISSING') episodes.set(pid('missing', r), (episodes.get(pid('missing', r)) ?? 0) + 1);
    expect([...episodes.values()].filter((n) => n >= 3).length).toBeGreaterThan(20);
  });
});
