// The transparency register: every ATRS section present, figures derived from the running configuration
// (change a value → the register changes), manifest and evaluation carried through, HTML escaped.

import { describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../pipelines/core/config.ts';
import { transparencyRegister, type TransparencyInput } from '../../pipelines/accountability/transparency-register.ts';
import { renderTransparencyHtml } from '../../pipelines/accountability/render-html.ts';

function input(config: Config = defaultConfig('/tmp/x')): TransparencyInput {
  return {
    config,
    codeVersion: 'abc123',
    generatedAt: '2026-11-16T06:00:00.000Z',
    manifest: {
      snapshot_id: '2026-11-16-0123456789ab',
      as_of: '2026-11-16',
      code_version: 'abc123',
      reference_tables: [{ name: 'cchi', version: 'CCHI 2020', sha256: 'f'.repeat(64), rows: 698 }],
      inputs: [{ source: 'crime', path: 'crime.csv', sha256: 'e'.repeat(64), rows_read: 10, rows_loaded: 9, rows_rejected: 1, status: 'loaded' }],
    },
    evaluation: {
      snapshot_id: '2026-11-16-0123456789ab',
      as_of: '2026-11-16',
      truth: null,
      figures: [{ name: 'resolution_precision', value: 0.987 }, { name: 'nominals_held', value: 3828 }],
      nominals: { held: 3828, previous: 3800, growth: 28 / 3800, threshold: 0.1, alert: false },
      fairness: { rows: 10, flagged: [{ attribute: 'sex', group: 'M', harm_band: 'A', count: 50, disparity_ratio: 1.5 }], trend: [{ as_of: '2026-11-16', flagged: 1 }] },
      feedback: { total: 3, open: 2, closed: 1, by_status: { open: 2, closed: 1 }, by_kind: { error: 3 } },
    },
    roles: { lab: 'Analytics lab', auditor: 'Auditor' },
    caveats: ['It informs decisions; it does not make them: …'],
  };
}

describe('transparencyRegister', () => {
  it('has every ATRS tier 1 field and tier 2 section, with the required content', () => {
    const r = transparencyRegister(input());
    expect(r.atrs_version).toBe('3.0');
    expect(Object.keys(r.tier_1)).toEqual(['name', 'description', 'website', 'contact_email', 'organisation', 'function', 'phase', 'region']);
    expect(Object.keys(r.tier_2)).toEqual([
      'owner_and_responsibility', 'description_and_rationale', 'decision_making_process', 'tool_specification',
      'data_specification', 'risks_mitigations_and_impact_assessments', 'complaints',
    ]);
    expect(r.tier_1.description).toContain('does not predict');
    expect(r.tier_2.description_and_rationale.what_it_is_not[0]).toMatch(/Not a prediction/);
    expect(r.tier_2.decision_making_process.operating_procedure.length).toBeGreaterThan(2);
    expect(r.tier_2.decision_making_process.decisions_it_informs.length).toBeGreaterThan(0);
    expect(r.tier_2.decision_making_process.access_roles).toEqual([{ role: 'lab', access: 'Analytics lab' }, { role: 'auditor', access: 'Auditor' }]);
    expect(r.tier_2.data_specification.source_data.map((s) => s.name)).toEqual(['crime', 'custody', 'intel', 'pins', 'missing']);
    expect(r.tier_2.data_specification.source_data[0]).toMatchObject({ rows_loaded_latest_week: 9, status_latest_week: 'loaded' });
    expect(r.tier_2.data_specification.source_data[1]).toMatchObject({ rows_loaded_latest_week: null });
    expect(r.tier_2.data_specification.reference_tables).toEqual([{ name: 'cchi', version: 'CCHI 2020', sha256: 'f'.repeat(64) }]);
    expect(r.tier_2.data_specification.reliability_policy).toEqual({
      version: 'reliability-2026.1', grading_3x5x2: { source: ['1'], intel: ['A', 'B', 'C'] }, grading_5x5x5: { source: ['A', 'B'], intel: ['1', '2', '3'] },
    });
    expect(r.tier_2.data_specification.retention[0]).toBe("MOPI group 1: retained to the subject's 100th birthday.");
    expect(r.tier_2.tool_specification.model_performance).toMatchObject({ figures: input().evaluation!.figures, fairness_flags: 1, feedback_open: 2 });
    expect(r.tier_2.complaints.contact_email).toBe('analytics-lab@example.invalid');
    expect(r.metadata).toMatchObject({ code_version: 'abc123', snapshot_id: '2026-11-16-0123456789ab' });
  });

  it('is derived from the running configuration: changing a value changes the register', () => {
    const base = transparencyRegister(input());
    const c = defaultConfig('/tmp/x');
    c.harm.bands.A = 500;
    c.retention.group3ClearYears = 7;
    c.reliability = { ...c.reliability, version: 'reliability-2027.1' };
    c.fairness.disparityThreshold = 1.5;
    c.transparency.contactEmail = 'lab@force.example';
    const changed = transparencyRegister(input(c));
    expect(base.tier_2.description_and_rationale.detailed_description).toContain('A ≥ 365');
    expect(changed.tier_2.description_and_rationale.detailed_description).toContain('A ≥ 500');
    expect(changed.tier_2.data_specification.retention[2]).toBe('MOPI group 3: deleted after a 7-year clear period.');
    expect(changed.tier_2.data_specification.reliability_policy.version).toBe('reliability-2027.1');
    expect(changed.tier_2.data_specification.sensitive_attributes).toContain('disparity ratio of 1.5');
    expect(changed.tier_1.contact_email).toBe('lab@force.example');
    expect(changed.metadata.config_hash).not.toBe(base.metadata.config_hash);
    // paths are the installation, not the configuration of the analysis
    expect(transparencyRegister(input(defaultConfig('/elsewhere'))).metadata.config_hash).toBe(base.metadata.config_hash);
  });

  it('renders escaped HTML with both tiers', () => {
    const c = defaultConfig('/tmp/x');
    c.transparency.organisation = '<script>alert(1)</script> & Co';
    const html = renderTransparencyHtml(transparencyRegister(input(c)));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(html).not.toContain('<script');
    expect(html).toContain('<section id="tier_1">');
    expect(html).toContain('<section id="risks_mitigations_and_impact_assessments">');
    expect(html).toContain('reliability-2026.1');
    expect(html).toContain('0.987');
  });
});

describe('accountability configuration', () => {
  it('rejects invalid fairness and evaluation settings with CONFIG_INVALID', async () => {
    const { validateConfig } = await import('../../pipelines/core/config.ts');
    const bad = (edit: (c: Config) => void) => {
      const c = defaultConfig('/tmp/x');
      edit(c);
      try {
        validateConfig(c);
        return null;
      } catch (e) {
        return (e as { code?: string; message: string }).code + ': ' + (e as Error).message;
      }
    };
    expect(bad(() => {})).toBeNull();
    expect(bad((c) => (c.fairness.disparityThreshold = 0.9))).toMatch(/^CONFIG_INVALID: .*disparityThreshold must be > 1, got 0.9/);
    expect(bad((c) => (c.fairness.minCellSize = 0))).toMatch(/minCellSize/);
    expect(bad((c) => (c.fairness.topN = 2.5))).toMatch(/topN/);
    expect(bad((c) => (c.fairness.populationBaseline = { source: 'x', shares: { ethnicity: { W1: 1.2 } } }))).toMatch(/shares\.ethnicity\.W1 must be a share/);
    expect(bad((c) => (c.evaluation.nominalGrowthAlert = 0))).toMatch(/nominalGrowthAlert/);
  });
});
