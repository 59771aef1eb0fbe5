// The one error type of harmnet: a stable `code` for tests and exit codes, a message that names the
// problem then the value. Translated to an exit code / HTTP status in exactly one place each.

export type HarmnetErrorCode =
  | 'USAGE'
  | 'NOT_YET_AVAILABLE'
  | 'CONFIG_INVALID'
  | 'EXTRACT_FOLDER_INVALID'
  | 'EXTRACT_FILE_UNKNOWN'
  | 'EXTRACT_FILE_UNPARSEABLE'
  | 'EXTRACT_COLUMN_MISSING'
  | 'EXTRACT_COLUMN_DUPLICATE'
  | 'EXTRACT_ENCODING'
  | 'EXTRACT_MANIFEST_MISMATCH'
  | 'EXTRACT_CHANGED'
  | 'EXTRACT_NOT_FOUND'
  | 'REFERENCE_INVALID'
  | 'RUN_LOCKED'
  | 'RUN_FAILED'
  | 'SNAPSHOT_NOT_FOUND'
  | 'SNAPSHOT_TAMPERED'
  | 'SNAPSHOT_MANIFEST_INVALID'
  | 'SNAPSHOT_WRITE_FAILED'
  | 'TRUTH_NOT_FOUND'
  | 'INPUT_INVALID'
  | 'AUTH_REQUIRED'
  | 'ACCESS_DENIED'
  | 'CSRF_REJECTED'
  | 'LOGIN_THROTTLED'
  | 'NOT_FOUND'
  | 'USER_INVALID'
  | 'AUDIT_CHAIN_BROKEN'
  | 'NEO4J_UNAVAILABLE'
  | 'NEO4J_UNAUTHORIZED'
  | 'NEO4J_PUBLISH_FAILED'
  | 'BUNDLE_TAMPERED'
  | 'RATE_LIMITED';

/** Exit codes: 2 = usage / not available, 3 = bad input, 4 = integrity failure, 1 = anything else. */
const EXIT: Partial<Record<HarmnetErrorCode, number>> = {
  USAGE: 2,
  NOT_YET_AVAILABLE: 2,
  CONFIG_INVALID: 2,
  SNAPSHOT_TAMPERED: 4,
  SNAPSHOT_MANIFEST_INVALID: 4,
  EXTRACT_MANIFEST_MISMATCH: 3,
  EXTRACT_FILE_UNKNOWN: 3,
  EXTRACT_FILE_UNPARSEABLE: 3,
  EXTRACT_COLUMN_MISSING: 3,
  EXTRACT_COLUMN_DUPLICATE: 3,
  EXTRACT_ENCODING: 3,
  EXTRACT_CHANGED: 3,
  INPUT_INVALID: 3,
  USER_INVALID: 3,
  AUDIT_CHAIN_BROKEN: 4,
  BUNDLE_TAMPERED: 4,
  RATE_LIMITED: 3,
};

export class HarmnetError extends Error {
  override readonly name = 'HarmnetError';
  constructor(
    readonly code: HarmnetErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  get exitCode(): number {
    return EXIT[this.code] ?? 1;
  }
}

export function isHarmnetError(e: unknown, code?: HarmnetErrorCode): e is HarmnetError {
  return e instanceof HarmnetError && (code === undefined || e.code === code);
}

/** Collects every validation problem, then throws once (Splink's ErrorLogger pattern). */
export class ProblemList {
  private readonly items: string[] = [];
  add(problem: string): void {
    this.items.push(problem);
  }
  get length(): number {
    return this.items.length;
  }
  throwIfAny(code: HarmnetErrorCode): void {
    if (this.items.length === 0) return;
    const first = this.items[0]!;
    const more = this.items.length > 1 ? ` (and ${this.items.length - 1} more: ${this.items.slice(1).join('; ')})` : '';
    throw new HarmnetError(code, first + more);
  }
}
