// The one resolved, frozen configuration. Every analytic default lives here (or is re-exported here
// from beside its code), and the whole object is written into each snapshot manifest.
// The only place harmnet reads process.env is `configFromEnv`.

import path from 'node:path';
import { HarmnetError } from './errors.ts';

export interface Paths {
  warehouse: string;
  snapshots: string;
  serving: string;
  extracts: string;
}

export interface ReliabilityPolicy {
  version: string;
  /** 3x5x2: source grades and intelligence grades accepted. */
  grading3x5x2: { source: string[]; intel: string[] };
  /** 5x5x5 (legacy, before 2017). */
  grading5x5x5: { source: string[]; intel: string[] };
}

export interface Config {
  paths: Paths;
  reliability: ReliabilityPolicy;
  linkTypeWeights: Record<'CO_OFFENDING' | 'OFFENDER_VICTIM' | 'CO_ARREST' | 'INTEL_ASSOCIATION' | 'FOUND_WITH', number>;
  edgeDecayHalfLifeMonths: number;
  harm: {
    lookbackYears: number;
    decayPerYear: number; // contribution × (decayPerYear)^(age_days/365.25)
    allegedWeight: number;
    bands: { A: number; B: number; C: number };
  };
  resolution: { matchThreshold: number; possibleThreshold: number; seed: number };
  communities: {
    resolution: number; seed: number; minNetworkSize: number; lineageJaccard: number;
    /** Activity-aware tracking (docs/networks-and-influence.md): days without contact that make two groups apart, days within which a group is operating, days without a link after which a member is inactive, active members a network needs. */
    activity: { contactDays: number; operatingDays: number; activeDays: number; minActiveMembers: number };
  };
  retention: { group1AgeYears: number; group2ReviewYears: number; group3ClearYears: number; snapshotRetentionWeeks: number };
  fairness: {
    disparityThreshold: number;
    /** A group is flagged only when at least this many nominals of it are in the cohort (noise floor). */
    minCellSize: number;
    /** Size of the top-influence cohorts (top N by each centrality rank). */
    topN: number;
    /** Optional population shares per attribute and group (e.g. Census 2021); none shipped by default. */
    populationBaseline: { source: string | null; shares: Record<string, Record<string, number>> };
  };
  evaluation: {
    /** Week-on-week growth in nominals held (as a share) above which the evaluation report raises an alert. */
    nominalGrowthAlert: number;
    /**
     * After a code-version change the weekly run evaluates itself against ground truth (when a truth
     * folder exists). Above this many nominals that is left to `harmnet evaluate report` (it needs
     * memory a weekly run should not spend); the deployment log records that it was skipped.
     */
    autoEvaluateMaxNominals: number;
  };
  /** Who answers for the tool, as published in the transparency register (ATRS tier 1 / 2.1). */
  transparency: {
    organisation: string;
    team: string;
    seniorResponsibleOwner: string;
    contactEmail: string;
    complaints: string;
    phase: 'pre-deployment' | 'beta' | 'production' | 'retired';
  };
  schedule: { cron: string; timezone: string };
}

export const DEFAULT_RELIABILITY: ReliabilityPolicy = {
  version: 'reliability-2026.1',
  grading3x5x2: { source: ['1'], intel: ['A', 'B', 'C'] },
  grading5x5x5: { source: ['A', 'B'], intel: ['1', '2', '3'] },
};

export function defaultConfig(root = 'var'): Config {
  return {
    paths: {
      warehouse: path.join(root, 'warehouse.duckdb'),
      snapshots: path.join(root, 'snapshots'),
      serving: path.join(root, 'serving.duckdb'),
      extracts: path.join(root, 'extracts'),
    },
    reliability: DEFAULT_RELIABILITY,
    linkTypeWeights: { CO_OFFENDING: 1.0, OFFENDER_VICTIM: 0.6, CO_ARREST: 0.8, INTEL_ASSOCIATION: 0.5, FOUND_WITH: 0.7 },
    edgeDecayHalfLifeMonths: 12,
    harm: { lookbackYears: 5, decayPerYear: 2 / 3, allegedWeight: 0.5, bands: { A: 365, B: 60, C: 10 } },
    resolution: { matchThreshold: 0.95, possibleThreshold: 0.5, seed: 42 },
    communities: { resolution: 1.0, seed: 42, minNetworkSize: 3, lineageJaccard: 0.3, activity: { contactDays: 56, operatingDays: 14, activeDays: 365, minActiveMembers: 2 } },
    retention: { group1AgeYears: 100, group2ReviewYears: 10, group3ClearYears: 6, snapshotRetentionWeeks: 104 },
    fairness: { disparityThreshold: 1.25, minCellSize: 10, topN: 100, populationBaseline: { source: null, shares: {} } },
    evaluation: { nominalGrowthAlert: 0.1, autoEvaluateMaxNominals: 250_000 },
    transparency: {
      organisation: 'Example police force (demonstration installation; all data synthetic)',
      team: 'Data Analytics Lab, Intelligence Department',
      seniorResponsibleOwner: 'Director of Intelligence',
      contactEmail: 'analytics-lab@example.invalid',
      complaints:
        'Report an error or bias from any dashboard page (tracked to closure by the lab), or write to the contact address. Complaints about police conduct go to the force Professional Standards Department or the Independent Office for Police Conduct.',
      phase: 'beta',
    },
    schedule: { cron: '0 2 * * 1', timezone: 'Europe/London' },
  };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** Overrides from CLI flags / env, validated field by field, then frozen. */
export function resolveConfig(overrides: { warehouse?: string; snapshots?: string; serving?: string; root?: string } = {}): Readonly<Config> {
  const c = defaultConfig(overrides.root ?? 'var');
  if (overrides.warehouse) c.paths.warehouse = overrides.warehouse;
  if (overrides.snapshots) c.paths.snapshots = overrides.snapshots;
  if (overrides.serving) c.paths.serving = overrides.serving;
  validateConfig(c);
  return deepFreeze(c);
}

export function validateConfig(c: Config): void {
  const { bands } = c.harm;
  if (!(bands.A > bands.B && bands.B > bands.C && bands.C > 0)) {
    throw new HarmnetError('CONFIG_INVALID', `config harm.bands must satisfy A > B > C > 0, got ${JSON.stringify(bands)}`);
  }
  if (!(c.harm.decayPerYear > 0 && c.harm.decayPerYear <= 1)) {
    throw new HarmnetError('CONFIG_INVALID', `config harm.decayPerYear must be in (0, 1], got ${c.harm.decayPerYear}`);
  }
  if (!(c.communities.lineageJaccard > 0 && c.communities.lineageJaccard <= 1)) {
    throw new HarmnetError('CONFIG_INVALID', `config communities.lineageJaccard must be in (0, 1], got ${c.communities.lineageJaccard}`);
  }
  const ca = c.communities.activity;
  if (!(Number.isInteger(ca.operatingDays) && ca.operatingDays >= 1 && Number.isInteger(ca.contactDays) && ca.contactDays >= ca.operatingDays && Number.isInteger(ca.activeDays) && ca.activeDays >= 1 && Number.isInteger(ca.minActiveMembers) && ca.minActiveMembers >= 0)) {
    throw new HarmnetError('CONFIG_INVALID', `config communities.activity must have whole-number days with contactDays ≥ operatingDays ≥ 1, activeDays ≥ 1 and minActiveMembers ≥ 0, got ${JSON.stringify(ca)}`);
  }
  const f = c.fairness;
  if (!(f.disparityThreshold > 1)) throw new HarmnetError('CONFIG_INVALID', `config fairness.disparityThreshold must be > 1, got ${f.disparityThreshold}`);
  if (!(Number.isInteger(f.minCellSize) && f.minCellSize >= 1)) throw new HarmnetError('CONFIG_INVALID', `config fairness.minCellSize must be a whole number ≥ 1, got ${f.minCellSize}`);
  if (!(Number.isInteger(f.topN) && f.topN >= 1)) throw new HarmnetError('CONFIG_INVALID', `config fairness.topN must be a whole number ≥ 1, got ${f.topN}`);
  for (const [attribute, shares] of Object.entries(f.populationBaseline.shares)) {
    for (const [group, share] of Object.entries(shares)) {
      if (!(share >= 0 && share <= 1)) throw new HarmnetError('CONFIG_INVALID', `config fairness.populationBaseline.shares.${attribute}.${group} must be a share in [0, 1], got ${share}`);
    }
  }
  if (!(c.evaluation.nominalGrowthAlert > 0)) throw new HarmnetError('CONFIG_INVALID', `config evaluation.nominalGrowthAlert must be > 0, got ${c.evaluation.nominalGrowthAlert}`);
}

/** The one place harmnet reads the environment. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): { root?: string; warehouse?: string; snapshots?: string; serving?: string } {
  return {
    root: env.HARMNET_HOME || undefined,
    warehouse: env.HARMNET_WAREHOUSE || undefined,
    snapshots: env.HARMNET_SNAPSHOTS || undefined,
    serving: env.HARMNET_SERVING || undefined,
  };
}
