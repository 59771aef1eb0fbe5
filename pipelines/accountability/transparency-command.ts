// `harmnet export transparency --out DIR [--snapshot ID] [--truth DIR] [--json]`: the transparency
// register from the running configuration, code version, latest snapshot and its evaluation (JSON + HTML).

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, requireOption, STATE_OPTIONS } from '../cli/args.ts';
import { configFor } from '../cli/context.ts';
import { codeVersion } from '../core/code-version.ts';
import { latestSnapshotId, readManifest, resolveSnapshotId } from '../snapshot/read-snapshot.ts';
import { ROLE_LABELS } from '../../dashboards/roles.ts';
import { caveatsAsText } from '../../dashboards/caveats.ts';
import { transparencyRegister } from './transparency-register.ts';
import { renderTransparencyHtml } from './render-html.ts';
import { buildEvaluationReport } from './evaluate-report-command.ts';

export const EXPORT_TRANSPARENCY_USAGE = 'harmnet export transparency --out DIR [--snapshot ID] [--truth DIR] [--snapshots DIR] [--serving FILE] [--json]';

export async function exportTransparencyCommand(argv: string[]): Promise<number> {
  const { values } = parse('export transparency', argv, { ...STATE_OPTIONS, out: { type: 'string' }, snapshot: { type: 'string' }, truth: { type: 'string' } });
  if (values.help) {
    process.stdout.write(EXPORT_TRANSPARENCY_USAGE + '\n');
    return 0;
  }
  const out = requireOption('export transparency', values.out, '--out DIR');
  const config = configFor(values);
  // with no snapshot yet the register still describes the configuration; figures come with the first run
  const snapshotId = values.snapshot
    ? resolveSnapshotId(config.paths.snapshots, values.snapshot)
    : existsSync(config.paths.snapshots) ? latestSnapshotId(config.paths.snapshots) : null;
  const manifest = snapshotId ? readManifest(config.paths.snapshots, snapshotId) : null;
  const evaluation = snapshotId ? await buildEvaluationReport(config, { snapshot: snapshotId, truth: values.truth }) : null;
  const register = transparencyRegister({
    config,
    codeVersion: codeVersion(),
    generatedAt: new Date().toISOString(),
    manifest,
    evaluation,
    roles: { ...ROLE_LABELS },
    caveats: caveatsAsText(),
  });
  mkdirSync(out, { recursive: true });
  const json = path.join(out, 'transparency-register.json');
  const html = path.join(out, 'transparency-register.html');
  writeFileSync(json, JSON.stringify(register, null, 2) + '\n');
  writeFileSync(html, renderTransparencyHtml(register));
  if (values.json) process.stdout.write(JSON.stringify({ json, html, snapshot_id: snapshotId, config_hash: register.metadata.config_hash }) + '\n');
  else process.stdout.write(`transparency register (snapshot ${snapshotId ?? 'none'}): ${html} and ${json}\n`);
  return 0;
}
