// The warehouse connection: a thin layer over @duckdb/node-api with bound parameters only.
// Rows come back as plain objects: numbers for numeric types, ISO strings for dates/timestamps.

import { DuckDBInstance, DuckDBConnection, DuckDBTypeId, type DuckDBValue } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export type Params = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

const NUMERIC_AS_STRING = new Set<number>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.DECIMAL,
]);

export class Db {
  private constructor(
    readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly file: string,
  ) {}

  /** Opens (creating if needed) a DuckDB database; ':memory:' for tests. */
  static async open(file = ':memory:', options: Record<string, string> = {}): Promise<Db> {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const instance = await DuckDBInstance.create(file, { threads: '2', ...options });
    const connection = await instance.connect();
    return new Db(instance, connection, file);
  }

  async run(sql: string, params?: Params): Promise<void> {
    await this.connection.run(sql, params);
  }

  async all<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    const rows = reader.getRowObjectsJson() as Row[];
    const types = reader.columnTypes();
    const names = reader.columnNames();
    const convert = names.filter((_, i) => NUMERIC_AS_STRING.has(types[i]!.typeId));
    if (convert.length > 0) {
      for (const row of rows) {
        for (const name of convert) {
          const v = row[name];
          if (typeof v === 'string') row[name] = Number(v);
        }
      }
    }
    return rows as T[];
  }

  async one<T extends Row = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** A single scalar (first column of first row). */
  async value<T = unknown>(sql: string, params?: Params): Promise<T> {
    const row = await this.one(sql, params);
    return (row ? Object.values(row)[0] : undefined) as T;
  }

  /** Whether a table or view `schema.name` exists. */
  async hasTable(qualified: string): Promise<boolean> {
    const [schema, name] = qualified.split('.');
    const n = await this.value<number>(
      'SELECT count(*) FROM information_schema.tables WHERE table_schema = $schema AND table_name = $name',
      { schema: schema!, name: name! },
    );
    return Number(n) > 0;
  }

  /** Runs a .sql file (one or more statements). Values are bound by name: `$as_of`. */
  async runFile(file: string, params?: Record<string, DuckDBValue>): Promise<void> {
    const text = readFileSync(file, 'utf8');
    const statements = await this.connection.extractStatements(text);
    for (let i = 0; i < statements.count; i++) {
      const prepared = await statements.prepare(i);
      if (params) {
        const wanted = new Set<string>();
        for (let p = 1; p <= prepared.parameterCount; p++) wanted.add(prepared.parameterName(p));
        const own: Record<string, DuckDBValue> = {};
        for (const k of wanted) {
          if (!(k in params)) throw new Error(`${path.basename(file)} needs parameter $${k}`);
          own[k] = params[k]!;
        }
        prepared.bind(own);
      }
      await prepared.run();
    }
  }

  private transactionDepth = 0;

  /**
   * Runs fn inside a transaction; rolls back on error. Re-entrant: DuckDB has no savepoints, so a
   * transaction opened inside another joins the outer one (all or nothing together).
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.transactionDepth > 0) {
      this.transactionDepth++;
      try {
        return await fn();
      } finally {
        this.transactionDepth--;
      }
    }
    await this.run('BEGIN TRANSACTION');
    this.transactionDepth = 1;
    try {
      const out = await fn();
      await this.run('COMMIT');
      return out;
    } catch (e) {
      await this.run('ROLLBACK');
      throw e;
    } finally {
      this.transactionDepth = 0;
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** A further connection to the same instance (queries on different connections run in parallel); close it with closeConnection(). */
  async connectAgain(): Promise<Db> {
    return new Db(this.instance, await this.instance.connect(), this.file);
  }

  /** Closes only this connection, leaving the instance open (for connections from connectAgain). */
  closeConnection(): void {
    this.connection.closeSync();
  }
}

/** Quotes an identifier computed by code (never data): "my""table". */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A SQL string literal for values DuckDB cannot bind (e.g. file paths in read_csv). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
