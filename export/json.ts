// A run report as pretty JSON for files and docs: the --json record without
// its one machine-dependent figure (elapsedMs), so the same run gives the
// same bytes. Pure: no I/O.
import type { RunReport } from '../report/types.ts';

/** One JSON Lines record (no newline): bigints as their digits. */
export function jsonLine(r: unknown): string {
  return JSON.stringify(r, replacer);
}

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** The report minus elapsedMs, as JSON indented by two spaces, ending in a newline. */
export function toJson(report: RunReport): string {
  const { elapsedMs: _elapsed, ...deterministic } = report;
  return `${JSON.stringify({ format: 'presence-check/run', ...deterministic }, replacer, 2)}\n`;
}
