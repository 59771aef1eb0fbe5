// `harmnet generate`: writes synthetic weekly extract folders and DIR/truth/ (design/cli.md); a thin
// shell over data-fixtures/generator/generate.ts, which holds all the logic.

import { consoleLog } from '../../core/log.ts';
import { HarmnetError } from '../../core/errors.ts';
import { parse, requireOption, isoDate } from '../args.ts';
import { generate, DEFAULT_AS_OF, DEFAULT_SEED, type Scale } from '../../../data-fixtures/generator/generate.ts';

export const summary = 'write synthetic weekly extracts and their ground truth (--out DIR [--seed N] [--scale demo|force] [--weeks N] [--as-of DATE])';

const HELP = `usage: harmnet generate --out DIR [--seed N] [--scale demo|force] [--weeks N] [--as-of DATE] [--json]

  --out DIR      where to write DIR/<as_of>/{crime,custody,intel,pins,missing}.csv + manifest.json and DIR/truth/
  --seed N       PRNG seed (default ${DEFAULT_SEED}); same seed and options give byte-identical files
  --scale S      demo (~4,000 people, default) or force (~1M people, West Midlands size)
  --weeks N      weekly drops ending at --as-of (default 16 for demo, 1 for force)
  --as-of DATE   the last drop's Monday (default ${DEFAULT_AS_OF}; never today's date)
  --json         print the summary as one JSON object on stdout
All data is synthetic.`;

export async function main(argv: string[]): Promise<number> {
  const { values } = parse('generate', argv, {
    out: { type: 'string' },
    seed: { type: 'string' },
    scale: { type: 'string' },
    weeks: { type: 'string' },
    'as-of': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const out = requireOption('generate', values.out, '--out');
  const int = (flag: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new HarmnetError('USAGE', `harmnet generate: ${flag} must be a whole number, got "${v}"`);
    return Number(v);
  };
  const scale = values.scale;
  if (scale !== undefined && scale !== 'demo' && scale !== 'force') {
    throw new HarmnetError('USAGE', `harmnet generate: --scale must be demo or force, got "${scale}"`);
  }
  const started = performance.now();
  const result = await generate({
    out,
    seed: int('--seed', values.seed),
    scale: scale as Scale | undefined,
    weeks: int('--weeks', values.weeks),
    asOf: values['as-of'] === undefined ? undefined : isoDate('generate', '--as-of', values['as-of']),
    log: consoleLog({ quiet: values.json }),
  });
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  if (values.json) process.stdout.write(JSON.stringify({ ...result, seconds }) + '\n');
  else process.stderr.write(`done in ${seconds} s\n`);
  return 0;
}
