// `harmnet serve`: the dashboards (and, later, the partner match service) from snapshots on disk,
// with state in the serving database. Runs until interrupted.

import { configFromEnv, resolveConfig } from '../../core/config.ts';
import { HarmnetError } from '../../core/errors.ts';
import { parse } from '../args.ts';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { startServer } from '../../../dashboards/server.ts';
import { openServing } from '../../../dashboards/serving-store.ts';
import { resetDemoAccounts } from '../../../dashboards/demo-accounts.ts';

export const summary = 'serve the dashboards from snapshots: serve [--port N] [--host H] [--snapshots DIR] [--serving FILE] [--demo (banner + demo accounts printed)]';

const OPTIONS = {
  port: { type: 'string', default: '8080' },
  host: { type: 'string', default: '127.0.0.1' },
  snapshots: { type: 'string' },
  serving: { type: 'string' },
  demo: { type: 'boolean', default: false },
  'secure-cookies': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

export async function main(argv: string[]): Promise<number> {
  const { values } = parse('serve', argv, OPTIONS);
  if (values.help) {
    process.stdout.write(`harmnet ${summary}\n  --secure-cookies  set when served behind TLS (Secure cookies, HSTS)\n`);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new HarmnetError('USAGE', `harmnet serve: --port must be 0-65535, got "${values.port}"`);
  const config = resolveConfig({ ...configFromEnv(), snapshots: values.snapshots, serving: values.serving });
  let demoAccounts: { username: string; role: string; password: string }[] = [];
  if (values.demo) {
    const serving = await openServing(config.paths.serving);
    try {
      demoAccounts = await resetDemoAccounts(serving.db, new Date());
    } finally {
      serving.release();
    }
  }
  const server = await startServer({
    port,
    host: values.host,
    snapshotsDir: config.paths.snapshots,
    servingFile: config.paths.serving,
    // The server reads snapshots, never the warehouse (it must not contend with the weekly job), so the
    // evaluation page shows no deployment log; `harmnet evaluate report` prints it.
    config,
    truthDir: existsSync(path.join(config.paths.extracts, 'truth')) ? path.join(config.paths.extracts, 'truth') : undefined,
    demo: values.demo,
    secureCookies: values['secure-cookies'],
  });
  process.stdout.write(`harmnet dashboards at ${server.url} (snapshots: ${config.paths.snapshots}, serving state: ${config.paths.serving})\n`);
  if (demoAccounts.length) {
    process.stdout.write('demo accounts (synthetic data; passwords are new at each start):\n');
    for (const a of demoAccounts) process.stdout.write(`  ${a.username.padEnd(14)} ${a.role.padEnd(8)} ${a.password}\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
