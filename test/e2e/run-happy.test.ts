import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, firstParentMerges, git } from './helpers.js';
import {
  invocations,
  mergeCommits,
  runExpecting,
  setupScenario,
  statusJson,
  taskOf,
  treeFiles,
  worktreePaths,
} from './scenarios.js';

afterAll(cleanupTemp);

/**
 * Six tasks in four waves:
 *   wave 1: a, c, f    wave 2: b (a)    wave 3: d (b, c)    wave 4: e (d)
 * Each agent writes `<task>.txt`; dependents check their dependencies' files are present.
 * Every agent records how many agents are running at once in $SCRATCH/concurrency.
 */
const agentBody = `
env | grep '^CAIRN_' | sort > "$SCRATCH/env-$1"
pwd -P > "$SCRATCH/cwd-$1"
mkdir -p "$SCRATCH/running"
touch "$SCRATCH/running/$1"
ls "$SCRATCH/running" | wc -l | tr -d ' ' >> "$SCRATCH/concurrency"
case "$1" in
  a|c|f) sleep 1 ;;
  b) test -f a.txt || { echo "b cannot see a.txt"; rm "$SCRATCH/running/$1"; exit 1; } ;;
  d) test -f b.txt && test -f c.txt || { echo "d cannot see b.txt/c.txt"; rm "$SCRATCH/running/$1"; exit 1; } ;;
  e) test -f d.txt && test -f a.txt || { echo "e cannot see d.txt"; rm "$SCRATCH/running/$1"; exit 1; } ;;
esac
echo "written by $1 attempt $CAIRN_ATTEMPT" > "$1.txt"
rm "$SCRATCH/running/$1"
`;

const spec = {
  title: 'Happy path',
  tasks: [
    { id: 'a', title: 'Task A', acceptance: ['test -f a.txt'] },
    { id: 'b', title: 'Task B', depends_on: ['a'], acceptance: ['test -f a.txt', 'test -f b.txt'] },
    { id: 'c', title: 'Task C', type: 'fix' },
    { id: 'd', title: 'Task D', depends_on: ['b', 'c'] },
    { id: 'e', title: 'Task E', depends_on: ['d'] },
    { id: 'f', title: 'Task F' },
  ],
};
const ids = spec.tasks.map((task) => task.id).sort();
const milestoneBranch = 'milestone/001-happy-path';

describe('cairn run: a milestone that goes well', () => {
  const scenario = setupScenario({ spec, agentBody });
  const { root } = scenario;
  let firstRun: Awaited<ReturnType<typeof cairn>>;

  it('plans the tasks in four waves', async () => {
    const plan = await cairn(root, ['plan', '001', '--json']);
    expect(plan.code).toBe(0);
    const waves = (JSON.parse(plan.stdout) as { waves: string[][] }).waves.map((wave) => [...wave].sort());
    expect(waves).toEqual([['a', 'c', 'f'], ['b'], ['d'], ['e']]);
  });

  it('runs every task and exits 0', async () => {
    firstRun = await runExpecting(root, ['run', '001', '--concurrency', '2'], 0);
    expect(firstRun.stdout).toContain(milestoneBranch);
  });

  it('creates the milestone branch and one feature branch per task', () => {
    const branches = git(root, ['branch', '--list', '--format=%(refname:short)']).split('\n');
    expect(branches).toContain(milestoneBranch);
    for (const id of ids) expect(branches).toContain(`feature/milestone-001-${id}`);
  });

  it('merges each task exactly once, as a first-parent merge with Milestone and Task trailers', () => {
    const merges = firstParentMerges(root, milestoneBranch);
    expect(merges.map((merge) => merge.task).sort()).toEqual(ids);
    for (const merge of merges) expect(merge.milestone).toBe('001');
    // Nothing but merges on the first-parent line: no fast-forward, no direct commit.
    expect(git(root, ['rev-list', '--first-parent', '--no-merges', milestoneBranch, '--not', 'main'])).toBe(
      '',
    );
  });

  it('merges dependencies before their dependents', () => {
    const order = firstParentMerges(root, milestoneBranch).map((merge) => merge.task);
    for (const task of spec.tasks) {
      for (const dep of task.depends_on ?? [])
        expect(order.indexOf(dep)).toBeLessThan(order.indexOf(task.id));
    }
  });

  it('writes real two-parent merge commits whose second parent is the task branch', () => {
    for (const merge of mergeCommits(root, milestoneBranch)) {
      expect(merge.parents).toHaveLength(2);
      const taskHead = git(root, ['rev-parse', `feature/milestone-001-${merge.task}`]);
      expect(merge.parents[1]).toBe(taskHead);
    }
  });

  it('commits each task with the conventional subject and the Milestone/Task/Progress/Session/Agent trailers', () => {
    const sessions = new Set<string>();
    for (const task of spec.tasks) {
      const branch = `feature/milestone-001-${task.id}`;
      const subject = git(root, ['log', '-1', '--format=%s', branch]);
      // No type in the spec: inferred from the change, a .txt file (docs).
      expect(subject).toBe(`${task.type ?? 'docs'}(milestone-001): ${task.title}`);
      const trailers = git(root, ['log', '-1', '--format=%(trailers)', branch]);
      expect(trailers).toMatch(/^Milestone: 001$/m);
      expect(trailers).toMatch(new RegExp(`^Task: ${task.id}$`, 'm'));
      expect(trailers).toMatch(/^Progress: 100%$/m);
      expect(trailers).toMatch(/^Agent: scripted\b/m);
      const session = /^Session: (\S+)$/m.exec(trailers)?.[1];
      expect(session).toBeTruthy();
      sessions.add(session!);
      // The task commit holds exactly the file its agent wrote.
      expect(git(root, ['diff-tree', '--no-commit-id', '--name-only', '-r', branch])).toBe(`${task.id}.txt`);
    }
    expect(sessions.size).toBe(1);
  });

  it('leaves every file on the milestone branch and keeps main untouched', () => {
    const files = treeFiles(root, milestoneBranch);
    for (const id of ids) expect(files).toContain(`${id}.txt`);
    expect(files).toContain('README.md');
    expect(git(root, ['show', `${milestoneBranch}:d.txt`])).toBe('written by d attempt 1');
    expect(treeFiles(root, 'main')).not.toContain('a.txt');
    expect(existsSync(path.join(root, 'a.txt'))).toBe(false);
    expect(git(root, ['status', '--porcelain'])).toBe('');
  });

  it('runs dependents after their dependencies were merged (they saw the files)', () => {
    // b, d and e exit 1 when they cannot see their dependencies' files; each ran once.
    const counts = invocations(scenario.marker);
    for (const id of ids) expect(counts.get(id)).toBe(1);
  });

  it('never runs more agents at once than the concurrency', () => {
    const seen = readFileSync(path.join(scenario.scratch, 'concurrency'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(Number);
    expect(Math.max(...seen)).toBe(2);
  });

  it('reports every task done in status --json with the merge commit that is on the branch', async () => {
    const status = await statusJson(root);
    expect(status.milestone).toMatchObject({
      id: '001',
      title: 'Happy path',
      branch: milestoneBranch,
      state: 'done',
    });
    expect(status.tasks.map((task) => task.id).sort()).toEqual(ids);
    const merges = new Map(mergeCommits(root, milestoneBranch).map((merge) => [merge.task, merge.hash]));
    for (const task of status.tasks) {
      expect(task.state).toBe('done');
      expect(task.attempts).toBe(1);
      expect(task.agent).toBe('scripted');
      expect(task.branch).toBe(`feature/milestone-001-${task.id}`);
      expect(task.merge_commit).toBe(merges.get(task.id));
    }
    expect(git(root, ['rev-parse', milestoneBranch])).toBe(
      taskOf(status, mergeCommits(root, milestoneBranch).at(-1)!.task).merge_commit,
    );
  });

  it('removes the task worktrees after merging', () => {
    const worktrees = worktreePaths(root);
    expect(worktrees).toHaveLength(1);
    for (const id of ids)
      expect(existsSync(path.join(root, '.git', 'cairn', 'worktrees', '001', id))).toBe(false);
    expect(path.resolve(worktrees[0]!)).toBe(path.resolve(git(root, ['rev-parse', '--show-toplevel'])));
  });

  it('starts each agent in its worktree with the CAIRN_* environment', () => {
    const session = /^Session: (\S+)$/m.exec(
      git(root, ['log', '-1', '--format=%(trailers)', 'feature/milestone-001-a']),
    )?.[1];
    const home = path.join(realpathSync(root), '.git', 'cairn');
    for (const id of ids) {
      const env = Object.fromEntries(
        readFileSync(path.join(scenario.scratch, `env-${id}`), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      expect(env).toMatchObject({
        CAIRN_MILESTONE: '001',
        CAIRN_TASK: id,
        CAIRN_ATTEMPT: '1',
        CAIRN_SESSION: session,
        CAIRN_AGENT: 'scripted',
      });
      expect(realpathSync(env.CAIRN_HOME!)).toBe(home);
      expect(readFileSync(env.CAIRN_PROMPT_FILE!, 'utf8')).toContain(`Task ${id.toUpperCase()}`);
      const cwd = readFileSync(path.join(scenario.scratch, `cwd-${id}`), 'utf8').trim();
      expect(cwd).toBe(path.join(home, 'worktrees', '001', id));
    }
  });

  it('writes a log per attempt under .git/cairn/logs', () => {
    const logs = path.join(root, '.git', 'cairn', 'logs');
    const sessions = existsSync(logs) ? readdirSync(logs) : [];
    expect(sessions).toHaveLength(1);
    for (const id of ids) expect(existsSync(path.join(logs, sessions[0]!, `${id}.1.log`))).toBe(true);
  });

  it('is a no-op when run again: exit 0, no agent started, no new merge', async () => {
    const before = git(root, ['rev-parse', milestoneBranch]);
    await runExpecting(root, ['run', '001'], 0);
    expect(git(root, ['rev-parse', milestoneBranch])).toBe(before);
    expect(firstParentMerges(root, milestoneBranch)).toHaveLength(ids.length);
    const counts = invocations(scenario.marker);
    for (const id of ids) expect(counts.get(id)).toBe(1);
    const status = await statusJson(root);
    for (const task of status.tasks) expect(task.state).toBe('done');
  });

  it('trusts git when the journal is lost: with state.db deleted, a run is still a no-op', async () => {
    const before = git(root, ['rev-parse', milestoneBranch]);
    for (const file of readdirSync(path.join(root, '.git', 'cairn'))) {
      if (file.startsWith('state.db')) rmSync(path.join(root, '.git', 'cairn', file));
    }
    await runExpecting(root, ['run', '001'], 0);
    expect(git(root, ['rev-parse', milestoneBranch])).toBe(before);
    const counts = invocations(scenario.marker);
    for (const id of ids) expect(counts.get(id)).toBe(1);
    const status = await statusJson(root);
    const merges = new Map(mergeCommits(root, milestoneBranch).map((merge) => [merge.task, merge.hash]));
    for (const task of status.tasks) {
      expect(task.state).toBe('done');
      expect(task.merge_commit).toBe(merges.get(task.id));
    }
  });
});

describe('cairn run from a subdirectory of the repository', () => {
  it('finds the repository, runs the milestone and keeps state in the common git dir', async () => {
    const scenario = setupScenario({
      spec: { title: 'From below', tasks: [{ id: 'one' }, { id: 'two', depends_on: ['one'] }] },
      agentBody: 'echo "$1" > "$1.txt"',
      files: { 'README.md': '# test\n', 'src/deep/index.ts': 'export {};\n' },
    });
    const sub = path.join(scenario.root, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    await runExpecting(sub, ['run', '001'], 0);
    const branch = 'milestone/001-from-below';
    expect(firstParentMerges(scenario.root, branch).map((merge) => merge.task)).toEqual(['one', 'two']);
    expect(treeFiles(scenario.root, branch)).toEqual(
      expect.arrayContaining(['one.txt', 'two.txt', 'src/deep/index.ts']),
    );
    // The agent ran at the worktree root, not in a subdirectory of it.
    expect(treeFiles(scenario.root, branch)).not.toContain('src/deep/one.txt');
    expect(existsSync(path.join(scenario.root, '.git', 'cairn', 'state.db'))).toBe(true);
    const status = await statusJson(sub);
    expect(status.tasks.map((task) => task.state)).toEqual(['done', 'done']);
  });
});
