import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, firstParentMerges, git } from './helpers.js';
import {
  findFiles,
  invocations,
  runExpecting,
  setupScenario,
  statusJson,
  taskOf,
  treeFiles,
} from './scenarios.js';

afterAll(cleanupTemp);

/**
 * flaky        exits 1 on attempt 1, succeeds on attempt 2
 * picky        writes its attempt number; acceptance wants "2"
 * bad          always exits 3 (retries: 1 from config → 2 attempts)
 * after-bad    depends on bad; must never start
 * after-after  depends on after-bad; must never start
 * once         always fails, `retries: 0` → 1 attempt
 * solo         independent; succeeds
 */
const agentBody = `
case "$1" in
  flaky)
    if [ "$CAIRN_ATTEMPT" = 1 ]; then echo "flaky fails its first attempt"; exit 1; fi
    echo ok > flaky.txt ;;
  picky)
    cp "$CAIRN_PROMPT_FILE" "$SCRATCH/picky-prompt-$CAIRN_ATTEMPT.md"
    echo "$CAIRN_ATTEMPT" > picky.txt ;;
  bad)
    echo "boom-from-agent attempt $CAIRN_ATTEMPT"
    echo "boom on stderr" >&2
    exit 3 ;;
  once)
    echo "once fails"; exit 4 ;;
  *)
    echo "$1" > "$1.txt" ;;
esac
`;

const spec = {
  title: 'Failures and retries',
  tasks: [
    { id: 'flaky' },
    { id: 'picky', acceptance: ['grep -qx 2 picky.txt'] },
    { id: 'bad' },
    { id: 'after-bad', depends_on: ['bad'] },
    { id: 'after-after', depends_on: ['after-bad'] },
    { id: 'once', retries: 0 },
    { id: 'solo' },
  ],
};
const branch = 'milestone/001-failures-and-retries';

describe('cairn run: failed attempts, retries and stranded dependents', () => {
  const scenario = setupScenario({ spec, agentBody });
  const { root, marker } = scenario;

  it('exits 1 because some tasks failed or are blocked', async () => {
    const result = await runExpecting(root, ['run', '001', '--concurrency', '3'], 1);
    expect(result.stdout).toMatch(/not done/);
  });

  it('retries an agent that exits non-zero, and the retry succeeds', async () => {
    const status = await statusJson(root);
    expect(taskOf(status, 'flaky')).toMatchObject({ state: 'done', attempts: 2, reason: null });
    expect(invocations(marker).get('flaky')).toBe(2);
    expect(git(root, ['show', `${branch}:flaky.txt`])).toBe('ok');
  });

  it('retries a task whose acceptance failed, on the same branch, telling the agent why', async () => {
    const status = await statusJson(root);
    expect(taskOf(status, 'picky')).toMatchObject({ state: 'done', attempts: 2 });
    expect(git(root, ['show', `${branch}:picky.txt`])).toBe('2');
    // Attempt 1's commit is kept on the task branch; attempt 2 builds on it.
    // Only picky's own commits: its branch may have started after other tasks merged.
    const commits = git(root, [
      'log',
      '--reverse',
      '--no-merges',
      '--format=%H %(trailers:key=Task,valueonly,separator=)',
      'feature/milestone-001-picky',
      '--not',
      'main',
    ])
      .split('\n')
      .filter((line) => line.endsWith(' picky'))
      .map((line) => line.split(' ')[0]!);
    expect(commits).toHaveLength(2);
    expect(git(root, ['show', `${commits[0]}:picky.txt`])).toBe('1');
    const prompt = readFileSync(path.join(scenario.scratch, 'picky-prompt-2.md'), 'utf8');
    expect(prompt).toContain('grep -qx 2 picky.txt');
    expect(prompt).toMatch(/earlier attempt failed: acceptance `grep -qx 2 picky\.txt` exited with status 1/);
  });

  it('marks a task that fails every attempt as failed, after 1 + retries attempts', async () => {
    const status = await statusJson(root);
    const bad = taskOf(status, 'bad');
    expect(bad).toMatchObject({ state: 'failed', attempts: 2, merge_commit: null });
    expect(bad.reason).toMatch(/exited with status 3/);
    expect(invocations(marker).get('bad')).toBe(2);
  });

  it('honours a task-level `retries: 0`', async () => {
    const status = await statusJson(root);
    expect(taskOf(status, 'once')).toMatchObject({ state: 'failed', attempts: 1 });
    expect(invocations(marker).get('once')).toBe(1);
  });

  it('blocks dependents of a failed task (transitively) and never starts them', async () => {
    const status = await statusJson(root);
    const afterBad = taskOf(status, 'after-bad');
    expect(afterBad).toMatchObject({ state: 'blocked', attempts: 0, merge_commit: null, branch: null });
    expect(afterBad.reason).toBe('dependency bad is failed');
    const afterAfter = taskOf(status, 'after-after');
    expect(afterAfter).toMatchObject({ state: 'blocked', attempts: 0 });
    // Either the direct dependency or the root cause may be named.
    expect(afterAfter.reason).toMatch(/^dependency (after-bad is blocked|bad is failed)$/);
    const counts = invocations(marker);
    expect(counts.has('after-bad')).toBe(false);
    expect(counts.has('after-after')).toBe(false);
    expect(git(root, ['branch', '--list', 'feature/milestone-001-after-*'])).toBe('');
  });

  it('lets independent tasks finish, and merges only the tasks that are done', async () => {
    const status = await statusJson(root);
    expect(taskOf(status, 'solo')).toMatchObject({ state: 'done', attempts: 1 });
    expect(status.milestone.state).toBe('failed');
    const merged = firstParentMerges(root, branch).map((merge) => merge.task);
    expect(merged.sort()).toEqual(['flaky', 'picky', 'solo']);
    const files = treeFiles(root, branch);
    expect(files).not.toContain('bad.txt');
    expect(files).toEqual(expect.arrayContaining(['flaky.txt', 'picky.txt', 'solo.txt']));
  });

  it("keeps each failed attempt's log with the agent's output", () => {
    const logs = path.join(root, '.git', 'cairn', 'logs');
    const first = findFiles(logs, 'bad.1.log');
    const second = findFiles(logs, 'bad.2.log');
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(readFileSync(first[0]!, 'utf8')).toContain('boom-from-agent attempt 1');
    expect(readFileSync(first[0]!, 'utf8')).toContain('boom on stderr');
    expect(readFileSync(second[0]!, 'utf8')).toContain('boom-from-agent attempt 2');
    const picky = findFiles(logs, 'picky.1.log');
    expect(picky).toHaveLength(1);
    expect(readFileSync(picky[0]!, 'utf8')).toContain('grep -qx 2 picky.txt');
    expect(existsSync(path.join(path.dirname(first[0]!), 'bad.1.prompt.md'))).toBe(true);
  });

  it('runs again without re-running done tasks; a failed task waits for `cairn retry`', async () => {
    const before = invocations(marker);
    const again = await runExpecting(root, ['run', '001'], 1);
    expect(again.stdout).toContain('cairn retry 001 bad');
    expect(again.stdout).toContain('cairn skip 001 bad');
    expect(invocations(marker)).toEqual(before);
    await runExpecting(root, ['retry', '001', 'bad'], 0);
    await runExpecting(root, ['run', '001'], 1);
    const after = invocations(marker);
    for (const id of ['flaky', 'picky', 'solo']) expect(after.get(id)).toBe(before.get(id));
    // The retried task gets fresh attempts; its dependents are still never started.
    expect(after.get('bad')).toBeGreaterThan(before.get('bad')!);
    expect(after.has('after-bad')).toBe(false);
    expect(
      firstParentMerges(root, branch)
        .map((merge) => merge.task)
        .sort(),
    ).toEqual(['flaky', 'picky', 'solo']);
  });

  it('skipping the failed task lets its dependents run', async () => {
    await runExpecting(root, ['skip', '001', 'bad'], 0);
    // `once` failed for good earlier and still waits for a person, so the run still exits 1.
    await runExpecting(root, ['run', '001'], 1);
    expect(invocations(marker).has('after-bad')).toBe(true);
    const status = await statusJson(root);
    expect(taskOf(status, 'bad').state).toBe('skipped');
    expect(taskOf(status, 'after-bad').state).toBe('done');
  });
});

describe('cairn run: many tasks retrying at the same time', () => {
  // Each task fails twice, then succeeds: lots of worktrees are removed and re-added concurrently.
  const ids = Array.from({ length: 12 }, (_, i) => `busy-${i + 1}`);
  const scenario = setupScenario({
    spec: { title: 'Busy retries', tasks: ids.map((id) => ({ id, retries: 2 })) },
    agentBody: `
if [ "$CAIRN_ATTEMPT" -lt 3 ]; then echo "attempt $CAIRN_ATTEMPT fails"; exit 1; fi
echo "$1" > "$1.txt"`,
  });

  it('retries every task to success without internal errors', async () => {
    const result = await cairn(scenario.root, ['run', '001', '--concurrency', '12']);
    const status = await statusJson(scenario.root);
    const problems = status.tasks
      .filter((task) => task.state !== 'done')
      .map((task) => `${task.id}: ${task.reason}`);
    expect(problems).toEqual([]);
    expect(result.code).toBe(0);
    for (const task of status.tasks) expect(task.attempts).toBe(3);
    expect(firstParentMerges(scenario.root, 'milestone/001-busy-retries')).toHaveLength(ids.length);
  });
});

describe('cairn run: many tasks failing at the same time', () => {
  // Ten tasks fail every attempt (4 each) while two succeed: worktrees are removed and re-added
  // concurrently. Every failure must be the agent's own, never an internal git error.
  const bad = Array.from({ length: 10 }, (_, i) => `bad-${i + 1}`);
  const scenario = setupScenario({
    spec: {
      title: 'Busy failures',
      tasks: [...bad.map((id) => ({ id, retries: 3 })), { id: 'ok-1' }, { id: 'ok-2' }],
    },
    agentBody: `
case "$1" in
  bad-*) echo "always fails"; exit 3 ;;
  *) echo "$1" > "$1.txt" ;;
esac`,
  });

  it('reports each failed task with its agent failure after all its attempts', async () => {
    const result = await cairn(scenario.root, ['run', '001', '--concurrency', '12']);
    expect(result.code).toBe(1);
    const status = await statusJson(scenario.root);
    const reasons = status.tasks
      .filter((task) => task.id.startsWith('bad-'))
      .map((task) => `${task.id}: ${task.state} after ${task.attempts}: ${task.reason}`);
    expect(reasons).toEqual(bad.map((id) => `${id}: failed after 4: agent scripted exited with status 3`));
    expect(taskOf(status, 'ok-1').state).toBe('done');
    expect(taskOf(status, 'ok-2').state).toBe('done');
  });
});
