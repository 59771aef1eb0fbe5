// The shared extract reader: DuckDB's own CSV reader (store_rejects) or Parquet reader loads one file
// as text into a staging table, then SQL built from the source contract splits it into valid rows and rejects.

import { statSync } from 'node:fs';
import path from 'node:path';
import type { StageContext } from '../core/context.ts';
import { HarmnetError } from '../core/errors.ts';
import { ident, literal } from '../core/db.ts';
import { RAW_META_COLUMNS, type ColumnSpec, type SourceContract } from './extract-columns.ts';

/** What one file read produced: two temp tables, and counts with read = loaded + rejected. */
export interface ExtractRead {
  source: SourceContract['source'];
  file: string;
  format: 'csv' | 'parquet';
  /** Header names, lower-cased, in file order. */
  columns: string[];
  /** Columns not in the contract (kept in raw, ignored downstream). */
  extras: string[];
  /** A SELECT of the valid rows: one VARCHAR column per header name + `line BIGINT`. */
  validSql: string;
  /** Temp table: `line BIGINT, raw_text VARCHAR, reason VARCHAR`. */
  rejectsTable: string;
  /** Every temp table this read made (dropped by dropStaging). */
  tempTables: string[];
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
}

/** Most columns a header may have (the contract has at most 17; extras allowed up to this). */
export const MAX_COLUMNS = 256;
/** Longest physical record DuckDB will accept (bytes). */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;
/** Longest value quoted back in a reject reason. */
const QUOTE_CHARS = 80;

const CSV_OPTIONS = `delim = ',', quote = '"', escape = '"', auto_detect = false`;

function refuse(code: 'EXTRACT_FILE_UNPARSEABLE' | 'EXTRACT_COLUMN_MISSING' | 'EXTRACT_COLUMN_DUPLICATE', message: string): never {
  throw new HarmnetError(code, message);
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!.trim();
}

/** c0, c1, …: code-made column names used while reading, so file text never becomes SQL. */
const cname = (i: number) => `c${i}`;

/**
 * Reads `file` (CSV or Parquet) for `contract` into temp tables `stage_<source>` (valid rows) and
 * `stage_<source>_rejects`. Throws HarmnetError (nothing staged) when the file cannot be used at all.
 */
export async function readExtract(ctx: StageContext, contract: SourceContract, file: string): Promise<ExtractRead> {
  const { db } = ctx;
  const base = path.basename(file);
  const format: 'csv' | 'parquet' = file.toLowerCase().endsWith('.parquet') ? 'parquet' : 'csv';
  const rejectsTable = `stage_${contract.source}_rejects`;
  const readTable = `stage_${contract.source}_read`;
  const keysTable = `stage_${contract.source}_rejected_keys`;
  const linesTable = `stage_${contract.source}_lines`;
  const duckRejects = `stage_${contract.source}_duck_rejects`;
  const duckScan = `stage_${contract.source}_duck_scan`;
  const tempTables = [rejectsTable, readTable, keysTable, linesTable, duckRejects, duckScan, `${duckRejects}_lines`];
  for (const t of tempTables) await db.run(`DROP TABLE IF EXISTS temp.${ident(t)}`);

  if (statSync(file).size === 0) {
    refuse('EXTRACT_FILE_UNPARSEABLE', `${base} is empty (0 bytes); expected a header row with columns ${requiredNames(contract).join(', ')}`);
  }

  // 1. The header, read by DuckDB itself (header = false; first record only).
  const header = format === 'csv' ? await csvHeader(ctx, file, base) : await parquetHeader(ctx, file, base);
  const columns = checkHeader(contract, header, base);
  const known = new Set(contract.columns.map((c) => c.name));
  const extras = columns.filter((c) => !known.has(c));

  // 2. Every record as text into a staging table; its rowid is its position in the file.
  if (format === 'csv') {
    const struct = columns.map((_, i) => `'${cname(i)}': 'VARCHAR'`).join(', ');
    try {
      await db.run(
        `CREATE TEMP TABLE ${ident(readTable)} AS SELECT * FROM read_csv(${literal(file)}, header = true, columns = {${struct}}, ${CSV_OPTIONS},
           strict_mode = true, max_line_size = ${MAX_LINE_BYTES}, store_rejects = true,
           rejects_table = ${literal(duckRejects)}, rejects_scan = ${literal(duckScan)})`,
      );
    } catch (e) {
      refuse('EXTRACT_FILE_UNPARSEABLE', `${base} cannot be read as comma-separated UTF-8 CSV: ${firstLine(e)}`);
    }
  } else {
    const select = columns.map((_, i) => `CAST(${ident(header[i]!)} AS VARCHAR) AS ${cname(i)}`).join(', ');
    try {
      await db.run(`CREATE TEMP TABLE ${ident(readTable)} AS SELECT ${select}, file_row_number FROM read_parquet(${literal(file)}, file_row_number = true) ORDER BY file_row_number`);
    } catch (e) {
      refuse('EXTRACT_FILE_UNPARSEABLE', `${base} cannot be read as Parquet: ${firstLine(e)}`);
    }
  }

  // 3. Physical line numbers (CSV: records may span lines; DuckDB's reject `line` is a record ordinal).
  const readerRejects = format === 'csv' && (await hasTable(ctx, duckRejects)) && Number(await db.value(`SELECT count(*) FROM temp.${ident(duckRejects)}`)) > 0;
  const lines = format === 'csv'
    ? await csvLineNumbers(ctx, readTable, readerRejects ? duckRejects : null, columns.length, linesTable)
    : { expr: 'r.file_row_number + 1', join: '' };
  const renamed = columns.map((c, i) => `r.${cname(i)} AS ${ident(c)}`).join(', ');
  const numbered = `SELECT r.rowid AS _k, ${renamed}, ${lines.expr} AS line FROM temp.${ident(readTable)} r ${lines.join}`;

  // 4. Validation in SQL: one reason string per row (NULL = valid); only the rejected rows are kept.
  const reasons = contract.columns.filter((c) => columns.includes(c.name)).flatMap((c) => columnChecks(c));
  for (const cond of contract.conditional ?? []) {
    if (!columns.includes(cond.column) || !columns.includes(cond.when.column)) continue;
    const v = ident(cond.column);
    reasons.push(
      `CASE WHEN upper(trim(${ident(cond.when.column)})) = ${literal(cond.when.equals)} AND nullif(trim(${v}), '') IS NOT NULL AND upper(trim(${v})) NOT IN (${cond.values.map(literal).join(', ')})
        THEN format('unknown {} for {} in {} line {}: "{}"', ${literal(cond.column)}, ${literal(cond.when.equals.toLowerCase())}, $file, line, left(${v}, ${QUOTE_CHARS})) END`,
    );
  }
  const reasonExpr = reasons.length ? `nullif(concat_ws('; ', ${reasons.join(',\n')}), '')` : 'NULL::VARCHAR';
  const rawText = `concat_ws(',', ${columns.map((c) => csvQuote(ident(c))).join(', ')})`;
  await db.run(
    `CREATE TEMP TABLE ${ident(keysTable)} AS
     SELECT _k, line, ${rawText} AS raw_text, reason FROM (SELECT *, ${reasonExpr} AS reason FROM (${numbered})) WHERE reason IS NOT NULL`,
    { file: base },
  );
  await db.run(`CREATE TEMP TABLE ${ident(rejectsTable)} AS SELECT line, raw_text, reason FROM temp.${ident(keysTable)}`);
  if (readerRejects) {
    await db.run(
      `INSERT INTO ${ident(rejectsTable)} SELECT physical_line, rtrim(csv_line, chr(13) || chr(10)), ${readerReason()} FROM temp.${ident(duckRejects + '_lines')}`,
      { file: base },
    );
  }
  const validSql = `SELECT v.* EXCLUDE (_k) FROM (${numbered}) v ANTI JOIN temp.${ident(keysTable)} x ON x._k = v._k`;

  const rows_valid_or_invalid = Number(await db.value(`SELECT count(*) FROM temp.${ident(readTable)}`));
  const validation_rejects = Number(await db.value(`SELECT count(*) FROM temp.${ident(keysTable)}`));
  const rows_rejected = Number(await db.value(`SELECT count(*) FROM temp.${ident(rejectsTable)}`));
  const rows_loaded = rows_valid_or_invalid - validation_rejects;
  const rows_read = rows_loaded + rows_rejected;
  return { source: contract.source, file, format, columns, extras, validSql, rejectsTable, tempTables, rows_read, rows_loaded, rows_rejected };
}

function requiredNames(contract: SourceContract): string[] {
  return contract.columns.filter((c) => c.required).map((c) => c.name);
}

async function hasTable(ctx: StageContext, name: string): Promise<boolean> {
  const n = await ctx.db.value(`SELECT count(*) FROM duckdb_tables() WHERE table_name = $name`, { name });
  return Number(n) > 0;
}

/** The header record as DuckDB parses it (header = false; one record; quoted names allowed). */
async function csvHeader(ctx: StageContext, file: string, base: string): Promise<string[]> {
  const struct = Array.from({ length: MAX_COLUMNS }, (_, i) => `'${cname(i)}': 'VARCHAR'`).join(', ');
  let row: Record<string, unknown> | undefined;
  try {
    row = await ctx.db.one(
      `SELECT * FROM read_csv(${literal(file)}, header = false, columns = {${struct}}, ${CSV_OPTIONS},
         null_padding = true, parallel = false, ignore_errors = true, max_line_size = ${MAX_LINE_BYTES}) LIMIT 1`,
    );
  } catch (e) {
    refuse('EXTRACT_FILE_UNPARSEABLE', `${base} line 1: cannot read a CSV header: ${firstLine(e)}`);
  }
  if (!row) refuse('EXTRACT_FILE_UNPARSEABLE', `${base} line 1: no header row found; expected a comma-separated header`);
  const values: string[] = [];
  for (let i = 0; i < MAX_COLUMNS; i++) {
    const v = row[cname(i)];
    if (v === null || v === undefined) break;
    values.push(String(v));
  }
  if (values.length === MAX_COLUMNS) refuse('EXTRACT_FILE_UNPARSEABLE', `${base} line 1: more than ${MAX_COLUMNS - 1} columns in the header`);
  return values;
}

async function parquetHeader(ctx: StageContext, file: string, base: string): Promise<string[]> {
  try {
    const rows = await ctx.db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet(${literal(file)})`);
    return rows.map((r) => r.column_name);
  } catch (e) {
    refuse('EXTRACT_FILE_UNPARSEABLE', `${base} cannot be read as Parquet: ${firstLine(e)}`);
  }
}

/** Header names lower-cased and trimmed; refuses wrong delimiter, duplicates, missing required columns. */
export function checkHeader(contract: SourceContract, header: string[], base: string): string[] {
  const names = header.map((h) => h.replace(/^\uFEFF/, '').trim().toLowerCase());
  const required = requiredNames(contract);
  if (names.length === 1 && !required.every((r) => names.includes(r))) {
    const sep = [';', '\t', '|'].find((s) => names[0]!.includes(s));
    if (sep) {
      const shown = sep === '\t' ? '\\t' : sep;
      refuse('EXTRACT_FILE_UNPARSEABLE', `${base} line 1: header is separated by "${shown}", not commas; expected comma-separated columns ${required.join(', ')}`);
    }
  }
  const empty = names.findIndex((n) => n === '');
  if (empty >= 0) refuse('EXTRACT_FILE_UNPARSEABLE', `${base} line 1: column ${empty + 1} of the header has no name`);
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) refuse('EXTRACT_COLUMN_DUPLICATE', `${base} line 1: duplicate column "${n}" in the header; expected each column once`);
    seen.add(n);
  }
  const missing = required.filter((r) => !seen.has(r));
  if (missing.length > 0) {
    refuse('EXTRACT_COLUMN_MISSING', `${base} line 1: missing required column ${missing.map((m) => `"${m}"`).join(', ')}; header has ${names.join(', ')}`);
  }
  const reserved = names.filter((n) => (RAW_META_COLUMNS as readonly string[]).includes(n) || n === '_reason');
  if (reserved.length > 0) refuse('EXTRACT_FILE_UNPARSEABLE', `${base} line 1: column "${reserved[0]}" is reserved for ingest metadata; rename it`);
  return names;
}

/**
 * The SQL reason expressions (each NULL when fine) for one contract column. Each starts with a cheap
 * test of the untrimmed value that passes almost every row, so trimming runs only on the rest.
 */
function columnChecks(c: ColumnSpec): string[] {
  const v = ident(c.name);
  const col = literal(c.name);
  const present = `nullif(trim(${v}), '') IS NOT NULL`;
  const quoted = `left(${v}, ${QUOTE_CHARS})`;
  const out: string[] = [];
  if (c.required) {
    out.push(`CASE WHEN ${v} <> '' AND NOT starts_with(${v}, ' ') THEN NULL WHEN NOT (${present}) THEN format('missing {} in {} line {}', ${col}, $file, line) END`);
  }
  const bad = (what: string, test: (x: string) => string) =>
    out.push(`CASE WHEN ${v} IS NULL OR ${test(v)} THEN NULL WHEN ${present} AND NOT (${test(`trim(${v})`)}) THEN format('bad ${what} in {} line {} column {}: "{}"', $file, line, ${col}, ${quoted}) END`);
  switch (c.type) {
    case 'date':
      bad('date', (x) => `(length(${x}) = 10 AND try_strptime(${x}, '%Y-%m-%d') IS NOT NULL)`);
      break;
    case 'timestamp':
      bad('timestamp', (x) => `(regexp_full_match(${x}, '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?Z?)?') AND try_cast(${x} AS TIMESTAMP) IS NOT NULL)`);
      break;
    case 'decimal':
      bad('decimal', (x) => `coalesce(isfinite(try_cast(${x} AS DOUBLE)), false)`);
      break;
    case 'ho_code':
      bad('offence code (expected NNN/NN)', (x) => `regexp_full_match(${x}, '\\d{3}/\\d{2}')`);
      break;
    case 'text':
      break;
  }
  if (c.values) {
    const list = c.values.map(literal).join(', ');
    out.push(
      `CASE WHEN ${v} IS NULL OR ${v} IN (${list}) THEN NULL WHEN ${present} AND upper(trim(${v})) NOT IN (${list}) THEN format('unknown {} in {} line {}: "{}"', ${literal(c.label ?? c.name)}, $file, line, ${quoted}) END`,
    );
  }
  return out;
}

/** One value re-serialised as an RFC 4180 field (for the raw_text of rows rejected by validation). */
function csvQuote(v: string): string {
  return `CASE WHEN ${v} IS NULL THEN '' WHEN regexp_matches(${v}, '[",\\r\\n]') THEN '"' || replace(${v}, '"', '""') || '"' ELSE ${v} END`;
}

/** The reason for a record DuckDB's reader itself rejected (uses columns of its rejects table). */
function readerReason(): string {
  return `CASE
    WHEN error_type = 'INVALID ENCODING' OR error_type ILIKE '%unicode%' THEN format('invalid UTF-8 in {} line {}: expected UTF-8 text (is the file Latin-1 encoded?)', $file, physical_line)
    WHEN error_type = 'MISSING COLUMNS' THEN format('too few columns in {} line {}: {} (truncated or cut row?)', $file, physical_line, error_message)
    WHEN error_type = 'TOO MANY COLUMNS' THEN format('too many columns in {} line {}: {} (unquoted comma?)', $file, physical_line, error_message)
    WHEN error_type = 'UNQUOTED VALUE' THEN format('unterminated or misplaced quote in {} line {}: expected RFC 4180 quoting', $file, physical_line)
    WHEN error_type = 'LINE SIZE OVER MAXIMUM' THEN format('line too long in {} line {}: over ${MAX_LINE_BYTES} bytes', $file, physical_line)
    ELSE format('unreadable row in {} line {}: {}', $file, physical_line, error_message) END`;
}

/**
 * Physical line numbers for CSV records. DuckDB's reject `line` counts records (header = 1), and
 * records may span lines (quoted newlines); so line = record ordinal + newlines in earlier records.
 * Good row k (rowid, in file order) has ordinal o = k + 2 + #{rejects j : R_j - j <= k + 2}
 * (R sorted, j from 0), since good rows fill the ordinals the rejects leave free.
 * Returns a join giving `lines.line` per rowid; leaves `<duckRejects>_lines` for reader rejects.
 */
async function csvLineNumbers(ctx: StageContext, readTable: string, duckRejects: string | null, ncols: number, linesTable: string): Promise<{ expr: string; join: string }> {
  const { db } = ctx;
  const nlOf = (col: string) => `coalesce(length(${col}) - length(replace(${col}, chr(10), '')), 0)`;
  const nl = Array.from({ length: ncols }, (_, i) => nlOf(cname(i))).join(' + ');
  const hasNl = Array.from({ length: ncols }, (_, i) => `coalesce(contains(${cname(i)}, chr(10)), false)`).join(' OR ');
  const embedded = Number(await db.value(`SELECT count(*) FROM ${ident(readTable)} WHERE ${hasNl}`));
  if (!duckRejects && embedded === 0) return { expr: 'r.rowid + 2', join: '' };
  const none = '(SELECT NULL::BIGINT AS line, NULL::VARCHAR AS csv_line, NULL::VARCHAR AS error_type, NULL::VARCHAR AS error_message, NULL::BIGINT AS column_idx WHERE false)';
  // One row per rejected record (DuckDB may log several errors for one record): ordinal R_j.
  await db.run(`CREATE OR REPLACE TEMP TABLE _rej_ord AS
    WITH one AS (SELECT line AS ordinal, arg_min(csv_line, column_idx) AS csv_line, arg_min(error_type, column_idx) AS error_type,
                        arg_min(error_message, column_idx) AS error_message
                 FROM ${duckRejects ? ident(duckRejects) : none} GROUP BY line)
    SELECT ordinal, ordinal - (row_number() OVER (ORDER BY ordinal) - 1) AS m, row_number() OVER (ORDER BY ordinal) AS n_before,
           ${nlOf(`rtrim(csv_line, chr(13) || chr(10))`)} AS nl, csv_line, error_type, error_message
    FROM one`);
  await db.run(`CREATE OR REPLACE TEMP TABLE _rej_m AS SELECT m, max(n_before) AS n_before FROM _rej_ord GROUP BY m`);
  await db.run(`CREATE OR REPLACE TEMP TABLE _good AS SELECT rowid AS k, rowid + 2 AS n, ${nl} AS nl FROM ${ident(readTable)}`);
  // Physical line = ordinal + newlines embedded in all earlier records (good and rejected).
  await db.run(`CREATE OR REPLACE TEMP TABLE _lines AS
    WITH good AS (SELECT g.k, g.n + coalesce(x.n_before, 0) AS ordinal, g.nl FROM _good g ASOF LEFT JOIN _rej_m x ON g.n >= x.m),
    recs AS (SELECT 'g' AS kind, k AS key, ordinal, nl FROM good UNION ALL SELECT 'r', ordinal, ordinal, nl FROM _rej_ord)
    SELECT kind, key, ordinal + coalesce(sum(nl) OVER (ORDER BY ordinal ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line
    FROM recs`);
  await db.run(`CREATE OR REPLACE TEMP TABLE ${ident(linesTable)} AS SELECT key AS k, line FROM _lines WHERE kind = 'g'`);
  if (duckRejects) {
    await db.run(`CREATE OR REPLACE TEMP TABLE ${ident(duckRejects + '_lines')} AS
      SELECT l.line AS physical_line, r.csv_line, r.error_type, r.error_message FROM _rej_ord r JOIN _lines l ON l.kind = 'r' AND l.key = r.ordinal`);
  }
  for (const t of ['_rej_ord', '_rej_m', '_good', '_lines']) await db.run(`DROP TABLE IF EXISTS temp.${t}`);
  return { expr: 'lo.line', join: `JOIN temp.${ident(linesTable)} lo ON lo.k = r.rowid` };
}
