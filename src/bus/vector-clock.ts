/**
 * Vector clocks of the shared context: one counter per writer. Pure; the laws they obey
 * (partial order, merge as least upper bound) are property-tested in vector-clock.test.ts.
 */
export type VectorClock = Readonly<Record<string, number>>;

export type Ordering = 'equal' | 'before' | 'after' | 'concurrent';

const counter = (clock: VectorClock, writer: string) => clock[writer] ?? 0;

/** Whether `a` has seen everything `b` has: every counter of `a` is at least `b`'s. */
export function descends(a: VectorClock, b: VectorClock): boolean {
  return Object.keys(b).every((writer) => counter(a, writer) >= counter(b, writer));
}

/** How `a` relates to `b` in the happened-before order. */
export function compareClocks(a: VectorClock, b: VectorClock): Ordering {
  const aSeesB = descends(a, b);
  const bSeesA = descends(b, a);
  if (aSeesB && bSeesA) return 'equal';
  if (aSeesB) return 'after';
  if (bSeesA) return 'before';
  return 'concurrent';
}

/** The least clock that descends from both: the pointwise maximum. */
export function mergeClocks(a: VectorClock, b: VectorClock): VectorClock {
  const merged: Record<string, number> = { ...a };
  for (const [writer, value] of Object.entries(b)) {
    if (value > counter(merged, writer)) merged[writer] = value;
  }
  return normalizeClock(merged);
}

/** `clock` with `writer`'s counter set to `value`. */
export function withCounter(clock: VectorClock, writer: string, value: number): VectorClock {
  return normalizeClock({ ...clock, [writer]: value });
}

/** Drops zero counters and sorts writers, so equal clocks have equal JSON. */
export function normalizeClock(clock: VectorClock): VectorClock {
  const entries = Object.entries(clock)
    .filter(([, value]) => value > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/** Entries of `clock` that `issued` never handed out: a forged (or foreign) clock. */
export function unissued(clock: VectorClock, issued: VectorClock): string[] {
  return Object.entries(clock)
    .filter(([writer, value]) => value > counter(issued, writer))
    .map(([writer, value]) => `${writer}@${value}`);
}

/** Parses a clock given on the command line: a JSON object of non-negative integers. */
export function parseClock(text: string): VectorClock | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'it is not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'it must be a JSON object like {"task:a": 2}';
  }
  for (const [writer, value] of Object.entries(parsed)) {
    if (!Number.isSafeInteger(value) || (value as number) < 0) {
      return `the counter of ${writer} must be a whole number >= 0`;
    }
  }
  return normalizeClock(parsed as VectorClock);
}
