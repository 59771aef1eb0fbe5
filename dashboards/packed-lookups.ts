// Per-key row sets of a large snapshot packed outside the JS heap: DuckDB sorts each set by key once and
// writes one JSON array per row; a page then reads its rows by key ordinal with no query (O(1), microseconds).

import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ident, literal, type Db } from '../pipelines/core/db.ts';
import { removeTree } from '../pipelines/snapshot/durable-fs.ts';

type Row = Record<string, unknown>;

/** One lookup set: rows of key ordinal k are lines first[k] .. first[k+1]-1 of buf, line i at bytes at[i] .. at[i+1]-1 (`ord\x01[json]\n`). */
interface PackedSet {
  columns: string[];
  buf: Buffer;
  at: Float64Array;
  first: Uint32Array;
}

export interface PackedSource {
  /** SELECT with a `_key` column (the lookup key) and the columns returned. */
  sql: string;
  /** ORDER BY of the rows within one key. */
  order: string;
  /** SQL listing every key of this set's group (one column, any name). */
  keysSql: string;
  /** Group name: sets of one group share one key dictionary. */
  group: string;
}

/**
 * Builds sets lazily on first lookup, one at a time (each is a sort of up to a few million rows), and keeps
 * them for the life of the snapshot. Row values are as DuckDB's to_json writes them (dates as text).
 */
export class PackedLookups {
  private readonly sets = new Map<string, Promise<PackedSet>>();
  private readonly keys = new Map<string, Promise<Map<string, number>>>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly built = new Set<string>();
  /** Milliseconds each set took to build (sort, write, read back), for start-up reports. */
  readonly timings = new Map<string, number>();

  private setupDone?: Promise<void>;

  /** `setup` runs before the first build (e.g. temporary tables the sets join); `teardown` once every set is built. */
  constructor(private readonly db: Db, private readonly sources: Record<string, PackedSource>, private readonly setup = '', private readonly teardown = '') {}

  /** The rows of set `name` for `key`, in the set's order; [] when none. */
  async lookup(name: string, key: string): Promise<Row[]> {
    const set = await this.set(name);
    const ord = (await this.keyMap(this.sources[name]!.group)).get(key);
    if (ord === undefined) return [];
    const out: Row[] = [];
    for (let i = set.first[ord]!; i < set.first[ord + 1]!; i++) {
      const values = JSON.parse(set.buf.toString('utf8', set.buf.indexOf(1, set.at[i]!) + 1, set.at[i + 1]! - 1)) as unknown[];
      const row: Row = {};
      set.columns.forEach((c, j) => (row[c] = values[j]));
      out.push(row);
    }
    return out;
  }

  /** Builds every set now (at server start, so the first users do not wait). */
  async prepareAll(): Promise<void> {
    await Promise.all(Object.keys(this.sources).map((n) => this.set(n)));
  }

  /** Bytes held outside the JS heap by the sets built so far. */
  async bytes(): Promise<number> {
    let n = 0;
    for (const p of this.sets.values()) n += (await p).buf.length;
    return n;
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = async () => {
      if (this.setup) await (this.setupDone ??= this.db.run(this.setup));
      return f();
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private keyMap(group: string): Promise<Map<string, number>> {
    let p = this.keys.get(group);
    if (!p) {
      const source = Object.values(this.sources).find((s) => s.group === group)!;
      p = this.serial(async () => {
        const table = ident(`_keys_${group}`);
        await this.db.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT _key, (row_number() OVER (ORDER BY _key) - 1)::UINTEGER AS ord
                             FROM (SELECT DISTINCT k AS _key FROM (${source.keysSql}) t(k) WHERE k IS NOT NULL)`);
        const rows = await this.db.all<{ _key: string; ord: number }>(`SELECT _key, ord FROM ${table} ORDER BY ord`);
        return new Map(rows.map((r) => [r._key, r.ord]));
      });
      this.keys.set(group, p);
      p.catch(() => this.keys.delete(group));
    }
    return p;
  }

  private set(name: string): Promise<PackedSet> {
    let p = this.sets.get(name);
    if (!p) {
      const source = this.sources[name]!;
      p = this.keyMap(source.group).then((keyMap) => this.serial(async () => {
        const built = await this.build(name, source, keyMap.size);
        // the last set built: what the builds joined is no longer needed
        if (this.teardown && this.sets.size === Object.keys(this.sources).length && [...this.sets.keys()].every((k) => k === name || this.built.has(k))) {
          await this.db.run(this.teardown);
          this.setupDone = undefined;
        }
        this.built.add(name);
        return built;
      }));
      this.sets.set(name, p);
      p.catch(() => this.sets.delete(name));
    }
    return p;
  }

  private async build(name: string, source: PackedSource, keyCount: number): Promise<PackedSet> {
    const t0 = performance.now();
    try {
      return await this.buildNow(name, source, keyCount);
    } finally {
      this.timings.set(name, Math.round(performance.now() - t0));
    }
  }

  private async buildNow(name: string, source: PackedSource, keyCount: number): Promise<PackedSet> {
    const columns = (await this.db.all<{ column_name: string }>(`DESCRIBE ${source.sql}`)).map((r) => r.column_name).filter((c) => c !== '_key');
    const keys = ident(`_keys_${source.group}`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'harmnet-packed-'));
    try {
      const file = path.join(dir, `${name}.txt`);
      // one line per row: key ordinal, \x01, the row as a JSON array (JSON text never holds a raw control character)
      const json = `'[' || concat_ws(',', ${columns.map((c) => `coalesce(to_json(s.${ident(c)})::VARCHAR, 'null')`).join(', ')}) || ']'`;
      const order = source.order.split(',').map((o) => `s.${o.trim().replace(/^(\w+)/, (c) => ident(c))}`).join(', ');
      await this.db.run(`COPY (SELECT k.ord, ${json} FROM (${source.sql}) s JOIN ${keys} k ON k._key = s._key ORDER BY k.ord, ${order})
                         TO ${literal(file)} (FORMAT csv, HEADER false, DELIMITER ${literal('\u0001')}, QUOTE ${literal('\u0002')})`);
      const buf = readFileSync(file);
      const first = new Uint32Array(keyCount + 1);
      const starts: number[] = [];
      let lastOrd = 0;
      for (let p = 0; p < buf.length;) {
        starts.push(p);
        let ord = 0;
        for (let c = buf[p]!; c !== 1; c = buf[++p]!) ord = ord * 10 + (c - 48);
        if (ord < lastOrd || ord >= keyCount) throw new Error(`packed set ${name}: key ordinal ${ord} out of order at byte ${p}`);
        lastOrd = ord;
        first[ord + 1]!++;
        p = buf.indexOf(10, p) + 1;
        if (p === 0) throw new Error(`packed set ${name}: last line has no newline`);
      }
      for (let k = 0; k < keyCount; k++) first[k + 1]! += first[k]!;
      const at = new Float64Array(starts.length + 1);
      at.set(starts);
      at[starts.length] = buf.length;
      return { columns, buf, at, first };
    } finally {
      removeTree(dir);
    }
  }
}
