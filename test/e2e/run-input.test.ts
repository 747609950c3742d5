import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addSpec, cairn, cleanupTemp, configure, createRepo, git } from './helpers.js';
import { invocations, setupScenario, specYaml } from './scenarios.js';

afterAll(cleanupTemp);

function branches(root: string): string[] {
  return git(root, ['branch', '--list', '--format=%(refname:short)']).split('\n').filter(Boolean);
}

describe('cairn run: bad input exits 2 before anything starts', () => {
  it('names an unknown milestone and the known ones', async () => {
    const scenario = setupScenario({
      spec: { title: 'Known one', tasks: [{ id: 'a' }] },
      agentBody: 'echo a > a.txt',
    });
    const result = await cairn(scenario.root, ['run', '042']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('042');
    expect(result.stderr).toContain('001-known-one');
    expect(branches(scenario.root)).toEqual(['main']);
    expect(invocations(scenario.marker).size).toBe(0);
  });

  it('reports every spec problem with file:line:col and starts nothing', async () => {
    const root = createRepo();
    configure(root, '/bin/true');
    addSpec(
      root,
      '001-broken',
      [
        'id: "001"',
        'title: Broken',
        'tasks:',
        '  - id: a',
        '    title: A',
        '    depends_on: [b]',
        '  - id: b',
        '    title: B',
        '    depends_on: [a]',
        '  - id: c',
        '    title: C',
        '    depends_on: [nope]',
        '',
      ].join('\n'),
    );
    const result = await cairn(root, ['run', '001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/001-broken\.yaml:\d+:\d+/);
    expect(result.stderr).toContain('nope');
    expect(result.stderr).toMatch(/cycle/i);
    expect(branches(root)).toEqual(['main']);
    expect(existsSync(path.join(root, '.git', 'cairn', 'worktrees'))).toBe(false);
  });

  it('stops when an agent binary is missing, before any task starts', async () => {
    const root = createRepo();
    configure(root, path.join(root, 'no-such-agent.sh'));
    addSpec(
      root,
      '001-missing-agent',
      specYaml({ title: 'Missing agent', tasks: [{ id: 'a', title: 'A' }] }),
    );
    const result = await cairn(root, ['run', '001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no-such-agent.sh');
    expect(branches(root)).toEqual(['main']);
  });

  it('stops when the base branch does not exist', async () => {
    const root = createRepo();
    configure(root, '/bin/true');
    addSpec(
      root,
      '001-no-base',
      'id: "001"\ntitle: No base\nbase: develop\ntasks:\n  - id: a\n    title: A\n',
    );
    const result = await cairn(root, ['run', '001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('develop');
    expect(branches(root)).toEqual(['main']);
  });
});
