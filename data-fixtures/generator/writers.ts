// CSV output for the generator: RFC 4180 fields, and a sink that writes in 1 MB chunks while hashing,
// so a force-scale extract streams to disk in bounded memory and its manifest costs no second read.

import { createHash, type Hash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field per RFC 4180: quoted only when it holds a comma, quote or line break. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? String(value) : value;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return values.map(csvField).join(',') + '\n';
}

const CHUNK_CHARS = 1 << 20;

export interface SinkResult {
  file: string;
  rows: number;
  sha256: string;
}

/** A CSV file written synchronously in chunks; counts data rows and hashes every byte written. */
export class CsvSink {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private parts: string[] = [];
  private size = 0;
  rows = 0;

  constructor(readonly file: string, header: readonly string[]) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.fd = openSync(file, 'w');
    this.push(header.join(',') + '\n');
  }

  /** Writes one data row given as already-escaped CSV text ending in a newline. */
  row(line: string): void {
    this.rows++;
    this.push(line);
  }

  private push(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK_CHARS) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    this.hash.update(buf);
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    this.parts = [];
    this.size = 0;
  }

  close(): SinkResult {
    this.flush();
    closeSync(this.fd);
    return { file: this.file, rows: this.rows, sha256: this.hash.digest('hex') };
  }
}
