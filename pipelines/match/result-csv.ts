// The partner's result as CSV (cli.md columns), caveats as leading '#' lines, every cell neutralised
// against spreadsheet formula injection (OWASP "CSV Injection": a leading ' before = + - @ tab CR).

import { caveatsAsText } from '../../dashboards/caveats.ts';
import { csvCell } from '../core/csv-cell.ts';

export { csvCell };

export const RESULT_COLUMNS = ['row_ref', 'status', 'confidence', 'in_network', 'harm_cchi', 'harm_band', 'snapshot_id'] as const;

export interface ResultCsvRow {
  row_ref: string;
  status: string;
  confidence: string;
  in_network: boolean | null;
  harm_cchi: number | null;
  harm_band: string | null;
}


export function resultCsv(rows: ResultCsvRow[], snapshotId: string, options: { caveats?: boolean } = {}): string {
  const lines: string[] = [];
  if (options.caveats ?? true) for (const c of caveatsAsText()) lines.push(`# ${c.replace(/[\r\n]+/g, ' ')}`);
  lines.push(RESULT_COLUMNS.join(','));
  for (const r of rows) {
    const harm = r.harm_cchi === null ? '' : r.harm_cchi.toFixed(1);
    const inNetwork = r.in_network === null ? '' : r.in_network ? 'yes' : 'no';
    lines.push([r.row_ref, r.status, r.confidence, inNetwork, harm, r.harm_band ?? '', snapshotId].map(csvCell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
