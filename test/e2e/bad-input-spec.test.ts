import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addSpec,
  cairn,
  cleanupTemp,
  configure,
  createRepo,
  git,
  writeAgent,
  type CliResult,
} from './helpers.js';

afterAll(cleanupTemp);

function expectNoStack(result: CliResult): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

function snapshot(root: string) {
  return {
    refs: git(root, ['for-each-ref', '--format=%(refname) %(objectname)']),
    status: git(root, ['status', '--porcelain', '--untracked-files=all']),
    worktrees: git(root, ['worktree', 'list', '--porcelain']),
  };
}

/** A repository with a working scripted agent and one committed spec. */
function repoWithSpec(name: string, yaml: string): { root: string; file: string } {
  const root = createRepo();
  configure(root, writeAgent(root, 'agent.sh', 'echo done > "out-$CAIRN_TASK.txt"'));
  const file = addSpec(root, name, yaml);
  return { root, file };
}

interface JsonProblem {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
  hint: string;
}

/** `cairn validate <id> --json`, its exit code and its problems. */
async function validateJson(
  root: string,
  name: string,
): Promise<{ code: number | null; problems: JsonProblem[] }> {
  const result = await cairn(root, ['validate', name, '--json']);
  const parsed = JSON.parse(result.stdout) as { problems?: JsonProblem[] } | JsonProblem[];
  return { code: result.code, problems: Array.isArray(parsed) ? parsed : (parsed.problems ?? []) };
}

/** A problem line as `validate` prints it: `file:line:col: path: message`. */
const problemLine = (file: string, line: number, col: number, dotPath: string) =>
  new RegExp(
    `^${file.replace(/[.[\]]/g, '\\$&')}:${line}:${col}: ${dotPath.replace(/[.[\]]/g, '\\$&')}: `,
    'm',
  );

describe('YAML syntax error', () => {
  const yaml = 'id: "001"\ntitle: Broken\ntasks:\n  - id: a\n    title: A\n\tbad: tab\n';

  it('validate exits 2 with file:line:col', async () => {
    const { root } = repoWithSpec('001-broken', yaml);
    const result = await cairn(root, ['validate', '001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^\.milestones\/001-broken\.yaml:6:1: .*invalid YAML/m);
    expect(result.stderr).toMatch(/hint: .*(tab|indent)/);
    expectNoStack(result);
  });

  it('run exits 2 with file:line:col and changes nothing', async () => {
    const { root, file } = repoWithSpec('001-broken', yaml);
    const before = snapshot(root);
    const result = await cairn(root, ['run', '001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*001-broken\.yaml has 1 problem/m);
    expect(result.stderr).toMatch(/\.milestones\/001-broken\.yaml:6:1: .*invalid YAML/);
    expect(result.stderr).toMatch(/^hint: .*cairn validate/m);
    expectNoStack(result);
    expect(snapshot(root)).toEqual(before);
    expect(readFileSync(file, 'utf8')).toBe(yaml);
    expect(git(root, ['branch', '--list', 'milestone/*'])).toBe('');
    expect(existsSync(path.join(root, '.git', 'cairn', 'worktrees'))).toBe(false);
  });
});

describe('one problem per spec', () => {
  const head = 'id: "001"\ntitle: Bad\ntasks:\n';
  const cases: {
    name: string;
    tasks: string;
    line: number;
    col: number;
    path: string;
    message: RegExp;
    hint?: RegExp;
  }[] = [
    {
      name: 'depends_on is a number',
      tasks: '  - id: a\n    title: A\n    depends_on: 5\n',
      line: 6,
      col: 17,
      path: 'tasks[0].depends_on',
      message: /expected a list.*got a number/,
    },
    {
      name: 'unknown key depend_on',
      tasks: '  - id: a\n    title: A\n  - id: b\n    title: B\n    depend_on: [a]\n',
      line: 8,
      col: 5,
      path: 'tasks[1].depend_on',
      message: /unknown key `depend_on`/,
      hint: /depends_on/,
    },
    {
      name: 'duplicate task id',
      tasks: '  - id: a\n    title: A\n  - id: a\n    title: A again\n',
      line: 6,
      col: 9,
      path: 'tasks[1].id',
      message: /duplicate task id `a`/,
      hint: /line 4/,
    },
    {
      name: 'unknown dependency',
      tasks:
        '  - id: db-schema\n    title: Schema\n  - id: api\n    title: API\n    depends_on: [db-schem]\n',
      line: 8,
      col: 18,
      path: 'tasks[1].depends_on[0]',
      message: /unknown dependency `db-schem`/,
      hint: /db-schema/,
    },
    {
      name: 'a cycle',
      tasks: '  - id: a\n    title: A\n    depends_on: [b]\n  - id: b\n    title: B\n    depends_on: [a]\n',
      line: 6,
      col: 18,
      path: 'tasks[0].depends_on[0]',
      message: /cycle: a → b → a/,
    },
    {
      name: 'unknown agent profile',
      tasks: '  - id: a\n    title: A\n    agent: cluade\n',
      line: 6,
      col: 12,
      path: 'tasks[0].agent',
      message: /unknown agent profile `cluade`/,
      hint: /claude/,
    },
    {
      name: 'unknown phase agent',
      tasks:
        '  - id: a\n    title: A\n    phases:\n      - name: implement\n      - name: review\n        agent: reviwer\n',
      line: 9,
      col: 16,
      path: 'tasks[0].phases[1].agent',
      message: /unknown agent profile `reviwer`/,
    },
    {
      name: 'review phase first',
      tasks: '  - id: a\n    title: A\n    phases:\n      - name: review\n      - name: implement\n',
      line: 7,
      col: 15,
      path: 'tasks[0].phases[0].name',
      message: /a review phase cannot be first/,
      hint: /implement/,
    },
    {
      name: 'unsafe id ../x',
      tasks: '  - id: ../x\n    title: A\n',
      line: 4,
      col: 9,
      path: 'tasks[0].id',
      message: /`\.\.\/x` is not safe/,
    },
    {
      name: 'unsafe id "a b"',
      tasks: '  - id: a b\n    title: A\n',
      line: 4,
      col: 9,
      path: 'tasks[0].id',
      message: /`a b` is not safe/,
    },
    {
      name: 'unsafe id -x',
      tasks: '  - id: -x\n    title: A\n',
      line: 4,
      col: 9,
      path: 'tasks[0].id',
      message: /`-x` is not safe/,
    },
  ];

  it.each(cases)('$name: validate and run exit 2 at $path', async (c) => {
    const yaml = head + c.tasks;
    const { root, file } = repoWithSpec('001-bad', yaml);
    const file_ = '.milestones/001-bad.yaml';

    const validate = await cairn(root, ['validate', '001']);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toMatch(problemLine(file_, c.line, c.col, c.path));
    expect(validate.stderr).toMatch(c.message);
    if (c.hint) expect(validate.stderr).toMatch(new RegExp(`hint: .*${c.hint.source}`));
    expectNoStack(validate);

    const json = await validateJson(root, '001');
    expect(json.code).toBe(2);
    const found = json.problems.find((p) => p.path === c.path);
    expect(found, JSON.stringify(json.problems)).toMatchObject({ file: file_, line: c.line, col: c.col });
    expect(found?.message).toMatch(c.message);
    if (c.hint) expect(found?.hint).toMatch(c.hint);

    const before = snapshot(root);
    const run = await cairn(root, ['run', '001']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: /m);
    expect(run.stderr).toMatch(problemLine(`  ${file_}`, c.line, c.col, c.path));
    expectNoStack(run);
    expect(snapshot(root)).toEqual(before);
    expect(readFileSync(file, 'utf8')).toBe(yaml);
  });

  it('tasks: {} is rejected as the wrong type', async () => {
    const { root } = repoWithSpec('001-bad', 'id: "001"\ntitle: Bad\ntasks: {}\n');
    const result = await cairn(root, ['validate', '001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(problemLine('.milestones/001-bad.yaml', 3, 8, 'tasks'));
    expect(result.stderr).toMatch(/expected a list of tasks, got a mapping/);
    expectNoStack(result);
  });

  it('a bare-number milestone id (id: 1) is rejected with a hint to quote it', async () => {
    const { root } = repoWithSpec('001-bad', 'id: 1\ntitle: Bad\ntasks:\n  - id: a\n    title: A\n');
    const result = await cairn(root, ['validate', '001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(problemLine('.milestones/001-bad.yaml', 1, 5, 'id'));
    expect(result.stderr).toMatch(/expected a string, got a number/);
    expect(result.stderr).toMatch(/hint: .*"1"/);
    expectNoStack(result);
  });

  it('a cycle through three tasks is printed in full', async () => {
    const { root } = repoWithSpec(
      '001-bad',
      `${head}  - id: a\n    title: A\n    depends_on: [c]\n  - id: b\n    title: B\n    depends_on: [a]\n  - id: c\n    title: C\n    depends_on: [b]\n`,
    );
    const result = await cairn(root, ['validate', '001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cycle: (a → c → b → a|b → a → c → b|c → b → a → c)/);
    expectNoStack(result);
  });
});

describe('several problems in one file', () => {
  const yaml = `id: "001"
title: Many
tasks:
  - id: a
    title: A
    depend_on: [b]
  - id: b
    title: B
    depends_on: [zeta]
  - id: b
    title: Duplicate
    agent: nope
  - id: ../x
    title: Unsafe
`;
  const expected = [
    { line: 6, col: 5, path: 'tasks[0].depend_on' },
    { line: 9, col: 18, path: 'tasks[1].depends_on[0]' },
    { line: 10, col: 9, path: 'tasks[2].id' },
    { line: 12, col: 12, path: 'tasks[2].agent' },
    { line: 13, col: 9, path: 'tasks[3].id' },
  ];

  it('validate reports all of them at once, each with its own line:col and dot path', async () => {
    const { root } = repoWithSpec('001-many', yaml);
    const result = await cairn(root, ['validate', '001']);
    expect(result.code).toBe(2);
    expectNoStack(result);
    const lines = [...result.stderr.matchAll(/^\.milestones\/001-many\.yaml:(\d+):(\d+): (\S+): (.+)$/gm)];
    const locations = new Set(lines.map((m) => `${m[1]}:${m[2]}`));
    const paths = new Set(lines.map((m) => m[3]));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(locations.size).toBe(lines.length);
    expect(paths.size).toBe(lines.length);
    for (const e of expected) {
      expect(result.stderr).toMatch(problemLine('.milestones/001-many.yaml', e.line, e.col, e.path));
    }
    // Each problem has its own hint.
    expect(result.stderr.match(/^\s+hint: /gm)?.length ?? 0).toBeGreaterThanOrEqual(lines.length);
    expect(result.stderr).toMatch(new RegExp(`${lines.length} problems`));
  });

  it('validate --json gives a parseable list with file, line, col, path, message and hint', async () => {
    const { root } = repoWithSpec('001-many', yaml);
    const result = await cairn(root, ['validate', '001', '--json']);
    expect(result.code).toBe(2);
    expectNoStack(result);
    const parsed = JSON.parse(result.stdout) as { ok?: boolean; problems?: JsonProblem[] } | JsonProblem[];
    const problems = Array.isArray(parsed) ? parsed : (parsed.problems ?? []);
    expect(problems.length).toBeGreaterThanOrEqual(expected.length);
    for (const p of problems) {
      expect(p.file).toBe('.milestones/001-many.yaml');
      expect(Number.isInteger(p.line) && p.line > 0).toBe(true);
      expect(Number.isInteger(p.col) && p.col > 0).toBe(true);
      expect(typeof p.path).toBe('string');
      expect(p.message.length).toBeGreaterThan(0);
      expect(p.hint.length).toBeGreaterThan(0);
    }
    for (const e of expected) expect(problems).toContainEqual(expect.objectContaining(e));
  });

  it('validate --json on a valid spec exits 0 with no problems', async () => {
    const { root } = repoWithSpec('001-good', 'id: "001"\ntitle: Good\ntasks:\n  - id: a\n    title: A\n');
    const json = await validateJson(root, '001');
    expect(json.code).toBe(0);
    expect(json.problems).toEqual([]);
  });
});

describe('milestone ids across spec files', () => {
  it('validate rejects two spec files that declare the same milestone id', async () => {
    const spec = 'id: "001"\ntitle: Auth\ntasks:\n  - id: a\n    title: A\n';
    const { root } = repoWithSpec('001-auth', spec);
    addSpec(root, '002-copy', spec);
    const result = await cairn(root, ['validate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/002-copy\.yaml:1:\d+: id: /);
    expect(result.stderr).toMatch(/001/);
    expectNoStack(result);
  });
});
