import type { Node } from 'yaml';
import { BACKOFF_KEYS } from './keys.js';
import type { BackoffSpec, RecoverySpec } from './types.js';
import { readField, readMapping } from './yaml-read.js';
import type { Reader } from './yaml-read.js';
import type { Source } from './yaml-source.js';
import { readDuration, readPositiveNumber } from './yaml-values.js';

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
