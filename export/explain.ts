// The sentence that says who and what break a violated property: the
// model's explanation when it gives one, else the property's description.
import type { RunReport } from '../report/types.ts';

export function explanationText(r: RunReport): string {
  if (r.property === 'deadlock') return 'no action is enabled in this state (deadlock is an error for this model)';
  return r.explanation?.text ?? r.propertyDescription ?? `${r.property} does not hold`;
}
