// The one edge between the publisher and Neo4j: run one statement in one write transaction and
// return its records and update counters. driverRunner uses session.executeWrite (driver retries).

import type { Driver, Session } from 'neo4j-driver';

export interface WriteCounters {
  nodesCreated: number;
  nodesDeleted: number;
  relationshipsCreated: number;
  relationshipsDeleted: number;
  propertiesSet: number;
  constraintsAdded: number;
  indexesAdded: number;
}

export const ZERO_COUNTERS: Readonly<WriteCounters> = Object.freeze({
  nodesCreated: 0, nodesDeleted: 0, relationshipsCreated: 0, relationshipsDeleted: 0, propertiesSet: 0, constraintsAdded: 0, indexesAdded: 0,
});

export interface CypherResult {
  records: Record<string, unknown>[];
  counters: WriteCounters;
}

export interface CypherRunner {
  /** One statement, one write transaction (committed when the promise resolves). */
  write(cypher: string, params: Record<string, unknown>): Promise<CypherResult>;
  /** One read-only statement. */
  read(cypher: string, params: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export function addCounters(a: WriteCounters, b: WriteCounters): WriteCounters {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof WriteCounters)[]) out[k] += b[k];
  return out;
}

/** A runner over one driver session; transaction functions retry transient failures. */
export function driverRunner(driver: Driver, database?: string): CypherRunner {
  const session: Session = driver.session(database ? { database } : {});
  return {
    async write(cypher, params) {
      return session.executeWrite(async (tx) => {
        const result = await tx.run(cypher, params);
        const u = result.summary.counters.updates();
        return {
          records: result.records.map((r) => r.toObject() as Record<string, unknown>),
          counters: {
            nodesCreated: u.nodesCreated ?? 0,
            nodesDeleted: u.nodesDeleted ?? 0,
            relationshipsCreated: u.relationshipsCreated ?? 0,
            relationshipsDeleted: u.relationshipsDeleted ?? 0,
            propertiesSet: u.propertiesSet ?? 0,
            constraintsAdded: u.constraintsAdded ?? 0,
            indexesAdded: u.indexesAdded ?? 0,
          },
        };
      });
    },
    async read(cypher, params) {
      return session.executeRead(async (tx) => (await tx.run(cypher, params)).records.map((r) => r.toObject() as Record<string, unknown>));
    },
    close: () => session.close(),
  };
}
