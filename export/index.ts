// Runs for people and for other tools: each formatter takes a report
// (report/types.ts) and returns text; fromItf reads an ITF trace back as
// scenario steps. Pure: no I/O. Nothing here knows a model: what a step says,
// where it is drawn and who breaks a property come with the report.
import type { RunReport } from '../report/types.ts';
import { toItfJson } from './itf.ts';
import { toJson } from './json.ts';
import { toMarkdown } from './markdown.ts';
import { toMermaid } from './mermaid.ts';
import { formatRun } from './text.ts';

export { toMarkdown, toMarkdownSummary, markdownCode, markdownText, type MarkdownOptions } from './markdown.ts';
export { toMermaid, mermaidText, type MermaidOptions } from './mermaid.ts';
export {
  toItf,
  toItfJson,
  fromItf,
  encodeItfValue,
  decodeItfValue,
  ItfError,
  ITF_FORMAT_DESCRIPTION,
  WHOLE_STATE,
  type ItfTrace,
  type ItfState,
  type ItfStateMeta,
  type ItfValue,
  type ItfOptions,
  type ItfRun,
} from './itf.ts';
export { toJson, jsonLine } from './json.ts';
export { readRecord, recordLine, traceRecord, RECORD_FORMAT, type TraceRecord } from './record.ts';
export * from './text.ts';
export { assumptionsText, faultsText, faultWithBounds, notJudgedLine, notJudgedText } from './premises.ts';

/** The formats a run can be written in: the terminal's text, or one of the files for documents and tools. */
export const TRACE_FORMATS = ['text', 'markdown', 'mermaid', 'itf', 'json'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** The report in one of the formats, as the text of a file (ending in a newline). */
export function exportReport(report: RunReport, format: TraceFormat): string {
  switch (format) {
    case 'text':
      return `${formatRun(report)}\n`;
    case 'markdown':
      return toMarkdown(report);
    case 'mermaid':
      return toMermaid(report);
    case 'itf':
      return toItfJson(report);
    case 'json':
      return toJson(report);
  }
}

/** The format a file name implies, if any (.md, .mmd, .itf.json, .json, .txt). */
export function formatOfPath(path: string): TraceFormat | null {
  if (/\.itf\.json$/i.test(path)) return 'itf';
  if (/\.json$/i.test(path)) return 'json';
  if (/\.(md|markdown)$/i.test(path)) return 'markdown';
  if (/\.(mmd|mermaid)$/i.test(path)) return 'mermaid';
  if (/\.txt$/i.test(path)) return 'text';
  return null;
}
