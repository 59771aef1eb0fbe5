// The public transparency register page (safeguard 19): transparencyRegister() from the running config,
// code version, latest snapshot manifest and its evaluation figures, escaped by renderTransparencyHtml.

import type { FastifyRequest } from 'fastify';
import { html, trusted } from '../html.ts';
import type { Deps } from '../server.ts';
import { appendAudit } from '../audit.ts';
import { ROLE_LABELS } from '../roles.ts';
import { caveatsAsText } from '../caveats.ts';
import { codeVersion } from '../../pipelines/core/code-version.ts';
import { readManifest } from '../../pipelines/snapshot/read-snapshot.ts';
import { transparencyRegister, type Register } from '../../pipelines/accountability/transparency-register.ts';
import { renderTransparencyHtml } from '../../pipelines/accountability/render-html.ts';
import { barePage } from './layout.ts';
import { cachedEvaluation } from './evaluation.ts';

/** The register for the latest snapshot (or none yet), generated at the server clock's time. */
export async function currentRegister(deps: Deps): Promise<Register> {
  const latest = deps.store.list()[0];
  const a = deps.accountability;
  const manifest = latest ? readManifest(a.snapshotsDir, latest.snapshot_id) : null;
  const evaluation = latest ? await cachedEvaluation(deps, latest.snapshot_id) : null;
  return transparencyRegister({
    config: a.config,
    codeVersion: codeVersion(),
    generatedAt: deps.clock().toISOString(),
    manifest,
    evaluation,
    roles: { ...ROLE_LABELS },
    caveats: caveatsAsText(),
  });
}

/** The register's escaped body (the <main> of renderTransparencyHtml without its heading), for the page frame. */
export function registerBody(register: Register): string {
  const full = renderTransparencyHtml(register);
  const m = /<main>\s*<h1>[^<]*<\/h1>\s*([\s\S]*)<\/main>/.exec(full);
  return m ? m[1]! : '';
}

export async function transparencyPage(deps: Deps, request: FastifyRequest): Promise<string> {
  const register = await currentRegister(deps);
  // public page: no session is looked up, so a view is recorded as a public one
  await appendAudit(deps.serving, {
    at: deps.clock(), username: '(public)', role: 'public', action: 'view_report', subjectType: 'report', subjectId: 'transparency',
    snapshotId: register.metadata.snapshot_id, detail: null,
  });
  void request;
  const body = html`<p id="transparency-public" class="small">This register is public: it holds no personal data. It is generated from the
running system each time it is opened. <a href="/login">Staff sign-in</a></p>
<div id="transparency-register">${trusted(registerBody(register))}</div>`;
  return barePage(`Transparency register — ${register.tier_1.name}`, body, deps.demo);
}
