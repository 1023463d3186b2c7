// For a test that sends a real signal to the CLI running as a child process
// whose output says nothing while it runs (off a terminal, `matrix` prints
// its table at the end): when to send it. A signal that comes before the
// command has put its handler in kills the process instead of stopping the
// run, and how long Node, tsx and the modules take to start depends on how
// busy the machine is. So on Linux this waits until the child has spent
// `cpuSeconds` of CPU (measured: its handler is in after about 2 s with
// tsx's cache cold, under 2 s warm), which a busy machine only makes take
// longer; where there is no /proc, it waits `fallbackMs`. A command that
// prints progress (check, simulate: --progress-every) is better signalled
// at its first progress line.
import { existsSync, readFileSync } from 'node:fs';

/** The child's CPU time, all its threads, in seconds (Linux's clock ticks: 1/100 s). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // after the name: state (field 3), ..., utime (14) and stime (15)
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the child `pid` has run `cpuSeconds` of CPU (or, without /proc, after `fallbackMs`). */
export async function afterCpu(pid: number, cpuSeconds: number, fallbackMs: number, timeoutMs = 120_000): Promise<void> {
  if (!existsSync(`/proc/${pid}/stat`)) {
    await sleep(fallbackMs);
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (cpuSecondsOf(pid) < cpuSeconds) {
    if (Date.now() > deadline) throw new Error(`the child ${pid} did not run ${cpuSeconds} s of CPU in ${timeoutMs / 1000} s`);
    await sleep(20);
  }
}
