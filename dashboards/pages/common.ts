// Shared pieces of the data pages: snapshot history (earlier weeks up to the one shown), Probability
// Yardstick wording (pipelines/resolve/yardstick.ts), flags, and band cells that never rank victims.

import { html, qs, type SafeHtml } from '../html.ts';
import type { OpenSnapshot, SnapshotInfo, SnapshotStore } from '../snapshot-store.ts';

/**
 * The Probability Yardstick term: the one rule shared with entity resolution, the disclosure bundles and
 * the partner service (a gap between published ranges takes the term below, never overstating).
 */
export { yardstickTerm } from '../../pipelines/resolve/yardstick.ts';

/** The snapshots up to and including `info` (by as-of), oldest first, at most `n`. */
export async function snapshotHistory(store: SnapshotStore, info: SnapshotInfo, n = 12): Promise<OpenSnapshot[]> {
  const infos = store.list().filter((s) => s.as_of <= info.as_of).slice(0, n).reverse();
  return Promise.all(infos.map((s) => store.open(s.snapshot_id)));
}

/** The snapshot before `info`, if any. */
export async function previousSnapshot(store: SnapshotStore, info: SnapshotInfo): Promise<OpenSnapshot | undefined> {
  const prev = store.list().find((s) => s.as_of < info.as_of);
  return prev ? store.open(prev.snapshot_id) : undefined;
}

/** Victim, witness or missing person only: never scored, ranked or banded (the view's not_ranked column). */
export function isUnranked(n: { not_ranked?: unknown; victim_only?: unknown; safeguarding?: unknown; safeguarding_only?: unknown; harm_cchi?: unknown }): boolean {
  return n.not_ranked === true || n.victim_only === true || n.safeguarding === true || n.safeguarding_only === true || n.harm_cchi === null || n.harm_cchi === undefined;
}

export function bandCell(band: unknown): SafeHtml {
  return band ? html`<span class="band band-${String(band)}">${String(band)}</span>` : html`<span class="band band-none">—</span>`;
}

export function flags(n: Record<string, unknown>): SafeHtml {
  return html`${n.under_18 ? html`<span class="flag flag-u18" title="Under 18 at a recorded event">under 18</span>` : ''}${
    n.in_custody ? html`<span class="flag flag-custody" title="In prison per PINS — not active">in custody</span>` : ''}${
    n.historic ? html`<span class="flag flag-historic" title="No new records: historic, not ranked">historic</span>` : ''}${
    isUnranked(n) ? html`<span class="flag flag-safeguarding" title="Victim, witness or missing person only: never scored or ranked">safeguarding only — not ranked</span>` : ''}`;
}

export function nominalLink(id: unknown, name: unknown, snapshotId: string): SafeHtml {
  return html`<a href="/nominals/${encodeURIComponent(String(id))}${qs({ snapshot: snapshotId })}">${String(name ?? id)}</a>`;
}

export function networkLink(id: unknown, snapshotId: string): SafeHtml {
  return html`<a href="/networks/${encodeURIComponent(String(id))}${qs({ snapshot: snapshotId })}">${String(id)}</a>`;
}

/** Intelligence-only links are labelled as such wherever shown (safeguards.md 2). */
export function isIntelligenceOnly(edge: { intelligence_only?: unknown; evidential_class?: unknown; link_types?: unknown }): boolean {
  if (edge.intelligence_only === true || edge.intelligence_only === false) return edge.intelligence_only;
  const cls = String(edge.evidential_class ?? '').toLowerCase();
  if (cls.startsWith('intelligence')) return true;
  const types = String(edge.link_types ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  return types.length > 0 && types.every((t) => t === 'INTEL_ASSOCIATION');
}

export const INTEL_LABEL = 'intelligence — not evidence';
