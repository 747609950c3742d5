import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addSpec, cairn, cleanupTemp, configure, createRepo, git, tempDir, writeAgent } from './helpers.js';

afterAll(cleanupTemp);

const DIAMOND = `id: "001"
title: Diamond
tasks:
  - id: a
    title: A
  - id: b
    title: B
    depends_on: [a]
  - id: c
    title: C
    depends_on: [a]
  - id: d
    title: D
    depends_on: [b, c]
`;

const OTHER = `id: "002"
title: Other work
tasks:
  - id: x
    title: X
`;

interface PlanJson {
  milestone: string;
  waves: string[][];
  critical_path: string[];
}

interface StatusJson {
  milestone: { id: string; title: string; branch: string; state: string };
  tasks: {
    id: string;
    state: string;
    attempts: number;
    agent: string;
    branch: string | null;
    merge_commit: string | null;
    reason: string | null;
  }[];
}

function diamondRepo(): string {
  const root = createRepo();
  configure(root, writeAgent(root, 'agent.sh', 'echo done > "out-$CAIRN_TASK.txt"'));
  addSpec(root, '001-diamond', DIAMOND);
  return root;
}

function expectDiamondPlan(plan: PlanJson): void {
  expect(plan.milestone).toBe('001');
  expect(plan.waves.map((wave) => [...wave].sort())).toEqual([['a'], ['b', 'c'], ['d']]);
  expect(plan.critical_path).toHaveLength(3);
  expect(plan.critical_path[0]).toBe('a');
  expect(plan.critical_path[2]).toBe('d');
  expect(['b', 'c']).toContain(plan.critical_path[1]);
}

function expectNotStarted(status: StatusJson, id: string, tasks: string[]): void {
  expect(status.milestone.id).toBe(id);
  expect(status.milestone.state).toBe('not started');
  expect(status.tasks.map((task) => task.id)).toEqual(tasks);
  for (const task of status.tasks) {
    expect(task).toMatchObject({ state: 'pending', attempts: 0, branch: null, merge_commit: null });
    expect(task.agent).toBe('scripted');
  }
}

describe('cairn plan', () => {
  it('--json on a diamond gives waves [[a],[b,c],[d]] and a critical path a → … → d', async () => {
    const root = diamondRepo();
    const result = await cairn(root, ['plan', '001', '--json']);
    expect(result.code).toBe(0);
    expectDiamondPlan(JSON.parse(result.stdout) as PlanJson);
  });

  it('accepts the milestone as id-slug and as a spec path', async () => {
    const root = diamondRepo();
    for (const name of ['001-diamond', '.milestones/001-diamond.yaml']) {
      const result = await cairn(root, ['plan', name, '--json']);
      expect(result.code, result.stderr).toBe(0);
      expectDiamondPlan(JSON.parse(result.stdout) as PlanJson);
    }
  });

  it('prints the waves and the critical path for people', async () => {
    const root = diamondRepo();
    const result = await cairn(root, ['plan', '001']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Wave 1[\s\S]*\ba\b[\s\S]*Wave 2[\s\S]*Wave 3[\s\S]*\bd\b/);
    expect(result.stdout).toMatch(/Critical path.*a → [bc] → d/);
  });
});

describe('cairn status', () => {
  it('--json before any run shows every task pending and the milestone not started', async () => {
    const root = diamondRepo();
    const result = await cairn(root, ['status', '001', '--json']);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as StatusJson;
    expectNotStarted(status, '001', ['a', 'b', 'c', 'd']);
    expect(status.milestone.title).toBe('Diamond');
    expect(status.milestone.branch).toBe('milestone/001-diamond');
  });

  it('without a milestone describes the only one the same way', async () => {
    const root = diamondRepo();
    const result = await cairn(root, ['status', '--json']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as StatusJson | StatusJson[];
    const status = Array.isArray(parsed) ? parsed[0] : parsed;
    expectNotStarted(status as StatusJson, '001', ['a', 'b', 'c', 'd']);
  });

  it('does not create branches or worktrees', async () => {
    const root = diamondRepo();
    const refs = git(root, ['for-each-ref']);
    expect((await cairn(root, ['status'])).code).toBe(0);
    expect(git(root, ['for-each-ref'])).toBe(refs);
    expect(git(root, ['status', '--porcelain'])).toBe('');
  });
});

describe('from a subdirectory', () => {
  it('status, validate, plan and spec paths resolve against the repository', async () => {
    const root = diamondRepo();
    const sub = path.join(root, 'src', 'deep');
    mkdirSync(sub, { recursive: true });

    const status = await cairn(sub, ['status', '001', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expectNotStarted(JSON.parse(status.stdout) as StatusJson, '001', ['a', 'b', 'c', 'd']);

    const validate = await cairn(sub, ['validate']);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('001-diamond.yaml');

    const plan = await cairn(sub, ['plan', '001-diamond', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expectDiamondPlan(JSON.parse(plan.stdout) as PlanJson);

    const byPath = await cairn(sub, ['validate', '../../.milestones/001-diamond.yaml']);
    expect(byPath.code, byPath.stderr).toBe(0);
  });

  it('new writes into the repository root .milestones/', async () => {
    const root = diamondRepo();
    const sub = path.join(root, 'docs');
    mkdirSync(sub);
    const result = await cairn(sub, ['new', 'From a subdirectory']);
    expect(result.code, result.stderr).toBe(0);
    expect(git(root, ['status', '--porcelain', '--untracked-files=all'])).toBe(
      '?? .milestones/002-from-a-subdirectory.yaml',
    );
  });
});

describe('from a linked worktree', () => {
  /** The main repo has specs 001 and 002; the worktree's branch has only 001. */
  function withWorktree(): { root: string; wt: string } {
    const root = diamondRepo();
    const wt = path.join(tempDir('cairn-wt-'), 'wt');
    git(root, ['worktree', 'add', '--quiet', '-b', 'side', wt]);
    addSpec(root, '002-other-work', OTHER);
    // The worktree's own copy of 001 is broken: Cairn must read the main repository's specs.
    writeFileSync(path.join(wt, '.milestones', '001-diamond.yaml'), 'id: [broken\n');
    return { root, wt };
  }

  it('status sees the main repository specs', async () => {
    const { wt } = withWorktree();
    const result = await cairn(wt, ['status', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const all = JSON.parse(result.stdout) as StatusJson[];
    expect(all.map((status) => status.milestone.id)).toEqual(['001', '002']);

    const one = await cairn(path.join(wt, '.milestones'), ['status', '002', '--json']);
    expect(one.code, one.stderr).toBe(0);
    expectNotStarted(JSON.parse(one.stdout) as StatusJson, '002', ['x']);
  });

  it('validate and plan see the main repository specs', async () => {
    const { wt } = withWorktree();
    const validate = await cairn(wt, ['validate']);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('001-diamond.yaml');
    expect(validate.stdout).toContain('002-other-work.yaml');

    const plan = await cairn(wt, ['plan', '001', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expectDiamondPlan(JSON.parse(plan.stdout) as PlanJson);
  });

  it('errors still name what is wrong', async () => {
    const { wt } = withWorktree();
    const result = await cairn(wt, ['run', '003']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: milestone "003" not found/m);
    expect(result.stderr).toContain('002-other-work');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
