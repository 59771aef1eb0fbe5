// Times resolve on N synthetic identity rows built in SQL (seconds, not minutes, to build), and
// reports pairs compared, links, nominals, precision/recall against the built-in truth, peak RSS.
// Usage: node_modules/.bin/tsx test/bench/resolve-bench.ts [N=100000] [warehouse file | :memory:]

import { rmSync } from 'node:fs';
import path from 'node:path';
import { listValue } from '@duckdb/node-api';
import { Db } from '../../pipelines/core/db.ts';
import { resolveConfig } from '../../pipelines/core/config.ts';
import { consoleLog } from '../../pipelines/core/log.ts';
import { resolve } from '../../pipelines/resolve/resolve.ts';
import { buildNamePools, NICKNAMES } from '../../data-fixtures/generator/names.ts';

const N = Number(process.argv[2] ?? 100_000);
const file = process.argv[3] ?? '/tmp/harmnet-resolve-bench/warehouse.duckdb';
/** `reuse` as the third argument keeps an already built warehouse (only resolve is re-run). */
const reuse = process.argv[4] === 'reuse';
if (file !== ':memory:' && !reuse) {
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
}
const db = await Db.open(file, { threads: '2', memory_limit: '6GB' });
const ctx = { db, log: consoleLog(), clock: () => new Date('2026-11-16T06:00:00Z'), config: resolveConfig({ root: path.dirname(file === ':memory:' ? '/tmp/x' : file) }) };

const t0 = performance.now();
if (!reuse) await build();
async function build(): Promise<void> {
const pools = buildNamePools(42);
const nick = Object.entries(NICKNAMES).flatMap(([name, ns]) => ns.map((n) => [name, n] as const));
await db.run(`CREATE OR REPLACE TEMP TABLE b_sn AS SELECT unnest($v::VARCHAR[]) AS v, generate_subscripts($v::VARCHAR[], 1) AS i`, { v: listValue([...pools.surnames]) });
await db.run(`CREATE OR REPLACE TEMP TABLE b_m AS SELECT unnest($v::VARCHAR[]) AS v, generate_subscripts($v::VARCHAR[], 1) AS i`, { v: listValue([...pools.male]) });
await db.run(`CREATE OR REPLACE TEMP TABLE b_f AS SELECT unnest($v::VARCHAR[]) AS v, generate_subscripts($v::VARCHAR[], 1) AS i`, { v: listValue([...pools.female]) });
await db.run(`CREATE OR REPLACE TEMP TABLE b_nick AS SELECT unnest($a::VARCHAR[]) AS name, unnest($b::VARCHAR[]) AS nick`, { a: listValue(nick.map((x) => x[0])), b: listValue(nick.map((x) => x[1])) });
// People: Zipf-like name choice (u^2 favours the head of each pool); ~1.4 identities each.
await db.run(`CREATE SCHEMA IF NOT EXISTS curated`);
await db.run(`CREATE OR REPLACE TEMP TABLE b_person AS
  WITH p AS (
    SELECT k AS pid,
      (hash(k, 'u1') % 1000000) / 1e6 AS u1, (hash(k, 'u2') % 1000000) / 1e6 AS u2, (hash(k, 'u3') % 1000000) / 1e6 AS u3,
      CASE WHEN hash(k, 'sex') % 100 < 65 THEN 'M' ELSE 'F' END AS sex,
      DATE '1950-01-01' + CAST(hash(k, 'dob') % 21000 AS INTEGER) AS dob,
      CASE WHEN hash(k, 'pnc') % 100 < 55 THEN (1990 + hash(k, 'py') % 30)::VARCHAR || '/' || lpad((hash(k, 'ps') % 9999999)::VARCHAR, 7, '0') || 'Z' END AS pnc,
      1 + CASE WHEN hash(k, 'n') % 100 < 30 THEN 1 ELSE 0 END + CASE WHEN hash(k, 'n') % 100 < 8 THEN 1 ELSE 0 END AS n
    FROM range(CAST($persons AS BIGINT)) t(k)
  )
  SELECT p.pid, p.sex, p.dob, p.pnc, p.n, s.v AS surname,
         CASE WHEN p.sex = 'M' THEN m.v ELSE f.v END AS forename
  FROM p
  JOIN b_sn s ON s.i = 1 + CAST(floor(p.u1 * p.u1 * (SELECT count(*) FROM b_sn)) AS BIGINT)
  JOIN b_m m ON m.i = 1 + CAST(floor(p.u2 * p.u2 * (SELECT count(*) FROM b_m)) AS BIGINT)
  JOIN b_f f ON f.i = 1 + CAST(floor(p.u3 * p.u3 * (SELECT count(*) FROM b_f)) AS BIGINT)`,
  { persons: Math.round(N / 1.38) });
await db.run(`CREATE OR REPLACE TABLE curated.identity AS
  WITH ids AS (
    SELECT p.*, j, hash(p.pid, j, 'noise') % 100 AS r, hash(p.pid, j, 'src') % 5 AS src
    FROM b_person p, range(3) t(j) WHERE j < p.n
  ),
  noisy AS (
    SELECT ids.*,
      CASE WHEN r < 4 AND length(surname) > 4 THEN left(surname, 2) || substr(surname, 4, 1) || substr(surname, 3, 1) || substr(surname, 5)
           ELSE surname END AS sn,
      CASE WHEN r BETWEEN 4 AND 10 THEN coalesce(nk.nick, forename)
           WHEN r BETWEEN 11 AND 12 THEN left(forename, 1) ELSE forename END AS fn,
      CASE WHEN r BETWEEN 13 AND 15 AND day(dob) <= 12 THEN make_date(year(dob), day(dob), month(dob))
           WHEN r BETWEEN 16 AND 20 THEN NULL ELSE dob END AS d,
      CASE WHEN r BETWEEN 21 AND 60 OR src = 3 THEN pnc END AS pn
    FROM ids LEFT JOIN (SELECT upper(name) AS name, upper(min(nick)) AS nick FROM b_nick GROUP BY ALL) nk ON nk.name = upper(ids.forename)
  )
  SELECT md5(src || '|' || pid || '-' || j) AS identity_id, md5(pid || '-' || j) AS variant_id,
         ['crime', 'custody', 'intel', 'pins', 'missing'][CAST(src AS BIGINT) + 1] AS source, pid || '-' || j AS person_ref,
         pn AS pnc_id, pn AS pnc_id_norm, false AS pnc_invalid, sn AS surname, fn AS forenames, d AS date_of_birth, sex,
         'NS' AS ethnicity, DATE '2020-01-01' AS first_seen, DATE '2026-11-01' AS last_seen, 1 AS n_records
  FROM noisy`);
}
const rows = await db.value<number>('SELECT count(*) FROM curated.identity');
const buildSeconds = (performance.now() - t0) / 1000;
console.error(`${reuse ? 'reused' : 'built'} ${rows} identity rows in ${buildSeconds.toFixed(1)} s`);

const t1 = performance.now();
const r = await resolve(ctx, { asOf: '2026-11-16' });
const seconds = (performance.now() - t1) / 1000;
// Truth: person_ref is pid-j.
const q = await db.one<{ predicted: number; correct: number; truth: number }>(`
  WITH j AS (SELECT nominal_id, split_part(person_ref, '-', 1) AS pid FROM person.nominal_sources),
  a AS (SELECT nominal_id, count(*) n FROM j GROUP BY 1), b AS (SELECT pid, count(*) n FROM j GROUP BY 1), c AS (SELECT nominal_id, pid, count(*) n FROM j GROUP BY ALL)
  SELECT (SELECT sum(n * (n - 1) / 2) FROM a) AS predicted, (SELECT sum(n * (n - 1) / 2) FROM c) AS correct, (SELECT sum(n * (n - 1) / 2) FROM b) AS truth`);
const blocking = await db.all('SELECT rule, blocks_dropped, rows_in_dropped_blocks, pairs_generated, largest_block FROM person.blocking_report ORDER BY rule');
console.log(JSON.stringify({
  identity_rows: rows, ...r, seconds_total: Math.round(seconds * 10) / 10,
  precision: q!.correct / q!.predicted, recall: q!.correct / q!.truth,
  peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024), blocking,
}, null, 1));
db.close();
