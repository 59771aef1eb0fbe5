// Partner lists in (CSV upload or JSON rows) → validated PartnerRow[]; every problem is collected and
// reported once, naming the line and field, so nothing is half-processed (STYLE: errors at the edge).

import { HarmnetError } from '../core/errors.ts';
import { normalisePnc } from '../resolve/pnc.ts';

export const MAX_ROWS = 5000;
export const REQUIRED_COLUMNS = ['row_ref', 'surname', 'forenames', 'date_of_birth'] as const;
export const OPTIONAL_COLUMNS = ['pnc_id', 'sex'] as const;
const ALL_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];
/** How many problems one error message lists before "and N more". */
const MAX_PROBLEMS = 10;

export interface PartnerRow {
  /** Line in the uploaded file (header = line 1), or 1-based index for JSON rows. */
  line: number;
  row_ref: string;
  surname: string;
  forenames: string | null;
  date_of_birth: string;
  pnc: string | null;
  pnc_invalid: boolean;
  sex: string | null;
}

/** Decodes bytes as strict UTF-8 (a leading BOM is dropped) and parses the CSV. */
export function parsePartnerCsv(bytes: Uint8Array, name = 'upload'): PartnerRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new HarmnetError('INPUT_INVALID', `${name} line ${at.line}: not valid UTF-8 (byte 0x${at.byte.toString(16)} at offset ${at.offset}); save the file as UTF-8 CSV`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records = parseCsv(text, name);
  if (records.length === 0 || (records.length === 1 && records[0]!.cells.every((c) => c.trim() === ''))) {
    throw new HarmnetError('INPUT_INVALID', `${name}: the file is empty; expected a header line ${REQUIRED_COLUMNS.join(',')}[,${OPTIONAL_COLUMNS.join(',')}] and at least one row`);
  }
  const header = records[0]!.cells.map((c) => c.trim().toLowerCase());
  const problems: string[] = [];
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (!ALL_COLUMNS.includes(h)) problems.push(`${name} line 1 column ${i + 1}: unknown column "${h}" (expected ${ALL_COLUMNS.join(', ')})`);
    if (seen.has(h)) problems.push(`${name} line 1: column "${h}" appears twice`);
    seen.add(h);
  });
  for (const c of REQUIRED_COLUMNS) if (!header.includes(c)) problems.push(`${name} line 1: required column "${c}" is missing`);
  fail(problems);
  const body = records.slice(1).filter((r) => !r.cells.every((c) => c.trim() === ''));
  if (body.length === 0) throw new HarmnetError('INPUT_INVALID', `${name}: no rows after the header line`);
  if (body.length > MAX_ROWS) throw new HarmnetError('INPUT_INVALID', `${name}: ${body.length} rows, more than the limit of ${MAX_ROWS} per request; split the list`);
  const objects = body.map((r) => {
    if (r.cells.length !== header.length) problems.push(`${name} line ${r.line}: ${r.cells.length} fields, the header has ${header.length}`);
    return { line: r.line, values: Object.fromEntries(header.map((h, i) => [h, r.cells[i] ?? ''])) };
  });
  fail(problems);
  return validateRows(objects, name);
}

/** JSON rows ({row_ref, surname, forenames, date_of_birth, pnc_id?, sex?}[]); row n is reported as "row n". */
export function parsePartnerJson(rows: unknown, name = 'request'): PartnerRow[] {
  if (!Array.isArray(rows)) throw new HarmnetError('INPUT_INVALID', `${name} field rows: expected an array of objects`);
  if (rows.length === 0) throw new HarmnetError('INPUT_INVALID', `${name} field rows: the list is empty`);
  if (rows.length > MAX_ROWS) throw new HarmnetError('INPUT_INVALID', `${name}: ${rows.length} rows, more than the limit of ${MAX_ROWS} per request; split the list`);
  const problems: string[] = [];
  const objects = rows.map((r, i) => {
    const values: Record<string, string> = {};
    if (!r || typeof r !== 'object' || Array.isArray(r)) {
      problems.push(`${name} row ${i + 1}: expected an object`);
      return { line: i + 1, values };
    }
    for (const [k, v] of Object.entries(r as Record<string, unknown>)) {
      if (!ALL_COLUMNS.includes(k)) problems.push(`${name} row ${i + 1}: unknown field "${k}" (expected ${ALL_COLUMNS.join(', ')})`);
      else if (v !== null && v !== undefined && typeof v !== 'string' && typeof v !== 'number') problems.push(`${name} row ${i + 1} field ${k}: expected text`);
      else values[k] = v === null || v === undefined ? '' : String(v);
    }
    return { line: i + 1, values };
  });
  fail(problems);
  return validateRows(objects, name, 'row');
}

function validateRows(objects: { line: number; values: Record<string, string> }[], name: string, unit = 'line'): PartnerRow[] {
  const problems: string[] = [];
  const refs = new Map<string, number>();
  const people = new Map<string, number>();
  const out: PartnerRow[] = [];
  for (const { line, values } of objects) {
    const at = (field: string) => `${name} ${unit} ${line} field ${field}`;
    const v = (k: string) => (values[k] ?? '').trim();
    const rowRef = v('row_ref');
    if (!rowRef) problems.push(`${at('row_ref')}: required (your own reference for the row)`);
    else if (rowRef.length > 64) problems.push(`${at('row_ref')}: longer than 64 characters`);
    else if (refs.has(rowRef)) problems.push(`${at('row_ref')}: "${rowRef}" duplicates ${unit} ${refs.get(rowRef)}`);
    else refs.set(rowRef, line);
    const surname = v('surname');
    if (!surname) problems.push(`${at('surname')}: required`);
    else if (!/\p{L}/u.test(surname) || /^[=+\-@\t\r]/.test(surname) || /[=|<>{}\\]/.test(surname)) {
      problems.push(`${at('surname')}: not a name (letters, spaces, hyphens and apostrophes expected)`);
    }
    const forenames = v('forenames');
    if (forenames && (!/\p{L}/u.test(forenames) || /^[=+\-@\t\r]/.test(forenames) || /[=|<>{}\\]/.test(forenames))) {
      problems.push(`${at('forenames')}: not a name (letters, spaces, hyphens and apostrophes expected)`);
    }
    const dob = v('date_of_birth');
    if (!dob) problems.push(`${at('date_of_birth')}: required (YYYY-MM-DD)`);
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(dob) || !validDate(dob)) {
      problems.push(`${at('date_of_birth')}: expected a date YYYY-MM-DD, got "${dob.slice(0, 20)}"`);
    }
    const pncRaw = v('pnc_id');
    const pnc = normalisePnc(pncRaw);
    if (pnc.invalid) problems.push(`${at('pnc_id')}: not a valid PNC id (YYYY/NNNNNNNL with its check letter), got "${pncRaw.slice(0, 20)}"`);
    const sexRaw = v('sex').toUpperCase();
    if (sexRaw && !['M', 'F', 'U'].includes(sexRaw)) problems.push(`${at('sex')}: expected M, F or U (or empty), got "${sexRaw.slice(0, 10)}"`);
    const key = [surname.toUpperCase(), forenames.toUpperCase(), dob, pnc.norm ?? ''].join('|');
    if (surname && dob) {
      if (people.has(key)) problems.push(`${name} ${unit} ${line}: duplicates ${unit} ${people.get(key)} (same surname, forenames, date of birth and PNC id)`);
      else people.set(key, line);
    }
    out.push({ line, row_ref: rowRef, surname, forenames: forenames || null, date_of_birth: dob, pnc: pnc.norm, pnc_invalid: false, sex: sexRaw === 'M' || sexRaw === 'F' ? sexRaw : null });
  }
  fail(problems);
  return out;
}

function fail(problems: string[]): void {
  if (problems.length === 0) return;
  const more = problems.length > MAX_PROBLEMS ? `; and ${problems.length - MAX_PROBLEMS} more` : '';
  throw new HarmnetError('INPUT_INVALID', problems.slice(0, MAX_PROBLEMS).join('; ') + more);
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF. */
export function parseCsv(text: string, name: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let line = 1;
  let start = 1;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    out.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') { cells.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { i++; endRecord(); line++; start = line; }
    else if (ch === '\n' || ch === '\r') { endRecord(); line++; start = line; }
    else cell += ch;
    i++;
  }
  if (quoted) throw new HarmnetError('INPUT_INVALID', `${name} line ${start}: a quoted field is not closed`);
  if (cell !== '' || cells.length > 0) endRecord();
  return out;
}

function firstInvalidUtf8(bytes: Uint8Array): { offset: number; byte: number; line: number } {
  let line = 1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (n < 0) return { offset: i, byte: b, line };
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return { offset: i, byte: b, line };
    }
    if (b === 0x0a) line++;
    i += n + 1;
  }
  return { offset: bytes.length, byte: 0, line };
}

function validDate(s: string): boolean {
  const d = new Date(s + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
