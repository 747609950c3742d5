import { describe, expect, it } from 'vitest';
import { parseMilestoneSpec } from './parse-milestone.js';
import type { ParseMilestoneOptions } from './parse-milestone.js';
import type { Problem } from './types.js';

const options: ParseMilestoneOptions = { knownAgents: ['claude', 'codex'] };
const brief = (p: Problem) => `${p.line}:${p.col} ${p.path}: ${p.message}`;

/** One flow-mapping task per line; `tasks[i]` is on line 4 + i. */
function spec(tasks: string[], before: string[] = []): string {
  return ['id: "001"', 'title: Auth', ...before, 'tasks:', ...tasks.map((t) => `  - { ${t} }`)].join('\n');
}

function problems(text: string, opts: ParseMilestoneOptions = options): Problem[] {
  const result = parseMilestoneSpec(text, 'm.yaml', opts);
  if (result.ok) throw new Error('expected problems, the spec was valid');
  return result.problems;
}

describe('parseMilestoneSpec: task graph', () => {
  it('reports a duplicate id at the second, saying where the first is', () => {
    const found = problems(spec(['id: a, title: A', 'id: b, title: B', 'id: a, title: C']));
    expect(found.map(brief)).toEqual(['6:11 tasks[2].id: duplicate task id `a`']);
    expect(found[0]?.hint).toBe('the first `a` is at line 4, col 11 (tasks[0]); give each task a unique id');
  });

  it('reports unknown dependencies with a close name or the known ones', () => {
    const found = problems(
      spec(['id: db-schema, title: A', 'id: ui, title: B, depends_on: [db-shema, nothing-like-it]']),
    );
    expect(found.map(brief)).toEqual([
      '5:38 tasks[1].depends_on[0]: unknown dependency `db-shema`',
      '5:48 tasks[1].depends_on[1]: unknown dependency `nothing-like-it`',
    ]);
    expect(found.map((p) => p.hint)).toEqual(['did you mean `db-schema`?', 'known tasks: `db-schema`, `ui`']);
  });

  it('reports a self-dependency once, not also as a cycle', () => {
    const found = problems(spec(['id: a, title: A, depends_on: [a]']));
    expect(found.map(brief)).toEqual(['4:37 tasks[0].depends_on[0]: task `a` depends on itself']);
  });

  it('prints each cycle once, at the edge that starts it', () => {
    const found = problems(
      spec([
        'id: a, title: A, depends_on: [c]',
        'id: b, title: B, depends_on: [a]',
        'id: c, title: C, depends_on: [b]',
        'id: d, title: D, depends_on: [e]',
        'id: e, title: E, depends_on: [d, a]',
      ]),
    );
    expect(found.map(brief)).toEqual([
      '4:37 tasks[0].depends_on[0]: dependency cycle: a → c → b → a',
      '7:37 tasks[3].depends_on[0]: dependency cycle: d → e → d',
    ]);
    expect(found[0]?.hint).toBe('each task depends on the next one; remove one of these dependencies');
  });

  it('does not invent cycles from duplicate ids', () => {
    const found = problems(
      spec(['id: a, title: A', 'id: b, title: B, depends_on: [a]', 'id: a, title: C, depends_on: [b]']),
    );
    expect(found.map(brief)).toEqual(['6:11 tasks[2].id: duplicate task id `a`']);
  });
});

describe('parseMilestoneSpec: agent profiles', () => {
  const agents = ['agents:', '  coder: { command: [claude], fallback: [codr, codex] }'];

  it('accepts known agents from the options and from the spec', () => {
    const text = spec(
      ['id: a, title: A, agent: coder', 'id: b, title: B, agent: codex'],
      ['agents:', '  coder: { command: [claude] }'],
    );
    expect(parseMilestoneSpec(text, 'm.yaml', options).ok).toBe(true);
  });

  it('reports unknown agents in tasks and in fallbacks, with a suggestion', () => {
    const found = problems(spec(['id: a, title: A, agent: coderr', 'id: b, title: B, agent: gpt'], agents));
    expect(found.map(brief)).toEqual([
      '4:42 agents.coder.fallback[0]: unknown agent profile `codr`',
      '6:31 tasks[0].agent: unknown agent profile `coderr`',
      '7:31 tasks[1].agent: unknown agent profile `gpt`',
    ]);
    expect(found.map((p) => p.hint)).toEqual([
      'did you mean `coder`?',
      'did you mean `coder`?',
      'define `gpt` under `agents:` or use one of: `claude`, `codex`, `coder`',
    ]);
  });

  it('reports profile problems at the right node', () => {
    const found = problems(
      spec(
        ['id: a, title: A'],
        [
          'agents:',
          '  x: { command: [] }',
          '  y: { comand: [a] }',
          '  z: { command: [a], timeout: 0, retries: 1.5, env: { PORT: 3000 } }',
          '  w: claude',
        ],
      ),
    );
    expect(found.map(brief)).toEqual([
      '4:17 agents.x.command: the command is empty',
      '5:6 agents.y: missing required key `command` in an agent profile',
      '5:8 agents.y.comand: unknown key `comand` in an agent profile',
      '6:31 agents.z.timeout: expected a duration greater than 0 such as "30m", got `0`',
      '6:43 agents.z.retries: expected a whole number ≥ 0, got 1.5',
      '6:61 agents.z.env.PORT: expected a string, got a number',
      '7:6 agents.w: expected an agent profile (a mapping), got a string',
    ]);
    expect(found[5]?.hint).toBe('quote it: "3000"');
  });

  it('checks the default agent only for tasks without one', () => {
    const text = spec(['id: a, title: A', 'id: b, title: B, agent: claude']);
    const found = problems(text, { ...options, defaultAgent: 'missing' });
    expect(found.map(brief)).toEqual([
      '4:5 tasks[0]: task has no `agent` and the default profile `missing` is not defined',
    ]);
    expect(parseMilestoneSpec(text, 'm.yaml', { ...options, defaultAgent: 'codex' }).ok).toBe(true);
  });
});
