// What a verdict rests on, in words every format shares: the faults in force
// (each bounded or not, and those asked for that cannot touch the design),
// the properties a fault in force left unjudged, and the assumptions.
// A bare "holds" hides its premises; every report says them.
import type { FaultBoundsReport, Frame, NotJudgedReport } from '../report/types.ts';

/**
 * "lock-lost, presence-flap (unbounded: a flap lasts any number of ticks, ...)
 * (asked for, but nothing here they can touch: key-lost)", or "none"; null
 * for a model without faults.
 */
export function faultsText(r: Frame): string | null {
  if (r.faults === null) return null;
  const { inForce, notApplicable } = r.faults;
  const named = inForce.map((f) => faultWithBounds(f, r.faultBounds));
  const na = notApplicable.length > 0 ? ` (asked for, but nothing here they can touch: ${notApplicable.join(', ')})` : '';
  return `${inForce.length === 0 ? 'none' : named.join(', ')}${na}`;
}

/** "presence-flap (bounded: a flap lasts ≤ 1 tick, ...)" for a fault that takes bounds, else its bare name. */
export function faultWithBounds(fault: string, bounds: readonly FaultBoundsReport[] | null | undefined): string {
  const b = (bounds ?? []).find((x) => x.fault === fault);
  return b === undefined ? fault : `${fault} (${b.text.slice(fault.length + 1)})`;
}

/** "no-call-cut: not judged — refresh-fails in force (its premise: ...); pass --judge no-call-cut to judge it" */
export function notJudgedLine(n: NotJudgedReport): string {
  return `${n.property}: not judged — ${n.fault} in force (its premise: ${n.premise}; ${n.why}); pass --judge ${n.property} to judge it`;
}

/** One line per property the run left unjudged (none when every property was judged). */
export function notJudgedText(r: Frame): string[] {
  return (r.notJudged ?? []).map(notJudgedLine);
}

/** The assumptions, joined by "; ", or null when none are stated. */
export function assumptionsText(r: Frame): string | null {
  return r.assumptions === null || r.assumptions.length === 0 ? null : r.assumptions.join('; ');
}
