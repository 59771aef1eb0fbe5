// The caveats every user acknowledges once per session and every export carries (safeguards.md 11),
// in the product's own plain words. Bump CAVEATS_VERSION whenever the wording changes.

export const CAVEATS_VERSION = 'caveats-2026.1';

export interface Caveat {
  key: string;
  title: string;
  text: string;
}

export const CAVEATS: Caveat[] = [
  {
    key: 'augments',
    title: 'It informs decisions; it does not make them',
    text: 'These dashboards augment, and never replace, the judgement of officers and analysts. No tasking, arrest or other decision may rest on this tool alone.',
  },
  {
    key: 'error',
    title: 'It can be wrong — tell us',
    text: 'Records can be mis-keyed, people can be wrongly matched across systems and links can be out of date. If you see an error or a possible bias, use "Report an error or a bias concern" on any page; the analytics lab tracks every report to closure.',
  },
  {
    key: 'reliability',
    title: 'Confirm in the source system',
    text: 'Check every record you rely on in its source system before acting. Each figure shows the source references it came from.',
  },
  {
    key: 'yardstick',
    title: 'Likelihoods use the Probability Yardstick',
    text: 'Where the tool says how likely something is (for example that two records are the same person) it uses the Probability Yardstick terms — remote chance, highly unlikely, unlikely, realistic possibility, likely, highly likely, almost certain — not certainties.',
  },
  {
    key: 'bias',
    title: 'Watch for bias',
    text: 'Monitor what you see for bias, using the fairness report. Never act on a link or a person identified solely by a protected characteristic such as ethnicity, sex, age, religion or disability.',
  },
  {
    key: 'cpia',
    title: 'Retention duties under CPIA',
    text: 'What you view or export may be relevant material under the Criminal Procedure and Investigations Act 1996: record and retain it as the Act and the Code of Practice require.',
  },
  {
    key: 'sensitive',
    title: 'Sensitive material',
    text: 'Every product of this tool is sensitive material (MG6D) and may be subject to public interest immunity (PII). Consult Force Intelligence before any disclosure.',
  },
  {
    key: 'legal-basis',
    title: 'Share only with a legal basis',
    text: 'Share any of this information outside the Intelligence Department only where there is a lawful basis to do so, and record what was shared, with whom and why.',
  },
  {
    key: 'handling',
    title: 'Check handling codes',
    text: 'Intelligence carries a handling code: P — lawful sharing permitted; C — sharing is subject to conditions that must be checked first.',
  },
];

/** The one-line banner on every page. */
export const SHORT_BANNER =
  'Recorded harm and recorded links only — not a prediction. Informs, never makes, decisions. Sensitive material (MG6D): confirm in source systems; share only with a legal basis.';

export const DEMO_BANNER = 'Synthetic demonstration data — no real person is represented.';

/** Caveats as plain text lines, for exports (CSV comment lines, disclosure bundles). */
export function caveatsAsText(): string[] {
  return CAVEATS.map((c) => `${c.title}: ${c.text}`);
}
