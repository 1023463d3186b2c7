// The changes `fixed` makes to the main branch, each as the switches that
// take it out again: an ablation. docs/findings.md shows, for each, what
// the checker finds without it (scripts/docs/ablations.ts searches the
// smallest bounds and faults where it matters; nothing here says what the
// answer is). A change whose ablation holds everywhere it was checked is
// reported as not needed by any property of the model.
import { designByName, readDesign, DESIGNS, type Design, type DesignSource } from './designs.ts';

export interface Ablation {
  /** the change, as the implementation guide states it */
  readonly change: string;
  /** what the ablation puts back instead */
  readonly instead: string;
  /** the design without the change */
  readonly design: Design;
}

type Patch = Omit<DesignSource, 'name' | 'base' | 'summary'>;

const ABLATIONS: readonly { readonly change: string; readonly instead: string; readonly patch: Patch }[] = [
  {
    change: "/joining checks is_active in the reservation's own transaction (the meeting row locked)",
    instead: 'the check, then the write, as the shipped fix does',
    patch: { reservation: { checksActive: 'then-write' } },
  },
  {
    change: 'the reservation is a DB row',
    instead: "a Redis key, checked under process_meetings' lock (fixed-ttl's way)",
    patch: { reservation: { store: 'redis', checksActive: 'under-meeting-lock' } },
  },
  {
    change: "the open tab's heartbeat keeps its reservation alive until it closes",
    instead: 'a reservation that lives its TTL from /joining',
    patch: { reservation: { refresh: false } },
  },
  {
    change: 'the tab asks for the meeting again on any answer but 200',
    instead: 'the shipped frontend, which joins the Daily room anyway',
    patch: { reservation: { onRefused: 'proceed' } },
  },
  {
    change: '/joined leaves the reservation alone',
    instead: "/joined deletes it (the design doc's option B)",
    patch: { reservation: { joinedDeletesKey: true } },
  },
  {
    change: 'one reservation per tab',
    instead: "one per user (the design doc's key)",
    patch: { reservation: { key: 'per-user' } },
  },
  {
    change: 'process_meetings deactivates by one conditional UPDATE that does nothing while a reservation lives',
    instead: 'a plain UPDATE after reading the reservations',
    patch: { processMeetings: ['pending-joins'], deactivation: 'write' },
  },
  {
    change: "a deactivated meeting's Daily room is deleted before the next meeting can be made (503 while it is closing)",
    instead: 'the room deleted after the deactivation, with no wait',
    patch: { roomDeletion: 'after-deactivation' },
  },
  {
    change: "a deactivated meeting's Daily room is deleted",
    instead: 'the room left to live until its exp, as today',
    patch: { roomDeletion: 'never' },
  },
  {
    change: 'a partial unique index: one active (or closing) meeting per room',
    instead: 'nothing in the schema',
    patch: { oneActiveIndex: false },
  },
  {
    change: "process_meetings reads nothing but what its UPDATE checks (the main branch's read of open sessions goes)",
    instead: "the main branch's read of open sessions first",
    patch: { processMeetings: ['sessions'] },
  },
];

/** The ablations of `fixed`, each a design of its own (named `fixed-without-N`). */
export function ablationsOfFixed(): Ablation[] {
  const fixed = designByName('fixed')!;
  return ABLATIONS.map((a, i) => {
    const d = readDesign({ name: `fixed-without-${i + 1}`, base: 'fixed', summary: `fixed, but ${a.instead}`, ...a.patch }, DESIGNS);
    if (typeof d === 'string') throw new Error(`model/ablations.ts: ablation ${i + 1} (${a.change}): ${d}`);
    return { change: a.change, instead: a.instead, design: { ...d, summary: `${fixed.name}, but ${a.instead}` } };
  });
}
