// The generated demo drops honour design/extracts.md: exact columns, valid enum values and formats,
// real CCHI offence codes, and a truth that explains every person_ref.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateSummary } from '../../data-fixtures/generator/generate.ts';
import { removeDir, tempDir } from '../helpers/context.ts';
import { parseCsv, readCsv } from './csv.ts';

const IDENTITY = ['person_ref', 'pnc_id', 'surname', 'forenames', 'date_of_birth', 'sex', 'ethnicity'];
// Copied from design/extracts.md by hand (not imported), so a drift in the generator fails here.
const EXPECTED: Record<string, string[]> = {
  crime: ['crime_ref', 'ho_offence_code', 'offence_ref', 'committed_date', 'recorded_date', 'role', 'person_outcome', 'latitude', 'longitude', 'source_system', ...IDENTITY],
  custody: ['custody_ref', 'occasion_ref', 'arrest_datetime', 'arrest_offence_code', 'custody_outcome', 'crime_ref', ...IDENTITY],
  intel: ['intel_ref', 'submitted_date', 'grading_scheme', 'source_grade', 'intel_grade', 'handling_code', 'topic', 'mention_role', 'latitude', 'longitude', ...IDENTITY],
  pins: ['prison_number', 'establishment', 'reception_date', 'expected_release_date', 'actual_release_date', 'licence_end_date', 'index_offence_code', ...IDENTITY],
  missing: ['episode_ref', 'reported_datetime', 'found_datetime', 'risk_level', 'role', 'found_latitude', 'found_longitude', ...IDENTITY],
};
const ETHNICITY = new Set(['W1', 'W2', 'W3', 'W9', 'M1', 'M2', 'M3', 'M9', 'A1', 'A2', 'A3', 'A4', 'A9', 'B1', 'B2', 'B9', 'O1', 'O9', 'NS']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const PNC = /^\d{4}\/\d{7}[A-Z]$/;

let dir = '';
let summary: GenerateSummary;
let last = '';
const data: Record<string, Record<string, string>[]> = {};

beforeAll(async () => {
  dir = tempDir('harmnet-gen-contract-');
  summary = await generate({ out: dir });
  last = path.join(dir, '2026-11-16');
  for (const src of Object.keys(EXPECTED)) {
    const { header, records } = readCsv(path.join(last, `${src}.csv`));
    expect(header).toEqual(EXPECTED[src]);
    data[src] = records;
  }
});
afterAll(() => removeDir(dir));

function validDate(s: string): boolean {
  return DATE.test(s) && new Date(s + 'T00:00:00Z').toISOString().slice(0, 10) === s;
}

describe('generate (demo) file contract', () => {
  it('writes 16 Monday drops ending 2026-11-16, each with five files and a matching manifest', () => {
    expect(summary.as_of).toHaveLength(16);
    expect(summary.as_of[0]).toBe('2026-08-03');
    const folders = readdirSync(dir).filter((f) => f !== 'truth').sort();
    expect(folders).toEqual(summary.as_of);
    for (const d of folders) expect(new Date(d + 'T00:00:00Z').getUTCDay()).toBe(1);
    const manifest = JSON.parse(readFileSync(path.join(last, 'manifest.json'), 'utf8'));
    expect(manifest.as_of).toBe('2026-11-16');
    for (const src of Object.keys(EXPECTED)) expect(manifest.files[src].rows).toBe(data[src]!.length);
  });

  it('has a demo-sized population with under-18s among missing children and network members', () => {
    expect(summary.truth.people).toBeGreaterThan(3000);
    expect(summary.truth.people).toBeLessThan(5000);
    const kids = data.missing!.filter((r) => r.role === 'MISSING' && r.date_of_birth && (Date.parse(r.reported_datetime.slice(0, 10)) - Date.parse(r.date_of_birth)) / 3.15576e10 < 18);
    expect(kids.length).toBeGreaterThan(100);
  });

  it('uses only the allowed values in every enum column and valid identity blocks', () => {
    const crimeRoles = new Set(data.crime!.map((r) => r.role));
    expect([...crimeRoles].sort()).toEqual(['OFFENDER', 'OTHER', 'SUSPECT', 'VICTIM', 'WITNESS']);
    const outcomes = new Set(data.crime!.map((r) => r.person_outcome));
    expect([...outcomes].sort()).toEqual(['ACQUITTED', 'CAUTIONED', 'CHARGED', 'CONVICTED', 'NFA', 'NONE', 'UNDER_INVESTIGATION']);
    const bad: string[] = [];
    const check = (ok: boolean, what: string) => void (ok || bad.push(what));
    for (const r of data.crime!) {
      const passive = r.role === 'VICTIM' || r.role === 'WITNESS' || r.role === 'OTHER';
      check(passive === (r.person_outcome === 'NONE'), `outcome ${r.role} ${r.person_outcome}`);
      check(r.source_system === 'CONNECT' || r.source_system === 'CRIMES', `source_system ${r.source_system}`);
      check(validDate(r.committed_date) && validDate(r.recorded_date), `dates ${r.committed_date} ${r.recorded_date}`);
      check(r.recorded_date >= r.committed_date && r.recorded_date <= '2026-11-16', `recorded ${r.recorded_date}`);
    }
    expect(new Set(data.custody!.map((r) => r.custody_outcome))).toEqual(new Set(['CHARGED', 'CAUTIONED', 'BAILED', 'RUI', 'NFA']));
    for (const r of data.custody!) check(TS.test(r.arrest_datetime), `arrest_datetime ${r.arrest_datetime}`);
    expect(new Set(data.missing!.map((r) => r.role))).toEqual(new Set(['MISSING', 'FOUND_WITH']));
    expect(new Set(data.missing!.map((r) => r.risk_level))).toEqual(new Set(['NO_APPARENT_RISK', 'LOW', 'MEDIUM', 'HIGH']));
    for (const r of data.missing!) {
      check(TS.test(r.reported_datetime), `reported ${r.reported_datetime}`);
      check(!r.found_datetime || (TS.test(r.found_datetime) && r.found_datetime >= r.reported_datetime), `found ${r.found_datetime}`);
    }
    for (const src of Object.keys(EXPECTED)) {
      for (const r of data[src]!) {
        check(r.person_ref !== '' && r.surname !== '', `${src} empty ref/surname`);
        check(!r.pnc_id || PNC.test(r.pnc_id), `pnc ${r.pnc_id}`);
        check(!r.date_of_birth || validDate(r.date_of_birth), `dob ${r.date_of_birth}`);
        check(['M', 'F', 'U'].includes(r.sex!), `sex ${r.sex}`);
        check(ETHNICITY.has(r.ethnicity!), `ethnicity ${r.ethnicity}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    for (const r of data.pins!) {
      expect(r.prison_number).toBe(r.person_ref);
      expect(r.prison_number).toMatch(/^[A-Z]\d{4}[A-Z]{2}$/);
    }
  });

  it('grades intelligence 5x5x5 only before 2017 and 3x5x2 after, with a mix of reliable and unreliable grades', () => {
    const schemes = new Set<string>();
    let reliable = 0;
    for (const r of data.intel!) {
      schemes.add(r.grading_scheme);
      if (r.grading_scheme === '5x5x5') {
        expect(r.submitted_date < '2017-01-01').toBe(true);
        expect('ABCDE').toContain(r.source_grade);
        expect('12345').toContain(r.intel_grade);
        expect('12345').toContain(r.handling_code);
        if ('AB'.includes(r.source_grade) && '123'.includes(r.intel_grade)) reliable++;
      } else {
        expect(r.grading_scheme).toBe('3x5x2');
        expect(r.submitted_date >= '2017-01-01').toBe(true);
        expect(['1', '2', '3']).toContain(r.source_grade);
        expect('ABCDE').toContain(r.intel_grade);
        expect(['P', 'C']).toContain(r.handling_code);
        if (r.source_grade === '1' && 'ABC'.includes(r.intel_grade)) reliable++;
      }
      expect(['DRUGS', 'COUNTY_LINES', 'CSE', 'FIREARMS', 'OCG', 'EXPLOITATION', 'OTHER']).toContain(r.topic);
      expect(['SUBJECT', 'ASSOCIATE']).toContain(r.mention_role);
    }
    expect(schemes).toEqual(new Set(['5x5x5', '3x5x2']));
    const share = reliable / data.intel!.length;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.6);
  });

  it('uses real Home Office codes and offence refs from the CCHI table', () => {
    const [head, ...rows] = parseCsv(readFileSync('data-fixtures/reference/cchi_2020_cambridge_crime_harm_index.csv', 'utf8'));
    const ho = head!.indexOf('home_office_classification');
    const urn = head!.indexOf('athena_urn');
    const cjs = head!.indexOf('cjs_codes');
    const known = new Set<string>();
    for (const r of rows) {
      known.add(`${r[ho]}|${r[urn]}`);
      for (const c of r[cjs]!.split(';')) known.add(`${r[ho]}|${c}`);
    }
    const unknown = new Set(data.crime!.map((r) => `${r.ho_offence_code}|${r.offence_ref}`).filter((k) => !known.has(k)));
    expect([...unknown]).toEqual([]);
    const codes = new Set(rows.map((r) => r[ho]));
    expect(data.custody!.filter((r) => !codes.has(r.arrest_offence_code))).toEqual([]);
    expect(data.pins!.filter((r) => r.index_offence_code && !codes.has(r.index_offence_code))).toEqual([]);
  });

  it('places records in and around the West Midlands', () => {
    const outside = data.crime!.filter((r) => {
      const lat = Number(r.latitude);
      const lon = Number(r.longitude);
      return !(lat > 52.3 && lat < 52.7 && lon > -2.3 && lon < -1.4);
    });
    expect(outside).toEqual([]);
  });

  it('has a truth row for every person_ref of every source, and truth people for every identity', () => {
    const ids = readCsv(path.join(dir, 'truth', 'identities.csv')).records;
    const people = new Set(readCsv(path.join(dir, 'truth', 'people.csv')).records.map((r) => r.person_id));
    const byRef = new Map(ids.map((r) => [`${r.source}|${r.person_ref}`, r.person_id]));
    for (const src of Object.keys(EXPECTED)) {
      expect(data[src]!.filter((r) => !byRef.has(`${src}|${r.person_ref}`)).map((r) => r.person_ref)).toEqual([]);
    }
    expect(ids.filter((r) => !people.has(r.person_id))).toEqual([]);
    expect(byRef.size).toBe(ids.length);
  });

  it('plants the identity noise entity resolution must cope with', () => {
    const ids = readCsv(path.join(dir, 'truth', 'identities.csv')).records;
    const truePeople = new Map(readCsv(path.join(dir, 'truth', 'people.csv')).records.map((r) => [r.person_id, r]));
    const personOf = new Map(ids.map((r) => [`${r.source}|${r.person_ref}`, r.person_id]));
    const crimeRefsPerPerson = new Map<string, Set<string>>();
    let caps = 0, nick = 0, transposed = 0, noDob = 0, multiSource = 0;
    for (const r of data.crime!) {
      const pid = personOf.get(`crime|${r.person_ref}`)!;
      const s = crimeRefsPerPerson.get(pid) ?? new Set();
      s.add(r.person_ref);
      crimeRefsPerPerson.set(pid, s);
      const t = truePeople.get(pid)!;
      if (r.source_system === 'CRIMES' && r.surname === r.surname.toUpperCase()) caps++;
      if (r.forenames.split(' ')[0] !== t.forenames.split(' ')[0]) nick++;
      if (r.date_of_birth && r.date_of_birth !== t.date_of_birth && r.date_of_birth.slice(5, 7) === t.date_of_birth.slice(8, 10)) transposed++;
      if (!r.date_of_birth) noDob++;
    }
    const sources = new Map<string, Set<string>>();
    for (const r of ids) sources.set(r.person_id, (sources.get(r.person_id) ?? new Set()).add(r.source));
    for (const s of sources.values()) if (s.size >= 3) multiSource++;
    const twoRefs = [...crimeRefsPerPerson.values()].filter((s) => s.size > 1).length;
    expect(caps).toBeGreaterThan(100);
    expect(nick).toBeGreaterThan(50);
    expect(transposed).toBeGreaterThan(5);
    expect(noDob).toBeGreaterThan(50);
    expect(twoRefs).toBeGreaterThan(20);
    expect(multiSource).toBeGreaterThan(50);
    const all = [...truePeople.values()];
    expect(all.some((p) => p.surname.includes("'"))).toBe(true);
    expect(all.some((p) => /[^\x00-\x7f]/.test(p.forenames))).toBe(true);
  });

  it('never makes a victim a network member, and links children to network adults through FOUND_WITH', () => {
    const ids = readCsv(path.join(dir, 'truth', 'identities.csv')).records;
    const personOf = new Map(ids.map((r) => [`${r.source}|${r.person_ref}`, r.person_id]));
    const members = new Set(readCsv(path.join(dir, 'truth', 'networks.csv')).records.map((r) => r.person_id));
    const kinds = new Map(readCsv(path.join(dir, 'truth', 'people.csv')).records.map((r) => [r.person_id, r.kind]));
    for (const m of members) expect(kinds.get(m)).toBe('network');
    expect(data.crime!.filter((r) => r.role === 'VICTIM' && members.has(personOf.get(`crime|${r.person_ref}`)!))).toEqual([]);
    const foundWithMembers = data.missing!.filter((r) => r.role === 'FOUND_WITH' && members.has(personOf.get(`missing|${r.person_ref}`)!));
    expect(foundWithMembers.length).toBeGreaterThan(10);
  });
});
