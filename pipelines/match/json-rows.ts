// Rows from TypeScript into DuckDB as one bound JSON text with a fixed column → type map. (A bound
// listValue infers its element type from the first item, so a leading NULL turns the whole list NULL.)

export type ColumnType = 'VARCHAR' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'DATE';

/** A SELECT yielding one row per object with typed columns; bind its text as `$name`. Types come from code, never data. */
export function jsonRowsSelect(param: string, columns: Record<string, ColumnType>): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(param)) throw new Error(`jsonRowsSelect: bad parameter name ${param}`);
  const spec = JSON.stringify([Object.fromEntries(Object.entries(columns).map(([k, t]) => [k, t === 'DATE' ? 'VARCHAR' : t]))]);
  if (/'/.test(spec)) throw new Error('jsonRowsSelect: column names must not contain quotes');
  const casts = Object.entries(columns).map(([k, t]) => (t === 'DATE' ? `CAST(j.${k} AS DATE) AS ${k}` : `j.${k}`));
  return `SELECT ${casts.join(', ')} FROM (SELECT unnest(from_json($${param}, '${spec}')) AS j)`;
}
