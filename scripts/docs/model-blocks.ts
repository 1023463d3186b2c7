// The generated blocks about the model: docs/model.md's tables (fields,
// actions, faults, switches, designs), docs/implementation.md (the guide of
// `fixed`, read off the model's steps), and docs/findings.md's ablation
// table (from docs/results/ablations.json, written by `npm run ablations`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assumptionsOf,
  designByName,
  DESIGNS,
  FAULT_BOUND_SPECS,
  FAULT_NAMES,
  FAULTS,
  faultsInForce,
  SWITCH_DOCS,
} from '../../model/index.ts';
import { actionRows, fieldRows } from '../../model/catalog.ts';
import { implementationGuide } from '../../model/guide.ts';
import { guideMarkdown } from './guide-markdown.ts';
import { count } from '../../report/text.ts';
import type { AblationsFile } from '../ablations.ts';
import { ABLATIONS_RESULT } from '../ablations.ts';

interface Ctx {
  readonly root: string;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string) => `\`${s}\``;
const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');

function fieldsTable(): string {
  return table(
    ['of', 'field', 'values', 'what it is'],
    fieldRows().map((f) => [f.of, code(f.name), f.values, f.doc]),
  );
}

function actionsTable(): string {
  return table(
    ['action', 'fairness', 'what it models'],
    actionRows().map((a) => [code(a.name), a.fairness, a.models]),
  );
}

function faultsTable(): string {
  const bounds = (name: string) =>
    FAULT_BOUND_SPECS.filter((b) => b.fault === name)
      .map((b) => `\`--${b.flag} N\``)
      .join(', ');
  return table(
    ['fault', 'what may happen', 'the guarantee it lifts', 'bounds'],
    FAULTS.map((f) => [code(f.name), f.summary, f.guarantee, bounds(f.name) || 'none']),
  );
}

function switchesTable(): string {
  return table(
    ['switch', 'values and meaning'],
    Object.entries(SWITCH_DOCS).map(([k, v]) => [code(k), v]),
  );
}

function designsTable(): string {
  return table(
    ['design', 'what it is'],
    DESIGNS.map((d) => [code(d.name), d.summary]),
  );
}

function guide(): string {
  return guideMarkdown(implementationGuide(designByName('fixed')!));
}

/** What `fixed`'s verdict with every fault in force still rests on. */
function fixedAssumptions(): string {
  const fixed = designByName('fixed')!;
  const { inForce, notApplicable } = faultsInForce(fixed, FAULT_NAMES);
  return [
    `With every fault in force (${inForce.map(code).join(', ')}; not applicable to it: ${notApplicable.map(code).join(', ') || 'none'}), its verdicts still assume:`,
    '',
    ...assumptionsOf(fixed, FAULT_NAMES, { checked: true, settles: true }).map((a) => `- ${a}`),
  ].join('\n');
}

function readAblations(root: string): AblationsFile {
  const path = join(root, ABLATIONS_RESULT);
  if (!existsSync(path)) throw new Error(`${ABLATIONS_RESULT} is missing: run \`npm run ablations\``);
  return JSON.parse(readFileSync(path, 'utf8')) as AblationsFile;
}

function ablationsTable(ctx: Ctx): string {
  const file = readAblations(ctx.root);
  const where = (f: NonNullable<AblationsFile['ablations'][number]['found']>) =>
    `${f.bounds.users} × ${f.bounds.tabs} × lag ${f.bounds.lag}${f.faults.length === 0 ? ', no fault' : f.faults.length === FAULT_NAMES.length ? ', every fault' : f.faults.length > 3 ? `, every fault but ${FAULT_NAMES.filter((x) => !f.faults.includes(x)).join(', ')}` : `, ${f.faults.join(', ')}`}${f.liveness ? ', liveness' : ''}`;
  return table(
    ['the change', 'without it (instead)', 'what the checker finds', 'where (users × tabs × lag, faults)'],
    file.ablations.map((a) => [
      a.change,
      a.instead,
      a.found === null
        ? a.complete === false
          ? `no violation in the ${count(a.checks)} checks made before its time limit (\`npm run ablations\` without --minutes searches the whole ladder)`
          : `holds everywhere it was checked (${count(a.checks)} checks): no property here needs it`
        : `✗ ${code(a.found.property)}, ${a.found.lasso ? 'a lasso of ' : ''}${a.found.steps} steps`,
      a.found === null ? '—' : where(a.found),
    ]),
  );
}

/** Each ablation's shortest trace, in the model's words. */
function ablationTraces(ctx: Ctx): string {
  const file = readAblations(ctx.root);
  return file.ablations
    .filter((a) => a.found !== null)
    .map((a) => [`#### Without: ${a.change}`, '', ...a.found!.trace.map((t, i) => `${i + 1}. ${t}`)].join('\n'))
    .join('\n\n');
}

export const MODEL_BLOCKS: Readonly<Record<string, (ctx: Ctx) => string>> = {
  'model-fields': fieldsTable,
  'model-actions': actionsTable,
  'model-faults': faultsTable,
  'model-switches': switchesTable,
  'model-designs': designsTable,
  'implementation-guide': guide,
  'implementation-assumptions': fixedAssumptions,
  'fixed-ablations': ablationsTable,
  'fixed-ablation-traces': ablationTraces,
};
