import { describe, expect, it } from 'vitest';
import { parseMilestoneSpec } from './parse-milestone.js';
import type { ParseMilestoneOptions } from './parse-milestone.js';
import type { Problem } from './types.js';

const options: ParseMilestoneOptions = { knownAgents: ['claude', 'codex'] };
const brief = (p: Problem) => `${p.line}:${p.col} ${p.path}: ${p.message}`;

/** A spec whose tasks start on line 4, so `tasks[0]` is on line 4. */
function withTasks(...lines: string[]): string {
  return ['id: "001"', 'title: Auth', 'tasks:', ...lines].join('\n') + '\n';
}

function problems(text: string, opts: ParseMilestoneOptions = options): Problem[] {
  const result = parseMilestoneSpec(text, 'm.yaml', opts);
  if (result.ok) throw new Error('expected problems, the spec was valid');
  return result.problems;
}

describe('parseMilestoneSpec: task fields', () => {
  it('reports missing id and title at the task, and non-mapping tasks', () => {
    const found = problems(withTasks('  - prompt: x', '  - just text'));
    expect(found.map(brief)).toEqual([
      '4:5 tasks[0]: missing required key `id` in a task',
      '4:5 tasks[0]: missing required key `title` in a task',
      '5:5 tasks[1]: expected a task (a mapping), got a string',
    ]);
  });

  it('suggests depends_on for close misspellings', () => {
    const found = problems(
      withTasks('  - id: a', '    title: A', '    dependsOn: [b]', '    depends-on: [b]'),
    );
    expect(found.map(brief)).toEqual([
      '6:5 tasks[0].dependsOn: unknown key `dependsOn` in a task',
      '7:5 tasks[0].depends-on: unknown key `depends-on` in a task',
    ]);
    expect(found.map((p) => p.hint)).toEqual(['did you mean `depends_on`?', 'did you mean `depends_on`?']);
  });

  it('reports wrong types at the value', () => {
    const found = problems(
      withTasks(
        '  - id: a',
        '    title: A',
        '    type: feature',
        '    files: "src/**"',
        '    acceptance: [1]',
        '    depends_on: b',
        '    weight: 0',
        '    timeout: soon',
        '    retries: -1',
        '    prompt: { x: 1 }',
      ),
    );
    expect(found.map(brief)).toEqual([
      '6:11 tasks[0].type: unknown task type `feature`',
      '7:12 tasks[0].files: expected a list of strings, got a string',
      '8:18 tasks[0].acceptance[0]: expected a string, got a number',
      '9:17 tasks[0].depends_on: expected a list of strings, got a string',
      '10:13 tasks[0].weight: expected a number greater than 0, got 0',
      '11:14 tasks[0].timeout: expected a duration greater than 0 such as "30m", got `soon`',
      '12:14 tasks[0].retries: expected a whole number ≥ 0, got -1',
      '13:13 tasks[0].prompt: expected a string, got a mapping',
    ]);
  });

  it('hints to unquote quoted numbers', () => {
    const [problem] = problems(withTasks('  - { id: a, title: A, retries: "2" }'));
    expect(brief(problem as Problem)).toBe(
      '4:33 tasks[0].retries: expected a whole number ≥ 0, got a string',
    );
    expect(problem?.hint).toBe('remove the quotes: 2');
  });

  it('rejects unsafe task ids with the allowed pattern', () => {
    const ids = ['"../x"', '"a b"', '"-x"', 'A', 'a..b', 'a.', 'x.lock', '"a/b"'];
    const found = problems(withTasks(...ids.map((id, i) => `  - { id: ${id}, title: T${i} }`)));
    expect(found.map(brief)).toEqual(
      ['../x', 'a b', '-x', 'A', 'a..b', 'a.', 'x.lock', 'a/b'].map(
        (id, i) => `${4 + i}:11 tasks[${i}].id: task id \`${id}\` is not safe in a git branch name`,
      ),
    );
    expect(found[0]?.hint).toContain('^[a-z0-9][a-z0-9._-]*$');
    expect(found[1]?.hint).toContain('e.g. `a-b`');
  });

  it('reads durations in every form', () => {
    const timeouts = ['500ms', '90s', '30m', '1h', '1h30m', '45'];
    const text = withTasks(...timeouts.map((t, i) => `  - { id: t${i}, title: T, timeout: ${t} }`));
    const result = parseMilestoneSpec(text, 'm.yaml', options);
    expect(result.ok && result.value.tasks.map((t) => t.timeoutMs)).toEqual([
      500, 90_000, 1_800_000, 3_600_000, 5_400_000, 45_000,
    ]);
  });
});

describe('parseMilestoneSpec: YAML problems', () => {
  it('reports every syntax error with its position and stops there', () => {
    const found = problems(['id: "001"', 'title: Fix: login', 'tasks: [', '  unknown_key: 1'].join('\n'));
    expect(found.map(brief)).toEqual([
      '2:8 : invalid YAML: nested mappings are not allowed in compact mappings',
      '4:17 : invalid YAML: flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(found[0]?.hint).toBe('quote values that contain ": ", e.g. title: "Fix: login"');
  });

  it('reports tabs used as indentation', () => {
    const found = problems('id: "001"\ntitle: x\ntasks:\n\t- id: a\n');
    expect(found.map(brief)).toEqual(['4:1 : invalid YAML: tabs are not allowed as indentation']);
  });

  it('reports a second document', () => {
    const [problem] = problems('id: "001"\n---\nid: "002"\n');
    expect(problem).toMatchObject({
      line: 2,
      col: 1,
      message: 'invalid YAML: source contains multiple documents',
    });
  });

  it('reports duplicate keys at the second one, saying where the first is', () => {
    const found = problems(withTasks('  - id: a', '    title: A', '    title: B'));
    expect(found.map(brief)).toEqual(['6:5 tasks[0].title: duplicate key `title`']);
    expect(found[0]?.hint).toBe('the first `title` is at line 5, col 5; keep only one');
    const top = problems('id: "001"\nid: "002"\ntitle: T\ntasks: [{ id: a, title: A }]\n');
    expect(top.map(brief)).toEqual(['2:1 id: duplicate key `id`']);
  });
});
