// Whether a process id is running (signal 0 probes without signalling): how lock files left by a
// crashed process are told apart from live ones.

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
