import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chooseDrop, listDrops, mondayOnOrBefore, weeksBetween } from '../../pipelines/run/drops.ts';
import { dueWeeks, latestSnapshotAsOf } from '../../pipelines/run/scheduler.ts';
import { acquireLock } from '../../pipelines/run/lock.ts';
import { tempDir } from '../helpers/context.ts';

describe('weekly drops', () => {
  it('lists only ISO-dated folders, oldest first', () => {
    const dir = tempDir();
    for (const d of ['2026-11-16', '2026-11-02', 'notes', '2026-13-01']) mkdirSync(path.join(dir, d));
    writeFileSync(path.join(dir, '2026-11-09'), 'a file, not a folder');
    expect(listDrops(dir)).toEqual(['2026-11-02', '2026-11-16']);
  });

  it('builds a week from its own drop, else the earliest later cumulative drop', () => {
    const drops = ['2026-11-02', '2026-11-16'];
    expect(chooseDrop(drops, '2026-11-02')).toBe('2026-11-02');
    expect(chooseDrop(drops, '2026-11-09')).toBe('2026-11-16');
    expect(chooseDrop(drops, '2020-01-06')).toBe('2026-11-02');
    expect(() => chooseDrop(drops, '2026-11-23')).toThrow(/no extract drop on or after 2026-11-23/);
  });

  it('steps back-fill weeks by 7 days inclusive, and finds the Monday on or before a date', () => {
    expect(weeksBetween('2026-10-26', '2026-11-16')).toEqual(['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16']);
    expect(() => weeksBetween('2026-11-16', '2026-11-02')).toThrow(/after/);
    expect(mondayOnOrBefore(new Date('2026-11-22T10:00:00Z'))).toBe('2026-11-16'); // a Sunday
    expect(mondayOnOrBefore(new Date('2026-11-16T00:30:00Z'))).toBe('2026-11-16'); // a Monday
  });
});

describe('scheduler catch-up', () => {
  const drops = ['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16'];
  it('owes every week after the last snapshot up to this Monday', () => {
    expect(dueWeeks(drops, '2026-10-26', new Date('2026-11-18T12:00:00Z'))).toEqual(['2026-11-02', '2026-11-09', '2026-11-16']);
    expect(dueWeeks(drops, '2026-11-16', new Date('2026-11-18T12:00:00Z'))).toEqual([]);
  });
  it('with no snapshot, runs only the latest buildable week', () => {
    expect(dueWeeks(drops, null, new Date('2026-11-10T12:00:00Z'))).toEqual(['2026-11-09']);
  });
  it('reads the newest snapshot as-of from folder names, ignoring in-progress folders', () => {
    const dir = tempDir();
    for (const d of ['2026-11-02-0123456789ab', '2026-11-09-abcdefabcdef', '.tmp-2026-11-16-ffffffffffff-1']) mkdirSync(path.join(dir, d));
    expect(latestSnapshotAsOf(dir)).toBe('2026-11-09');
    expect(latestSnapshotAsOf(path.join(dir, 'absent'))).toBeNull();
  });
});

describe('run lock', () => {
  it('allows one holder at a time and takes over a stale lock from a dead process', () => {
    const file = path.join(tempDir(), 'run.lock');
    const lock = acquireLock(file);
    writeFileSync(file, '1'); // pid 1 is alive (init): the lock is held by someone else
    expect(() => acquireLock(file)).toThrow(/holds/);
    writeFileSync(file, '999999999'); // no such process: stale
    const again = acquireLock(file);
    again.release();
    lock.release();
  });
});
