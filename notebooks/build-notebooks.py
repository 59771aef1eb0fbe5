# Writes the four analyst notebooks (.ipynb, no outputs) from the cell sources below, so their code is
# reviewable as plain text; run `/usr/bin/python3 notebooks/build-notebooks.py` after editing.
import os, nbformat
from nbformat.v4 import new_notebook, new_markdown_cell, new_code_cell

HERE = os.path.dirname(os.path.abspath(__file__))
META = {"kernelspec": {"name": "deno", "display_name": "Deno", "language": "typescript"},
        "language_info": {"name": "typescript", "file_extension": ".ts"}}

SETUP = """import { caveats, chart, html, openSnapshot, plain, show, snapshots, snapshotsDir, svg, table } from './lib.ts';
caveats()"""

def nb(name, cells):
    n = new_notebook(metadata=META)
    for kind, src in cells:
        cell = new_markdown_cell(src) if kind == 'md' else new_code_cell(shown(src))
        cell.id = f'c{len(n.cells) + 1:02d}'  # stable ids, so rebuilding changes only what was edited
        n.cells.append(cell)
    nbformat.write(n, os.path.join(HERE, name))

def shown(src):
    # ends the cell with an awaited display of its final value (see show() in lib.ts)
    lines = src.split('\n')
    for i in range(len(lines) - 1, -1, -1):
        for p in ('await chart(', 'caveats(', 'html(', 'table(', 'svg('):
            if lines[i].startswith(p):
                return '\n'.join(lines[:i] + ['await show(' + '\n'.join(lines[i:]) + ');'])
    return src

md = lambda s: ('md', s.strip())
code = lambda s: ('code', s.strip())

nb('01-harm-by-network-type.ipynb', [
  md("""# This week's harm picture by network type

Recorded harm (Cambridge Crime Harm Index days) held by each type of network in the latest weekly snapshot, and how it
has moved over the weeks on record. A network can carry more than one type (for example county lines *and* SOC), so
type totals overlap and are not added together."""),
  code(SETUP),
  md("## The latest snapshot"),
  code("""const all = snapshots();
const latest = all.at(-1)!;
const { db, manifest } = await openSnapshot(snapshotsDir(), latest.snapshot_id);
html(`<p>Snapshot <code>${manifest.snapshot_id}</code>, as at ${manifest.as_of}; ${all.length} weekly snapshots on record.</p>`)"""),
  md("""## Harm by network type, proven and alleged apart

Headline harm is proven + 0.5 × alleged (the configured weighting); the proven and alleged columns are shown
unweighted so the reader can see how much of each type's figure rests on allegations."""),
  code("""const byType = plain(await db.all(`
  SELECT t.type AS network_type, count(*)::INTEGER AS networks, sum(size)::INTEGER AS members,
         round(sum(harm_cchi), 1) AS harm_cchi, round(sum(harm_cchi_proven), 1) AS harm_cchi_proven,
         round(sum(harm_cchi_alleged), 1) AS harm_cchi_alleged
  FROM networks, unnest(CASE WHEN len(types) = 0 THEN ['UNTYPED'] ELSE types END) AS t(type)
  GROUP BY 1 ORDER BY harm_cchi DESC, network_type`));
table(byType, undefined, 'Recorded harm by network type (CCHI days)')"""),
  code("""const long = byType.flatMap((r) => [
  { network_type: r.network_type, kind: 'proven', harm: r.harm_cchi_proven },
  { network_type: r.network_type, kind: 'alleged', harm: r.harm_cchi_alleged },
]);
await chart({
  description: 'Recorded harm by network type, proven and alleged shown apart. Recorded harm only, not a prediction.',
  title: { text: 'Recorded harm by network type', subtitle: 'CCHI days, unweighted proven and alleged side by side' },
  width: 420, height: 200, mark: 'bar',
  encoding: {
    y: { field: 'network_type', type: 'nominal', title: 'Network type', sort: '-x' },
    x: { field: 'harm', type: 'quantitative', title: 'Harm (CCHI days)' },
    yOffset: { field: 'kind', scale: { domain: ['proven', 'alleged'] } },
    color: { field: 'kind', type: 'nominal', title: 'Harm', scale: { domain: ['proven', 'alleged'] } },
  },
}, long)"""),
  md("""## Over the weeks

The same totals for every snapshot on record, drawn with the dashboard's own chart spec
(`dashboards/charts/harm-trend-by-network-type.vl.json`)."""),
  code("""import { renderChartSvg } from '../dashboards/chart-render.ts';
const trend: Record<string, unknown>[] = [];
for (const s of all) {
  const snap = await openSnapshot(snapshotsDir(), s.snapshot_id);
  try {
    for (const r of await snap.db.all(`SELECT t.type AS network_type, sum(harm_cchi) AS harm_cchi
        FROM networks, unnest(types) AS t(type) GROUP BY 1 ORDER BY 1`)) trend.push({ as_of: s.as_of, ...r });
  } finally { snap.db.close(); }
}
svg(await renderChartSvg('harm-trend-by-network-type', plain(trend)))"""),
  md("""## How the types were assigned

Each type rests on recorded facts about members (the `type_reasons` column); the five networks of each type with the most
recorded harm are listed with their reasons so the typing can be checked."""),
  code("""const reasons = plain(await db.all(`
  SELECT network_id, types, size, round(harm_cchi, 1) AS harm_cchi, type_reasons FROM (
    SELECT *, row_number() OVER (PARTITION BY types ORDER BY harm_cchi DESC, network_id) AS k FROM networks WHERE len(types) > 0)
  WHERE k <= 5 ORDER BY types, harm_cchi DESC, network_id`));
db.close();
table(reasons, undefined, 'Typing reasons (top five networks of each type combination by recorded harm)')"""),
])

nb('02-network-evolution.ipynb', [
  md("""# One network over twelve weeks, with its lineage

Follows one network back through the last twelve weekly snapshots: its size and recorded harm (proven and alleged apart)
and each week's lineage event (BORN, CONTINUED, GREW, SHRANK, MERGED, SPLIT …) with the parent networks it came from.
Network ids are stable across weeks while a network continues; the lineage links show where one came from when it did not."""),
  code(SETUP),
  md("## Choosing the network"),
  code("""const all = snapshots();
const weeks = all.slice(-12);
// networks formed by a merge or split within the window: their lineage is the interesting part
const reshaped = new Set<string>();
for (const s of weeks) {
  const snap = await openSnapshot(snapshotsDir(), s.snapshot_id);
  try {
    for (const r of await snap.db.all(`SELECT network_id FROM networks WHERE lineage_event IN ('MERGED', 'SPLIT')`)) reshaped.add(String(r.network_id));
  } finally { snap.db.close(); }
}
// this week's highest-harm network among those (ties by id), else the highest-harm network; set NETWORK to follow another
const latest = await openSnapshot(snapshotsDir(), weeks.at(-1)!.snapshot_id);
const NETWORK: string = String(await latest.db.value(`SELECT network_id FROM networks
  ORDER BY list_contains(string_split($reshaped, '|'), network_id) DESC, harm_cchi DESC, network_id LIMIT 1`, { reshaped: [...reshaped].join('|') }));
latest.db.close();
await show(html(`<p>Following network <code>${NETWORK}</code> over ${weeks.length} weekly snapshots (${weeks[0].as_of} to ${weeks.at(-1)!.as_of})${reshaped.has(NETWORK) ? ', chosen as the highest-harm network this week formed by a merge or split within the window' : ''}.</p>`));"""),
  md("## Week by week"),
  code("""// Walk back from the latest week: each earlier week we follow the network's id, or its parents when its lineage says it came from others.
const history: Record<string, unknown>[] = [];
let ids = [NETWORK];
for (const s of [...weeks].reverse()) {
  const snap = await openSnapshot(snapshotsDir(), s.snapshot_id);
  try {
    const rows = await snap.db.all(`SELECT network_id, size, lineage_event, parent_network_ids, jaccard, harm_cchi, harm_cchi_proven, harm_cchi_alleged
        FROM networks WHERE list_contains(string_split($ids, '|'), network_id) ORDER BY network_id`, { ids: ids.join('|') });
    for (const r of rows) history.push({ as_of: s.as_of, ...r });
    const parents = rows.flatMap((r) => String(r.parent_network_ids ?? '').split(/[;, ]+/).filter(Boolean));
    ids = parents.length ? [...new Set(parents)] : ids;
  } finally { snap.db.close(); }
}
history.reverse();
table(plain(history), ['as_of', 'network_id', 'size', 'lineage_event', 'parent_network_ids', 'jaccard', 'harm_cchi', 'harm_cchi_proven', 'harm_cchi_alleged'], 'Lineage and recorded harm per week')"""),
  md("""## Recorded harm, proven and alleged apart

Drawn with the dashboard's network chart spec (`dashboards/charts/network-harm-trend.vl.json`). Where a week held more
than one ancestor network, their harm is summed for that week."""),
  code("""import { renderChartSvg } from '../dashboards/chart-render.ts';
const perWeek = new Map<string, { proven: number; alleged: number }>();
for (const h of history) {
  const w = perWeek.get(String(h.as_of)) ?? { proven: 0, alleged: 0 };
  w.proven += Number(h.harm_cchi_proven ?? 0); w.alleged += Number(h.harm_cchi_alleged ?? 0);
  perWeek.set(String(h.as_of), w);
}
const points = [...perWeek].flatMap(([as_of, w]) => [{ as_of, kind: 'proven', harm_cchi: w.proven }, { as_of, kind: 'alleged', harm_cchi: w.alleged }]);
svg(await renderChartSvg('network-harm-trend', points))"""),
  code("""await chart({
  description: 'Network size (members) per weekly snapshot.',
  title: { text: 'Members per week' }, width: 520, height: 140, mark: { type: 'line', point: true },
  encoding: { x: { field: 'as_of', type: 'temporal', title: 'Snapshot as of' }, y: { field: 'size', type: 'quantitative', title: 'Members' }, color: { field: 'network_id', type: 'nominal', title: 'Network' } },
}, plain(history))"""),
  md("""Reading the lineage: **CONTINUED** means the same membership (Jaccard similarity to its parent at or above the
configured threshold); **GREW**/**SHRANK** the same network with members gained or lost; **MERGED**/**SPLIT** name every parent. A
rise in recorded harm reflects newly recorded or re-classified offences; it says nothing about what the network will do next."""),
])

nb('03-audit-a-score.ipynb', [
  md("""# Auditing one nominal's harm score back to its source records

Every harm score is the sum of per-record contributions kept in the snapshot (`harm_explanations`). This notebook
re-adds them, checks the total against the published score, shows each contribution's arithmetic
(CCHI days × decay × outcome factor), and finds every contributing record in the source extract file that the snapshot's
manifest names — after checking that file's SHA-256 against the manifest. Only people with recorded offending carry a score:
victims, witnesses and missing people are never scored."""),
  code(SETUP),
  md("## The nominal"),
  code("""const latest = snapshots().at(-1)!;
const { db, manifest } = await openSnapshot(snapshotsDir(), latest.snapshot_id);
// the highest-scored nominal this week (ties by id); set NOMINAL to audit another
const NOMINAL: string = String(await db.value(`SELECT nominal_id FROM nominals WHERE harm_band IS NOT NULL AND NOT coalesce(safeguarding_only, false) ORDER BY harm_cchi DESC, nominal_id LIMIT 1`));
const nominal = plain(await db.all(`SELECT nominal_id, harm_band, round(harm_cchi, 2) AS harm_cchi, round(harm_cchi_proven, 2) AS harm_cchi_proven,
    round(harm_cchi_alleged, 2) AS harm_cchi_alleged, records_scored, network_id FROM nominals WHERE nominal_id = $id`, { id: NOMINAL }));
table(nominal, undefined, `Snapshot ${manifest.snapshot_id}`)"""),
  md("## Re-adding the contributions"),
  code("""const contributions = plain(await db.all(`
  SELECT source, record_ref, role, outcome, outcome_class, offence_code, record_date, handling_code,
         cchi_days, decay_factor, outcome_factor, contribution_cchi
  FROM harm_explanations WHERE nominal_id = $id ORDER BY contribution_cchi DESC, record_ref`, { id: NOMINAL }));
const recomputed = contributions.reduce((s, r) => s + Number(r.contribution_cchi ?? 0), 0);
const arithmeticOk = contributions.every((r) => r.cchi_days == null || Math.abs(Number(r.cchi_days) * Number(r.decay_factor) * Number(r.outcome_factor) - Number(r.contribution_cchi)) < 1e-6 * Math.max(1, Number(r.cchi_days)));
const published = Number(nominal[0].harm_cchi);
html(`<p>${contributions.length} records; contributions re-add to <strong>${recomputed.toFixed(2)}</strong> CCHI days against the published
  <strong>${published.toFixed(2)}</strong>: <strong>${Math.abs(recomputed - published) < 0.01 ? 'MATCHES' : 'DOES NOT MATCH'}</strong>.
  Each contribution equals CCHI days × decay × outcome factor: <strong>${arithmeticOk ? 'yes' : 'NO'}</strong>.</p>`)"""),
  code("""table(contributions, undefined, 'Per-record contributions (proven and alleged marked by outcome_class)')"""),
  code("""await chart({
  description: 'Per-record contributions to one harm score, by outcome class. Recorded harm only, not a prediction.',
  title: { text: 'Where the score comes from', subtitle: 'Contribution (CCHI days) per record' }, width: 420, height: { step: 14 },
  mark: 'bar',
  encoding: {
    y: { field: 'record_ref', type: 'nominal', title: 'Record', sort: '-x' },
    x: { field: 'contribution_cchi', type: 'quantitative', title: 'Contribution (CCHI days)' },
    color: { field: 'outcome_class', type: 'nominal', title: 'Outcome', scale: { domain: ['proven', 'alleged', 'zero'] } },
  },
}, contributions.filter((r) => Number(r.contribution_cchi) > 0))"""),
  md("""## Back to the source extract

The manifest records each input file's path and SHA-256. The file is re-hashed; if it still matches, the nominal's
source identities (`nominal_sources`) and the record references above are looked up in it directly."""),
  code("""import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
const KEY: Record<string, string> = { crime: 'crime_ref', custody: 'custody_ref', intel: 'intel_ref', missing: 'episode_ref' };
const traced: Record<string, unknown>[] = [];
const checks: string[] = [];
for (const source of [...new Set(contributions.map((r) => String(r.source)))].sort()) {
  const input = manifest.inputs.find((i) => i.source === source);
  if (!input?.path || !existsSync(input.path)) { checks.push(`${source}: source file not available here (${input?.path ?? 'no path'})`); continue; }
  const sha = createHash('sha256').update(readFileSync(input.path)).digest('hex');
  checks.push(`${source}: ${input.path} sha256 ${sha === input.sha256 ? 'matches the manifest' : 'DIFFERS from the manifest — the file changed since the snapshot'}`);
  if (sha !== input.sha256 || !KEY[source]) continue;
  const refs = contributions.filter((r) => r.source === source).map((r) => String(r.record_ref));
  const people = (await db.all(`SELECT person_ref FROM nominal_sources WHERE nominal_id = $id AND source = $source`, { id: NOMINAL, source })).map((r) => String(r.person_ref));
  const rows = await db.all(`SELECT * EXCLUDE (surname, forenames, date_of_birth, ethnicity) FROM read_csv($file, all_varchar = true)
      WHERE list_contains(string_split($refs, '|'), ${KEY[source]}) AND list_contains(string_split($people, '|'), person_ref) ORDER BY ${KEY[source]}`,
    { file: input.path, refs: refs.join('|'), people: people.join('|') });
  traced.push(...rows.map((r) => ({ source, ...r })));
  checks.push(`${source}: ${new Set(rows.map((r) => r[KEY[source]])).size} of ${new Set(refs).size} contributing records found in the file`);
}
html(`<ul>${checks.map((c) => `<li>${c.replace(/[<>&]/g, '')}</li>`).join('')}</ul>`)"""),
  code("""db.close();
table(plain(traced), undefined, 'The source rows behind the score (names, date of birth and ethnicity left out)')"""),
  md("""Before relying on any of these records, confirm them in the source system: a record can be mis-keyed, or the person wrongly
matched (see each identity's match probability in `nominal_sources`)."""),
])

nb('04-compare-snapshots.ipynb', [
  md("""# Comparing two snapshots

What changed between two weekly snapshots: tables, configuration, inputs and reference tables, then the nominals and
networks added, removed and changed, with harm and rank movements (`pipelines/snapshot/diff-snapshots.ts`, the same
comparison `harmnet snapshot diff` prints). Ranks are among scored nominals only; victims are never ranked."""),
  code(SETUP),
  code("""import { diffSnapshots } from '../pipelines/snapshot/diff-snapshots.ts';
const all = snapshots();
// the latest week against the week before; set BEFORE/AFTER to compare others
const BEFORE = all.at(-2)!.snapshot_id, AFTER = all.at(-1)!.snapshot_id;
const diff = await diffSnapshots(snapshotsDir(), BEFORE, AFTER, { limit: 200 });
html(`<p>Comparing <code>${diff.before.snapshot_id}</code> (code ${diff.before.code_version}) with <code>${diff.after.snapshot_id}</code> (code ${diff.after.code_version}).</p>
<p>Configuration changed: ${diff.config_changed.length ? diff.config_changed.join(', ') : 'none'}. Inputs changed: ${diff.inputs_changed.join(', ') || 'none'}.
Reference tables changed: ${diff.reference_tables_changed.join(', ') || 'none'}.</p>`)"""),
  md("## Tables"),
  code("""table(diff.tables as unknown as Record<string, unknown>[], ['name', 'status', 'rows_before', 'rows_after'])"""),
  md("## Nominals and networks: counts"),
  code("""table([diff.nominals, diff.networks].map((d) => ({ table: d.table, ...d.counts })), ['table', 'before', 'after', 'added', 'removed', 'changed', 'unchanged', 'rank_moved'])"""),
  md("""## Largest movements in recorded harm

Change in headline harm (CCHI days) for the networks that moved most. A rise means more harm was *recorded* (new or
re-classified records), not that more is expected."""),
  code("""const moves = diff.networks.changed.filter((c) => c.harm_delta != null && c.harm_delta !== 0)
  .sort((a, b) => Math.abs(b.harm_delta!) - Math.abs(a.harm_delta!) || a.id.localeCompare(b.id)).slice(0, 15);
await chart({
  description: 'Change in recorded network harm between two snapshots. Recorded harm only, not a prediction.',
  title: { text: 'Network harm change', subtitle: `${diff.before.as_of} to ${diff.after.as_of}, CCHI days` }, width: 420, height: { step: 16 },
  mark: 'bar',
  encoding: {
    y: { field: 'id', type: 'nominal', title: 'Network', sort: '-x' },
    x: { field: 'harm_delta', type: 'quantitative', title: 'Change in harm (CCHI days)' },
    color: { condition: { test: 'datum.harm_delta < 0', value: '#4c78a8' }, value: '#e45756' },
  },
}, moves as unknown as Record<string, unknown>[])"""),
  code("""table(moves as unknown as Record<string, unknown>[], ['id', 'harm_before', 'harm_after', 'harm_delta', 'rank_before', 'rank_after', 'changed_fields'], 'Networks with the largest harm change')"""),
  code("""// scored nominals only (a rank before or after): victims, witnesses and missing people are never ranked
const nominalMoves = diff.nominals.changed.filter((c) => (c.rank_before != null || c.rank_after != null) && c.harm_delta != null && c.harm_delta !== 0)
  .sort((a, b) => Math.abs(b.harm_delta!) - Math.abs(a.harm_delta!) || a.id.localeCompare(b.id)).slice(0, 15);
table(nominalMoves as unknown as Record<string, unknown>[], ['id', 'harm_before', 'harm_after', 'harm_delta', 'rank_before', 'rank_after'], 'Scored nominals with the largest harm change (ids only)')"""),
])
