import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, createRepo, git, tempDir, writeFiles } from './helpers.js';

afterAll(cleanupTemp);

describe('cairn init', () => {
  it('creates .milestones/ and .cairn/config.yaml and says what to do next', async () => {
    const root = createRepo();
    const result = await cairn(root, ['init']);
    expect(result.code).toBe(0);
    expect(statSync(path.join(root, '.milestones')).isDirectory()).toBe(true);
    expect(existsSync(path.join(root, '.cairn', 'config.yaml'))).toBe(true);
    expect(result.stdout).toContain('.milestones/');
    expect(result.stdout).toContain('.cairn/config.yaml');
    expect(result.stdout).toMatch(/next steps/i);
    expect(result.stdout).toContain('cairn new');
    expect(result.stdout).toContain('cairn run');
    // The config it writes is valid.
    const validate = await cairn(root, ['validate']);
    expect(validate.code).toBe(0);
  });

  it('a second init changes nothing and exits 0', async () => {
    const root = createRepo();
    expect((await cairn(root, ['init'])).code).toBe(0);
    const config = path.join(root, '.cairn', 'config.yaml');
    // A user's edit must survive a second init.
    writeFiles(root, { '.cairn/config.yaml': `${readFileSync(config, 'utf8')}# edited by hand\n` });
    const before = {
      config: readFileSync(config, 'utf8'),
      milestones: readdirSync(path.join(root, '.milestones')),
      status: git(root, ['status', '--porcelain', '--untracked-files=all']),
    };
    const again = await cairn(root, ['init']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing changed/i);
    expect({
      config: readFileSync(config, 'utf8'),
      milestones: readdirSync(path.join(root, '.milestones')),
      status: git(root, ['status', '--porcelain', '--untracked-files=all']),
    }).toEqual(before);
  });

  it('from a subdirectory sets up the repository root', async () => {
    const root = createRepo({ 'README.md': '# x\n', 'src/lib/index.ts': 'export {};\n' });
    const result = await cairn(path.join(root, 'src', 'lib'), ['init']);
    expect(result.code).toBe(0);
    expect(existsSync(path.join(root, '.milestones'))).toBe(true);
    expect(existsSync(path.join(root, '.cairn', 'config.yaml'))).toBe(true);
    expect(existsSync(path.join(root, 'src', 'lib', '.milestones'))).toBe(false);
  });
});

describe('cairn new', () => {
  it('twice gives 001 and 002, both of which validate', async () => {
    const root = createRepo();
    expect((await cairn(root, ['init'])).code).toBe(0);
    const first = await cairn(root, ['new', 'User authentication']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('001-user-authentication.yaml');
    const second = await cairn(root, ['new', 'Billing']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('002-billing.yaml');
    const specs = readdirSync(path.join(root, '.milestones')).filter((f) => f.endsWith('.yaml'));
    expect(specs.sort()).toEqual(['001-user-authentication.yaml', '002-billing.yaml']);
    expect(readFileSync(path.join(root, '.milestones', '002-billing.yaml'), 'utf8')).toMatch(/^id: "002"$/m);

    const all = await cairn(root, ['validate']);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('001-user-authentication.yaml');
    expect(all.stdout).toContain('002-billing.yaml');
    for (const name of ['001', '002', '001-user-authentication', '.milestones/002-billing.yaml']) {
      const one = await cairn(root, ['validate', name]);
      expect(one.code, `${name}: ${one.stderr}`).toBe(0);
    }
    expect((await cairn(root, ['plan', '002', '--json'])).code).toBe(0);
  });

  it('works without init (the config is optional)', async () => {
    const root = createRepo();
    const result = await cairn(root, ['new', 'Quick start']);
    expect(result.code).toBe(0);
    expect(existsSync(path.join(root, '.milestones', '001-quick-start.yaml'))).toBe(true);
    expect((await cairn(root, ['validate', '001'])).code).toBe(0);
  });
});

describe('cairn schema', () => {
  it('prints a JSON Schema with $schema and properties.tasks', async () => {
    const root = createRepo();
    const result = await cairn(root, ['schema']);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout) as { $schema?: string; properties?: Record<string, unknown> };
    expect(typeof schema.$schema).toBe('string');
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.properties?.tasks).toBeDefined();
    expect(schema.properties?.id).toBeDefined();
  });

  it('works outside a git repository', async () => {
    const dir = tempDir('cairn-schema-');
    const result = await cairn(dir, ['schema']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty('properties.tasks');
  });
});

describe('--help', () => {
  it.each([
    ['init', []],
    ['new', ['[title]', '--agent', '--from-goal']],
    ['validate', ['[milestone]', '--json']],
    ['schema', []],
    ['plan', ['<milestone>', '--json']],
    ['run', ['<milestone>', '--concurrency']],
    ['status', ['[milestone]', '--json']],
    ['land', ['<milestone>']],
    ['demo', ['--dir', '--concurrency']],
  ])('cairn %s --help exits 0 and shows its arguments', async (command, mentions) => {
    const dir = tempDir('cairn-help-');
    const result = await cairn(dir, [command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: cairn ${command}\\b`, 'm'));
    for (const text of mentions) expect(result.stdout).toContain(text);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('cairn --help lists every command', async () => {
    const result = await cairn(tempDir('cairn-help-'), ['--help']);
    expect(result.code).toBe(0);
    for (const command of ['init', 'new', 'validate', 'schema', 'plan', 'run', 'status', 'land', 'demo']) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  it('cairn help <command> works like --help', async () => {
    const result = await cairn(tempDir('cairn-help-'), ['help', 'run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: cairn run \[options\] <milestone>/m);
  });
});
