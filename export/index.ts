// Traces for documentation and other tools: each formatter takes a RunReport
// (cli/run.ts) and returns text; fromItf reads an ITF trace back as scenario
// steps for checker/replay.ts. Pure: no I/O.
import type { RunReport } from '../cli/run.ts';
import { toItfJson } from './itf.ts';
import { toJson } from './json.ts';
import { toMarkdown } from './markdown.ts';
import { toMermaid } from './mermaid.ts';

export { toMarkdown, markdownCode, markdownText, type MarkdownOptions } from './markdown.ts';
export { toMermaid, mermaidText, type MermaidOptions } from './mermaid.ts';
export {
  toItf, toItfJson, fromItf, encodeItfValue, decodeItfValue, ItfError, ITF_FORMAT_DESCRIPTION,
  type ItfTrace, type ItfState, type ItfStateMeta, type ItfValue, type ItfOptions, type ItfRun,
} from './itf.ts';
export { toJson } from './json.ts';
export { explainViolation, ticksElapsed, type ViolationExplanation } from './trace.ts';

/** The trace formats a file can be written in (text is cli/report.ts's formatRun). */
export const EXPORT_FORMATS = ['markdown', 'mermaid', 'itf', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The report in one of the export formats, as the text of a file (ending in a newline). */
export function exportReport(report: RunReport, format: ExportFormat): string {
  switch (format) {
    case 'markdown': return toMarkdown(report);
    case 'mermaid': return toMermaid(report);
    case 'itf': return toItfJson(report);
    case 'json': return toJson(report);
  }
}
