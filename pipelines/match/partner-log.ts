// The partner match audit log (sql/partner-log.sql in the serving database): completed and refused
// requests, per-row outcomes, limits counted from the log itself, and the lab's review of possible matches.

import path from 'node:path';
import { dateValue, timestampValue } from '@duckdb/node-api';
import { fileURLToPath } from 'node:url';
import type { Db } from '../core/db.ts';
import { HarmnetError } from '../core/errors.ts';
import type { RowResult } from './matcher.ts';
import type { PartnerRow } from './partner-input.ts';
import type { PartnerLimits, RequestMeta } from './partner-policy.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PARTNER_LOG_SQL = path.join(here, 'sql', 'partner-log.sql');

const ready = new WeakSet<Db>();
const locks = new WeakMap<Db, Promise<unknown>>();

/** Creates the log tables if needed (idempotent). */
export async function ensurePartnerLog(db: Db): Promise<void> {
  if (ready.has(db)) return;
  await db.runFile(PARTNER_LOG_SQL);
  ready.add(db);
}

/** Runs fn alone among this process's writers of the log on `db` (ids are allocated inside). */
function exclusive<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(db) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  locks.set(db, run.catch(() => undefined));
  return run;
}

async function nextRequestId(db: Db, at: Date): Promise<string> {
  return (await nextRequestIds(db, [at]))[0]!;
}

/** Per serving Db: the next sequence number of each day's request ids (counted from the log once, then kept here). */
const nextByDb = new WeakMap<Db, Map<string, number>>();

/**
 * Request ids for requests at these times, in order: 'PM-' + day + the day's next sequence numbers. Only
 * called inside exclusive(): this module is the log's only writer in the process (and DuckDB lets one
 * process at a time write the file), so the day's count is read from the log once and then kept.
 */
async function nextRequestIds(db: Db, ats: Date[]): Promise<string[]> {
  let next = nextByDb.get(db);
  if (!next) nextByDb.set(db, (next = new Map()));
  const out: string[] = [];
  for (const at of ats) {
    const day = at.toISOString().slice(0, 10).replace(/-/g, '');
    if (!next.has(day)) next.set(day, Number(await db.value<number>(`SELECT count(*) FROM partner_request WHERE request_id LIKE $p`, { p: `PM-${day}-%` })) + 1);
    const n = next.get(day)!;
    next.set(day, n + 1);
    out.push(`PM-${day}-${String(n).padStart(6, '0')}`);
  }
  return out;
}

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
type Usage = { t: number; rows: number }[];
/** Per serving Db and partner: completed (and admitted, still running) requests of about the last two days. */
const usageByDb = new WeakMap<Db, Map<string, Promise<Usage>>>();

/**
 * The partner's recent completed requests: read from the log once per partner and process, then kept
 * up to date by admit() (every completed request of this process passes through it, and DuckDB lets
 * one process at a time write the serving database).
 */
function usageOf(db: Db, partner: string, at: Date): Promise<Usage> {
  let byPartner = usageByDb.get(db);
  if (!byPartner) usageByDb.set(db, (byPartner = new Map()));
  let usage = byPartner.get(partner);
  if (!usage) {
    usage = db.all<{ t: number; row_count: number }>(
      `SELECT epoch_ms(requested_at) AS t, row_count FROM partner_request
       WHERE partner = $partner AND status = 'COMPLETED' AND requested_at > CAST($at AS TIMESTAMP) - INTERVAL 2 DAY`,
      { at: at.toISOString(), partner },
    ).then((rows) => rows.map((r) => ({ t: Number(r.t), rows: Number(r.row_count) })));
    byPartner.set(partner, usage);
    const map = byPartner;
    usage.catch(() => map.delete(partner));
  }
  return usage;
}

/** A request admitted within its partner's limits; release() when it does not complete after all. */
export interface Admission {
  release(): void;
}

/**
 * Checks the partner's hourly request and daily row allowance (RATE_LIMITED → 429) and, when the request
 * is within them, counts it at once, so that concurrent requests cannot pass a limit together. Counted
 * from the log (read once per partner) plus the requests this process has admitted since.
 */
export async function admit(db: Db, partner: string, rows: number, at: Date, limits: PartnerLimits): Promise<Admission> {
  await ensurePartnerLog(db);
  if (rows > limits.maxRowsPerRequest) {
    throw new HarmnetError('INPUT_INVALID', `${rows} rows, more than the limit of ${limits.maxRowsPerRequest} per request for ${partner}`);
  }
  const usage = await usageOf(db, partner, at);
  // From here to the push nothing awaits: the check and the count are one step.
  const now = at.getTime();
  let requests = 0;
  let dayRows = 0;
  for (const u of usage) {
    if (u.t > now - HOUR_MS) requests++;
    if (u.t > now - DAY_MS) dayRows += u.rows;
  }
  if (requests >= limits.maxRequestsPerHour) {
    throw new HarmnetError('RATE_LIMITED', `${partner} has made ${requests} requests in the last hour (limit ${limits.maxRequestsPerHour}); try again later`);
  }
  if (dayRows + rows > limits.maxRowsPerDay) {
    throw new HarmnetError('RATE_LIMITED', `${partner} has submitted ${dayRows} rows in the last 24 hours; ${rows} more would pass the daily limit of ${limits.maxRowsPerDay}`);
  }
  const entry = { t: now, rows };
  usage.push(entry);
  if (usage.length > 4 * limits.maxRequestsPerHour * 48) {
    const keep = usage.filter((u) => u.t > now - 2 * DAY_MS);
    usage.splice(0, usage.length, ...keep);
  }
  return {
    release() {
      const i = usage.indexOf(entry);
      if (i >= 0) usage.splice(i, 1);
    },
  };
}

/** Refuses when the partner has used its hourly request or daily row allowance (RATE_LIMITED → 429); counts nothing. */
export async function checkLimits(db: Db, partner: string, rows: number, at: Date, limits: PartnerLimits): Promise<void> {
  (await admit(db, partner, rows, at, limits)).release();
}

/** Logs a refused request (nothing matched, nothing returned): who asked, why, and the refusal. */
export async function logRefused(db: Db, meta: Partial<RequestMeta>, rowCount: number, at: Date, refusal: string): Promise<string> {
  await ensurePartnerLog(db);
  return exclusive(db, async () => {
    const id = await nextRequestId(db, at);
    await db.run(
      `INSERT INTO partner_request (request_id, requested_at, partner, username, officer, purpose, legal_basis, channel, row_count, status, refusal)
       VALUES ($id, CAST($at AS TIMESTAMP), $partner, $username, $officer, $purpose, $legal_basis, $channel, $rows, 'REFUSED', $refusal)`,
      {
        id, at: at.toISOString(), partner: (meta.partner ?? '').slice(0, 100), username: meta.username ?? null, officer: (meta.officer ?? '').slice(0, 100),
        purpose: (meta.purpose ?? '').slice(0, 500), legal_basis: (meta.legalBasis ?? '').slice(0, 40), channel: meta.channel ?? 'api', rows: rowCount,
        refusal: refusal.slice(0, 2000),
      },
    );
    return id;
  });
}

interface PendingLog {
  meta: RequestMeta;
  input: PartnerRow[];
  results: RowResult[];
  snapshot: { id: string; asOf: string };
  at: Date;
  resolve(id: string): void;
  reject(e: unknown): void;
}
const pendingByDb = new WeakMap<Db, { queue: PendingLog[]; writing: boolean }>();

/**
 * Logs a completed request and every row's outcome; returns the request id. Requests completed while
 * a write is going are written together in the next one (one transaction, one commit): each gets
 * exactly the rows it would get alone, and none is answered before its rows are committed.
 */
export async function logCompleted(
  db: Db, meta: RequestMeta, input: PartnerRow[], results: RowResult[], snapshot: { id: string; asOf: string }, at: Date,
): Promise<string> {
  await ensurePartnerLog(db);
  let pending = pendingByDb.get(db);
  if (!pending) pendingByDb.set(db, (pending = { queue: [], writing: false }));
  const p = pending;
  return new Promise<string>((resolve, reject) => {
    p.queue.push({ meta, input, results, snapshot, at, resolve, reject });
    if (!p.writing) void writePending(db, p);
  });
}

async function writePending(db: Db, pending: { queue: PendingLog[]; writing: boolean }): Promise<void> {
  pending.writing = true;
  while (pending.queue.length > 0) {
    const batch = pending.queue.splice(0);
    try {
      const ids = await exclusive(db, () => writeCompleted(db, batch));
      batch.forEach((b, i) => b.resolve(ids[i]!));
    } catch (e) {
      for (const b of batch) b.reject(e);
    }
  }
  pending.writing = false;
}

/**
 * The log writer's own connection to the serving database: its appenders and transaction never meet
 * the queries others run on the shared connection (an appender flushing on a connection with another
 * query in flight breaks that query). Used only inside exclusive().
 */
const writers = new WeakMap<Db, Promise<Db>>();
function writerOf(db: Db): Promise<Db> {
  let w = writers.get(db);
  if (!w) {
    w = db.connectAgain();
    writers.set(db, w);
    w.catch(() => writers.delete(db));
  }
  return w;
}

type Cell = string | number | boolean | null;
type Kind = 'v' | 'i' | 'd' | 'b' | 'ts' | 'date';
/** partner-log.sql's columns, in table order, with how each is appended. */
const REQUEST_COLUMNS: [string, Kind][] = [
  ['request_id', 'v'], ['requested_at', 'ts'], ['partner', 'v'], ['username', 'v'], ['officer', 'v'], ['purpose', 'v'], ['legal_basis', 'v'],
  ['channel', 'v'], ['row_count', 'i'], ['snapshot_id', 'v'], ['as_of', 'date'], ['status', 'v'], ['refusal', 'v'],
  ['matches', 'i'], ['possible_matches', 'i'], ['no_matches', 'i'],
];
const ROW_COLUMNS: [string, Kind][] = [
  ['request_id', 'v'], ['line', 'i'], ['row_ref', 'v'], ['status', 'v'], ['nominal_id', 'v'], ['probability', 'd'], ['confidence', 'v'], ['in_network', 'b'],
  ['harm_cchi', 'd'], ['harm_cchi_proven', 'd'], ['harm_cchi_alleged', 'd'], ['harm_band', 'v'], ['withheld', 'v'],
  ['submitted_surname', 'v'], ['submitted_forenames', 'v'], ['submitted_date_of_birth', 'date'], ['review_status', 'v'],
  ['reviewed_by', 'v'], ['reviewed_at', 'ts'], ['review_reason', 'v'],
];
const DAY = 86_400_000;

/** Appends rows to a log table through DuckDB's appender (typed values, no SQL text), in the writer's open transaction. */
async function append(writer: Db, table: string, columns: [string, Kind][], rows: Record<string, Cell>[]): Promise<void> {
  const appender = await writer.connection.createAppender(table);
  try {
    for (const r of rows) {
      for (const [name, kind] of columns) {
        const v = r[name];
        if (v === null || v === undefined) appender.appendNull();
        else if (kind === 'v') appender.appendVarchar(String(v));
        else if (kind === 'i') appender.appendBigInt(BigInt(v as number));
        else if (kind === 'd') appender.appendDouble(v as number);
        else if (kind === 'b') appender.appendBoolean(v as boolean);
        else if (kind === 'ts') appender.appendTimestamp(timestampValue(BigInt(Date.parse(v as string)) * 1000n));
        else appender.appendDate(dateValue(Math.round(Date.parse(`${v as string}T00:00:00Z`) / DAY)));
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/**
 * Writes a batch of completed requests: ids allocated in order, then on the writer's connection
 * BEGIN, the requests and rows appended, COMMIT — one transaction, one WAL sync for the batch.
 */
async function writeCompleted(db: Db, batch: PendingLog[]): Promise<string[]> {
  const writer = await writerOf(db);
  const ids = await nextRequestIds(db, batch.map((b) => b.at));
  const requests = batch.map((b, i) => {
    const count = (s: string) => b.results.filter((r) => r.status === s).length;
    return {
      request_id: ids[i]!, requested_at: b.at.toISOString(), partner: b.meta.partner, username: b.meta.username ?? null, officer: b.meta.officer, purpose: b.meta.purpose,
      legal_basis: b.meta.legalBasis, channel: b.meta.channel, row_count: b.input.length, snapshot_id: b.snapshot.id, as_of: b.snapshot.asOf,
      status: 'COMPLETED', refusal: null, matches: count('MATCH'), possible_matches: count('POSSIBLE_MATCH'), no_matches: count('NO_MATCH'),
    };
  });
  const rows = batch.flatMap((b, i) => {
    const byLine = new Map(b.input.map((r) => [r.line, r]));
    return b.results.map((r) => {
      // The submitted name and DOB are kept only for a possible match, for the lab's review.
      const p = r.status === 'POSSIBLE_MATCH' ? byLine.get(r.line)! : null;
      return {
        request_id: ids[i]!, line: r.line, row_ref: r.row_ref, status: r.status, nominal_id: r.nominal_id, probability: r.probability, confidence: r.confidence,
        in_network: r.in_network, harm_cchi: r.harm_cchi, harm_cchi_proven: r.harm_cchi_proven, harm_cchi_alleged: r.harm_cchi_alleged,
        harm_band: r.harm_band, withheld: r.withheld, submitted_surname: p?.surname ?? null, submitted_forenames: p?.forenames ?? null,
        submitted_date_of_birth: p?.date_of_birth ?? null, review_status: p ? 'PENDING' : null, reviewed_by: null, reviewed_at: null, review_reason: null,
      };
    });
  });
  await writer.run('BEGIN TRANSACTION');
  try {
    await append(writer, 'partner_request', REQUEST_COLUMNS, requests);
    await append(writer, 'partner_match_row', ROW_COLUMNS, rows);
    await writer.run('COMMIT');
  } catch (e) {
    // Nothing of the batch is kept.
    await writer.run('ROLLBACK').catch(() => undefined);
    // the day's sequence is read from the log again next time (these ids were not used)
    nextByDb.delete(db);
    throw e;
  }
  return ids;
}

export type RequestSummary = {
  request_id: string; requested_at: string; partner: string; officer: string; purpose: string; legal_basis: string; channel: string;
  row_count: number; snapshot_id: string | null; as_of: string | null; status: string; refusal: string | null;
  matches: number; possible_matches: number; no_matches: number;
};

/** Requests, newest first; with `partner` only that partner's (a partner never sees another's). */
export async function listRequests(db: Db, options: { partner?: string; limit?: number } = {}): Promise<RequestSummary[]> {
  await ensurePartnerLog(db);
  return db.all<RequestSummary>(
    `SELECT request_id, strftime(requested_at, '%Y-%m-%d %H:%M:%S') AS requested_at, partner, officer, purpose, legal_basis, channel,
            row_count, snapshot_id, strftime(as_of, '%Y-%m-%d') AS as_of, status, refusal, matches, possible_matches, no_matches
     FROM partner_request WHERE ($partner IS NULL OR partner = $partner) ORDER BY requested_at DESC, request_id DESC LIMIT $limit`,
    { partner: options.partner ?? null, limit: options.limit ?? 200 },
  );
}

/** What the partner is shown for one row, after any review: a rejected possible match reads NO_MATCH. */
export type PartnerRowView = {
  line: number; row_ref: string; status: 'MATCH' | 'POSSIBLE_MATCH' | 'NO_MATCH'; confidence: string; in_network: boolean | null;
  harm_cchi: number | null; harm_cchi_proven: number | null; harm_cchi_alleged: number | null; harm_band: string | null;
  review_status: string | null;
};

/** The rows of one request as its partner may see them; NOT_FOUND when the request is not theirs. */
export async function requestRows(db: Db, requestId: string, partner: string | null): Promise<{ request: RequestSummary; rows: PartnerRowView[] }> {
  await ensurePartnerLog(db);
  const request = (await db.all<RequestSummary>(
    `SELECT request_id, strftime(requested_at, '%Y-%m-%d %H:%M:%S') AS requested_at, partner, officer, purpose, legal_basis, channel,
            row_count, snapshot_id, strftime(as_of, '%Y-%m-%d') AS as_of, status, refusal, matches, possible_matches, no_matches
     FROM partner_request WHERE request_id = $id AND ($partner IS NULL OR partner = $partner)`,
    { id: requestId, partner },
  ))[0];
  if (!request) throw new HarmnetError('NOT_FOUND', `partner request "${requestId.slice(0, 40)}" not found`);
  const rows = await db.all<PartnerRowView & { withheld: string | null }>(
    `SELECT line, row_ref, status, confidence, in_network, harm_cchi, harm_cchi_proven, harm_cchi_alleged, harm_band, review_status, withheld
     FROM partner_match_row WHERE request_id = $id ORDER BY line`,
    { id: requestId },
  );
  return { request, rows: rows.map(partnerView) };
}

/** Projects a logged row onto what a partner may see (harm of a possible match only once confirmed). */
export function partnerView(r: PartnerRowView & { withheld?: string | null }): PartnerRowView {
  const hidden = { in_network: null, harm_cchi: null, harm_cchi_proven: null, harm_cchi_alleged: null, harm_band: null };
  const base = { line: r.line, row_ref: r.row_ref, confidence: r.confidence ?? '', review_status: r.review_status ?? null };
  if (r.status === 'POSSIBLE_MATCH') {
    if (r.review_status === 'CONFIRMED') return { ...base, ...pick(r), status: 'MATCH' };
    if (r.review_status === 'REJECTED') return { ...base, ...hidden, confidence: '', status: 'NO_MATCH' };
    return { ...base, ...hidden, status: 'POSSIBLE_MATCH' };
  }
  if (r.status === 'NO_MATCH') return { ...base, ...hidden, confidence: '', status: 'NO_MATCH', review_status: null };
  return { ...base, ...pick(r), status: 'MATCH' };
}

function pick(r: PartnerRowView) {
  return { in_network: r.in_network, harm_cchi: r.harm_cchi, harm_cchi_proven: r.harm_cchi_proven, harm_cchi_alleged: r.harm_cchi_alleged, harm_band: r.harm_band };
}

export type ReviewItem = {
  request_id: string; line: number; partner: string; requested_at: string; row_ref: string; submitted_surname: string | null;
  submitted_forenames: string | null; submitted_date_of_birth: string | null; nominal_id: string; confidence: string; probability: number;
};

/** The lab's queue: possible matches awaiting review, oldest first. */
export async function reviewQueue(db: Db): Promise<ReviewItem[]> {
  await ensurePartnerLog(db);
  return db.all<ReviewItem>(
    `SELECT r.request_id, r.line, q.partner, strftime(q.requested_at, '%Y-%m-%d %H:%M:%S') AS requested_at, r.row_ref,
            r.submitted_surname, r.submitted_forenames, strftime(r.submitted_date_of_birth, '%Y-%m-%d') AS submitted_date_of_birth,
            r.nominal_id, r.confidence, r.probability
     FROM partner_match_row r JOIN partner_request q USING (request_id)
     WHERE r.review_status = 'PENDING' ORDER BY q.requested_at, r.request_id, r.line`,
  );
}

/** Records the lab's decision on a possible match (who, when, why); a decided row cannot be decided again. */
export async function reviewPossibleMatch(
  db: Db, d: { requestId: string; line: number; decision: 'CONFIRMED' | 'REJECTED'; by: string; reason: string; at: Date },
): Promise<void> {
  await ensurePartnerLog(db);
  if (d.decision !== 'CONFIRMED' && d.decision !== 'REJECTED') throw new HarmnetError('INPUT_INVALID', `review: decision must be CONFIRMED or REJECTED, got "${String(d.decision)}"`);
  if (!d.by?.trim()) throw new HarmnetError('INPUT_INVALID', 'review: field by (who decided) is required');
  if (!d.reason?.trim()) throw new HarmnetError('INPUT_INVALID', 'review: field reason (why) is required');
  await exclusive(db, async () => {
    const current = await db.value<string | null>(
      `SELECT review_status FROM partner_match_row WHERE request_id = $id AND line = $line`, { id: d.requestId, line: d.line },
    );
    if (current === undefined) throw new HarmnetError('NOT_FOUND', `review: no row ${d.line} in request "${d.requestId.slice(0, 40)}"`);
    if (current !== 'PENDING') throw new HarmnetError('INPUT_INVALID', `review: row ${d.line} of ${d.requestId} is not awaiting review (${current ?? 'not a possible match'})`);
    await db.run(
      `UPDATE partner_match_row SET review_status = $decision, reviewed_by = $by, reviewed_at = CAST($at AS TIMESTAMP), review_reason = $reason
       WHERE request_id = $id AND line = $line`,
      { decision: d.decision, by: d.by.trim(), at: d.at.toISOString(), reason: d.reason.trim().slice(0, 500), id: d.requestId, line: d.line },
    );
  });
}

/** Confirms a possible match: the partner then sees MATCH with the harm recorded at request time. */
export function confirmPossibleMatch(db: Db, requestId: string, line: number, by: string, reason: string, at: Date): Promise<void> {
  return reviewPossibleMatch(db, { requestId, line, decision: 'CONFIRMED', by, reason, at });
}

/** Rejects a possible match: the partner then sees NO_MATCH. */
export function rejectPossibleMatch(db: Db, requestId: string, line: number, by: string, reason: string, at: Date): Promise<void> {
  return reviewPossibleMatch(db, { requestId, line, decision: 'REJECTED', by, reason, at });
}
