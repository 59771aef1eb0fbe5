// What the Neo4j publisher and import export write: the property allow-list, whether safeguarding-only
// nominals appear, the batch size. Defaults live here, beside the code; resolveNeo4jOptions validates once.

import { HarmnetError } from '../../pipelines/core/errors.ts';

export interface Neo4jOptions {
  /**
   * Nominal columns published as properties (nominal_id is always included). The default carries
   * no names, dates of birth, sex or PNC ids: only what analysts need to explore the network.
   */
  nominalProperties: readonly string[];
  /** Victim/witness/missing-only nominals (safeguarding_only) are absent unless this is true. */
  includeSafeguardingOnly: boolean;
  /** Rows per `UNWIND $rows` transaction and per deletion batch. */
  batchSize: number;
}

/** The default allow-list: id, harm figures and band, flags, network and centralities. */
export const DEFAULT_NOMINAL_PROPERTIES: readonly string[] = Object.freeze([
  'nominal_id',
  'under_18',
  'in_custody',
  'historic',
  'safeguarding_only',
  'harm_cchi',
  'harm_cchi_proven',
  'harm_cchi_alleged',
  'harm_ons',
  'harm_ons_proven',
  'harm_ons_alleged',
  'harm_band',
  'harm_rank',
  'network_id',
  'degree',
  'weighted_degree',
  'pagerank',
  'eigenvector',
  'betweenness',
  'closeness',
  'key_player_impact',
]);

/** Personal details a force may add to the allow-list deliberately (never by default). */
export const PERSONAL_NOMINAL_PROPERTIES: readonly string[] = Object.freeze(['display_name', 'date_of_birth', 'sex', 'pnc_id', 'age_years']);

export const NEO4J_DEFAULTS: Readonly<Neo4jOptions> = Object.freeze({
  nominalProperties: DEFAULT_NOMINAL_PROPERTIES,
  includeSafeguardingOnly: false,
  batchSize: 1000,
});

const PROPERTY_NAME = /^[a-z][a-z0-9_]*$/;

/** Fills defaults and validates every field, collecting problems into one error. */
export function resolveNeo4jOptions(partial: Partial<Neo4jOptions> = {}): Readonly<Neo4jOptions> {
  const o: Neo4jOptions = { ...NEO4J_DEFAULTS, ...partial };
  const problems: string[] = [];
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1 || o.batchSize > 100_000) {
    problems.push(`neo4j batch size must be a whole number from 1 to 100000, got ${JSON.stringify(o.batchSize)}`);
  }
  for (const p of o.nominalProperties) {
    if (!PROPERTY_NAME.test(p)) problems.push(`neo4j nominal property "${p}" is not a column name (lower_snake_case expected)`);
  }
  if (problems.length > 0) throw new HarmnetError('CONFIG_INVALID', problems.join('; '));
  const props = ['nominal_id', ...o.nominalProperties.filter((p) => p !== 'nominal_id')];
  return Object.freeze({ ...o, nominalProperties: Object.freeze([...new Set(props)]) });
}

/** Parses a comma-separated allow-list (a flag or environment value); "+a,b" adds to the default. */
export function parsePropertyList(text: string): string[] {
  const trimmed = text.trim();
  const add = trimmed.startsWith('+');
  const names = (add ? trimmed.slice(1) : trimmed).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return add ? [...DEFAULT_NOMINAL_PROPERTIES, ...names] : names;
}
