// The code version recorded in every run log and snapshot manifest: the git commit when run from a
// checkout (with "-dirty" if the tree has changes), else the package version.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let cached: string | undefined;

export function codeVersion(): string {
  if (cached) return cached;
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    cached = dirty ? `${commit}-dirty` : commit;
  } catch {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    cached = `v${pkg.version}`;
  }
  return cached;
}
