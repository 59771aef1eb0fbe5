// Test fixtures for resolve: creates curated.identity as curate's contract describes it, and a
// seeded synthetic population with known truth (variants: typos, nicknames, transposed DOBs, …).

import { listValue } from '@duckdb/node-api';
import type { Db } from '../../pipelines/core/db.ts';
import { pncCheckLetter } from '../../pipelines/resolve/pnc.ts';

export interface IdentityRow {
  source: string;
  person_ref: string;
  pnc_id?: string | null;
  pnc_id_norm?: string | null;
  pnc_invalid?: boolean;
  surname: string | null;
  forenames?: string | null;
  date_of_birth?: string | null;
  sex?: string | null;
  ethnicity?: string | null;
  n_records?: number;
}

export async function createIdentityTable(db: Db): Promise<void> {
  await db.run('CREATE SCHEMA IF NOT EXISTS curated');
  await db.run(`CREATE OR REPLACE TABLE curated.identity (
    identity_id VARCHAR, variant_id VARCHAR, source VARCHAR, person_ref VARCHAR, pnc_id VARCHAR, pnc_id_norm VARCHAR,
    pnc_invalid BOOLEAN, surname VARCHAR, forenames VARCHAR, date_of_birth DATE, sex VARCHAR, ethnicity VARCHAR,
    first_seen DATE, last_seen DATE, n_records BIGINT)`);
}

export async function insertIdentities(db: Db, rows: IdentityRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof IdentityRow>(k: K, d: IdentityRow[K] | null = null) => listValue(rows.map((r) => (r[k] ?? d) as never));
  await db.run(
    `INSERT INTO curated.identity
     SELECT md5(source || '|' || person_ref), md5(concat_ws('|', source, person_ref, pnc_id, surname, forenames, date_of_birth, sex, ethnicity)),
            source, person_ref, pnc_id, pnc_id_norm, pnc_invalid, surname, forenames, date_of_birth, sex, ethnicity,
            DATE '2020-01-01', DATE '2026-11-01', n_records
     FROM (SELECT unnest($source::VARCHAR[]) AS source, unnest($person_ref::VARCHAR[]) AS person_ref, unnest($pnc_id::VARCHAR[]) AS pnc_id,
                  unnest($pnc_id_norm::VARCHAR[]) AS pnc_id_norm, unnest($pnc_invalid::BOOLEAN[]) AS pnc_invalid,
                  unnest($surname::VARCHAR[]) AS surname, unnest($forenames::VARCHAR[]) AS forenames,
                  unnest($dob::VARCHAR[])::DATE AS date_of_birth, unnest($sex::VARCHAR[]) AS sex,
                  unnest($ethnicity::VARCHAR[]) AS ethnicity, unnest($n::BIGINT[]) AS n_records)`,
    {
      source: col('source'), person_ref: col('person_ref'), pnc_id: col('pnc_id'),
      pnc_id_norm: listValue(rows.map((r) => r.pnc_id_norm ?? (r.pnc_invalid ? null : r.pnc_id ?? null))),
      pnc_invalid: listValue(rows.map((r) => r.pnc_invalid ?? false)),
      surname: col('surname'), forenames: col('forenames'), dob: col('date_of_birth'), sex: col('sex'),
      ethnicity: col('ethnicity'), n: listValue(rows.map((r) => r.n_records ?? 1)),
    },
  );
}

/** mulberry32: a tiny seeded PRNG (deterministic synthetic data). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['SMITH', 'JONES', 'TAYLOR', 'BROWN', 'WILLIAMS', 'WILSON', 'JOHNSON', 'DAVIES', 'ROBINSON', 'WRIGHT',
  'THOMPSON', 'EVANS', 'WALKER', 'WHITE', 'ROBERTS', 'GREEN', 'HALL', 'WOOD', 'JACKSON', 'CLARKE', "O'NEILL", 'SMITH-JONES',
  'MCDONALD', 'KHAN', 'PATEL', 'BEGUM', 'HUSSAIN', 'ALI', 'NOWAK', 'KOWALSKI', 'MÜLLER', 'BRONTË', 'OKAFOR', 'MENSAH',
  'CAMPBELL', 'STEWART', 'MURPHY', "O'BRIEN", 'KELLY', 'DOYLE', 'ASHWORTH', 'FENWICK', 'HARGREAVES', 'PEMBERTON'];
const STEMS = ['ASH', 'BARN', 'COLD', 'DRAY', 'ELL', 'FAIR', 'GRIM', 'HAW', 'KING', 'LANG', 'MAR', 'NORTH', 'OAK', 'PEN',
  'RAD', 'SHER', 'THORN', 'UP', 'WAL', 'WEST', 'BRAM', 'CRAN', 'DUN', 'FEN', 'GOLD', 'HOLL', 'LIV', 'MOSS', 'REDD', 'STAN'];
const MALE = ['WILLIAM', 'ROBERT', 'JAMES', 'JOHN', 'MICHAEL', 'DAVID', 'RICHARD', 'THOMAS', 'DANIEL', 'MATTHEW', 'ANTHONY',
  'MOHAMMED', 'CONNOR', 'LIAM', 'KYLE', 'JORDAN', 'TYLER', 'JOSHUA', 'BENJAMIN', 'SAMUEL', 'ALEXANDER', 'EDWARD'];
const FEMALE = ['ELIZABETH', 'MARGARET', 'SARAH', 'JESSICA', 'REBECCA', 'KATHERINE', 'CHLOE', 'EMMA', 'AMY', 'ZOË',
  'FATIMA', 'AISHA', 'CHARLOTTE', 'JENNIFER', 'SAMANTHA', 'NICOLA', 'VICTORIA', 'DEBORAH'];
const NICK: Record<string, string> = { WILLIAM: 'BILL', ROBERT: 'BOB', JAMES: 'JIM', JOHN: 'JACK', MICHAEL: 'MIKE', DAVID: 'DAVE',
  RICHARD: 'DICK', THOMAS: 'TOM', DANIEL: 'DANNY', MATTHEW: 'MATT', ANTHONY: 'TONY', JOSHUA: 'JOSH', BENJAMIN: 'BEN',
  SAMUEL: 'SAM', ALEXANDER: 'ALEX', EDWARD: 'TED', ELIZABETH: 'LIZ', MARGARET: 'PEGGY', REBECCA: 'BECKY', KATHERINE: 'KATE',
  JENNIFER: 'JENNY', SAMANTHA: 'SAM', NICOLA: 'NIKKI', VICTORIA: 'VICKY', DEBORAH: 'DEBBIE', JESSICA: 'JESS', CHARLOTTE: 'LOTTIE' };
const SOURCES = ['crime', 'custody', 'intel', 'pins', 'missing'];

export interface Synthetic {
  rows: IdentityRow[];
  truth: { source: string; person_ref: string; person_id: string }[];
}

/**
 * `persons` true people, each with 1–4 source identities carrying realistic variation. Same-name,
 * same-DOB strangers are NOT planted on purpose (they exist only by chance, as in real data).
 */
export function syntheticPopulation(persons: number, seed = 7): Synthetic {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const rows: IdentityRow[] = [];
  const truth: Synthetic['truth'] = [];
  let ref = 0;
  for (let p = 0; p < persons; p++) {
    const sex = r() < 0.7 ? 'M' : 'F';
    const forename = pick(sex === 'M' ? MALE : FEMALE);
    const middle = r() < 0.3 ? ' ' + pick(sex === 'M' ? MALE : FEMALE) : '';
    const surname = r() < 0.6 ? pick(SURNAMES) : pick(STEMS) + pick(['SON', 'LEY', 'TON', 'FORD', 'WELL', 'HURST', 'BY', 'WORTH', 'DALE', 'MAN']);
    const y = 1955 + Math.floor(r() * 55);
    const m = 1 + Math.floor(r() * 12);
    const d = 1 + Math.floor(r() * 28);
    const dob = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    const serial = String(Math.floor(r() * 9_999_999)).padStart(7, '0');
    const pncYear = String(Math.max(y + 14, 1990) + Math.floor(r() * 10));
    const pnc = r() < 0.6 ? `${pncYear}/${serial}${pncCheckLetter(pncYear, serial)}` : null;
    const n = 1 + Math.floor(r() * 3.5);
    for (let k = 0; k < n; k++) {
      const source = pick(SOURCES);
      const person_ref = `${source.slice(0, 2).toUpperCase()}${String(++ref).padStart(7, '0')}`;
      let sn = surname;
      let fn = forename + middle;
      let db: string | null = dob;
      const noise = k === 0 ? 1 : r();
      if (noise < 0.1) sn = typo(sn, r);
      else if (noise < 0.18 && NICK[forename]) fn = NICK[forename]!;
      else if (noise < 0.24 && d <= 12 && d !== m) db = `${y}-${String(d).padStart(2, '0')}-${String(m).padStart(2, '0')}`;
      else if (noise < 0.29) db = null;
      else if (noise < 0.33) fn = forename[0]!;
      else if (noise < 0.37) db = `${y}-${String(m).padStart(2, '0')}-${String(((d + 2) % 28) + 1).padStart(2, '0')}`;
      else if (noise < 0.41) sn = sn.toLowerCase().replace(/'/g, '');
      else if (noise < 0.44) fn = fn.split(' ')[0]!.toLowerCase();
      const ownPnc = pnc && (source === 'pins' || r() < 0.6) ? pnc : null;
      rows.push({ source, person_ref, surname: sn, forenames: fn, date_of_birth: db, sex: r() < 0.03 ? 'U' : sex,
        pnc_id: ownPnc, pnc_id_norm: ownPnc, ethnicity: pick(['W1', 'B1', 'A1', 'M1', 'NS']) });
      truth.push({ source, person_ref, person_id: `P${p}` });
    }
  }
  return { rows, truth };
}

function typo(s: string, r: () => number): string {
  const letters = s.replace(/[^A-Z]/g, '');
  if (letters.length < 4) return s;
  const i = 1 + Math.floor(r() * (s.length - 2));
  const kind = r();
  if (kind < 0.5) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2); // adjacent swap
  if (kind < 0.8) return s.slice(0, i) + s.slice(i + 1); // deletion
  return s.slice(0, i) + 'E' + s.slice(i + 1); // substitution
}
