// `npm run bench [-- --scale demo|force] [--data DIR] [--keep]`: the end-to-end benchmark. Generates
// (or reuses) extracts, then times each phase in its own process and prints one JSON object with
// seconds per stage, peak RSS per phase and the issue targets beside the measured figures.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'force' },
    data: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const scale = values.scale === 'demo' ? 'demo' : 'force';
const data = values.data ?? path.join('var', 'bench', scale);
const work = mkdtempSync(path.join(os.tmpdir(), 'harmnet-bench-'));
const measurements = path.join(work, 'measure.jsonl');
const tsx = path.join('node_modules', '.bin', 'tsx');

function phase(label: string, argv: string[]): { seconds: number; peak_rss_mb: number; stdout: string } {
  process.stderr.write(`bench: ${label}…\n`);
  const r = spawnSync(tsx, ['test/bench/measure.ts', measurements, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench: ${label} failed (exit ${r.status})`);
  const lines = readFileSync(measurements, 'utf8').trim().split('\n');
  const m = JSON.parse(lines.at(-1)!) as { seconds: number; peak_rss_mb: number };
  return { ...m, stdout: r.stdout };
}

const result: Record<string, unknown> = { scale, machine: { cores: os.cpus().length, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version } };

if (!existsSync(path.join(data, 'truth'))) {
  const g = phase('generate', ['generate', '--out', data, '--scale', scale, '--json']);
  result.generate = { seconds: g.seconds, peak_rss_mb: g.peak_rss_mb, target: scale === 'force' ? { seconds: 300 } : undefined };
} else {
  result.generate = { reused: data };
}

const warehouse = path.join(work, 'warehouse.duckdb');
const snapshots = path.join(work, 'snapshots');
const state = ['--warehouse', warehouse, '--snapshots', snapshots];

const ic = phase('ingest + curate', ['run', '--extracts', data, '--until', 'curate', '--json', ...state]);
const icWeek = JSON.parse(ic.stdout.trim().split('\n').at(-1)!) as { stages: { name: string; seconds: number }[] };
result.ingest_curate = {
  seconds: icWeek.stages.reduce((a, s) => a + s.seconds, 0),
  stages: icWeek.stages,
  peak_rss_mb: ic.peak_rss_mb,
  target: { seconds: 30, peak_rss_mb: 4096 },
};

rmSync(warehouse, { force: true });
const full = phase('full weekly run', ['run', '--extracts', data, '--json', ...state]);
const week = JSON.parse(full.stdout.trim().split('\n').at(-1)!) as { stages: { name: string; seconds: number }[]; snapshot_id: string | null; nominals: number; networks: number };
result.weekly_run = { seconds: full.seconds, stages: week.stages, peak_rss_mb: full.peak_rss_mb, nominals: week.nominals, networks: week.networks };

if (week.snapshot_id) {
  const v = phase('snapshot verify', ['snapshot', 'verify', week.snapshot_id, '--snapshots', snapshots]);
  result.snapshot_verify = { seconds: v.seconds, peak_rss_mb: v.peak_rss_mb, target: { seconds: 15 } };
}

if (!values.keep) rmSync(work, { recursive: true, force: true });
else result.kept = { warehouse, snapshots };
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
