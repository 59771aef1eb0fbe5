// Every command of the tutorial (docs/tutorial/NN-*.md, in order), run with the real CLI: the
// tutorial generates and builds its own installation under tutorial/, so it needs no demo state.
// Same rules as doc-commands.test.ts.

import { describe, expect, it } from 'vitest';
import { docsInIndexOrder } from './collect-doc-commands.ts';
import { defineDocCommandTests, ROOT } from './run-doc-commands.ts';

const pages = docsInIndexOrder(ROOT).filter((p) => p.startsWith('docs/tutorial/'));

describe('the tutorial', () => {
  it('is eleven pages numbered by pipeline stage, in index order', () => {
    expect(pages.map((p) => p.replace('docs/tutorial/', ''))).toEqual([
      '01-generate.md', '02-ingest.md', '03-curate.md', '04-retention.md', '05-resolve.md', '06-network.md',
      '07-harm.md', '08-analyse.md', '09-fairness.md', '10-snapshot.md', '11-serve-match-export.md',
    ]);
  });
});

defineDocCommandTests('tutorial commands', pages, { demo: false });
