// One CSV cell for files people open in a spreadsheet: a text cell that a spreadsheet would run as a
// formula (= + - @ tab CR) gets a leading apostrophe (numbers such as -3 stay numbers), then RFC 4180 quoting.

export function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(',') : String(value);
  const safe = typeof value !== 'number' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
