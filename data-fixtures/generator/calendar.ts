// Dates as whole UTC day numbers (days since 1970-01-01) for the generator: cheap arithmetic, and
// ISO text formatting through a cache because the same few thousand days are formatted millions of times.

const MS_PER_DAY = 86_400_000;
const isoCache = new Map<number, string>();

export function dayOf(iso: string): number {
  return Math.round(Date.parse(iso + 'T00:00:00Z') / MS_PER_DAY);
}

/** `YYYY-MM-DD` for a day number. */
export function isoDay(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}

/** `YYYY-MM-DD HH:MM:SS` for a day number and a second of that day. */
export function isoTimestamp(day: number, secondOfDay: number): string {
  const s = Math.max(0, Math.min(86_399, Math.floor(secondOfDay)));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return `${isoDay(day)} ${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`;
}

export function yearOf(day: number): number {
  return Number(isoDay(day).slice(0, 4));
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function padNum(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export const YEAR_DAYS = 365.25;
