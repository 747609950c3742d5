import { isScalar } from 'yaml';
import type { Node } from 'yaml';
import { WORKSPACE_CACHE_KEYS, WORKSPACE_KEYS, WORKSPACE_PORTS_KEYS } from './keys.js';
import { normalizeRepoPath, repoPathProblem } from './repo-path.js';
import { parseSize } from './size.js';
import type { CacheEntrySpec, PortsSpec, WorkspaceSpec } from './types.js';
import { describe, readField, readMapping, readSequence, resolve } from './yaml-read.js';
import type { Reader } from './yaml-read.js';
import { report } from './yaml-source.js';
import type { Source } from './yaml-source.js';
import {
  readBoolean,
  readDuration,
  readInteger,
  readStringList,
  readStringRef,
  readStringRefs,
} from './yaml-values.js';
import type { StringRef } from './yaml-values.js';

/** `workspace: { setup, setup_timeout, cache, copy, ports, cache_max, cache_max_age }`, any key optional. */
export function readWorkspace(source: Source, node: Node, path: string): WorkspaceSpec | undefined {
  const fields = readMapping(source, node, path, { allowed: WORKSPACE_KEYS, what: 'a workspace' });
  if (fields === undefined) return undefined;
  const get = <T>(key: string, read: Reader<T>) => readField(source, fields, path, key, read);
  const workspace: WorkspaceSpec = {};
  const setup = get('setup', readStringList);
  if (setup !== undefined) workspace.setup = setup;
  const setupTimeoutMs = get('setup_timeout', readDuration);
  if (setupTimeoutMs !== undefined) workspace.setupTimeoutMs = setupTimeoutMs;
  const cache = get('cache', readCacheEntries);
  if (cache !== undefined) workspace.cache = cache;
  const copy = get('copy', readRepoPaths);
  if (copy !== undefined) workspace.copy = copy;
  const ports = get('ports', readPorts);
  if (ports !== undefined) workspace.ports = ports;
  const cacheMaxBytes = get('cache_max', readSize);
  if (cacheMaxBytes !== undefined) workspace.cacheMaxBytes = cacheMaxBytes;
  const cacheMaxAgeMs = get('cache_max_age', readDuration);
  if (cacheMaxAgeMs !== undefined) workspace.cacheMaxAgeMs = cacheMaxAgeMs;
  return workspace;
}

/** Paths inside the repository, each reported where it is written when it points elsewhere. */
function readRepoPaths(source: Source, node: Node, path: string): string[] | undefined {
  const refs = readStringRefs(source, node, path);
  if (refs === undefined) return undefined;
  const good = refs.flatMap((ref) => checkRepoPath(source, ref) ?? []);
  return good.length === refs.length ? good : undefined;
}

function readRepoPath(source: Source, node: Node, path: string): string | undefined {
  const ref = readStringRef(source, node, path);
  return ref === undefined ? undefined : checkRepoPath(source, ref);
}

function checkRepoPath(source: Source, ref: StringRef): string | undefined {
  const problem = repoPathProblem(ref.value);
  if (problem === undefined) return normalizeRepoPath(ref.value);
  report(
    source,
    ref.node,
    ref.path,
    `path \`${ref.value}\` ${problem}: it must be inside the repository`,
    'write a path relative to the top of the repository, e.g. ".env" or "config/local.json"',
  );
  return undefined;
}

function readCacheEntries(source: Source, node: Node, path: string): CacheEntrySpec[] | undefined {
  const items = readSequence(
    source,
    node,
    path,
    'a list of cached paths',
    '[{ path: node_modules, key: [package-lock.json] }]',
  );
  if (items === undefined) return undefined;
  const entries: CacheEntrySpec[] = [];
  for (const item of items) {
    const fields = readMapping(source, item.node, item.path, {
      allowed: WORKSPACE_CACHE_KEYS,
      required: ['path', 'key'],
      what: 'a cached path',
    });
    const entryPath = readField(source, fields, item.path, 'path', readRepoPath);
    const key = readField(source, fields, item.path, 'key', readRepoPaths);
    const link = readField(source, fields, item.path, 'link', readBoolean);
    if (key !== undefined && key.length === 0) {
      report(
        source,
        fields?.get('key')?.value,
        `${item.path}.key`,
        'the cache key names no file',
        'list the files whose content decides the cached path, e.g. [package-lock.json]',
      );
      continue;
    }
    if (entryPath === undefined || key === undefined) continue;
    if (entries.some((entry) => entry.path === entryPath)) {
      report(
        source,
        item.node,
        item.path,
        `path \`${entryPath}\` is cached twice`,
        'keep one entry per path',
      );
      continue;
    }
    entries.push({ path: entryPath, key, ...(link !== undefined ? { link } : {}) });
  }
  return entries;
}

/** `ports: 10`, or `ports: { count: 10, base: 41000, blocks: 50 }`. */
function readPorts(source: Source, raw: Node, path: string): PortsSpec | undefined {
  const node = resolve(source, raw);
  if (isScalar(node)) {
    const count = readPortCount(source, node, path);
    return count === undefined ? undefined : { count };
  }
  const fields = readMapping(source, node, path, {
    allowed: WORKSPACE_PORTS_KEYS,
    required: ['count'],
    what: 'a port reservation',
  });
  if (fields === undefined) return undefined;
  const count = readField(source, fields, path, 'count', readPortCount);
  const base = readField(source, fields, path, 'base', (s, n, p) =>
    readBoundedInteger(s, n, p, 1024, 65_535),
  );
  const blocks = readField(source, fields, path, 'blocks', (s, n, p) => readInteger(s, n, p, 1));
  if (count === undefined) return undefined;
  if (base !== undefined && base + count > 65_536) {
    report(
      source,
      fields.get('base')?.value,
      `${path}.base`,
      `ports ${base}–${base + count - 1} go past 65535`,
      'choose a lower base',
    );
    return undefined;
  }
  return { count, ...(base !== undefined ? { base } : {}), ...(blocks !== undefined ? { blocks } : {}) };
}

const readPortCount = (source: Source, node: Node, path: string) =>
  readBoundedInteger(source, node, path, 1, 1000);

function readBoundedInteger(
  source: Source,
  node: Node,
  path: string,
  min: number,
  max: number,
): number | undefined {
  const value = readInteger(source, node, path, min);
  if (value === undefined || value <= max) return value;
  report(
    source,
    node,
    path,
    `expected a whole number from ${min} to ${max}, got ${value}`,
    `write a number ≤ ${max}`,
  );
  return undefined;
}

/** Bytes, from a number or text such as "5GB" or "500MB". */
function readSize(source: Source, raw: Node, path: string): number | undefined {
  const node = resolve(source, raw);
  const value = isScalar(node) ? node.value : undefined;
  const bytes = parseSize(value);
  if (bytes !== undefined && bytes > 0) return bytes;
  const got = typeof value === 'string' || typeof value === 'number' ? `\`${value}\`` : describe(node);
  report(
    source,
    node,
    path,
    `expected a size greater than 0 such as "5GB", got ${got}`,
    'a number means bytes; or use units KB, MB, GB, TB (binary), e.g. "500MB", "5GB"',
  );
  return undefined;
}
