// `designs`: what a user can check without reading the source: the
// built-in designs (name, summary, the timing condition their verdicts rest
// on), the keys and switches of a design file with what each means, and
// `designs show NAME`: a design as the YAML file that checks it, every
// switch written out, ready to copy and change. Read from model/index.ts
// (DESIGNS, SWITCH_DOCS), never a copy.
import { Document, isMap, isSeq, type Pair, type Scalar } from 'yaml';
import { DESIGNS, designByName, SWITCH_DOCS, timingAssumptionOf, type Design } from '../../model/index.ts';
import { wrap } from '../../report/text.ts';
import type { DesignsArgs } from '../args/designs.ts';
import { section } from '../args/common.ts';
import { EXIT } from '../exit.ts';
import type { IO } from '../io.ts';
import { program } from '../program.ts';

/** A design file's keys besides the switches, and what each is. */
export const DESIGN_FILE_KEYS: readonly (readonly [string, string])[] = [
  ['name', "required: the design's name (letters, digits, -), not a built-in design's"],
  ['summary', 'optional: one line saying what the design is'],
  ['base', "optional: a built-in design whose switches it starts from (default: current's)"],
];

/** The switches, in the order model/designs.ts documents them. */
export const SWITCH_NAMES = Object.keys(SWITCH_DOCS) as (keyof typeof SWITCH_DOCS)[];

function timingOf(d: Design): string {
  const t = timingAssumptionOf(d);
  return t === null ? '' : ` (assumes ${t.text})`;
}

/** The listing `designs` prints. */
export function designsText(): string {
  return [
    ...section(
      'designs (check --design NAME; a design file starts from one with base: NAME)',
      DESIGNS.map((d): [string, string] => [d.name, `${d.summary}${timingOf(d)}`]),
    ),
    '',
    ...section('a design file (check --design-file FILE, YAML): its keys', DESIGN_FILE_KEYS),
    '',
    ...section(
      "and the switches it may set (each left out is the base design's)",
      SWITCH_NAMES.map((k): [string, string] => [k, SWITCH_DOCS[k]]),
    ),
    '',
    'Every switch of a design, as a design file to start from:',
    `  ${program()} designs show NAME`,
    '',
  ].join('\n');
}

const comment = (text: string) =>
  wrap(text, 76)
    .map((l) => ` ${l}`)
    .join('\n');

/**
 * The design file that checks `design` as it is: every switch written out
 * (a comment above each says what it is), named `my-NAME`, based on it.
 */
export function designYaml(design: Design): string {
  const name = `my-${design.name}`;
  const source: Record<string, unknown> = { name, base: design.name, summary: design.summary };
  for (const k of SWITCH_NAMES) source[k] = design[k];
  const doc = new Document(source);
  doc.commentBefore = comment(
    `${design.name}, as a design file: every switch is the built-in design's. Change any, save as ${name}.yaml, ` +
      `and check it: ${program()} check --design-file ${name}.yaml`,
  );
  const contents = doc.contents;
  if (isMap(contents)) {
    for (const pair of contents.items as Pair<Scalar, unknown>[]) {
      const key = String(pair.key.value);
      if (key in SWITCH_DOCS) pair.key.commentBefore = comment(SWITCH_DOCS[key as keyof typeof SWITCH_DOCS]);
      // lists and mappings on one line, as the docs write them
      if (isSeq(pair.value) || isMap(pair.value)) pair.value.flow = true;
    }
  }
  return doc.toString({ lineWidth: 0 });
}

export function designsCommand(options: DesignsArgs, io: IO): number {
  if (options.show === undefined) {
    io.stdout.write(designsText());
    return EXIT.holds;
  }
  io.stdout.write(designYaml(designByName(options.show)!));
  return EXIT.holds;
}
