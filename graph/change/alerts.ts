// The change alerts of analysis.md, each with the evidence that triggered it, as pure functions over this week's
// and earlier weeks' plain data. Output order is deterministic (type, then subject, then evidence).

import type { TrackedNetwork } from '../lineage/network-lineage.ts';
import { addDays, type HarmTrend } from './harm-trend.ts';

export type AlertType =
  | 'NETWORK_HARM_RISING' | 'NEW_NETWORK' | 'NETWORK_SPLIT' | 'NETWORK_MERGED' | 'NETWORK_DISSOLVED'
  | 'NEW_LINK_TO_BAND_A' | 'RELEASE_DUE' | 'CHILD_FOUND_WITH_ADULT';

export interface Alert {
  alert_type: AlertType;
  subject_id: string;
  detail: string;
  /** JSON text: the figures and record dates behind the alert. */
  evidence: string;
}

const fmt = (x: number) => (Math.round(x * 10) / 10).toString();

export function harmRisingAlerts(trends: readonly HarmTrend[]): Alert[] {
  const out: Alert[] = [];
  for (const t of trends) {
    for (const [weeks, before, rising] of [[4, t.harm_4w, t.rising_4w], [12, t.harm_12w, t.rising_12w]] as const) {
      if (!rising || before === null) continue;
      out.push({
        alert_type: 'NETWORK_HARM_RISING', subject_id: t.network_id,
        detail: `network harm rose from ${fmt(before)} to ${fmt(t.harm)} CCHI days over ${weeks} weeks`,
        evidence: JSON.stringify({ weeks, harm_before: before, harm_now: t.harm, series: t.series }),
      });
    }
  }
  return sortAlerts(out);
}

export function lineageAlerts(networks: readonly TrackedNetwork[], dissolved: readonly TrackedNetwork[]): Alert[] {
  const out: Alert[] = [];
  const splits = new Map<string, string[]>();
  for (const n of networks) {
    if (n.lineage_event === 'BORN') {
      out.push({ alert_type: 'NEW_NETWORK', subject_id: n.network_id, detail: `new network of ${n.members.length} nominals`, evidence: JSON.stringify({ size: n.members.length }) });
    } else if (n.lineage_event === 'MERGED') {
      out.push({
        alert_type: 'NETWORK_MERGED', subject_id: n.network_id, detail: `networks ${n.parent_network_ids.join(', ')} merged into ${n.network_id}`,
        evidence: JSON.stringify({ parents: n.parent_network_ids, size: n.members.length }),
      });
    } else if (n.lineage_event === 'SPLIT') {
      const parent = n.parent_network_ids[0]!;
      splits.set(parent, [...(splits.get(parent) ?? []), n.network_id]);
    }
  }
  for (const [parent, children] of splits) {
    const extra = networks.find((n) => n.lineage_event === 'SPLIT' && n.parent_network_ids[0] === parent && n.evidence)?.evidence ?? {};
    out.push({ alert_type: 'NETWORK_SPLIT', subject_id: parent, detail: `network ${parent} split into ${children.join(', ')}`, evidence: JSON.stringify({ children, ...extra }) });
  }
  for (const d of dissolved) {
    const inactive = d.evidence?.reason === 'inactive';
    out.push({
      alert_type: 'NETWORK_DISSOLVED', subject_id: d.network_id,
      detail: inactive ? `network ${d.network_id} dissolved: ${d.evidence!.active_members_now} member(s) still active` : `network ${d.network_id} no longer found`,
      evidence: JSON.stringify({ matched: 0, ...d.evidence }),
    });
  }
  return sortAlerts(out);
}

export interface LinkRow {
  nominal_a: string;
  nominal_b: string;
  link_types: readonly string[];
  /** First evidence date of the link (ISO). */
  first_seen: string;
}

/** Links first seen after `since` (the previous week) and on or before `asOf` where the other end is band A. */
export function newBandALinkAlerts(links: readonly LinkRow[], band: ReadonlyMap<string, string>, since: string | null, asOf: string): Alert[] {
  const out: Alert[] = [];
  for (const l of links) {
    if (l.first_seen > asOf || (since !== null && l.first_seen <= since)) continue;
    for (const [subject, other] of [[l.nominal_a, l.nominal_b], [l.nominal_b, l.nominal_a]] as const) {
      if (band.get(other) !== 'A') continue;
      out.push({
        alert_type: 'NEW_LINK_TO_BAND_A', subject_id: subject, detail: `new link to band-A nominal ${other} (${l.link_types.join(', ')})`,
        evidence: JSON.stringify({ band_a_nominal: other, link_types: l.link_types, first_seen: l.first_seen }),
      });
    }
  }
  return sortAlerts(out);
}

/** Band A/B nominals with a PINS expected release date in (asOf, asOf + weeks·7 days]. */
export function releaseAlerts(releases: readonly { nominal_id: string; release_date: string }[], band: ReadonlyMap<string, string>, asOf: string, weeks = 4): Alert[] {
  const until = addDays(asOf, 7 * weeks);
  const out: Alert[] = [];
  for (const r of releases) {
    const b = band.get(r.nominal_id);
    if ((b !== 'A' && b !== 'B') || r.release_date <= asOf || r.release_date > until) continue;
    out.push({
      alert_type: 'RELEASE_DUE', subject_id: r.nominal_id, detail: `band-${b} nominal due for release from prison on ${r.release_date}`,
      evidence: JSON.stringify({ harm_band: b, release_date: r.release_date, source: 'PINS' }),
    });
  }
  return sortAlerts(out);
}

/**
 * A child (under 18) whose FOUND_WITH link to an adult with harm > 0 was first recorded after `since`.
 * `foundWith` rows are child/other pairs with the first FOUND_WITH evidence date.
 */
export function childFoundWithAlerts(
  foundWith: readonly { nominal_a: string; nominal_b: string; first_found_with: string }[],
  under18: ReadonlySet<string>, harm: ReadonlyMap<string, number>, since: string | null, asOf: string,
): Alert[] {
  const out: Alert[] = [];
  for (const f of foundWith) {
    if (f.first_found_with > asOf || (since !== null && f.first_found_with <= since)) continue;
    for (const [child, adult] of [[f.nominal_a, f.nominal_b], [f.nominal_b, f.nominal_a]] as const) {
      const h = harm.get(adult) ?? 0;
      if (!under18.has(child) || under18.has(adult) || h <= 0) continue;
      out.push({
        alert_type: 'CHILD_FOUND_WITH_ADULT', subject_id: child, detail: `child newly found with adult ${adult} who has recorded harm`,
        evidence: JSON.stringify({ adult, adult_harm_cchi: h, first_found_with: f.first_found_with }),
      });
    }
  }
  return sortAlerts(out);
}

export function sortAlerts(alerts: Alert[]): Alert[] {
  const key = (a: Alert) => `${a.alert_type}\u0000${a.subject_id}\u0000${a.evidence}`;
  return alerts.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
