// Logging for stages: progress lines for people, never personal data. Tests pass `silentLog`.

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  progress(message: string): void;
}

export const silentLog: Log = { info() {}, warn() {}, progress() {} };

/** Writes to stderr so `--json` keeps stdout for the JSON summary. */
export function consoleLog(options: { quiet?: boolean } = {}): Log {
  const tty = process.stderr.isTTY;
  return {
    info: (m) => {
      if (!options.quiet) process.stderr.write(`${m}\n`);
    },
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    progress: (m) => {
      if (options.quiet) return;
      if (tty) process.stderr.write(`\r\x1b[2K${m}`);
      else process.stderr.write(`${m}\n`);
    },
  };
}

/** A log that records lines, for tests asserting on what was said. */
export function memoryLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => void lines.push(m),
    warn: (m) => void lines.push(`warning: ${m}`),
    progress: (m) => void lines.push(m),
  };
}
