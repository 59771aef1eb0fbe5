// The bundle's HTML and CSV helpers: every value escaped, no scripts, no spreadsheet formulas.

import { describe, expect, it } from 'vitest';
import { htmlPage, htmlTable, toCsv } from '../../pipelines/export/bundle-format.ts';
import { bundleSums } from '../../pipelines/export/bundle.ts';

describe('bundle formats', () => {
  it('escapes every value in HTML tables and pages; the page has no script', () => {
    const table = htmlTable('t', [['name', 'Name']], [{ name: '<script>alert("x")</script> & <b>' }]);
    const page = htmlPage('Nominal <img src=x onerror=alert(1)>', table);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;');
    expect(page).toContain('Nominal &lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img src=x/);
  });

  it('CSV quotes commas and quotes, and defuses formula-looking cells', () => {
    expect(toCsv(['a', 'b'], [{ a: '=HYPERLINK("http://x")', b: 'x, "y"' }, { a: -3, b: null }, { a: ['P', 'C'], b: '+1' }])).toBe(
      'a,b\n"\'=HYPERLINK(""http://x"")","x, ""y"""\n-3,\n"P,C",\'+1\n',
    );
  });

  it('SHA256SUMS lines are sorted by path and include the manifest', () => {
    expect(bundleSums([{ path: 'z.txt', sha256: 'b'.repeat(64) }, { path: 'a/b.csv', sha256: 'a'.repeat(64) }], 'c'.repeat(64))).toBe(
      `${'a'.repeat(64)}  a/b.csv\n${'c'.repeat(64)}  manifest.json\n${'b'.repeat(64)}  z.txt\n`,
    );
  });
});
