import type { Node } from 'yaml';
import { BACKOFF_KEYS, COMMIT_STRATEGIES } from './keys.js';
import type { BackoffSpec, CommitSpec, CommitStrategy, RecoverySpec } from './types.js';
import { suggestName } from './names.js';
import { readField, readMapping } from './yaml-read.js';
import type { Reader } from './yaml-read.js';
import type { Source } from './yaml-source.js';
import { readDuration, readPositiveNumber, readString } from './yaml-values.js';
import { report } from './yaml-source.js';

/** `backoff: { base: 2s, factor: 2, cap: 60s }`, any key optional. */
export function readBackoff(source: Source, node: Node, path: string): BackoffSpec | undefined {
  const fields = readMapping(source, node, path, { allowed: BACKOFF_KEYS, what: 'a retry backoff' });
  if (fields === undefined) return undefined;
  const get = <T>(key: string, read: Reader<T>) => readField(source, fields, path, key, read);
  const backoff: BackoffSpec = {};
  const baseMs = get('base', readDuration);
  if (baseMs !== undefined) backoff.baseMs = baseMs;
  const factor = get('factor', readPositiveNumber);
  if (factor !== undefined) backoff.factor = factor;
  const capMs = get('cap', readDuration);
  if (capMs !== undefined) backoff.capMs = capMs;
  return backoff;
}

/** Copies `stall` and `backoff` onto `target` when they are written. */
export function readRecovery<T extends RecoverySpec>(
  target: T,
  get: <V>(key: string, read: Reader<V>) => V | undefined,
): T {
  const stallMs = get('stall', readDuration);
  if (stallMs !== undefined) target.stallMs = stallMs;
  const backoff = get('backoff', readBackoff);
  if (backoff !== undefined) target.backoff = backoff;
  return target;
}

function readCommitStrategy(source: Source, node: Node, path: string): CommitStrategy | undefined {
  const value = readString(source, node, path);
  if (value === undefined || (COMMIT_STRATEGIES as readonly string[]).includes(value)) {
    return value as CommitStrategy | undefined;
  }
  report(
    source,
    node,
    path,
    `unknown commit strategy \`${value}\``,
    suggestName(value, COMMIT_STRATEGIES, 'a commit strategy'),
  );
  return undefined;
}

/** Copies `commit` and `commit_every` onto `target` when they are written. */
export function readCommitSpec<T extends CommitSpec>(
  target: T,
  get: <V>(key: string, read: Reader<V>) => V | undefined,
): T {
  const commit = get('commit', readCommitStrategy);
  if (commit !== undefined) target.commit = commit;
  const every = get('commit_every', readDuration);
  if (every !== undefined) target.commitEveryMs = every;
  return target;
}
