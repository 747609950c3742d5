import { describe, expect, it } from 'vitest';
import { parseMilestoneSpec } from './parse-milestone.js';
import type { ParseMilestoneOptions } from './parse-milestone.js';
import type { Problem } from './types.js';

const FILE = '/repo/.milestones/001-auth.yaml';
const options: ParseMilestoneOptions = { knownAgents: ['claude', 'codex'] };

const yaml = (...lines: string[]) => lines.join('\n') + '\n';

/** `line:col path: message`, the parts every test pins down. */
function brief(problem: Problem): string {
  return `${problem.line}:${problem.col} ${problem.path}: ${problem.message}`;
}

function problems(text: string, opts: ParseMilestoneOptions = options): Problem[] {
  const result = parseMilestoneSpec(text, FILE, opts);
  if (result.ok) throw new Error('expected problems, the spec was valid');
  return result.problems;
}

const header = ['id: "001"', 'title: Auth'];

describe('parseMilestoneSpec: valid specs', () => {
  it('reads a full spec', () => {
    const text = yaml(
      'id: "001"',
      'title: User authentication',
      'base: develop',
      'integration: ["npm test"]',
      'agents:',
      '  coder:',
      '    command: ["claude", "-p", "{prompt}"]',
      '    fallback: [coder-b, codex]',
      '    timeout: 30m',
      '    retries: 2',
      '    env: { LOG: debug, EMPTY: "" }',
      '  coder-b: { command: [aider, "--message", "{prompt}"] }',
      'tasks:',
      '  - id: db-schema',
      '    title: Database schema',
      '    type: feat',
      '    agent: coder',
      '    prompt: Create the users table',
      '    files: ["db/**"]',
      '    acceptance: ["npm test -- db"]',
      '    weight: 2',
      '    timeout: 90',
      '    retries: 0',
      '  - id: login-ui',
      '    title: Login UI',
      '    depends_on: [db-schema]',
    );
    const result = parseMilestoneSpec(text, FILE, options);
    expect(result).toEqual({
      ok: true,
      value: {
        id: '001',
        title: 'User authentication',
        base: 'develop',
        integration: ['npm test'],
        agents: {
          coder: {
            command: ['claude', '-p', '{prompt}'],
            fallback: ['coder-b', 'codex'],
            timeoutMs: 1_800_000,
            retries: 2,
            env: { LOG: 'debug', EMPTY: '' },
          },
          'coder-b': { command: ['aider', '--message', '{prompt}'] },
        },
        tasks: [
          {
            id: 'db-schema',
            title: 'Database schema',
            type: 'feat',
            agent: 'coder',
            prompt: 'Create the users table',
            files: ['db/**'],
            acceptance: ['npm test -- db'],
            depends_on: [],
            weight: 2,
            timeoutMs: 90_000,
            retries: 0,
          },
          {
            id: 'login-ui',
            title: 'Login UI',
            prompt: 'Login UI',
            files: [],
            acceptance: [],
            depends_on: ['db-schema'],
            weight: 1,
          },
        ],
        file: FILE,
      },
    });
  });

  it('fills defaults, taking the base from the options', () => {
    const text = yaml(...header, 'tasks: [{ id: a, title: Do A }]');
    const result = parseMilestoneSpec(text, FILE, { ...options, defaultBase: 'trunk' });
    expect(result.ok && result.value).toMatchObject({
      base: 'trunk',
      integration: [],
      agents: {},
      tasks: [{ id: 'a', title: 'Do A', prompt: 'Do A', weight: 1, files: [] }],
    });
    // No type: inferred from the change when the task is committed.
    expect(result.ok && result.value.tasks[0]?.type).toBeUndefined();
    expect(result.ok && result.value.tasks[0]?.agent).toBeUndefined();
    expect(result.ok && result.value.tasks[0]?.commit).toBeUndefined();
    const plain = parseMilestoneSpec(text, FILE, options);
    expect(plain.ok && plain.value.base).toBe('main');
  });

  it('gives tasks the milestone’s commit strategy unless they name their own', () => {
    const text = yaml(
      ...header,
      'commit: progressive',
      'commit_every: 30s',
      'tasks:',
      '  - { id: a, title: A }',
      '  - { id: b, title: B, commit: checkpoint, commit_every: 5m }',
    );
    const result = parseMilestoneSpec(text, FILE, options);
    expect(result.ok && result.value.commit).toBe('progressive');
    expect(result.ok && result.value.tasks.map((t) => [t.commit, t.commitEveryMs])).toEqual([
      ['progressive', 30_000],
      ['checkpoint', 300_000],
    ]);
  });

  it('reads an empty value of a list or mapping as empty', () => {
    const text = yaml(
      ...header,
      'integration:',
      'agents:',
      'tasks:',
      '  - id: a',
      '    title: A',
      '    files:',
      '    depends_on:',
    );
    const result = parseMilestoneSpec(text, FILE, options);
    expect(result.ok && result.value).toMatchObject({
      integration: [],
      agents: {},
      tasks: [{ id: 'a', files: [], depends_on: [] }],
    });
  });

  it('follows anchors and aliases', () => {
    const text = yaml(...header, 'files: &db ["db/**"]', 'tasks: [{ id: a, title: A, files: *db }]');
    expect(problems(text).map(brief)).toEqual(['3:1 files: unknown key `files` in a milestone']);
    const ok = yaml(
      ...header,
      'tasks:',
      '  - { id: a, title: A, files: &db ["db/**"] }',
      '  - { id: b, title: B, files: *db }',
    );
    const result = parseMilestoneSpec(ok, FILE, options);
    expect(result.ok && result.value.tasks[1]?.files).toEqual(['db/**']);
  });

  it('reads a profile max_concurrency in the spec, and names a bad one by its path', () => {
    const agents = (limit: string) =>
      yaml(
        ...header,
        'agents:',
        `  fast: { command: [claude], max_concurrency: ${limit} }`,
        'tasks: [{ id: a, title: A }]',
      );
    const result = parseMilestoneSpec(agents('2'), FILE, options);
    expect(result.ok && result.value.agents.fast?.maxConcurrency).toBe(2);
    expect(problems(agents('-1')).map(brief)).toEqual([
      '4:47 agents.fast.max_concurrency: expected a whole number ≥ 1, got -1',
    ]);
  });
});
