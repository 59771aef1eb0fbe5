// `harmnet graph analyse --edges FILE.csv [--out DIR] [--json]`: the network analytics on any edge list.
// Thin shell: parse flags, read the CSV, run pipelines/analyse/analyse-edge-list.ts, write or print the outputs.

import { performance } from 'node:perf_hooks';
import { HarmnetError } from '../../core/errors.ts';
import { parse, requireOption } from '../args.ts';
import { configFor } from '../context.ts';
import { readEdgeList } from '../../analyse/edge-list.ts';
import { analyseEdgeList, writeEdgeListOutputs } from '../../analyse/analyse-edge-list.ts';

export const summary = 'network analytics (communities, centralities, key players, lineage) on any edge-list CSV';

const USAGE = 'usage: harmnet graph analyse --edges FILE.csv [--out DIR] [--json]';

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (sub !== 'analyse') throw new HarmnetError('USAGE', `harmnet graph: unknown subcommand "${sub ?? ''}"; ${USAGE}`);
  const { values } = parse('graph analyse', rest, {
    edges: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const file = requireOption('graph analyse', values.edges, '--edges');
  const list = readEdgeList(file);
  const c = configFor({}).communities;
  const out = analyseEdgeList(list, {
    input: file,
    analyse: { communities: { resolution: c.resolution, seed: c.seed, minNetworkSize: c.minNetworkSize }, lineageJaccard: c.lineageJaccard },
    timer: () => performance.now(),
  });
  if (values.out) writeEdgeListOutputs(values.out, out);
  if (values.json) process.stdout.write(JSON.stringify(out.summary) + '\n');
  else {
    const s = out.summary;
    process.stderr.write(`${s.nodes} nodes, ${s.edges} edges, ${s.networks} networks${s.periods.length ? ` over ${s.periods.length} periods` : ''}` + (values.out ? `; wrote ${values.out}/nodes.csv, networks.csv, summary.json` : '') + '\n');
  }
  return 0;
}
