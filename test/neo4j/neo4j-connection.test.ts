import { afterEach, describe, expect, it } from 'vitest';
import neo4j from 'neo4j-driver';
import { freshContext, removeDir } from '../helpers/context.ts';
import { memoryLog } from '../../pipelines/core/log.ts';
import { isHarmnetError } from '../../pipelines/core/errors.ts';
import { displayUri, neo4jConnectionError, neo4jSettingsFromEnv, openNeo4jDriver } from '../../graph/neo4j/neo4j-connection.ts';
import { publishSnapshotSafely } from '../../graph/neo4j/publish-snapshot.ts';
import { main as publishMain } from '../../pipelines/cli/commands/publish.ts';
import { WEEK1, writeDemoSnapshot } from './demo-snapshot.ts';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

/** Nothing listens on port 1 of the loopback: a real refused connection, not a fake server. */
const CLOSED = { uri: 'bolt://127.0.0.1:1', user: 'neo4j', password: 'x', connectionTimeoutMs: 2000, maxRetryTimeMs: 500 };

describe('neo4jSettingsFromEnv', () => {
  it('is null without NEO4J_URI (publishing is optional)', () => {
    expect(neo4jSettingsFromEnv({}).connection).toBeNull();
  });
  it('reads NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE and the publisher options', () => {
    const s = neo4jSettingsFromEnv({
      NEO4J_URI: 'neo4j+s://abcd1234.databases.neo4j.io', NEO4J_USER: 'analyst', NEO4J_PASSWORD: 'pw', NEO4J_DATABASE: 'intel',
      HARMNET_NEO4J_PROPERTIES: 'harm_cchi,harm_band', HARMNET_NEO4J_INCLUDE_SAFEGUARDING_ONLY: 'true', HARMNET_NEO4J_BATCH_SIZE: '500',
    });
    expect(s.connection).toEqual({ uri: 'neo4j+s://abcd1234.databases.neo4j.io', user: 'analyst', password: 'pw', database: 'intel' });
    expect(s.options).toEqual({ nominalProperties: ['harm_cchi', 'harm_band'], includeSafeguardingOnly: true, batchSize: 500 });
  });
  it('refuses a batch size that is not a whole number', () => {
    expect(() => neo4jSettingsFromEnv({ HARMNET_NEO4J_BATCH_SIZE: 'lots' })).toThrow('HARMNET_NEO4J_BATCH_SIZE must be a whole number >= 1, got "lots"');
  });
  it.each(['neo4j://h:7687', 'neo4j+s://h', 'neo4j+ssc://h', 'bolt://h:7687', 'bolt+s://h', 'bolt+ssc://h'])('accepts %s', (uri) => {
    expect(neo4jSettingsFromEnv({ NEO4J_URI: uri }).connection?.uri).toBe(uri);
  });
  it('refuses other schemes with CONFIG_INVALID, without echoing credentials', () => {
    expect(() => neo4jSettingsFromEnv({ NEO4J_URI: 'http://user:secret@h:7474' })).toThrow(/NEO4J_URI must start with one of neo4j:\/\/, neo4j\+s:\/\/.*got "http:\/\/h:7474"/);
    expect(displayUri('neo4j+s://u:p@h.io:7687')).toBe('neo4j+s://h.io:7687');
  });
});

describe('connection errors', () => {
  it('an unreachable server is one clear NEO4J_UNAVAILABLE line (real refused connection on 127.0.0.1:1)', async () => {
    const t0 = performance.now();
    const err = await openNeo4jDriver(CLOSED).then(() => undefined, (e: unknown) => e);
    expect(isHarmnetError(err, 'NEO4J_UNAVAILABLE')).toBe(true);
    const message = (err as Error).message;
    expect(message).toMatch(/^cannot reach Neo4j at bolt:\/\/127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1 \(check NEO4J_URI/);
    expect(message).not.toContain('\n');
    expect(performance.now() - t0).toBeLessThan(5000);
  });
  it('an authentication failure is NEO4J_UNAUTHORIZED naming the user and the code', () => {
    const e = new neo4j.Neo4jError('The client is unauthorized due to authentication failure.', 'Neo.ClientError.Security.Unauthorized', '42NFF', 'permission/access denied');
    const h = neo4jConnectionError(e, { uri: 'neo4j+s://h.io', user: 'analyst' });
    expect(h?.code).toBe('NEO4J_UNAUTHORIZED');
    expect(h?.message).toBe('Neo4j at neo4j+s://h.io refused user "analyst": The client is unauthorized due to authentication failure. (Neo.ClientError.Security.Unauthorized; check NEO4J_USER and NEO4J_PASSWORD)');
  });
  it('leaves other errors to the caller', () => {
    expect(neo4jConnectionError(new Error('boom'), { uri: 'bolt://h', user: 'u' })).toBeUndefined();
  });
});

describe('publishSnapshotSafely (the weekly run step)', () => {
  async function snapshots() {
    const ctx = await freshContext();
    cleanup.push(() => removeDir(ctx.root), () => ctx.db.close());
    const dir = `${ctx.root}/snaps`;
    const id = await writeDemoSnapshot(ctx, dir, '2026-11-09', WEEK1);
    return { dir, id };
  }
  it('is skipped when NEO4J_URI is not set', async () => {
    const { dir } = await snapshots();
    const out = await publishSnapshotSafely({ connection: null, snapshotsDir: dir, log: memoryLog(), clock: () => new Date(0) });
    expect(out).toEqual({ status: 'skipped', message: 'Neo4j publish skipped: NEO4J_URI is not set' });
  });
  it('never throws when Neo4j is down: returns failed with the reason and logs a warning', async () => {
    const { dir, id } = await snapshots();
    const log = memoryLog();
    const out = await publishSnapshotSafely({ connection: CLOSED, snapshotsDir: dir, snapshotId: id, log, clock: () => new Date(0) });
    expect(out.status).toBe('failed');
    expect(out.message).toMatch(/^cannot reach Neo4j at bolt:\/\/127.0.0.1:1: connect ECONNREFUSED/);
    expect(log.lines).toEqual([`warning: ${out.message} (will be retried next run)`]);
  });
  it('reports a missing snapshot as failed too', async () => {
    const { dir } = await snapshots();
    const out = await publishSnapshotSafely({ connection: CLOSED, snapshotsDir: dir, snapshotId: '2020-01-01-000000000000', log: memoryLog(), clock: () => new Date(0) });
    expect(out.status).toBe('failed');
    expect(out.message).toMatch(/snapshot "2020-01-01-000000000000" not found/);
  });
});

describe('harmnet publish neo4j', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ['NEO4J_URI', 'NEO4J_USER', 'NEO4J_PASSWORD', 'NEO4J_DATABASE']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  it('without NEO4J_URI fails with CONFIG_INVALID naming the variable', async () => {
    delete process.env.NEO4J_URI;
    await expect(publishMain(['neo4j', '--snapshots', '/nonexistent'])).rejects.toThrow(/NEO4J_URI is not set/);
  });
  it('against a closed port fails with NEO4J_UNAVAILABLE', async () => {
    const ctx = await freshContext();
    cleanup.push(() => removeDir(ctx.root), () => ctx.db.close());
    await writeDemoSnapshot(ctx, `${ctx.root}/snaps`, '2026-11-09', WEEK1);
    process.env.NEO4J_URI = 'bolt://127.0.0.1:1';
    process.env.NEO4J_PASSWORD = 'x';
    const err = await publishMain(['neo4j', '--snapshots', `${ctx.root}/snaps`, '--connection-timeout', '2000', '--json']).then(() => undefined, (e: unknown) => e);
    expect(isHarmnetError(err, 'NEO4J_UNAVAILABLE')).toBe(true);
  });
  it('rejects an unknown target and a bad batch size as USAGE', async () => {
    await expect(publishMain(['postgres'])).rejects.toThrow(/unknown target "postgres"/);
    process.env.NEO4J_URI = 'bolt://127.0.0.1:1';
    await expect(publishMain(['neo4j', '--batch-size', '0', '--snapshots', '/nonexistent'])).rejects.toThrow(/--batch-size must be a whole number >= 1, got "0"/);
  });
});
