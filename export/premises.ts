// What a verdict rests on, in words every format shares: the faults in force
// (and those asked for that cannot touch the design), and the assumptions.
// A bare "holds" hides its premises; every report says them.
import type { Frame } from '../report/types.ts';

/** "slow-join, lock-lost (not applicable here: key-lost)", or "none"; null for a model without faults. */
export function faultsText(r: Frame): string | null {
  if (r.faults === null) return null;
  const { inForce, notApplicable } = r.faults;
  const na = notApplicable.length > 0 ? ` (asked for, but nothing here they can touch: ${notApplicable.join(', ')})` : '';
  return `${inForce.length === 0 ? 'none' : inForce.join(', ')}${na}`;
}

/** The assumptions, joined by "; ", or null when none are stated. */
export function assumptionsText(r: Frame): string | null {
  return r.assumptions === null || r.assumptions.length === 0 ? null : r.assumptions.join('; ');
}
