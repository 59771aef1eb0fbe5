// The real dashboards server in its own process for the load benchmark (so autocannon does not share its
// event loop): starts on a free loopback port and prints one JSON line {url, listen_ms, pid}; stops on SIGTERM.
// Run: node_modules/.bin/tsx test/dashboards/bench/bench-server.ts --snapshots DIR --serving FILE

import { parseArgs } from 'node:util';
import { startServer } from '../../../dashboards/server.ts';

const { values } = parseArgs({ options: { snapshots: { type: 'string' }, serving: { type: 'string' } } });
if (!values.snapshots || !values.serving) {
  process.stderr.write('bench-server: --snapshots DIR and --serving FILE are required\n');
  process.exit(2);
}
const t0 = performance.now();
const server = await startServer({ port: 0, snapshotsDir: values.snapshots, servingFile: values.serving });
process.stdout.write(JSON.stringify({ url: server.url, listen_ms: Math.round(performance.now() - t0), pid: process.pid }) + '\n');
const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
