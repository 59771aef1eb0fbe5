import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, normalisedMutualInformation } from '../../graph/evaluate/partition-agreement.ts';

describe('partition agreement', () => {
  // a = {1,2}{3,4}; b = {1,2}{3}{4}. Contingency cells 2,1,1; rows 2,2; cols 2,1,1; n = 4.
  // ARI: index = C(2,2) = 1; Σrows = 2; Σcols = 1; expected = 2·1/C(4,2) = 1/3; max = 3/2;
  //      (1 − 1/3) / (3/2 − 1/3) = (2/3)/(7/6) = 4/7.
  // NMI: H(a) = ln 2; H(b) = 1.5 ln 2; MI = ln 2 → ln 2 / (1.25 ln 2) = 0.8.
  const a = ['x', 'x', 'y', 'y'];
  const b = ['p', 'p', 'q', 'r'];
  it('matches hand-worked values', () => {
    expect(adjustedRandIndex(a, b)).toBeCloseTo(4 / 7, 12);
    expect(normalisedMutualInformation(a, b)).toBeCloseTo(0.8, 12);
  });
  it('is 1 for identical partitions under any relabelling, and symmetric', () => {
    const relabelled = ['k', 'k', 'z', 'z'];
    expect(adjustedRandIndex(a, relabelled)).toBe(1);
    expect(normalisedMutualInformation(a, relabelled)).toBeCloseTo(1, 12);
    expect(adjustedRandIndex(b, a)).toBeCloseTo(adjustedRandIndex(a, b), 12);
    expect(normalisedMutualInformation(b, a)).toBeCloseTo(normalisedMutualInformation(a, b), 12);
  });
  it('is near 0 (ARI) for a partition unrelated to the truth', () => {
    // truth: 2 blocks of 50; prediction: alternate items → independent of truth.
    const truth = Array.from({ length: 100 }, (_, i) => (i < 50 ? 'A' : 'B'));
    const pred = Array.from({ length: 100 }, (_, i) => (i % 2 ? 'odd' : 'even'));
    expect(Math.abs(adjustedRandIndex(truth, pred))).toBeLessThan(0.02);
    expect(normalisedMutualInformation(truth, pred)).toBeLessThan(0.01);
  });
  it('refuses partitions of different lengths', () => {
    expect(() => adjustedRandIndex(['a'], ['a', 'b'])).toThrow(/differ in length/);
  });
});
