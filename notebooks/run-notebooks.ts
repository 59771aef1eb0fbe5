// Executes every analyst notebook headless (nbconvert on the Deno kernel) against a snapshots folder and
// writes HTML; fails naming the notebook and cell when a cell errors, produces no output, or times out.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const NOTEBOOKS_DIR = here;
export const DEFAULT_OUT = path.resolve(here, '..', 'test-artifacts', 'notebooks');

export interface RunOptions {
  /** Folder of snapshots the notebooks read (HARMNET_SNAPSHOTS); default: the cached demo back-fill's. */
  snapshots?: string;
  /** Where the executed notebooks and HTML go. */
  out?: string;
  /** Only these notebook file names. */
  only?: string[];
  /** Seconds per cell before nbconvert gives up. */
  cellTimeout?: number;
}

export interface NotebookResult {
  notebook: string;
  html: string;
  seconds: number;
}

interface NbOutput {
  output_type: string;
  ename?: string;
  evalue?: string;
}
interface NbCell {
  cell_type: string;
  source: string | string[];
  outputs?: NbOutput[];
}

/** The Python that has nbconvert: $HARMNET_PYTHON, else Debian's /usr/bin/python3, else python3 on PATH. */
export function notebookPython(): string {
  if (process.env.HARMNET_PYTHON) return process.env.HARMNET_PYTHON;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** Null when nbconvert and a "deno" Jupyter kernel are installed, else what is missing. */
export function missingTooling(): string | null {
  const py = notebookPython();
  const probe = spawnSync(py, ['-c', 'import nbconvert, nbclient\nfrom jupyter_client.kernelspec import KernelSpecManager as K\nimport sys\nsys.exit(0 if "deno" in K().find_kernel_specs() else 3)'], { encoding: 'utf8' });
  if (probe.error) return `${py} not found`;
  if (probe.status === 3) return 'no "deno" Jupyter kernel (run node_modules/.bin/deno jupyter --install)';
  if (probe.status !== 0) return `nbconvert/nbclient not importable by ${py} (apt-get install python3-nbconvert python3-nbclient)`;
  return null;
}

export function notebookNames(): string[] {
  return readdirSync(NOTEBOOKS_DIR).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();
}

function firstLine(src: string | string[]): string {
  return (Array.isArray(src) ? src.join('') : src).split('\n')[0]!.slice(0, 100);
}

/** Checks an executed notebook: throws naming the first code cell that errored or showed nothing. */
export function checkExecuted(file: string): void {
  const nb = JSON.parse(readFileSync(file, 'utf8')) as { cells: NbCell[] };
  const name = path.basename(file);
  let codeIndex = 0;
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    codeIndex += 1;
    const outputs = cell.outputs ?? [];
    const err = outputs.find((o) => o.output_type === 'error');
    const where = `${name} cell ${i + 1} (code cell ${codeIndex}: "${firstLine(cell.source)}")`;
    if (err) throw new Error(`${where} failed: ${err.ename}: ${err.evalue}`);
    if (outputs.length === 0) throw new Error(`${where} produced no output`);
  });
}

/** Runs the notebooks; throws on the first failure with the notebook and cell named. */
export async function runNotebooks(options: RunOptions = {}): Promise<NotebookResult[]> {
  const missing = missingTooling();
  if (missing) throw new Error(`cannot run notebooks: ${missing}`);
  let snapshots = options.snapshots ?? process.env.HARMNET_SNAPSHOTS;
  if (!snapshots) {
    const { demoBackfill } = await import('../test/helpers/demo.ts');
    snapshots = (await demoBackfill()).snapshots;
  }
  const out = path.resolve(options.out ?? DEFAULT_OUT);
  mkdirSync(out, { recursive: true });
  const py = notebookPython();
  const cellTimeout = options.cellTimeout ?? 300;
  const env = { ...process.env, HARMNET_SNAPSHOTS: path.resolve(snapshots), NO_COLOR: '1' };
  const results: NotebookResult[] = [];
  for (const name of options.only ?? notebookNames()) {
    const started = Date.now();
    const stem = name.replace(/\.ipynb$/, '');
    const executed = path.join(out, `${stem}.ipynb`);
    // execute with --allow-errors so the failing cell can be named from the saved outputs
    const exec = spawnSync(py, ['-m', 'nbconvert', '--execute', '--allow-errors', '--to', 'notebook', `--ExecutePreprocessor.timeout=${cellTimeout}`, '--output-dir', out, '--output', stem, path.join(NOTEBOOKS_DIR, name)], {
      cwd: NOTEBOOKS_DIR,
      env,
      encoding: 'utf8',
      timeout: cellTimeout * 1000 * 20,
    });
    if (exec.error || exec.status !== 0) {
      const tail = `${exec.stderr ?? ''}`.split('\n').filter((l) => l.trim() && !/unstable/.test(l)).slice(-6).join('\n');
      throw new Error(`${name}: nbconvert failed (${exec.error?.message ?? `exit ${exec.status}`})\n${tail}`);
    }
    checkExecuted(executed);
    const conv = spawnSync(py, ['-m', 'nbconvert', '--to', 'html', '--output-dir', out, executed], { env, encoding: 'utf8' });
    if (conv.status !== 0) throw new Error(`${name}: HTML export failed\n${conv.stderr}`);
    results.push({ notebook: name, html: path.join(out, `${stem}.html`), seconds: (Date.now() - started) / 1000 });
  }
  return results;
}

async function main(argv: string[]): Promise<number> {
  const opts: RunOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--snapshots') opts.snapshots = argv[++i];
    else if (a === '--out') opts.out = argv[++i];
    else if (a === '--only') (opts.only ??= []).push(argv[++i]!);
    else {
      console.error(`usage: run-notebooks [--snapshots DIR] [--out DIR] [--only NAME.ipynb]… (unknown argument ${a})`);
      return 2;
    }
  }
  try {
    for (const r of await runNotebooks(opts)) console.log(`ok ${r.notebook} → ${r.html} (${r.seconds.toFixed(1)} s)`);
    return 0;
  } catch (e) {
    console.error(`notebooks: ${(e as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
