/**
 * How concurrent versions (siblings) of a context key resolve to one value. Each policy is a
 * join on a small state, so the result depends only on the set of siblings: the order they
 * are met in, grouping and repeats do not matter (property-tested in merge-policy.test.ts).
 */
export const MERGE_POLICIES = ['lww', 'merge-set', 'merge-map', 'manual'] as const;
export type MergePolicy = (typeof MERGE_POLICIES)[number];

/** One version of a key as the policies see it; `deleted` versions are tombstones. */
export interface Sibling {
  version: number;
  writer: string;
  /** Wall time of the write, epoch ms. */
  at: number;
  value: unknown;
  deleted: boolean;
}

type Tag = Pick<Sibling, 'at' | 'writer' | 'version'>;

/** Last-writer-wins order: time, then writer id, then version, so ties break the same way everywhere. */
export function compareTags(a: Tag, b: Tag): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.writer !== b.writer) return a.writer < b.writer ? -1 : 1;
  return a.version - b.version;
}

export type Merged =
  | { kind: 'lww'; winner: Sibling }
  | { kind: 'merge-set'; live: boolean; items: ReadonlyMap<string, unknown> }
  | { kind: 'merge-map'; live: boolean; entries: ReadonlyMap<string, { tag: Tag; value: unknown }> }
  | { kind: 'manual'; siblings: ReadonlyMap<number, Sibling> };

/** JSON with object keys sorted: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    const record = value as Record<string, unknown>;
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The state of one sibling alone. */
export function lift(policy: MergePolicy, sibling: Sibling): Merged {
  switch (policy) {
    case 'lww':
      return { kind: 'lww', winner: sibling };
    case 'merge-set': {
      const items = sibling.deleted || !Array.isArray(sibling.value) ? [] : (sibling.value as unknown[]);
      return {
        kind: 'merge-set',
        live: !sibling.deleted,
        items: new Map(items.map((i) => [canonicalJson(i), i])),
      };
    }
    case 'merge-map': {
      const record = sibling.deleted || !isRecord(sibling.value) ? {} : sibling.value;
      const tag = { at: sibling.at, writer: sibling.writer, version: sibling.version };
      const entries = new Map(Object.entries(record).map(([key, value]) => [key, { tag, value }]));
      return { kind: 'merge-map', live: !sibling.deleted, entries };
    }
    case 'manual':
      return { kind: 'manual', siblings: new Map([[sibling.version, sibling]]) };
  }
}

/** The join of two states of the same policy: commutative, associative, idempotent. */
export function join(a: Merged, b: Merged): Merged {
  if (a.kind === 'lww' && b.kind === 'lww') {
    return compareTags(a.winner, b.winner) >= 0 ? a : b;
  }
  if (a.kind === 'merge-set' && b.kind === 'merge-set') {
    return { kind: 'merge-set', live: a.live || b.live, items: new Map([...a.items, ...b.items]) };
  }
  if (a.kind === 'merge-map' && b.kind === 'merge-map') {
    const entries = new Map(a.entries);
    for (const [key, entry] of b.entries) {
      const mine = entries.get(key);
      if (!mine || compareTags(entry.tag, mine.tag) > 0) entries.set(key, entry);
    }
    return { kind: 'merge-map', live: a.live || b.live, entries };
  }
  if (a.kind === 'manual' && b.kind === 'manual') {
    return { kind: 'manual', siblings: new Map([...a.siblings, ...b.siblings]) };
  }
  throw new Error(`cannot join ${a.kind} with ${b.kind}`);
}

export interface Resolution {
  /** The resolved value; undefined when the key is deleted or (manual) in conflict. */
  value: unknown;
  deleted: boolean;
  /** A manual key with more than one sibling: a person (or agent) must write the resolution. */
  conflict: boolean;
}

export function valueOf(merged: Merged): Resolution {
  switch (merged.kind) {
    case 'lww':
      return {
        value: merged.winner.deleted ? undefined : merged.winner.value,
        deleted: merged.winner.deleted,
        conflict: false,
      };
    case 'merge-set': {
      const items = [...merged.items.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return {
        value: merged.live ? items.map(([, item]) => item) : undefined,
        deleted: !merged.live,
        conflict: false,
      };
    }
    case 'merge-map': {
      const keys = [...merged.entries.keys()].sort();
      const value = Object.fromEntries(keys.map((key) => [key, merged.entries.get(key)!.value]));
      return { value: merged.live ? value : undefined, deleted: !merged.live, conflict: false };
    }
    case 'manual': {
      const siblings = [...merged.siblings.values()];
      if (siblings.length > 1) return { value: undefined, deleted: false, conflict: true };
      const only = siblings[0];
      return {
        value: only && !only.deleted ? only.value : undefined,
        deleted: only?.deleted ?? true,
        conflict: false,
      };
    }
  }
}

/** The value of a key from its current siblings (at least one). */
export function resolve(policy: MergePolicy, siblings: Sibling[]): Resolution {
  if (siblings.length === 0) return { value: undefined, deleted: true, conflict: false };
  return valueOf(siblings.map((s) => lift(policy, s)).reduce(join));
}

/** Why `value` cannot be written under `policy`, if it cannot. */
export function checkValue(policy: MergePolicy, value: unknown): string | undefined {
  if (policy === 'merge-set' && !Array.isArray(value)) return 'a merge-set key holds a JSON array';
  if (policy === 'merge-map' && !isRecord(value)) return 'a merge-map key holds a JSON object';
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
