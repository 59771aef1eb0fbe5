// `harmnet evaluate resolution | networks | report`: accuracy of the built warehouse and snapshots
// against the generator's ground truth, and the per-snapshot evaluation report (safeguard 20).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse, STATE_OPTIONS } from '../args.ts';
import { configFor, openContext } from '../context.ts';
import { HarmnetError } from '../../core/errors.ts';
import { evaluateResolution } from '../../resolve/evaluate-resolution.ts';
import { evaluateNetworks } from '../../evaluate/evaluate-networks.ts';
import { evaluateReportCommand } from '../../accountability/evaluate-report-command.ts';

export const summary = 'accuracy against the generator\'s ground truth (resolution | networks) and the evaluation report';

const USAGE = [
  'harmnet evaluate resolution [--warehouse FILE] [--truth DIR] [--json]',
  'harmnet evaluate networks [--snapshots DIR] [--truth DIR] [--json]',
  'harmnet evaluate report [--snapshot ID] [--out DIR] [--truth DIR] [--json]',
].join('\n');

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'report') return evaluateReportCommand(argv.slice(1));
  const { values, positionals } = parse('evaluate', argv, { ...STATE_OPTIONS, truth: { type: 'string' } }, true);
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const [what, ...extra] = positionals;
  if (extra.length > 0 || (what !== 'resolution' && what !== 'networks')) {
    throw new HarmnetError('USAGE', `harmnet evaluate: expected "resolution", "networks" or "report", got ${what ? `"${[what, ...extra].join(' ')}"` : 'nothing'}; usage: ${USAGE}`);
  }
  if (what === 'networks') {
    const config = configFor(values);
    const truthDir = values.truth ?? path.join(config.paths.extracts, 'truth');
    const r = await evaluateNetworks(config.paths.snapshots, truthDir);
    if (values.json) {
      process.stdout.write(JSON.stringify(r) + '\n');
    } else {
      process.stdout.write(
        [
          `network recovery against ${truthDir} over ${r.snapshots} snapshots`,
          `  NMI (mean over weeks)  ${r.nmi_mean.toFixed(3)}`,
          `  adjusted Rand (mean)   ${r.ari_mean.toFixed(3)}`,
          `  scripted events detected ${r.events_detected} of ${r.events_total}:`,
          ...r.events.map((e) => `    ${e.as_of} ${e.event.padEnd(10)} ${e.network_keys.padEnd(22)} ${e.detected ? `detected ${e.detected_as_of}: ${e.evidence}` : 'NOT detected'}`),
        ].join('\n') + '\n',
      );
    }
    return 0;
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
