import type { FileKind } from '../../shared/file-kind.js';
import { frequencyOf } from './frequency.js';
import {
  KINDS,
  type Analysis,
  type CommitRecord,
  type Group,
  type GroupBy,
  type TypeSource,
} from './types.js';

/** An author date more than this after the commit date is a skewed clock: the commit date is used. */
const SKEW_SECONDS = 24 * 3600;
const NONE = '(none)';

interface GroupAcc {
  commits: number;
  merges: number;
  files: number;
  added: number;
  deleted: number;
  times: number[];
  tasks: Set<string>;
}

export interface Aggregator {
  add(record: CommitRecord): void;
  /** The figures so far, without the fields that describe the run (range, cache, …). */
  finish(): Omit<Analysis, 'range' | 'since' | 'shallow' | 'note' | 'cache'>;
}

/** When a commit happened, for the frequency pattern and the period: its author date unless skewed. */
export function commitTime(record: CommitRecord): { time: number; skewed: boolean } {
  const skewed = record.authorTime > record.commitTime + SKEW_SECONDS;
  return { time: skewed ? record.commitTime : record.authorTime, skewed };
}

/** Sums commit records into the figures of `cairn analyze`, grouped by `by`. */
export function createAggregator(by: GroupBy): Aggregator {
  let commits = 0;
  let merges = 0;
  let skew = 0;
  const authors = new Set<string>();
  const times: number[] = [];
  const types: Record<string, number> = {};
  const classified: Record<TypeSource, number> = { conventional: 0, heuristic: 0, merge: 0 };
  const totals = new Array<number>(KINDS.length * 3).fill(0);
  let binary = 0;
  const groups = new Map<string, GroupAcc>();

  const group = (key: string): GroupAcc => {
    let acc = groups.get(key);
    if (!acc) {
      acc = { commits: 0, merges: 0, files: 0, added: 0, deleted: 0, times: [], tasks: new Set() };
      groups.set(key, acc);
    }
    return acc;
  };

  const addTo = (
    acc: GroupAcc,
    record: CommitRecord,
    time: number,
    files: number,
    added: number,
    deleted: number,
  ) => {
    acc.commits += 1;
    if (record.parents >= 2) acc.merges += 1;
    acc.files += files;
    acc.added += added;
    acc.deleted += deleted;
    acc.times.push(time);
    if (record.task !== null) acc.tasks.add(record.task);
  };

  return {
    add(record) {
      const { time, skewed } = commitTime(record);
      commits += 1;
      if (record.parents >= 2) merges += 1;
      if (skewed) skew += 1;
      authors.add(record.author);
      times.push(time);
      types[record.type] = (types[record.type] ?? 0) + 1;
      classified[record.source] += 1;
      binary += record.binary;
      let files = 0;
      let added = 0;
      let deleted = 0;
      for (let i = 0; i < totals.length; i += 3) {
        const [f, a, d] = [record.stats[i] ?? 0, record.stats[i + 1] ?? 0, record.stats[i + 2] ?? 0];
        totals[i]! += f;
        totals[i + 1]! += a;
        totals[i + 2]! += d;
        files += f;
        added += a;
        deleted += d;
        if (by === 'kind' && f > 0) addTo(group(KINDS[i / 3]!), record, time, f, a, d);
      }
      if (by === 'kind') return;
      const key =
        by === 'type' ? record.type : by === 'author' ? record.author || '(unknown)' : (record[by] ?? NONE);
      addTo(group(key), record, time, files, added, deleted);
    },

    finish() {
      const kinds = Object.fromEntries(
        KINDS.map((kind, i) => [
          kind,
          { files: totals[i * 3]!, added: totals[i * 3 + 1]!, deleted: totals[i * 3 + 2]! },
        ]),
      ) as Record<FileKind, { files: number; added: number; deleted: number }>;
      const sum = (offset: number) =>
        totals.reduce((acc, value, i) => (i % 3 === offset ? acc + value : acc), 0);
      const period = span(times);
      return {
        by,
        commits,
        merges,
        authors: authors.size,
        first: period.first,
        last: period.last,
        churn: { files: sum(0), added: sum(1), deleted: sum(2), binary },
        types: sortedCounts(types),
        classified,
        kinds,
        frequency: { ...frequencyOf(times), clock_skew: skew },
        groups: [...groups.entries()]
          .map(([key, acc]) => toGroup(by, key, acc))
          .sort((a, b) => b.commits - a.commits || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
      };
    },
  };
}

function toGroup(by: GroupBy, key: string, acc: GroupAcc): Group {
  const period = span(acc.times);
  return {
    key,
    commits: acc.commits,
    merges: acc.merges,
    files: acc.files,
    added: acc.added,
    deleted: acc.deleted,
    first: period.first,
    last: period.last,
    frequency: frequencyOf(acc.times),
    ...(by === 'milestone' ? { tasks: acc.tasks.size } : {}),
  };
}

function span(times: number[]): { first: string | null; last: string | null } {
  if (times.length === 0) return { first: null, last: null };
  let min = Infinity;
  let max = -Infinity;
  for (const time of times) {
    if (time < min) min = time;
    if (time > max) max = time;
  }
  return { first: iso(min), last: iso(max) };
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** Counts by name, largest first (ties by name), so the JSON reads the same run to run. */
function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)),
  );
}
