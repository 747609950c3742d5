import { describe, expect, it } from 'vitest';
import { parseMilestoneSpec } from './parse-milestone.js';
import type { ParseMilestoneOptions } from './parse-milestone.js';
import type { Problem } from './types.js';

const FILE = '/repo/.milestones/001-auth.yaml';
const options: ParseMilestoneOptions = { knownAgents: ['claude', 'codex'] };

const yaml = (...lines: string[]) => lines.join('\n') + '\n';
const header = ['id: "001"', 'title: Auth'];

/** `line:col path: message`, the parts every test pins down. */
function brief(problem: Problem): string {
  return `${problem.line}:${problem.col} ${problem.path}: ${problem.message}`;
}

function problems(text: string, opts: ParseMilestoneOptions = options): Problem[] {
  const result = parseMilestoneSpec(text, FILE, opts);
  if (result.ok) throw new Error('expected problems, the spec was valid');
  return result.problems;
}

describe('parseMilestoneSpec: the milestone', () => {
  it('reports an empty file and a non-mapping', () => {
    expect(problems('').map(brief)).toEqual(['1:1 : the milestone file is empty']);
    expect(problems('# nothing\n').map(brief)).toEqual(['1:1 : the milestone file is empty']);
    expect(problems('- a\n').map(brief)).toEqual(['1:1 : expected a milestone (a mapping), got a list']);
  });

  it('reports missing required keys at the mapping', () => {
    const found = problems(yaml('', 'base: main'));
    expect(found.map(brief)).toEqual([
      '2:1 : missing required key `id` in a milestone',
      '2:1 : missing required key `title` in a milestone',
      '2:1 : missing required key `tasks` in a milestone',
    ]);
    expect(found[0]).toMatchObject({ file: FILE, hint: 'add `id: …`' });
  });

  it('asks to quote a numeric id as written', () => {
    const [problem] = problems(yaml('id: 001', 'title: Auth', 'tasks: [{ id: a, title: A }]'));
    expect(problem).toMatchObject({
      line: 1,
      col: 5,
      path: 'id',
      message: 'expected a string, got a number',
    });
    expect(problem?.hint).toBe('quote it: "001"');
  });

  it('rejects unsafe milestone ids with the allowed pattern', () => {
    for (const id of ['A', 'a b', '../x', '-x', 'a.b']) {
      const [problem] = problems(yaml(`id: "${id}"`, 'title: T', 'tasks: [{ id: a, title: A }]'));
      expect(brief(problem as Problem)).toBe(
        `1:5 id: milestone id \`${id}\` is not safe in a git branch name`,
      );
      expect(problem?.hint).toContain('^[a-z0-9][a-z0-9-]*$');
    }
  });

  it('reports wrong types with what was found', () => {
    const found = problems(
      yaml('id: "001"', 'title: [a]', 'base: 3', 'integration: npm test', 'agents: [x]', 'tasks: {}'),
    );
    expect(found.map(brief)).toEqual([
      '2:8 title: expected a string, got a list',
      '3:7 base: expected a string, got a number',
      '4:14 integration: expected a list of strings, got a string',
      '5:9 agents: expected agent profiles by name (a mapping), got a list',
      '6:8 tasks: expected a list of tasks, got a mapping',
    ]);
    expect(found[2]?.hint).toBe('write it as a list, e.g. ["npm test"]');
  });

  it('reports every bad item of a list at the item', () => {
    const found = problems(
      yaml(...header, 'integration: ["ok", 3, null, ""]', 'tasks: [{ id: a, title: A }]'),
    );
    expect(found.map(brief)).toEqual([
      '3:21 integration[1]: expected a string, got a number',
      '3:24 integration[2]: expected a string, got nothing',
      '3:30 integration[3]: expected a string, got an empty string',
    ]);
  });

  it('reports `tasks:` with nothing as no tasks', () => {
    expect(problems(yaml(...header, 'tasks:')).map(brief)).toEqual(['3:7 tasks: the milestone has no tasks']);
  });

  it('reports empty tasks and an empty title', () => {
    expect(problems(yaml('id: "001"', 'title: ""', 'tasks: []')).map(brief)).toEqual([
      '2:8 title: expected a string, got an empty string',
      '3:8 tasks: the milestone has no tasks',
    ]);
  });

  it('suggests the closest key for unknown keys, else lists the allowed ones', () => {
    const found = problems(yaml(...header, 'titel: x', 'owner: me', 'tasks: [{ id: a, title: A }]'));
    expect(found.map(brief)).toEqual([
      '3:1 titel: unknown key `titel` in a milestone',
      '4:1 owner: unknown key `owner` in a milestone',
    ]);
    expect(found[0]?.hint).toBe('did you mean `title`?');
    expect(found[1]?.hint).toBe(
      'use one of: `id`, `title`, `base`, `integration`, `commit`, `commit_every`, `agents`, `tasks`, `workspace`, `max_review_rounds`',
    );
  });
});
