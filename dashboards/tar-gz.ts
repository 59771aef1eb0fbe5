// A folder as one .tar.gz (POSIX ustar, gzip from node:zlib), for downloading a disclosure bundle as a
// single file; entries sorted by path with a fixed mtime, so the same folder gives the same bytes.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { HarmnetError } from '../pipelines/core/errors.ts';

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** One ustar header; a path longer than 100 bytes is split into prefix (≤155) and name (≤100) at a '/'. */
function header(name: string, size: number, type: '0' | '5', mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const at = [...name.matchAll(/\//g)].map((m) => m.index!).find((i) => Buffer.byteLength(name.slice(i + 1)) <= 100 && Buffer.byteLength(name.slice(0, i)) <= 155);
    if (at === undefined) throw new HarmnetError('INPUT_INVALID', `tar: path too long for ustar: ${name}`);
    prefix = name.slice(0, at);
    base = name.slice(at + 1);
  }
  h.write(base, 0, 100, 'utf8');
  h.write(octal(type === '5' ? 0o755 : 0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum field counts as spaces while summing
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

/** Every file and folder under `dir`, as `root/...` entries of a gzipped tar; mtime fixed (seconds since 1970). */
export function tarGz(dir: string, root: string, mtime = 0): Buffer {
  const parts: Buffer[] = [];
  const walk = (rel: string) => {
    const abs = path.join(dir, rel);
    for (const name of readdirSync(abs).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = statSync(path.join(dir, r));
      if (st.isDirectory()) {
        parts.push(header(`${root}/${r}/`, 0, '5', mtime));
        walk(r);
      } else if (st.isFile()) {
        const data = readFileSync(path.join(dir, r));
        parts.push(header(`${root}/${r}`, data.length, '0', mtime), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
      }
    }
  };
  parts.push(header(`${root}/`, 0, '5', mtime));
  walk('');
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts));
}
