// The hand-built five-person case used by the harm, edge and network tests. Every total is worked out
// by hand in harm-five-people.test.ts. As-of 2026-11-16; most records are dated on the as-of (decay 1).
//
// Offence table (CCHI days are the real CCHI 2020 values for these codes; ONS weights are round
// test values so the sums can be done by hand — the real ONS table is partial and not round):
//   092/30  supply Class A (cocaine)    CCHI 547.5  ONS 500
//   008/01  ABH (offence_ref OF61047)    CCHI 182.5  ONS 100
//   105/01  common assault               CCHI 10     ONS missing (no weight: reported, never 0)

import type { InputData } from './input-tables.ts';
import { inv, ns } from './input-tables.ts';

export const AS_OF = '2026-11-16';

export function fivePeople(): InputData {
  return {
    offences: [
      { offence_code: '092/30', offence_ref: null, cchi_days: 547.5, cchi_rule: 'single', classification_code: '92A', ons_weight: 500, ons_status: 'found' },
      { offence_code: '008/01', offence_ref: 'OF61047', cchi_days: 182.5, cchi_rule: 'offence_ref', classification_code: '8N', ons_weight: 100, ons_status: 'found' },
      { offence_code: '105/01', offence_ref: null, cchi_days: 10, cchi_rule: 'single', classification_code: '105A', ons_weight: null, ons_status: 'missing' },
    ],
    nominals: [
      { nominal_id: 'N1', date_of_birth: '1990-03-01' },
      { nominal_id: 'N2', date_of_birth: '1985-07-15' },
      { nominal_id: 'N3', date_of_birth: '2000-01-01' },
      { nominal_id: 'N4', date_of_birth: '2010-05-01' }, // 16 at the as-of: a child
      { nominal_id: 'N5', date_of_birth: '1995-12-31' },
    ],
    nominalSources: [
      ns('N1', 'c-1'),
      ns('N1', 'i-1', 'intel'),
      ns('N2', 'c-2'),
      ns('N2', 'c-2b'), // a second crime identity of N2 (resolved as the same person)
      ns('N3', 'c-3'),
      ns('N4', 'c-4'),
      ns('N5', 'c-5'),
      ns('N5', 'i-5', 'intel'),
      ns('N5', 'k-5', 'custody'),
      ns('N5', 'p-5', 'pins'),
    ],
    involvements: [
      // C1: N1 and N2 supply Class A together; N3 and N4 are victims.
      inv({ record_ref: 'C1', identity_id: 'c-1', role: 'SUSPECT', outcome: 'CONVICTED', record_date: AS_OF, offence_code: '092/30' }),
      inv({ record_ref: 'C1', identity_id: 'c-2', role: 'OFFENDER', outcome: 'CHARGED', record_date: AS_OF, offence_code: '092/30' }),
      inv({ record_ref: 'C1', identity_id: 'c-2b', role: 'SUSPECT', outcome: 'NFA', record_date: AS_OF, offence_code: '092/30' }), // same person twice: best outcome kept
      inv({ record_ref: 'C1', identity_id: 'c-3', role: 'VICTIM', outcome: 'NONE', record_date: AS_OF, offence_code: '092/30' }),
      inv({ record_ref: 'C1', identity_id: 'c-4', role: 'VICTIM', outcome: 'NONE', record_date: AS_OF, offence_code: '092/30', under_18: true }),
      // C2: N1 under investigation for ABH (alleged).
      inv({ record_ref: 'C2', identity_id: 'c-1', role: 'SUSPECT', outcome: 'UNDER_INVESTIGATION', record_date: AS_OF, offence_code: '008/01', offence_ref: 'OF61047' }),
      // C3: N2 NFA'd for supply — counts zero.
      inv({ record_ref: 'C3', identity_id: 'c-2', role: 'SUSPECT', outcome: 'NFA', record_date: AS_OF, offence_code: '092/30' }),
      // C6: N2 convicted of ABH committed 365 days before the as-of (decay (2/3)^(365/365.25)).
      inv({ record_ref: 'C6', identity_id: 'c-2', role: 'OFFENDER', outcome: 'CONVICTED', record_date: '2025-11-16', offence_code: '008/01', offence_ref: 'OF61047' }),
      // C7: N1 convicted 1827 days ago — just outside the 5-year look-back (1826.25 days): adds nothing.
      inv({ record_ref: 'C7', identity_id: 'c-1', role: 'OFFENDER', outcome: 'CONVICTED', record_date: '2021-11-15', offence_code: '092/30' }),
      // C4: N3 cautioned for common assault (no ONS weight).
      inv({ record_ref: 'C4', identity_id: 'c-3', role: 'SUSPECT', outcome: 'CAUTIONED', record_date: AS_OF, offence_code: '105/01' }),
      // C5: N5 acquitted of ABH — counts zero; N4 was a witness.
      inv({ record_ref: 'C5', identity_id: 'c-5', role: 'SUSPECT', outcome: 'ACQUITTED', record_date: '2026-06-01', offence_code: '008/01', offence_ref: 'OF61047' }),
      inv({ record_ref: 'C5', identity_id: 'c-4', role: 'WITNESS', outcome: 'NONE', record_date: '2026-06-01', offence_code: '008/01', offence_ref: 'OF61047' }),
      // I1: a reliable intelligence report: N5 subject, N1 associate (drugs).
      inv({ source: 'intel', record_ref: 'I1', group_ref: 'I1', identity_id: 'i-5', role: 'SUBJECT', record_date: '2026-10-01', topic: 'DRUGS' }),
      inv({ source: 'intel', record_ref: 'I1', group_ref: 'I1', identity_id: 'i-1', role: 'ASSOCIATE', record_date: '2026-10-01', topic: 'DRUGS' }),
      // N5 arrested alone; N5 in prison.
      inv({ source: 'custody', record_ref: 'K1', group_ref: 'OCC1', identity_id: 'k-5', role: 'ARRESTED', outcome: 'CHARGED', record_date: '2026-06-01' }),
      inv({ source: 'pins', record_ref: 'P1|2026-07-01', group_ref: null, identity_id: 'p-5', role: 'PRISONER', record_date: '2026-07-01' }),
    ],
    pins: [
      { person_ref: 'p-5', identity_id: 'p-5', prison_number: 'A1234BC', establishment: 'HMP Test', reception_date: '2026-07-01', expected_release_date: '2026-12-01', actual_release_date: null, licence_end_date: '2027-06-01' },
    ],
  };
}
