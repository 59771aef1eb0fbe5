// `harmnet evaluate resolution | networks [--warehouse FILE] [--truth DIR] [--json]`: accuracy of the
// built warehouse against the generator's ground truth (safeguard 20). `networks` is not built yet.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse, STATE_OPTIONS } from '../args.ts';
import { configFor, openContext } from '../context.ts';
import { HarmnetError } from '../../core/errors.ts';
import { evaluateResolution } from '../../resolve/evaluate-resolution.ts';

export const summary = 'accuracy against the generator\'s ground truth (resolution | networks)';

const USAGE = 'harmnet evaluate resolution | networks [--warehouse FILE] [--truth DIR] [--json]';

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse('evaluate', argv, { ...STATE_OPTIONS, truth: { type: 'string' } }, true);
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const [what, ...extra] = positionals;
  if (extra.length > 0 || (what !== 'resolution' && what !== 'networks')) {
    throw new HarmnetError('USAGE', `harmnet evaluate: expected "resolution" or "networks", got ${what ? `"${[what, ...extra].join(' ')}"` : 'nothing'}; usage: ${USAGE}`);
  }
  if (what === 'networks') {
    throw new HarmnetError('NOT_YET_AVAILABLE', 'harmnet evaluate networks: not yet available in this version');
  }
  const warehouse = configFor(values).paths.warehouse;
  if (!existsSync(warehouse)) throw new HarmnetError('INPUT_INVALID', `harmnet evaluate: warehouse not found: ${warehouse} (run harmnet run first, or give --warehouse FILE)`);
  const ctx = await openContext(values, { readOnlyDb: true });
  try {
    const truthDir = values.truth ?? path.join(ctx.config.paths.extracts, 'truth');
    const r = await evaluateResolution(ctx, truthDir);
    if (values.json) {
      process.stdout.write(JSON.stringify(r) + '\n');
    } else {
      const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
      process.stdout.write(
        [
          `entity resolution against ${truthDir}`,
          `  pairwise precision ${pct(r.precision)}  recall ${pct(r.recall)}  F1 ${pct(r.f1)}`,
          `  pairs: ${r.pairsPredicted} predicted, ${r.pairsTrue} true, ${r.pairsCorrect} correct (${r.falsePositivePairs} false positive, ${r.falseNegativePairs} false negative)`,
          `  clusters: ${r.nominals} nominals for ${r.persons} people; pure ${pct(r.clusterPrecision)}, complete ${pct(r.clusterRecall)}, exact ${pct(r.exactClusters)}`,
          r.identitiesWithoutTruth > 0 ? `  ${r.identitiesWithoutTruth} identities had no truth row and were left out` : '',
        ].filter(Boolean).join('\n') + '\n',
      );
    }
    return 0;
  } finally {
    ctx.db.close();
  }
}
