// Ground truth written beside the drops: the true people, which person_ref belongs to whom, planted
// network membership per as-of week, and the scripted events — streamed, in person and date order.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { isoDay } from './calendar.ts';
import { personRef, SLOT_COUNT, SLOT_SOURCE, type Slot } from './identity-noise.ts';
import { membershipRows, type Network } from './networks.ts';
import { truthPersonRow, type Population } from './people.ts';
import type { TruthEvent } from './script.ts';
import { CsvSink, csvLine } from './writers.ts';

export const TRUTH_COLUMNS = {
  people: ['person_id', 'surname', 'forenames', 'date_of_birth', 'sex', 'ethnicity', 'kind'],
  identities: ['source', 'person_ref', 'person_id'],
  networks: ['as_of', 'network_key', 'network_type', 'person_id'],
  events: ['as_of', 'event', 'network_keys', 'person_id', 'detail'],
} as const;

export interface TruthCounts {
  people: number;
  identities: number;
  networkRows: number;
  events: number;
}

export function writeTruth(
  dir: string,
  o: { pop: Population; used: Uint16Array; nets: readonly Network[]; events: readonly TruthEvent[]; asOfs: readonly number[] },
): TruthCounts {
  const people = new CsvSink(path.join(dir, 'people.csv'), TRUTH_COLUMNS.people);
  const identities = new CsvSink(path.join(dir, 'identities.csv'), TRUTH_COLUMNS.identities);
  for (let idx = 0; idx < o.used.length; idx++) {
    const flags = o.used[idx]!;
    if (flags === 0) continue;
    const p = o.pop.get(idx);
    people.row(csvLine(truthPersonRow(p)));
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      if (flags & (1 << slot)) identities.row(csvLine([SLOT_SOURCE[slot]!, personRef(p, slot as Slot), p.id]));
    }
  }
  const personId = (idx: number) => o.pop.get(idx).id;
  const networks = new CsvSink(path.join(dir, 'networks.csv'), TRUTH_COLUMNS.networks);
  for (const day of o.asOfs) for (const r of membershipRows(o.nets, day, personId)) networks.row(csvLine(r));
  const events = new CsvSink(path.join(dir, 'events.csv'), TRUTH_COLUMNS.events);
  const sorted = [...o.events].sort((a, b) => a.asOf - b.asOf || a.event.localeCompare(b.event) || a.keys.localeCompare(b.keys) || (a.person ?? -1) - (b.person ?? -1));
  for (const e of sorted) events.row(csvLine([isoDay(e.asOf), e.event, e.keys, e.person === null ? '' : personId(e.person), e.detail]));
  const counts = { people: people.close().rows, identities: identities.close().rows, networkRows: networks.close().rows, events: events.close().rows };
  writeFileSync(path.join(dir, 'README.md'), TRUTH_README);
  return counts;
}

const TRUTH_README = `# Ground truth for the synthetic extracts (harmnet generate)

Everything here is SYNTHETIC: invented people, records and networks. No real person is described.

- \`people.csv\` — \`person_id,surname,forenames,date_of_birth,sex,ethnicity,kind\`: one row per true human
  who appears in at least one drop; their true (current) name and details. \`kind\` is one of
  \`network\` (a planted network member, including child county-lines runners), \`background_offender\`,
  \`victim\` (including child victims of the CSE networks), \`witness\` (also people with role OTHER),
  \`missing_child\`.
- \`identities.csv\` — \`source,person_ref,person_id\`: the true person behind every person_ref of every
  source (crime, custody, intel, pins, missing); for pins the person_ref is the prison number. One
  person can have several refs in one source (legacy CRIMES vs CONNECT, duplicates after migration).
- \`networks.csv\` — \`as_of,network_key,network_type,person_id\`: planted network membership at each
  weekly as-of date. Victims are never members. A network's rows stop when it splits, merges or
  dissolves; the networks that follow have their own keys (\`SOC-01a\`, \`CL-02+03\`).
- \`events.csv\` — \`as_of,event,network_keys,person_id,detail\`: the scripted changes, dated by the first
  drop that shows them: GROWTH, SPLIT (\`parent>childA;childB\`), MERGE (\`a;b>merged\`), DISSOLVE,
  IMPRISONED, RELEASED.

Each weekly drop folder is cumulative: a full extract of everything recorded on or before that Monday,
with outcomes, release dates and found times as known on that date.
`;
