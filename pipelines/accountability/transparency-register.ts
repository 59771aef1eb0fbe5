// The transparency register (safeguard 19), built from the running configuration, code version, latest
// snapshot manifest and evaluation figures; structured after the UK Algorithmic Transparency Recording Standard v3.

import type { Config } from '../core/config.ts';
import type { Manifest } from '../snapshot/snapshot-manifest.ts';
import type { EvaluationReport } from './evaluation-report.ts';
import { configHash } from './config-hash.ts';

export const ATRS_VERSION = '3.0';
export const REGISTER_FORMAT = 'harmnet-transparency/1';

export interface TransparencyInput {
  config: Readonly<Config>;
  codeVersion: string;
  /** ISO timestamp of generation (from the caller's clock). */
  generatedAt: string;
  manifest: Pick<Manifest, 'snapshot_id' | 'as_of' | 'code_version' | 'reference_tables' | 'inputs'> | null;
  evaluation: Pick<EvaluationReport, 'snapshot_id' | 'as_of' | 'figures' | 'truth' | 'nominals' | 'fairness' | 'feedback'> | null;
  /** Access roles and what each may do (the dashboards' ROLE_LABELS). */
  roles: Record<string, string>;
  caveats: string[];
}

export interface Register {
  format: string;
  atrs_version: string;
  metadata: { generated_at: string; code_version: string; config_hash: string; snapshot_id: string | null; snapshot_as_of: string | null };
  tier_1: {
    name: string;
    description: string;
    website: string | null;
    contact_email: string;
    organisation: string;
    function: string;
    phase: string;
    region: string;
  };
  tier_2: {
    owner_and_responsibility: { organisation: string; team: string; senior_responsible_owner: string; external_supplier: string };
    description_and_rationale: { detailed_description: string; scope: string; what_it_is_not: string[]; benefits: string; previous_process: string; alternatives_considered: string };
    decision_making_process: {
      process_integration: string;
      operating_procedure: string[];
      provided_information: string;
      frequency_and_scale_of_usage: string;
      human_decisions_and_review: string;
      decisions_it_informs: string[];
      required_training: string;
      appeals_and_review: string;
      access_roles: { role: string; access: string }[];
      caveats: string[];
    };
    tool_specification: {
      system_architecture: string;
      phase: string;
      maintenance: string;
      models: { name: string; version: string; task: string; method: string; parameters: Record<string, unknown> }[];
      model_performance: { evaluated_snapshot: string | null; ground_truth: string; figures: { name: string; value: number | null }[]; fairness_flags: number | null; feedback_open: number | null };
    };
    data_specification: {
      source_data: { name: string; data_modality: string; description: string; rows_loaded_latest_week: number | null; status_latest_week: string | null }[];
      excluded_data: string[];
      sensitive_attributes: string;
      reliability_policy: { version: string; grading_3x5x2: { source: string[]; intel: string[] }; grading_5x5x5: { source: string[]; intel: string[] } };
      reference_tables: { name: string; version: string; sha256: string }[];
      data_access_and_storage: string;
      retention: string[];
    };
    risks_mitigations_and_impact_assessments: { impact_assessment: string; risks: { risk: string; mitigation: string }[]; fairness_monitoring: string };
    complaints: { contact_email: string; route: string };
  };
}

const SOURCES: { name: string; modality: string; description: string }[] = [
  { name: 'crime', modality: 'structured records', description: 'Recorded crimes with the people involved, their roles (suspect, offender, victim, witness) and outcomes.' },
  { name: 'custody', modality: 'structured records', description: 'Custody records: arrests and the people arrested together on one occasion.' },
  { name: 'intel', modality: 'structured records', description: 'Intelligence report subjects and associates — only reports graded reliable under the policy below; opinion, not evidence.' },
  { name: 'pins', modality: 'structured records', description: 'Prison custody (receptions, expected and actual releases) to show people in custody as such.' },
  { name: 'missing', modality: 'structured records', description: 'Missing-person episodes and who the person was found with (safeguarding only; never scored).' },
];

/** Pure: the register for the given configuration, versions and latest figures. */
export function transparencyRegister(input: TransparencyInput): Register {
  const { config: c, manifest: m, evaluation: e } = input;
  const t = c.transparency;
  const bands = c.harm.bands;
  const rl = c.reliability;
  const inputBySource = new Map((m?.inputs ?? []).map((i) => [i.source, i]));
  return {
    format: REGISTER_FORMAT,
    atrs_version: ATRS_VERSION,
    metadata: {
      generated_at: input.generatedAt,
      code_version: input.codeVersion,
      config_hash: configHash(c),
      snapshot_id: m?.snapshot_id ?? null,
      snapshot_as_of: m?.as_of ?? null,
    },
    tier_1: {
      name: 'harmnet — criminal-network analysis dashboards',
      description:
        'Each week harmnet links the people named in five police record systems, builds the network of who has been recorded together, ' +
        'and describes each person and network by the harm of their recorded offences. Analysts and senior officers use the dashboards to ' +
        'decide where to look first. It describes recorded harm and recorded links only; it does not predict anyone\'s future offending.',
      website: null,
      contact_email: t.contactEmail,
      organisation: t.organisation,
      function: 'Law enforcement — intelligence analysis',
      phase: t.phase,
      region: 'Force area',
    },
    tier_2: {
      owner_and_responsibility: {
        organisation: t.organisation,
        team: t.team,
        senior_responsible_owner: t.seniorResponsibleOwner,
        external_supplier: 'None: built and maintained in-house; open-source components only.',
      },
      description_and_rationale: {
        detailed_description:
          `Entity resolution (Fellegi-Sunter, match threshold ${c.resolution.matchThreshold}) groups source identities into nominals. Links come only from ` +
          `co-involvement in one record, weighted by type (${Object.entries(c.linkTypeWeights).map(([k, v]) => `${k} ${v}`).join(', ')}) and halving every ` +
          `${c.edgeDecayHalfLifeMonths} months. Networks are Louvain communities (resolution ${c.communities.resolution}, at least ${c.communities.minNetworkSize} members) ` +
          `kept under one id week to week when member overlap (Jaccard) is at least ${c.communities.lineageJaccard}. Harm is the Cambridge Crime Harm Index and ONS ` +
          `Crime Severity weight of each recorded offence where the person is suspect or offender, within ${c.harm.lookbackYears} years, falling by ` +
          `${Math.round((1 - c.harm.decayPerYear) * 1000) / 10} % a year, alleged harm at weight ${c.harm.allegedWeight}, NFA and acquittal at zero. ` +
          `Bands on headline CCHI days: A ≥ ${bands.A}, B ≥ ${bands.B}, C ≥ ${bands.C}, D > 0.`,
        scope: 'People recorded in the force\'s crime, custody, reliable-graded intelligence, prison and missing-person systems; networks among them.',
        what_it_is_not: [
          'Not a prediction or a "risk score": nothing estimates who will offend.',
          'Not a decision-maker: no tasking, arrest or other decision is made by the tool.',
          'Not a source of evidence: intelligence-derived links are labelled "intelligence — not evidence".',
          'Does not use stop and search, free text, health or drug markers, addresses or areas.',
          'Victims, witnesses and missing people are never scored or ranked.',
        ],
        benefits: 'One consistent, explainable weekly picture of recorded harm and recorded association, reproducible for disclosure from point-in-time snapshots.',
        previous_process: 'Manual network charts compiled by analysts from separate systems.',
        alternatives_considered: 'Predictive risk scoring (rejected: the tool describes only what is recorded); counts of offences without harm weighting (rejected: treats all offences alike).',
      },
      decision_making_process: {
        process_integration: 'Dashboards inform analysts\' and senior officers\' tasking discussions; every figure links to the source records for confirmation in the source system.',
        operating_procedure: [
          `Weekly job (schedule "${c.schedule.cron}", ${c.schedule.timezone}): ingest the five extracts → curate → retention → resolve → network → harm → analyse → fairness → snapshot.`,
          'Each week is frozen as an immutable, hash-verified snapshot; the dashboards read only snapshots.',
          'Analysts confirm every record relied on in its source system before acting.',
          'No under-18 appears in a key-nominals list without a recorded review.',
          'Errors and bias concerns are reported from any page and tracked to closure by the lab.',
        ],
        provided_information: 'Per person: harm score and band (proven and alleged apart), links with evidence, influence measures; per network: members, harm, type tags, lineage; change alerts with evidence.',
        frequency_and_scale_of_usage: e ? `Weekly; ${e.nominals.held} nominals held in the snapshot of ${e.as_of}.` : 'Weekly.',
        human_decisions_and_review: 'Every decision is made by officers and analysts; the tool informs. Same-person decisions by analysts override the matcher and are logged.',
        decisions_it_informs: [
          'Which networks and people analysts review first for intelligence development.',
          'Tasking and co-ordination priorities set by senior officers.',
          'Safeguarding referrals for children found with adults who have recorded harm.',
          'Partner list matches (whether a submitted person is in a network, with harm score and band only).',
        ],
        required_training: 'Users acknowledge the caveats at every session; analysts are trained in the Probability Yardstick and the harm method.',
        appeals_and_review: 'Subject access exports everything held on a nominal; feedback on errors is tracked to closure; snapshots make any past output reproducible.',
        access_roles: Object.entries(input.roles).map(([role, access]) => ({ role, access })),
        caveats: input.caveats,
      },
      tool_specification: {
        system_architecture: 'Weekly batch pipeline into one DuckDB warehouse; immutable Parquet snapshots with a manifest of hashes; role-restricted dashboards reading snapshots; optional Neo4j publication.',
        phase: t.phase,
        maintenance: 'Every code-version change re-runs the evaluation and records it beside the previous version\'s figures in the deployment log.',
        models: [
          { name: 'entity resolution', version: input.codeVersion, task: 'group source identities into nominals', method: 'Fellegi-Sunter record linkage', parameters: { ...c.resolution } },
          { name: 'harm', version: input.codeVersion, task: 'describe recorded harm', method: 'Cambridge Crime Harm Index and ONS Crime Severity Score, decayed', parameters: { ...c.harm } },
          { name: 'communities', version: input.codeVersion, task: 'find networks and track them', method: 'Louvain (Blondel et al. 2008) with Jaccard lineage', parameters: { ...c.communities } },
        ],
        model_performance: {
          evaluated_snapshot: e?.snapshot_id ?? null,
          ground_truth: e?.truth ? 'synthetic generator ground truth (demo data)' : 'no ground truth available for live data: accuracy figures are from labelled or synthetic data only',
          figures: e?.figures ?? [],
          fairness_flags: e?.fairness ? e.fairness.flagged.length : null,
          feedback_open: e?.feedback ? e.feedback.open : null,
        },
      },
      data_specification: {
        source_data: SOURCES.map((s) => ({
          name: s.name,
          data_modality: s.modality,
          description: s.description,
          rows_loaded_latest_week: inputBySource.get(s.name)?.rows_loaded ?? null,
          status_latest_week: inputBySource.get(s.name)?.status ?? null,
        })),
        excluded_data: ['stop and search', 'free text', 'health and drug-intervention markers', 'address and area features', 'intelligence below the reliability policy'],
        sensitive_attributes:
          `Ethnicity (self-defined code) is carried only for the weekly fairness report and never enters linking, scoring or ranking (tested). Fairness: ethnicity, sex and age group ` +
          `per harm band, top ${c.fairness.topN} by each influence measure and network membership against all nominals; flagged above a disparity ratio of ` +
          `${c.fairness.disparityThreshold} with at least ${c.fairness.minCellSize} people; population baseline: ${c.fairness.populationBaseline.source ?? 'none configured'}.`,
        reliability_policy: { version: rl.version, grading_3x5x2: { ...rl.grading3x5x2 }, grading_5x5x5: { ...rl.grading5x5x5 } },
        reference_tables: (m?.reference_tables ?? []).map((r) => ({ name: r.name, version: r.version, sha256: r.sha256 })),
        data_access_and_storage: 'One warehouse written only by the weekly job; snapshots read-only; every view of a nominal audited in a hash-chained log.',
        retention: [
          `MOPI group 1: retained to the subject's ${c.retention.group1AgeYears}th birthday.`,
          `MOPI group 2: reviewed every ${c.retention.group2ReviewYears} years.`,
          `MOPI group 3: deleted after a ${c.retention.group3ClearYears}-year clear period.`,
          `Snapshots kept ${c.retention.snapshotRetentionWeeks} weeks unless on a CPIA legal hold.`,
          'Subjects who no longer appear in the source systems drop out at the next weekly run.',
        ],
      },
      risks_mitigations_and_impact_assessments: {
        impact_assessment: 'Data protection and equality impact assessments are held by the organisation named above.',
        risks: [
          { risk: 'Wrongly matched records', mitigation: `Match threshold ${c.resolution.matchThreshold}; match likelihoods in Probability Yardstick terms; analyst decisions override; precision/recall evaluated.` },
          { risk: 'Bias against groups', mitigation: 'Ethnicity excluded from all analytics; weekly fairness report with flags; feedback tracked to closure.' },
          { risk: 'Reliance on intelligence as fact', mitigation: `Only grades in policy ${rl.version}; intelligence links labelled "intelligence — not evidence".` },
          { risk: 'Out-of-date records', mitigation: `Harm decays and ends after ${c.harm.lookbackYears} years; MOPI retention; people with no new records become historic.` },
        ],
        fairness_monitoring: e?.fairness ? `${e.fairness.flagged.length} disparity flags in the snapshot of ${e.as_of}.` : 'Fairness report not yet available for the latest snapshot.',
      },
      complaints: { contact_email: t.contactEmail, route: t.complaints },
    },
  };
}
