// What the matrix's verdicts rest on, printed once under the table: the
// assumptions every cell makes, what each design assumes besides, and which
// guarantee each fault of a row lifts. A row carries only its timing
// assumption; the rest would repeat on every row.
//
// Each cell's own list (CellOutcome.assumptions, from its run's report) is
// the truth: the compact form is printed only when it gives back every
// cell's list exactly; otherwise cells are grouped by their own additions.
import { faultByName, type FaultName } from '../../model/index.ts';
import { hanging } from '../../export/index.ts';

/** What the premises need of a cell. */
export interface PremisedCell {
  readonly design: string;
  /** the faults in force in the cell */
  readonly faultList: readonly FaultName[];
  /** the cell's faults as the table shows them */
  readonly faults: string;
  /** what the cell's verdict assumes (its report's assumptions) */
  readonly assumptions: readonly string[];
  /** the properties its run left unjudged, and why (absent: none) */
  readonly notJudged?: readonly string[];
}

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

/** The guarantee a fault lifts (the text the assumptions of a run without it carry). */
const liftedBy = (f: FaultName): string => faultByName(f)!.guarantee;

/** The lines under the matrix, wrapped to `width`; none for no cells. */
export function matrixPremises(cells: readonly PremisedCell[], width = 100): string[] {
  if (cells.length === 0) return [];
  const shared = cells[0].assumptions.filter((a) => cells.every((c) => c.assumptions.includes(a)));
  const designs = unique(cells.map((c) => c.design));
  // a design's own additions: everything any of its cells assumes beyond the shared ones
  const own = new Map(
    designs.map((d) => [d, unique(cells.filter((c) => c.design === d).flatMap((c) => c.assumptions.filter((a) => !shared.includes(a))))]),
  );
  const faults = unique(cells.flatMap((c) => c.faultList));
  const compact = cells.every((c) => {
    const lifted = new Set(c.faultList.map(liftedBy));
    const expected = [...shared, ...own.get(c.design)!.filter((a) => !lifted.has(a))];
    return expected.length === c.assumptions.length && expected.every((a) => c.assumptions.includes(a));
  });
  const lines = shared.length > 0 ? hanging('every cell assumes: ', shared.join('; '), width) : [];
  // labels with the same additions share a line, in table order
  const grouped = (entries: readonly (readonly [label: string, extra: readonly string[]])[]) => {
    const byText = new Map<string, string[]>();
    for (const [label, extra] of entries) {
      if (extra.length === 0) continue;
      const text = extra.join('; ');
      const labels = byText.get(text) ?? [];
      if (!labels.includes(label)) labels.push(label);
      byText.set(text, labels);
    }
    for (const [text, labels] of byText) lines.push(...hanging(`${labels.join(', ')} also: `, text, width));
  };
  if (compact) {
    grouped(designs.map((d) => [d, own.get(d)!] as const));
    const named = faults.filter((f) => designs.some((d) => own.get(d)!.includes(liftedBy(f))));
    if (named.length > 0)
      lines.push(
        ...hanging('a fault in a row lifts the guarantee it breaks: ', named.map((f) => `${f}: ${liftedBy(f)}`).join('; '), width),
      );
  } else {
    grouped(
      cells.map(
        (c) =>
          [c.faultList.length === 0 ? c.design : `${c.design} [${c.faults}]`, c.assumptions.filter((a) => !shared.includes(a))] as const,
      ),
    );
  }
  // cells that left the same properties unjudged share a line (a "holds" there says nothing of them)
  const unjudged = new Map<string, string[]>();
  for (const c of cells)
    for (const n of c.notJudged ?? []) {
      const label = c.faultList.length === 0 ? c.design : `${c.design} [${c.faults}]`;
      unjudged.set(n, unique([...(unjudged.get(n) ?? []), label]));
    }
  for (const [text, labels] of unjudged) lines.push(...hanging(`not judged in ${labels.join(', ')}: `, text, width));
  return lines;
}
