// PNC id normalisation and check-character validation (pure). Resolve trusts curate's pnc_id_norm;
// this is the reference implementation used by tests and by anyone normalising a PNC id by hand.
// Check character: (last two digits of the year ++ 7-digit serial) mod 23, indexed into
// "ZABCDEFGHJKLMNPQRTUVWXY" — the rule used by the UK MoJ's person-record service (hmpps).

const CHECK_LETTERS = 'ZABCDEFGHJKLMNPQRTUVWXY';

export interface PncResult {
  /** `YYYY/NNNNNNNL`, or null when the input is empty or invalid. */
  norm: string | null;
  /** True when something was given but it is not a valid PNC id (bad format or check letter). */
  invalid: boolean;
}

export function pncCheckLetter(year: string, serial: string): string {
  const n = Number(`${year.slice(-2)}${serial.padStart(7, '0')}`);
  return CHECK_LETTERS[n % 23]!;
}

/** Accepts `2003/0457812K`, `2003/457812k`, ` 2003 0457812 K `; rejects two-digit years (ambiguous century). */
export function normalisePnc(raw: string | null | undefined): PncResult {
  const text = (raw ?? '').toUpperCase().replace(/\s+/g, '');
  if (text === '') return { norm: null, invalid: false };
  const m = /^(\d{4})\/?(\d{1,7})([A-Z])$/.exec(text);
  if (!m) return { norm: null, invalid: true };
  const [, year, serial, letter] = m as unknown as [string, string, string, string];
  if (pncCheckLetter(year, serial) !== letter) return { norm: null, invalid: true };
  return { norm: `${year}/${serial.padStart(7, '0')}${letter}`, invalid: false };
}
