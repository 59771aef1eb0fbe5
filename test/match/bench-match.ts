// Benchmark of the partner match engine on a snapshot with match tables:
//   node_modules/.bin/tsx test/match/bench-match.ts SNAPSHOTS_DIR [TRUTH_DIR]
// a 1,000-row list (true people by their true names where a truth folder is given), and single-row
// lookups alone and 20 at a time (the engine batches concurrent requests into one run per snapshot).

import { defaultConfig } from '../../pipelines/core/config.ts';
import { openMatcher } from '../../pipelines/match/matcher.ts';
import type { PartnerRow } from '../../pipelines/match/partner-input.ts';

const [dir] = process.argv.slice(2);
if (!dir) throw new Error('usage: bench-match.ts SNAPSHOTS_DIR');
const resolution = defaultConfig().resolution;
const t0 = performance.now();
const matcher = await openMatcher(dir);
const openMs = performance.now() - t0;
const row = (i: number): PartnerRow => ({
  line: i + 2, row_ref: `R${i}`, surname: ['SMITH', 'JONES', 'TAYLOR', 'KHAN', 'OKAFOR', 'NOWAK'][i % 6]!, forenames: ['JOHN', 'AMY', 'LIAM', 'AISHA'][i % 4]!,
  date_of_birth: `19${60 + (i % 40)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, pnc: null, pnc_invalid: false, sex: null,
});
const list = Array.from({ length: 1000 }, (_, i) => row(i));
await matcher.match(list.slice(0, 10), resolution); // warm-up
const lists: number[] = [];
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  await matcher.match(list, resolution);
  lists.push(performance.now() - t);
}
const single: number[] = [];
for (let i = 0; i < 50; i++) {
  const t = performance.now();
  await matcher.match([row(i)], resolution);
  single.push(performance.now() - t);
}
// 20 concurrent single-row lookups, without the batching window (window 0: the first request runs
// alone, the other 19 in a second run) and with it, rounds interleaved so both see the same load.
const plain = await openMatcher(dir, matcher.snapshotId, { batchWindowMs: 0 });
await plain.match(list.slice(0, 10), resolution);
const concurrent: number[] = [];
const concurrentNoWindow: number[] = [];
const runs = { window: 0, noWindow: 0 };
const burst = async (m: typeof matcher, into: number[], round: number) => {
  const before = m.runs();
  await Promise.all(Array.from({ length: 20 }, async (_, i) => {
    const t = performance.now();
    await m.match([row(round * 20 + i)], resolution);
    into.push(performance.now() - t);
  }));
  return m.runs() - before;
};
for (let round = 0; round < 5; round++) {
  runs.noWindow += await burst(plain, concurrentNoWindow, round);
  runs.window += await burst(matcher, concurrent, round);
}
plain.close();
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
console.log(JSON.stringify({
  snapshot: matcher.snapshotId, open_ms: Math.round(openMs), list_1000_ms: lists.map(Math.round),
  single_p50_ms: Math.round(pct(single, 50)), single_p99_ms: Math.round(pct(single, 99)),
  concurrent20_p50_ms: Math.round(pct(concurrent, 50)), concurrent20_p99_ms: Math.round(pct(concurrent, 99)), concurrent20_runs: runs.window,
  concurrent20_no_window_p50_ms: Math.round(pct(concurrentNoWindow, 50)), concurrent20_no_window_p99_ms: Math.round(pct(concurrentNoWindow, 99)),
  concurrent20_no_window_runs: runs.noWindow,
}));
matcher.close();
