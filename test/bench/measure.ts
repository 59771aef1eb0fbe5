// Runs one `harmnet` command in this process and appends its wall time and peak RSS as one JSON
// line to the file named by the first argument. Used by bench.ts so each phase has its own peak.

import { appendFileSync } from 'node:fs';
import { main } from '../../pipelines/cli/main.ts';

const [out, ...argv] = process.argv.slice(2);
const t0 = performance.now();
const code = await main(argv);
const seconds = (performance.now() - t0) / 1000;
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
appendFileSync(out!, JSON.stringify({ command: argv[0], code, seconds: Math.round(seconds * 100) / 100, peak_rss_mb: peakRssMb }) + '\n');
process.exit(code);
