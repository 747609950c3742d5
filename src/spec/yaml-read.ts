import { isAlias, isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { Node } from 'yaml';
import { suggestName } from './names.js';
import { childPath, describePosition, report } from './yaml-source.js';
import type { Source } from './yaml-source.js';

/** One `key: value` of a mapping, with the nodes to point problems at. */
export interface Field {
  key: Node;
  value: Node;
}

/** Reads one value, reporting problems into the source; undefined when the value is bad. */
export type Reader<T> = (source: Source, node: Node, path: string) => T | undefined;

export interface MappingShape {
  /** Allowed keys; undefined when any key is allowed (agent names, env variables). */
  allowed?: readonly string[];
  required?: readonly string[];
  /** What the mapping is, for messages: "task", "agent profile". */
  what: string;
}

/** Follows `*alias` references so anchors can be used anywhere a value can. */
export function resolve(source: Source, node: Node): Node {
  return isAlias(node) ? (node.resolve(source.doc) ?? node) : node;
}

/** "a list", "a number"… for "expected X, got Y" messages. */
export function describe(node: Node): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node)) return 'an unresolved alias';
  const { value } = node;
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number';
  if (typeof value === 'boolean') return `\`${String(value)}\` (a boolean)`;
  return 'a value of another type';
}

/**
 * Reads a mapping's fields, reporting a wrong type, duplicate keys, unknown keys (with the
 * closest allowed one) and missing required keys (at the mapping itself).
 */
export function readMapping(
  source: Source,
  raw: Node,
  path: string,
  shape: MappingShape,
): Map<string, Field> | undefined {
  const node = resolve(source, raw);
  if (isEmpty(node)) return new Map();
  if (!isMap(node)) {
    report(
      source,
      node,
      path,
      `expected ${shape.what} (a mapping), got ${describe(node)}`,
      mappingHint(shape),
    );
    return undefined;
  }
  const fields = new Map<string, Field>();
  for (const pair of node.items) {
    const key = (pair.key as Node | null) ?? node;
    const name = isScalar(key) ? String(key.value) : undefined;
    if (name === undefined) {
      report(source, key, path, 'expected a plain key', 'keys must be names such as `title`');
      continue;
    }
    const keyPath = childPath(path, name);
    const first = fields.get(name);
    if (first !== undefined) {
      const where = describePosition(source, first.key);
      report(
        source,
        key,
        keyPath,
        `duplicate key \`${name}\``,
        `the first \`${name}\` is at ${where}; keep only one`,
      );
      continue;
    }
    if (shape.allowed !== undefined && !shape.allowed.includes(name)) {
      report(
        source,
        key,
        keyPath,
        `unknown key \`${name}\` in ${shape.what}`,
        suggestName(name, shape.allowed, 'one of'),
      );
      continue;
    }
    fields.set(name, { key, value: (pair.value as Node | null) ?? emptyValueAt(key) });
  }
  for (const name of shape.required ?? []) {
    if (!fields.has(name)) {
      report(source, node, path, `missing required key \`${name}\` in ${shape.what}`, `add \`${name}: …\``);
    }
  }
  return fields;
}

function mappingHint(shape: MappingShape): string {
  if (shape.allowed === undefined) return 'write it as `name: value` lines, indented under the key';
  const keys = (shape.required ?? shape.allowed).slice(0, 3).map((k) => `\`${k}\``);
  return `write it as \`key: value\` lines with keys such as ${keys.join(', ')}`;
}

/** Reads the value of `key` when the mapping has it; undefined when absent or bad. */
export function readField<T>(
  source: Source,
  fields: ReadonlyMap<string, Field> | undefined,
  path: string,
  key: string,
  read: Reader<T>,
): T | undefined {
  const field = fields?.get(key);
  return field === undefined ? undefined : read(source, field.value, childPath(path, key));
}

// `key:` with nothing after it is how YAML users write "none", so collections accept it.
function isEmpty(node: Node): boolean {
  return isScalar(node) && (node.value === null || node.value === undefined);
}

// `? key` with no value has no value node; point at the key instead.
function emptyValueAt(key: Node): Node {
  const empty = new Scalar(null);
  empty.range = key.range ?? null;
  return empty;
}

/** Each item of a list with its path; reports anything that is not a list. */
export function readSequence(
  source: Source,
  raw: Node,
  path: string,
  what: string,
  example: string,
): { node: Node; path: string }[] | undefined {
  const node = resolve(source, raw);
  if (isEmpty(node)) return [];
  if (!isSeq(node)) {
    report(
      source,
      node,
      path,
      `expected ${what}, got ${describe(node)}`,
      `write it as a list, e.g. ${example}`,
    );
    return undefined;
  }
  return node.items.map((item, i) => ({
    node: resolve(source, (item as Node | null) ?? emptyValueAt(node)),
    path: childPath(path, i),
  }));
}
