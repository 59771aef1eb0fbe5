// Shared state of one generator run: the timeline of drops, the population layout with its
// sequential allocators for victims and witnesses, and who is in prison when.

import type { Emitter } from './emitter.ts';
import type { Population } from './people.ts';
import type { Rng } from './rng.ts';

export interface Timeline {
  /** Day numbers of the weekly as-of Mondays, ascending. */
  asOfs: readonly number[];
  last: number;
  /** Start of the main history (about 6 years before the first drop). */
  historyStart: number;
  /** Start of the older, sparser history (legacy 5x5x5 intelligence lives here). */
  deepStart: number;
  /** Day the legacy crime system was replaced by CONNECT. */
  migrationDay: number;
}

/** Hands out fresh people from an index range; once used up (or by chance) re-uses earlier ones. */
export class Allocator {
  private next = 0;
  constructor(readonly base: number, readonly size: number) {}
  fresh(rng: Rng, repeatRate = 0): number {
    if (this.next > 0 && (this.next >= this.size || rng.chance(repeatRate))) return this.base + rng.int(this.next);
    return this.base + this.next++;
  }
  get allocated(): number {
    return this.next;
  }
}

export class PrisonBook {
  private readonly spells = new Map<number, [number, number][]>();
  add(person: number, from: number, to: number): void {
    const list = this.spells.get(person) ?? [];
    list.push([from, to]);
    this.spells.set(person, list);
  }
  inPrison(person: number, day: number): boolean {
    const list = this.spells.get(person);
    return !!list && list.some(([a, b]) => day >= a && day < b);
  }
}

export interface GenContext {
  seed: number;
  em: Emitter;
  pop: Population;
  time: Timeline;
  victims: Allocator;
  witnesses: Allocator;
  /** Index range of background offenders (for noise associates in network intelligence). */
  offenders: { base: number; size: number };
  prison: PrisonBook;
}
