// The Fellegi–Sunter model (Fellegi & Sunter 1969, JASA 64:1183) as pure functions: the comparison
// fields and levels, m estimated by expectation–maximisation with u fixed (Winkler 1988; Splink's
// training order), match weight = Σ log2(m/u), probability = 2^w / (1 + 2^w). Null levels weigh 0.

export const FIELDS = ['surname', 'forename', 'dob', 'sex', 'pnc'] as const;
export type Field = (typeof FIELDS)[number];

/** Levels per field, best agreement first; 'null' (either side missing) is uninformative. */
export const LEVELS: Record<Field, readonly string[]> = {
  surname: ['exact', 'jw94', 'part', 'jw88', 'else', 'null'],
  forename: ['exact_all', 'exact', 'nickname', 'jw92', 'initial', 'other_name', 'jw80', 'else', 'null'],
  dob: ['exact', 'transposed', 'one_part', 'else', 'null'],
  sex: ['exact', 'else', 'null'],
  pnc: ['exact', 'else', 'null'],
};

/** EM starting values for m (they only set where EM starts; the data decide where it ends). */
export const INITIAL_M: Record<Field, Record<string, number>> = {
  surname: { exact: 0.85, jw94: 0.05, part: 0.03, jw88: 0.04, else: 0.03 },
  forename: { exact_all: 0.2, exact: 0.6, nickname: 0.06, jw92: 0.04, initial: 0.03, other_name: 0.02, jw80: 0.02, else: 0.03 },
  dob: { exact: 0.88, transposed: 0.04, one_part: 0.06, else: 0.02 },
  sex: { exact: 0.97, else: 0.03 },
  pnc: { exact: 0.95, else: 0.05 },
};

/**
 * Fallback u (and INITIAL_M as m) for a warehouse too small to train on: values of the order seen
 * at force scale (≈1M identities) — a DOB agrees by chance about 1 in 20,000 pairs, a surname 1 in 200.
 */
export const DEFAULT_U: Record<Field, Record<string, number>> = {
  surname: { exact: 0.005, jw94: 0.002, part: 0.001, jw88: 0.005, else: 0.987 },
  forename: { exact_all: 0.002, exact: 0.018, nickname: 0.004, jw92: 0.002, initial: 0.003, other_name: 0.01, jw80: 0.005, else: 0.956 },
  dob: { exact: 0.00005, transposed: 0.00001, one_part: 0.003, else: 0.99694 },
  sex: { exact: 0.55, else: 0.45 },
  pnc: { exact: 0.000001, else: 0.999999 },
};
/** Fallback prior probability that two random identities are the same person. */
export const DEFAULT_PRIOR = 1e-4;

export type Probabilities = Record<Field, Record<string, number>>;
export interface Pattern {
  levels: Record<Field, string>;
  count: number;
}

export const DEFAULTS = { maxIterations: 100, tolerance: 1e-6, initialLambda: 0.3, floor: 1e-6 };

export function isNullLevel(level: string): boolean {
  return level === 'null';
}

/** Bayes factor of one pattern under (m, u), null levels ignored. */
function likelihoods(p: Pattern, m: Probabilities, u: Probabilities): { lm: number; lu: number } {
  let lm = 1;
  let lu = 1;
  for (const f of FIELDS) {
    const level = p.levels[f];
    if (isNullLevel(level)) continue;
    lm *= m[f][level] ?? DEFAULTS.floor;
    lu *= u[f][level] ?? DEFAULTS.floor;
  }
  return { lm, lu };
}

/**
 * EM for m, u and λ (the share of matches among the blocked pairs), starting from u as sampled.
 * Blocked non-matches agree on blocking keys far more than random pairs do, so u is left free here
 * and only m is kept: the weights use the sampled u (Splink keeps the same split). With fixU the
 * given u is held fixed instead. Deterministic: depends only on the patterns and options.
 */
export function estimateM(
  patterns: Pattern[],
  uStart: Probabilities,
  options: Partial<typeof DEFAULTS> & { initialM?: Probabilities; fixU?: boolean } = {},
): { m: Probabilities; u: Probabilities; lambda: number; iterations: number; converged: boolean } {
  const o = { ...DEFAULTS, ...options };
  let m: Probabilities = clone(options.initialM ?? INITIAL_M);
  let u: Probabilities = clone(uStart);
  let lambda = o.initialLambda;
  const total = patterns.reduce((s, p) => s + p.count, 0);
  if (total === 0) return { m, u, lambda, iterations: 0, converged: true };
  for (let it = 1; it <= o.maxIterations; it++) {
    const num: Probabilities = emptyProbabilities();
    const den: Record<Field, number> = { surname: 0, forename: 0, dob: 0, sex: 0, pnc: 0 };
    const numU: Probabilities = emptyProbabilities();
    const denU: Record<Field, number> = { surname: 0, forename: 0, dob: 0, sex: 0, pnc: 0 };
    let matches = 0;
    for (const p of patterns) {
      const { lm, lu } = likelihoods(p, m, u);
      const a = lambda * lm;
      const b = (1 - lambda) * lu;
      const w = a + b > 0 ? (a / (a + b)) * p.count : 0;
      const wu = p.count - w;
      matches += w;
      for (const f of FIELDS) {
        const level = p.levels[f];
        if (isNullLevel(level)) continue;
        num[f][level] = (num[f][level] ?? 0) + w;
        den[f] += w;
        numU[f][level] = (numU[f][level] ?? 0) + wu;
        denU[f] += wu;
      }
    }
    const next: Probabilities = emptyProbabilities();
    const nextU: Probabilities = emptyProbabilities();
    let delta = 0;
    const clamp = (x: number) => Math.min(1 - o.floor, Math.max(o.floor, x));
    for (const f of FIELDS) {
      for (const level of LEVELS[f]) {
        if (isNullLevel(level)) continue;
        const v = den[f] > 0 ? clamp((num[f][level] ?? 0) / den[f]) : m[f][level]!;
        next[f][level] = v;
        delta = Math.max(delta, Math.abs(v - (m[f][level] ?? 0)));
        nextU[f][level] = o.fixU || denU[f] === 0 ? u[f][level]! : clamp((numU[f][level] ?? 0) / denU[f]);
      }
    }
    u = nextU;
    const nextLambda = Math.min(1 - o.floor, Math.max(o.floor, matches / total));
    delta = Math.max(delta, Math.abs(nextLambda - lambda));
    m = next;
    lambda = nextLambda;
    if (delta < o.tolerance) return { m, u, lambda, iterations: it, converged: true };
  }
  return { m, u, lambda, iterations: o.maxIterations, converged: false };
}

/** u from level counts in a random sample of pairs, Laplace-smoothed so no level has u = 0. */
export function estimateU(counts: { field: Field; level: string; n: number }[]): Probabilities {
  const u = emptyProbabilities();
  for (const f of FIELDS) {
    const levels = LEVELS[f].filter((l) => !isNullLevel(l));
    const seen = new Map(counts.filter((c) => c.field === f).map((c) => [c.level, c.n]));
    const total = levels.reduce((s, l) => s + (seen.get(l) ?? 0), 0);
    for (const l of levels) u[f][l] = ((seen.get(l) ?? 0) + 1) / (total + levels.length);
  }
  return u;
}

export function weightOf(m: number, u: number): number {
  return Math.log2(m / u);
}

export function probabilityFromWeight(weight: number): number {
  if (weight > 60) return 1;
  const b = 2 ** weight;
  return b / (1 + b);
}

export function weightFromProbability(p: number): number {
  return Math.log2(p / (1 - p));
}

function emptyProbabilities(): Probabilities {
  return { surname: {}, forename: {}, dob: {}, sex: {}, pnc: {} };
}

function clone(p: Probabilities): Probabilities {
  return JSON.parse(JSON.stringify(p)) as Probabilities;
}

/**
 * Training sessions after Splink: each session's pairs agree exactly on some fields (its "blocking");
 * those fields are ignored and EM, with u held at the sampled values, estimates m for the others —
 * among same-DOB pairs the non-matches are close to random on names, and vice versa. m per field is
 * the mean over the sessions that estimated it; a field no session estimated keeps INITIAL_M.
 */
export const TRAINING_SESSIONS: readonly { name: 'dob' | 'names'; fixed: readonly Field[] }[] = [
  { name: 'dob', fixed: ['dob'] },
  // Sex too: people who share a forename nearly always share a sex, so it is no evidence here.
  { name: 'names', fixed: ['surname', 'forename', 'sex'] },
];

/** No non-null level is treated as impossible among matches (a floor on trained m). */
export const M_FLOOR = 0.001;

export function trainM(
  sessions: { name: string; fixed: readonly Field[]; patterns: Pattern[] }[],
  u: Probabilities,
  options: Partial<typeof DEFAULTS> = {},
): { m: Probabilities; iterations: number; converged: boolean; sessions: { name: string; pairs: number; lambda: number; iterations: number }[] } {
  const sums = emptyProbabilities();
  const counts: Record<Field, number> = { surname: 0, forename: 0, dob: 0, sex: 0, pnc: 0 };
  const report: { name: string; pairs: number; lambda: number; iterations: number }[] = [];
  let converged = true;
  let iterations = 0;
  for (const s of sessions) {
    const chosen = s.patterns.map((p) => ({
      count: p.count,
      levels: { ...p.levels, ...Object.fromEntries(s.fixed.map((f) => [f, 'null'])) } as Record<Field, string>,
    }));
    const pairs = chosen.reduce((a, p) => a + p.count, 0);
    if (pairs === 0) continue;
    const r = estimateM(chosen, u, { ...options, fixU: true });
    report.push({ name: s.name, pairs, lambda: r.lambda, iterations: r.iterations });
    converged &&= r.converged;
    iterations += r.iterations;
    for (const f of FIELDS) {
      if (s.fixed.includes(f)) continue;
      counts[f]++;
      for (const level of LEVELS[f]) if (!isNullLevel(level)) sums[f][level] = (sums[f][level] ?? 0) + r.m[f][level]!;
    }
  }
  const m = clone(INITIAL_M);
  for (const f of FIELDS) {
    if (counts[f] === 0) continue;
    for (const level of LEVELS[f]) if (!isNullLevel(level)) m[f][level] = Math.max(M_FLOOR, sums[f][level]! / counts[f]);
  }
  return { m, iterations, converged, sessions: report };
}

/** λ (share of matches among the patterns) by EM with m and u held fixed. */
export function estimateLambda(patterns: Pattern[], m: Probabilities, u: Probabilities, options: Partial<typeof DEFAULTS> = {}): number {
  const o = { ...DEFAULTS, ...options };
  const total = patterns.reduce((a, p) => a + p.count, 0);
  if (total === 0) return o.initialLambda;
  const ratios = patterns.map((p) => {
    const { lm, lu } = likelihoods(p, m, u);
    return { bf: lm / lu, count: p.count };
  });
  let lambda = o.initialLambda;
  for (let it = 0; it < o.maxIterations; it++) {
    let matches = 0;
    for (const r of ratios) matches += (r.count * lambda * r.bf) / (lambda * r.bf + (1 - lambda));
    const next = Math.min(1 - o.floor, Math.max(o.floor, matches / total));
    if (Math.abs(next - lambda) < o.tolerance) return next;
    lambda = next;
  }
  return lambda;
}

/**
 * m from pairs known to match (e.g. the same valid PNC id): each field's level frequencies among
 * them, Laplace-smoothed and floored at M_FLOOR — for surname, forename, DOB and sex. Undefined when
 * fewer than minPairs labelled pairs exist.
 */
export function mFromLabelledPairs(patterns: Pattern[], minPairs: number): Partial<Probabilities> | undefined {
  const total = patterns.reduce((a, p) => a + p.count, 0);
  if (total < minPairs) return undefined;
  const out: Partial<Probabilities> = {};
  for (const f of ['surname', 'forename', 'dob', 'sex'] as const) {
    const levels = LEVELS[f].filter((l) => !isNullLevel(l));
    const counts = new Map<string, number>();
    for (const p of patterns) if (!isNullLevel(p.levels[f])) counts.set(p.levels[f], (counts.get(p.levels[f]) ?? 0) + p.count);
    const n = [...counts.values()].reduce((a, b) => a + b, 0);
    out[f] = Object.fromEntries(levels.map((l) => [l, Math.max(M_FLOOR, ((counts.get(l) ?? 0) + 1) / (n + levels.length))]));
  }
  return out;
}
