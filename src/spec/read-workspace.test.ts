import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse-config.js';
import { parseMilestoneSpec } from './parse-milestone.js';
import { parseSize } from './size.js';
import type { Problem } from './types.js';
import { resolveWorkspace } from './workspace.js';

const FILE = '/repo/.milestones/001-x.yaml';
const brief = (p: Problem) => `${p.line}:${p.col} ${p.path}: ${p.message}`;

function spec(workspace: string) {
  const text = `id: "001"\ntitle: T\ntasks: [{ id: a, title: A }]\nworkspace:\n${workspace}`;
  return parseMilestoneSpec(text, FILE, { knownAgents: ['claude'], defaultAgent: 'claude' });
}

function problems(workspace: string): string[] {
  const result = spec(workspace);
  if (result.ok) throw new Error('expected problems, the spec was valid');
  return result.problems.map(brief);
}

describe('workspace in a spec', () => {
  it('reads every key', () => {
    const result = spec(
      [
        '  setup: ["npm ci"]',
        '  setup_timeout: 5m',
        '  cache: [{ path: ./node_modules/, key: [package-lock.json] }]',
        '  copy: [".env", "config//local.json"]',
        '  ports: 10',
        '  cache_max: 2GB',
        '  cache_max_age: 7d',
        '',
      ].join('\n'),
    );
    expect(result.ok && result.value.workspace).toEqual({
      setup: ['npm ci'],
      setupTimeoutMs: 300_000,
      cache: [{ path: 'node_modules', key: ['package-lock.json'] }],
      copy: ['.env', 'config/local.json'],
      ports: { count: 10 },
      cacheMaxBytes: 2 * 1024 ** 3,
      cacheMaxAgeMs: 7 * 86_400_000,
    });
  });

  it('reads `link` on a cached path, and refuses a value that is not true or false', () => {
    const result = spec('  cache: [{ path: node_modules, key: [package-lock.json], link: true }]\n');
    expect(result.ok && result.value.workspace?.cache).toEqual([
      { path: 'node_modules', key: ['package-lock.json'], link: true },
    ]);
    expect(problems('  cache: [{ path: node_modules, key: [k], link: yes please }]\n')).toEqual([
      '5:49 workspace.cache[0].link: expected true or false, got a string',
    ]);
  });

  it('refuses paths outside the repository, at the item', () => {
    expect(problems('  copy: ["../secrets", "/etc/passwd", ok, ".git/config"]\n')).toEqual([
      '5:10 workspace.copy[0]: path `../secrets` climbs out with `..`: it must be inside the repository',
      '5:24 workspace.copy[1]: path `/etc/passwd` is absolute: it must be inside the repository',
      "5:43 workspace.copy[3]: path `.git/config` names git's own directory: it must be inside the repository",
    ]);
    expect(problems('  cache: [{ path: a/../../b, key: [x] }]\n')).toEqual([
      '5:19 workspace.cache[0].path: path `a/../../b` climbs out with `..`: it must be inside the repository',
    ]);
  });

  it('reports bad shapes with their paths', () => {
    expect(
      problems(
        [
          '  setup: npm ci',
          '  cache: [{ path: node_modules }, { path: x, key: [] }, { path: y, key: [k], extra: 1 }]',
          '  ports: 0',
          '  cache_max: lots',
          '  stup: []',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      '5:10 workspace.setup: expected a list of strings, got a string',
      '6:11 workspace.cache[0]: missing required key `key` in a cached path',
      '6:51 workspace.cache[1].key: the cache key names no file',
      '6:78 workspace.cache[2].extra: unknown key `extra` in a cached path',
      '7:10 workspace.ports: expected a whole number ≥ 1, got 0',
      '8:14 workspace.cache_max: expected a size greater than 0 such as "5GB", got `lots`',
      '9:3 workspace.stup: unknown key `stup` in a workspace',
    ]);
  });

  it('reads ports as a mapping and refuses ranges past 65535', () => {
    const result = spec('  ports: { count: 4, base: 50000, blocks: 3 }\n');
    expect(result.ok && result.value.workspace?.ports).toEqual({ count: 4, base: 50_000, blocks: 3 });
    expect(problems('  ports: { count: 10, base: 65530 }\n')).toEqual([
      '5:29 workspace.ports.base: ports 65530–65539 go past 65535',
    ]);
    expect(problems('  ports: { base: 50000 }\n')).toEqual([
      '5:10 workspace.ports: missing required key `count` in a port reservation',
    ]);
  });
});

describe('workspace in the config', () => {
  it('is read, and the spec wins key by key', () => {
    const config = parseConfig(
      'workspace: { setup: ["make"], copy: [".env"], ports: { count: 5, base: 42000 } }',
      '/c.yaml',
    );
    expect(config.ok).toBe(true);
    const fromConfig = config.ok ? config.value.workspace : undefined;
    const resolved = resolveWorkspace({ setup: ['npm ci'], ports: { count: 8 } }, fromConfig);
    expect(resolved).toMatchObject({
      setup: ['npm ci'],
      copy: ['.env'],
      ports: { count: 8, base: 42_000, blocks: Math.floor((65_536 - 42_000) / 8) },
      setupTimeoutMs: 600_000,
    });
    expect(resolveWorkspace().ports).toBeUndefined();
  });
});

describe('parseSize', () => {
  it('reads binary units and plain bytes', () => {
    expect(parseSize('5GB')).toBe(5 * 1024 ** 3);
    expect(parseSize('1.5 g')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('500MiB')).toBe(500 * 1024 ** 2);
    expect(parseSize(4096)).toBe(4096);
    expect(parseSize('12')).toBe(12);
    for (const bad of ['', 'GB', '5 XB', '-1', null]) expect(parseSize(bad), String(bad)).toBeUndefined();
  });
});
