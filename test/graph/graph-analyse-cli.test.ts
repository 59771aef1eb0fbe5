import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../pipelines/cli/commands/graph.ts';
import { parseEdgeList } from '../../pipelines/analyse/edge-list.ts';
import { removeDir, tempDir } from '../helpers/context.ts';

let dir = '';
afterEach(() => dir && removeDir(dir));

function run(csv: string): { nodes: Record<string, string>[]; networks: Record<string, string>[]; summary: any } {
  dir = tempDir();
  const file = path.join(dir, 'edges.csv');
  writeFileSync(file, csv);
  return runFile(file);
}
function runFile(file: string) {
  const out = path.join(dir, 'out');
  return main(['analyse', '--edges', file, '--out', out]).then(() => ({
    nodes: readCsv(path.join(out, 'nodes.csv')),
    networks: readCsv(path.join(out, 'networks.csv')),
    summary: JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')),
  })) as unknown as { nodes: Record<string, string>[]; networks: Record<string, string>[]; summary: any };
}
function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => {
    const f = l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((x) => x.replace(/,$/, '')).map((x) => (x.startsWith('"') ? x.slice(1, -1).replace(/""/g, '"') : x));
    return Object.fromEntries(cols.map((c, i) => [c, f[i]!]));
  });
}

// A triangle {"x, y", b, c} with d hanging off c.
const TRIANGLE = 'source,target,weight\n"x, y",b,1\nb,c,2\nc,"x, y",1\nc,d,0.5\n';

describe('harmnet graph analyse', () => {
  it('writes nodes.csv with centralities checkable by hand, ids exactly as given', async () => {
    const { nodes, networks, summary } = await run(TRIANGLE);
    expect(nodes.map((n) => n.node)).toEqual(['b', 'c', 'd', 'x, y']);
    const c = nodes.find((n) => n.node === 'c')!;
    expect(Number(c.degree)).toBe(3);
    expect(Number(c.weighted_degree)).toBe(3.5);
    expect(Number(c.betweenness)).toBe(2 / 3); // on d–b and d–"x, y": 2 of the 3 pairs not involving c
    expect(Number(c.closeness)).toBe(1);
    expect(Number(c.key_player_impact)).toBe(2 / 3); // removing c cuts d off from b and "x, y"
    expect(Number(nodes.find((n) => n.node === 'd')!.closeness)).toBe(3 / 5);
    expect(Number(nodes.find((n) => n.node === 'b')!.betweenness)).toBe(0);
    expect(new Set(nodes.map((n) => n.network_id))).toEqual(new Set(['N-1']));
    expect(networks).toEqual([{ network_id: 'N-1', period: '', size: '4', lineage_event: 'BORN', parent_network_ids: '' }]);
    expect(summary.per_period[0].betweenness.method).toBe('exact');
    expect(summary.nodes).toBe(4);
    const pr = nodes.reduce((s, n) => s + Number(n.pagerank), 0);
    expect(pr).toBeCloseTo(1, 12);
  });

  it('with a period column: per-period rows and lineage (the triangle keeps its id as it grows into K4, then dissolves)', async () => {
    const csv = [
      'source,target,period',
      'a,b,2026-01', 'b,c,2026-01', 'c,a,2026-01',
      'a,b,2026-02', 'b,c,2026-02', 'c,a,2026-02', 'a,d,2026-02', 'b,d,2026-02', 'c,d,2026-02',
      'p,q,2026-03', 'q,r,2026-03', 'r,p,2026-03',
    ].join('\n');
    const { nodes, networks, summary } = await run(csv);
    expect(networks).toEqual([
      { network_id: 'N-2026-01-1', period: '2026-01', size: '3', lineage_event: 'BORN', parent_network_ids: '' },
      { network_id: 'N-2026-01-1', period: '2026-02', size: '4', lineage_event: 'GREW', parent_network_ids: 'N-2026-01-1' },
      { network_id: 'N-2026-03-1', period: '2026-03', size: '3', lineage_event: 'BORN', parent_network_ids: '' },
      { network_id: 'N-2026-01-1', period: '2026-03', size: '0', lineage_event: 'DISSOLVED', parent_network_ids: 'N-2026-01-1' },
    ]);
    expect(nodes.filter((n) => n.period === '2026-02').map((n) => n.node)).toEqual(['a', 'b', 'c', 'd']);
    expect(summary.periods).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(summary.per_period[2].alerts.map((a: any) => a.alert_type)).toEqual(['NETWORK_DISSOLVED', 'NEW_NETWORK']);
    // in K4 every node ties; d joins and everyone else keeps rank order by id, so nobody rose
    expect(summary.per_period[1].gaining_influence.betweenness).toEqual([]);
  });

  it('bad CSV: one clear error naming the line', async () => {
    await expect(run('source,target,weight\na,b,1\nb,c,abc\n')).rejects.toMatchObject({
      name: 'HarmnetError', code: 'INPUT_INVALID', message: 'edges.csv line 3: weight must be a positive number, got "abc"',
    });
    expect(() => parseEdgeList('from,to\na,b\n', 'x.csv')).toThrow(/x\.csv line 1: missing column source, target/);
    expect(() => parseEdgeList('source,target\na,b,c\n', 'x.csv')).toThrow('x.csv line 2: expected 2 fields, got 3');
    await expect(main(['analyse'])).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('reads BOM, CRLF, quoted ids with quotes and commas, columns in any order; weight defaults to 1', () => {
    const list = parseEdgeList('\uFEFFtarget,source\r\n"O\'Neil, ""Tam""",b\r\n c ,b\r\n', 'x.csv');
    expect(list.source).toEqual(['b', 'b']);
    expect(list.target).toEqual(['O\'Neil, "Tam"', ' c ']);
    expect(list.weight).toEqual([1, 1]);
    expect(list.period).toBeNull();
  });
});
