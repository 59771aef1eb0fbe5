// Small pure pieces of the generator: the keyed bijection behind refs, PNC ids, CSV quoting, typos,
// day/month transposition, the event schedule and the seeded PRNG.

import { describe, expect, it } from 'vitest';
import { permute, pncId } from '../../data-fixtures/generator/people.ts';
import { csvField, csvLine } from '../../data-fixtures/generator/writers.ts';
import { transposeDayMonth, typo, stripDiacritics } from '../../data-fixtures/generator/identity-noise.ts';
import { eventWeeks } from '../../data-fixtures/generator/script.ts';
import { Rng, rngFor } from '../../data-fixtures/generator/rng.ts';

describe('generator units', () => {
  it('permute is a bijection on [0, modulus) for awkward moduli, and not the identity', () => {
    for (const m of [1, 7, 1000, 10_007, 65_536]) {
      const seen = new Set<number>();
      for (let x = 0; x < m; x++) {
        const y = permute(x, m, 12345);
        expect(y >= 0 && y < m).toBe(true);
        seen.add(y);
      }
      expect(seen.size).toBe(m);
    }
    const first = Array.from({ length: 10 }, (_, i) => permute(i, 100_000_000, 1));
    expect(first).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Different salts give unrelated orders (no constant offset between two sources' refs).
    const d = Array.from({ length: 5 }, (_, i) => permute(i, 100_000_000, 1) - permute(i, 100_000_000, 2));
    expect(new Set(d).size).toBeGreaterThan(1);
  });

  it('formats PNC ids as YYYY/NNNNNNNL with the modulo-23 check letter', () => {
    // (3·10⁷ + 457812) mod 23 = 30457812 mod 23 = 30457812 − 23·1324252 = 16 → "ZABCDEFGHJKLMNPQRTUVWXY"[16] = 'R'
    expect(pncId(2003, 457_812)).toBe('2003/0457812R');
    expect(pncId(2019, 1)).toMatch(/^2019\/0000001[A-Z]$/);
  });

  it('quotes CSV fields only when RFC 4180 needs it', () => {
    expect(csvField("O'Neill")).toBe("O'Neill");
    expect(csvField('Smith, John')).toBe('"Smith, John"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField(null)).toBe('');
    expect(csvLine(['a', 1, '', 'b,c'])).toBe('a,1,,"b,c"\n');
  });

  it('transposes day and month only when the result is a different valid date', () => {
    expect(transposeDayMonth('1990-04-07')).toBe('1990-07-04');
    expect(transposeDayMonth('1990-04-25')).toBe('1990-04-25');
    expect(transposeDayMonth('1990-05-05')).toBe('1990-05-05');
  });

  it('makes one small keying error, and strips diacritics', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 50; i++) {
      const t = typo('Christopher', rng);
      expect(Math.abs(t.length - 'Christopher'.length)).toBeLessThanOrEqual(1);
    }
    expect(typo('Al', rng)).toBe('Al');
    expect(stripDiacritics('Zoë Siobhán')).toBe('Zoe Siobhan');
  });

  it('spreads the scripted events over weeks 5–13 of 16 and squeezes them into short runs', () => {
    const w = eventWeeks(16);
    expect(w).toEqual({ imprison: 4, growth1: 5, split: 6, merge: 8, growth2: 9, dissolve: 11, release: 12 });
    expect(Object.values(eventWeeks(1))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(w.imprison).toBeLessThan(w.split);
  });

  it('gives the same stream for the same key and a different one for another key', () => {
    const a = rngFor(42, 'person', 7);
    const b = rngFor(42, 'person', 7);
    const c = rngFor(42, 'person', 8);
    const xs = [a.u32(), a.u32(), a.u32()];
    expect([b.u32(), b.u32(), b.u32()]).toEqual(xs);
    expect([c.u32(), c.u32(), c.u32()]).not.toEqual(xs);
    const r = new Rng(3);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) sum += r.float();
    expect(sum / 10_000).toBeGreaterThan(0.48);
    expect(sum / 10_000).toBeLessThan(0.52);
  });
});
