// Test helper: a strict RFC 4180 reader (quoted fields, doubled quotes, embedded commas and newlines),
// independent of the generator's writer so round-trip mistakes show up.

import { readFileSync } from 'node:fs';

export function parseCsv(text: string): string[][] {
  // Fast path: no quotes anywhere means every line splits on commas.
  if (!text.includes('"')) {
    const lines = text.split(/\r?\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.map((l) => l.split(','));
  }
  return parseQuoted(text);
}

function parseQuoted(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (field !== '') throw new Error(`stray quote at offset ${i}`);
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (ch === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`bare CR at offset ${i}`);
    } else {
      field += ch;
    }
    i++;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Reads a CSV file into header + records (objects keyed by header), checking every row's width. */
export function readCsv(file: string): { header: string[]; records: Record<string, string>[] } {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  if (!header) throw new Error(`${file}: empty`);
  const records = rows.map((r, n) => {
    if (r.length !== header.length) throw new Error(`${file} line ${n + 2}: ${r.length} fields, expected ${header.length}`);
    const o: Record<string, string> = {};
    header.forEach((h, j) => (o[h] = r[j]!));
    return o;
  });
  return { header, records };
}
