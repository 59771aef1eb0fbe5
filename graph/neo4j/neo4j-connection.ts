// Connection settings for a force's Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE),
// opening a verified driver, and turning driver failures into one-line HarmnetErrors.

import neo4j, { type Driver } from 'neo4j-driver';
import { HarmnetError } from '../../pipelines/core/errors.ts';
import { parsePropertyList, type Neo4jOptions } from './neo4j-options.ts';

export interface Neo4jConnectionSettings {
  /** neo4j://, neo4j+s:// (Aura), neo4j+ssc://, bolt://, bolt+s://, bolt+ssc:// */
  uri: string;
  user: string;
  password: string;
  /** Omitted: the server's default database. */
  database?: string;
  /** Socket connect timeout (driver default 30 s). */
  connectionTimeoutMs?: number;
  /** How long executeWrite keeps retrying transient failures (driver default 30 s). */
  maxRetryTimeMs?: number;
}

export const SUPPORTED_SCHEMES = ['neo4j', 'neo4j+s', 'neo4j+ssc', 'bolt', 'bolt+s', 'bolt+ssc'] as const;

/**
 * The one place the Neo4j settings are read from the environment (callers pass process.env).
 * Returns connection null when NEO4J_URI is unset (publishing is optional), plus any publisher
 * options set by HARMNET_NEO4J_PROPERTIES / HARMNET_NEO4J_INCLUDE_SAFEGUARDING_ONLY / HARMNET_NEO4J_BATCH_SIZE.
 */
export function neo4jSettingsFromEnv(env: NodeJS.ProcessEnv): { connection: Neo4jConnectionSettings | null; options: Partial<Neo4jOptions> } {
  const options: Partial<Neo4jOptions> = {};
  if (env.HARMNET_NEO4J_PROPERTIES) options.nominalProperties = parsePropertyList(env.HARMNET_NEO4J_PROPERTIES);
  if (env.HARMNET_NEO4J_INCLUDE_SAFEGUARDING_ONLY) {
    const v = env.HARMNET_NEO4J_INCLUDE_SAFEGUARDING_ONLY.toLowerCase();
    if (!['true', 'false', '1', '0'].includes(v)) throw new HarmnetError('CONFIG_INVALID', `HARMNET_NEO4J_INCLUDE_SAFEGUARDING_ONLY must be true or false, got "${env.HARMNET_NEO4J_INCLUDE_SAFEGUARDING_ONLY}"`);
    options.includeSafeguardingOnly = v === 'true' || v === '1';
  }
  if (env.HARMNET_NEO4J_BATCH_SIZE) {
    const n = Number(env.HARMNET_NEO4J_BATCH_SIZE);
    if (!Number.isInteger(n) || n < 1) throw new HarmnetError('CONFIG_INVALID', `HARMNET_NEO4J_BATCH_SIZE must be a whole number >= 1, got "${env.HARMNET_NEO4J_BATCH_SIZE}"`);
    options.batchSize = n;
  }
  const uri = env.NEO4J_URI?.trim();
  if (!uri) return { connection: null, options };
  const connection: Neo4jConnectionSettings = {
    uri,
    user: env.NEO4J_USER || env.NEO4J_USERNAME || 'neo4j',
    password: env.NEO4J_PASSWORD ?? '',
    database: env.NEO4J_DATABASE || undefined,
  };
  checkUri(connection.uri);
  return { connection, options };
}

/** The URI without any user:password part, for messages and reports. */
export function displayUri(uri: string): string {
  return uri.replace(/^([a-z0-9+.-]+:\/\/)[^@/]*@/i, '$1');
}

function checkUri(uri: string): void {
  const scheme = /^([a-z0-9+.-]+):\/\//i.exec(uri)?.[1]?.toLowerCase();
  if (!scheme || !(SUPPORTED_SCHEMES as readonly string[]).includes(scheme)) {
    throw new HarmnetError('CONFIG_INVALID', `NEO4J_URI must start with one of ${SUPPORTED_SCHEMES.map((s) => s + '://').join(', ')}, got "${displayUri(uri)}"`);
  }
}

const UNAVAILABLE = new Set(['ServiceUnavailable', 'SessionExpired']);
const UNAUTHORIZED = new Set([
  'Neo.ClientError.Security.Unauthorized',
  'Neo.ClientError.Security.AuthenticationRateLimit',
  'Neo.ClientError.Security.CredentialsExpired',
  'Neo.ClientError.Security.Forbidden',
  'Neo.ClientError.Security.TokenExpired',
]);

/** The driver's reason in one line: its "Caused by:" detail when present, else its first sentence. */
function reason(e: { message?: string }): string {
  const msg = String(e.message ?? '').replace(/\s+/g, ' ').trim();
  const caused = /Caused by: (.*)$/.exec(msg)?.[1];
  if (caused) return caused;
  const first = /^(.*?\.)(\s|$)/.exec(msg)?.[1];
  return first ?? msg;
}

/**
 * A driver error as a one-line HarmnetError (NEO4J_UNAVAILABLE, NEO4J_UNAUTHORIZED, CONFIG_INVALID
 * for an unknown database), or undefined when it is none of these (the caller wraps it).
 */
export function neo4jConnectionError(e: unknown, settings: Pick<Neo4jConnectionSettings, 'uri' | 'user' | 'database'>): HarmnetError | undefined {
  if (e instanceof HarmnetError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const uri = displayUri(settings.uri);
  if (UNAVAILABLE.has(code)) {
    return new HarmnetError('NEO4J_UNAVAILABLE', `cannot reach Neo4j at ${uri}: ${reason(e as Error)} (check NEO4J_URI, the server and its encryption scheme)`, { cause: e });
  }
  if (UNAUTHORIZED.has(code)) {
    return new HarmnetError('NEO4J_UNAUTHORIZED', `Neo4j at ${uri} refused user "${settings.user}": ${reason(e as Error)} (${code}; check NEO4J_USER and NEO4J_PASSWORD)`, { cause: e });
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
    return new HarmnetError('CONFIG_INVALID', `Neo4j at ${uri} has no database "${settings.database ?? '(default)'}" (check NEO4J_DATABASE)`, { cause: e });
  }
  return undefined;
}

/** Opens a driver and checks it can connect and authenticate; the caller closes it. */
export async function openNeo4jDriver(settings: Neo4jConnectionSettings): Promise<Driver> {
  checkUri(settings.uri);
  let driver: Driver;
  try {
    driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password), {
      connectionTimeout: settings.connectionTimeoutMs ?? 30_000,
      maxTransactionRetryTime: settings.maxRetryTimeMs ?? 30_000,
      disableLosslessIntegers: true,
      userAgent: 'harmnet',
    });
  } catch (e) {
    throw new HarmnetError('CONFIG_INVALID', `NEO4J_URI "${displayUri(settings.uri)}" is not usable: ${reason(e as Error)}`, { cause: e });
  }
  try {
    await driver.verifyConnectivity(settings.database ? { database: settings.database } : {});
    return driver;
  } catch (e) {
    await driver.close();
    throw neo4jConnectionError(e, settings) ?? new HarmnetError('NEO4J_UNAVAILABLE', `cannot use Neo4j at ${displayUri(settings.uri)}: ${reason(e as Error)}`, { cause: e });
  }
}
