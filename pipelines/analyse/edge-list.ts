// Reads an edge-list CSV (`source,target[,weight][,period]`, header required, RFC 4180 quoting) into edge columns.
// Node ids are kept exactly as written; every problem names the file and line, and all are reported at once.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HarmnetError, ProblemList } from '../core/errors.ts';

export interface EdgeList {
  source: string[];
  target: string[];
  weight: number[];
  /** Per row; null when the file has no period column. */
  period: string[] | null;
  hasWeight: boolean;
}

export function readEdgeList(file: string): EdgeList {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new HarmnetError('INPUT_INVALID', `cannot read edge list ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  return parseEdgeList(text, path.basename(file));
}

export function parseEdgeList(text: string, name: string): EdgeList {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''), name);
  if (rows.length === 0) throw new HarmnetError('INPUT_INVALID', `${name} line 1: empty file; expected a header source,target[,weight][,period]`);
  const header = rows[0]!.fields.map((h) => h.trim().toLowerCase());
  const col = (n: string) => header.indexOf(n);
  const missing = ['source', 'target'].filter((c) => col(c) < 0);
  if (missing.length) throw new HarmnetError('INPUT_INVALID', `${name} line 1: missing column ${missing.join(', ')}; expected a header source,target[,weight][,period], got "${header.join(',')}"`);
  const [si, ti, wi, pi] = [col('source'), col('target'), col('weight'), col('period')];
  const out: EdgeList = { source: [], target: [], weight: [], period: pi >= 0 ? [] : null, hasWeight: wi >= 0 };
  const problems = new ProblemList();
  for (const { fields, line } of rows.slice(1)) {
    if (fields.length === 1 && fields[0] === '') continue; // blank line
    if (fields.length !== header.length) {
      problems.add(`${name} line ${line}: expected ${header.length} fields, got ${fields.length}`);
      continue;
    }
    const s = fields[si]!;
    const t = fields[ti]!;
    if (s === '' || t === '') {
      problems.add(`${name} line ${line}: empty ${s === '' ? 'source' : 'target'}`);
      continue;
    }
    let w = 1;
    if (wi >= 0 && fields[wi]!.trim() !== '') {
      w = Number(fields[wi]);
      if (!Number.isFinite(w) || w <= 0) {
        problems.add(`${name} line ${line}: weight must be a positive number, got "${fields[wi]}"`);
        continue;
      }
    }
    out.source.push(s);
    out.target.push(t);
    out.weight.push(w);
    if (out.period) {
      if (fields[pi]!.trim() === '') {
        problems.add(`${name} line ${line}: empty period`);
        continue;
      }
      out.period.push(fields[pi]!.trim());
    }
  }
  problems.throwIfAny('INPUT_INVALID');
  return out;
}

/** Minimal RFC 4180: quoted fields may hold commas, quotes ("") and newlines; `line` is where the record starts. */
function parseCsv(text: string, name: string): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') (field += '"'), i++;
        else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') (fields.push(field), (field = ''));
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ fields, line: start });
      fields = [];
      field = '';
      line++;
      start = line;
    } else field += ch;
    i++;
  }
  if (quoted) throw new HarmnetError('INPUT_INVALID', `${name} line ${start}: unterminated quoted field`);
  if (field !== '' || fields.length) (fields.push(field), records.push({ fields, line: start }));
  return records;
}
