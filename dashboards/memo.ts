// A small least-recently-used cache of promises for results derived from immutable snapshots (chart
// SVGs, graph layouts, network tables): the key must name every snapshot the result depends on.

export class Memo {
  private readonly entries = new Map<string, Promise<unknown>>();
  constructor(readonly maxEntries = 500) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit as Promise<T>;
    }
    const p = compute();
    this.entries.set(key, p);
    p.catch(() => this.entries.delete(key));
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return p;
  }
}
