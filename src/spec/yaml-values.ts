import { isScalar } from 'yaml';
import type { Node } from 'yaml';
import { parseDuration } from './duration.js';
import { describe, readSequence, resolve } from './yaml-read.js';
import { report } from './yaml-source.js';
import type { Source } from './yaml-source.js';

/** A string value with where it came from, for checks made after reading (ids, references). */
export interface StringRef {
  value: string;
  node: Node;
  path: string;
}

/** A string, or a problem; numbers and booleans get a hint to quote them as written. */
export function readString(source: Source, raw: Node, path: string, allowEmpty = false): string | undefined {
  const node = resolve(source, raw);
  if (isScalar(node) && typeof node.value === 'string') {
    if (allowEmpty || node.value.trim() !== '') return node.value;
    report(source, node, path, 'expected a string, got an empty string', 'give it a value or remove the key');
    return undefined;
  }
  report(source, node, path, `expected a string, got ${describe(node)}`, stringHint(source, node));
  return undefined;
}

function stringHint(source: Source, node: Node): string {
  if (!isScalar(node)) return 'write a single value, not a list or a mapping';
  if (node.value === null || node.value === undefined) return 'give it a value or remove the key';
  return `quote it: "${sourceText(source, node)}"`;
}

export function readStringRef(source: Source, node: Node, path: string): StringRef | undefined {
  const value = readString(source, node, path);
  return value === undefined ? undefined : { value, node, path };
}

// What a right value looks like, by the key being read, for the hint.
const listExamples: Record<string, string> = {
  depends_on: '[db-schema, api]',
  files: '["src/**", "test/**"]',
  fallback: '[coder-b]',
  command: '["claude", "-p", "{prompt}"]',
};

/** A list of strings; each bad item is reported at the item. */
export function readStringRefs(source: Source, raw: Node, path: string): StringRef[] | undefined {
  const key = /([a-z_]+)$/.exec(path)?.[1] ?? '';
  const items = readSequence(source, raw, path, 'a list of strings', listExamples[key] ?? '["npm test"]');
  if (items === undefined) return undefined;
  return items.flatMap((item) => readStringRef(source, item.node, item.path) ?? []);
}

export function readStringList(source: Source, raw: Node, path: string): string[] | undefined {
  return readStringRefs(source, raw, path)?.map((ref) => ref.value);
}

/** `true` or `false`; the hint names the field, the last part of `path` (`write \`review: true\``). */
export function readBoolean(source: Source, raw: Node, path: string): boolean | undefined {
  const node = resolve(source, raw);
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  const key = path.split('.').at(-1) ?? 'key';
  report(source, node, path, `expected true or false, got ${describe(node)}`, `write \`${key}: true\``);
  return undefined;
}

/** A whole number of at least `min`; a quoted number is reported with a hint to unquote. */
export function readInteger(source: Source, raw: Node, path: string, min: number): number | undefined {
  const expected = `a whole number ≥ ${min}`;
  return readNumber(source, raw, path, expected, (n) => Number.isInteger(n) && n >= min);
}

export const readRetries = (source: Source, node: Node, path: string) => readInteger(source, node, path, 0);

/** A concurrency: a whole number of at least 1. */
export const readConcurrency = (source: Source, node: Node, path: string) =>
  readInteger(source, node, path, 1);

export function readPositiveNumber(source: Source, raw: Node, path: string): number | undefined {
  return readNumber(source, raw, path, 'a number greater than 0', (n) => n > 0);
}

function readNumber(
  source: Source,
  raw: Node,
  path: string,
  expected: string,
  accept: (n: number) => boolean,
): number | undefined {
  const node = resolve(source, raw);
  const value = isScalar(node) ? node.value : undefined;
  if (typeof value === 'number' && accept(value)) return value;
  const got = typeof value === 'number' ? String(value) : describe(node);
  const quoted = typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value));
  const hint = quoted ? `remove the quotes: ${value.trim()}` : `write ${expected}`;
  report(source, node, path, `expected ${expected}, got ${got}`, hint);
  return undefined;
}

/** A positive duration in milliseconds, from seconds or text such as "30m" or "1h30m". */
export function readDuration(source: Source, raw: Node, path: string): number | undefined {
  const node = resolve(source, raw);
  const value = isScalar(node) ? node.value : undefined;
  const ms = parseDuration(value);
  if (ms !== undefined && ms > 0) return ms;
  const got = typeof value === 'string' || typeof value === 'number' ? `\`${value}\`` : describe(node);
  const hint = 'a number means seconds; or use units ms, s, m, h, d, e.g. "90s", "30m", "1h30m"';
  report(source, node, path, `expected a duration greater than 0 such as "30m", got ${got}`, hint);
  return undefined;
}

/** The value as written in the file, for hints that show how to fix it. */
function sourceText(source: Source, node: Node): string {
  const [start, end] = node.range ?? [0, 0];
  return source.text.slice(start, end).trim();
}
