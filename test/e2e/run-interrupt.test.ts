import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, firstParentMerges, git } from './helpers.js';
import {
  invocations,
  mergeCommits,
  processesMatching,
  runExpecting,
  setupScenario,
  shellQuote,
  startCairn,
  statusJson,
  taskOf,
  treeFiles,
  waitFor,
} from './scenarios.js';
import { killGroups } from '../../src/shared/test-process-groups.js';

const agentPids: number[] = [];

afterAll(() => {
  killGroups(agentPids);
  cleanupTemp();
});

/**
 * a, b: quick, wave 1.   c (a, b) and d (a): wait for $SCRATCH/go (at most 20 s).   e (c, d): quick.
 * c leaves uncommitted work (c-progress.txt) before it waits, and records on each attempt whether
 * it found that work from an earlier attempt.
 */
const agentBody = `
echo $$ >> "$SCRATCH/pids"
case "$1" in
  c|d)
    if [ "$1" = c ]; then
      if [ -f c-progress.txt ]; then echo yes > "$SCRATCH/c-saw-progress-$CAIRN_ATTEMPT"; else echo no > "$SCRATCH/c-saw-progress-$CAIRN_ATTEMPT"; fi
      echo "from attempt $CAIRN_ATTEMPT" >> c-progress.txt
    fi
    touch "$SCRATCH/waiting-$1-$CAIRN_ATTEMPT"
    i=0
    while [ ! -f "$SCRATCH/go" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done ;;
esac
echo "$1" > "$1.txt"`;

const spec = {
  title: 'Interrupted',
  tasks: [
    { id: 'a' },
    { id: 'b' },
    { id: 'c', depends_on: ['a', 'b'] },
    { id: 'd', depends_on: ['a'] },
    { id: 'e', depends_on: ['c', 'd'] },
  ],
};
const branch = 'milestone/001-interrupted';

describe('cairn run: Ctrl-C and resume', () => {
  const scenario = setupScenario({ spec, agentBody });
  const { root, scratch, marker } = scenario;

  it('stops the agents on SIGINT and exits 130', async () => {
    const run = startCairn(root, ['run', '001', '--concurrency', '2']);
    await waitFor('c and d to be waiting', () =>
      ['c', 'd'].every((id) => existsSync(path.join(scratch, `waiting-${id}-1`))),
    );
    agentPids.push(
      ...readFileSync(path.join(scratch, 'pids'), 'utf8').split('\n').filter(Boolean).map(Number),
    );
    const before = await statusJson(root);
    expect(taskOf(before, 'c').state).toBe('running');
    expect(taskOf(before, 'd').state).toBe('running');

    process.kill(run.child.pid!, 'SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(result.stdout + result.stderr).toMatch(/interrupted/);

    // Nothing of c and d kept running.
    expect(processesMatching(scenario.agent)).toEqual([]);
  });

  it('leaves no task running; finished tasks stay done and unfinished ones are not merged', async () => {
    const status = await statusJson(root);
    expect(status.tasks.filter((task) => task.state === 'running')).toEqual([]);
    expect(status.milestone.state).not.toBe('running');
    expect(taskOf(status, 'a').state).toBe('done');
    expect(taskOf(status, 'b').state).toBe('done');
    for (const id of ['c', 'd', 'e']) {
      expect(['pending', 'ready']).toContain(taskOf(status, id).state);
      expect(taskOf(status, id).merge_commit).toBeNull();
    }
    expect(
      firstParentMerges(root, branch)
        .map((merge) => merge.task)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(git(root, ['status', '--porcelain'])).toBe('');
    // c's uncommitted work is still in its worktree (it is lost, if at all, by the resume).
    expect(existsSync(path.join(root, '.git', 'cairn', 'worktrees', '001', 'c', 'c-progress.txt'))).toBe(
      true,
    );
  });

  it('finishes when run again without re-running finished tasks; one merge per task', async () => {
    writeFileSync(path.join(scratch, 'go'), '');
    await runExpecting(root, ['run', '001', '--concurrency', '2'], 0);
    const counts = invocations(marker);
    expect(counts.get('a')).toBe(1);
    expect(counts.get('b')).toBe(1);
    expect(counts.get('c')).toBe(2);
    expect(counts.get('d')).toBe(2);
    expect(counts.get('e')).toBe(1);
    const merges = mergeCommits(root, branch);
    expect(merges.map((merge) => merge.task).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    for (const merge of merges) expect(merge.parents).toHaveLength(2);
    const status = await statusJson(root);
    for (const task of status.tasks) expect(task.state).toBe('done');
    expect(taskOf(status, 'c').attempts).toBe(2);
    expect(treeFiles(root, branch)).toEqual(
      expect.arrayContaining(['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt']),
    );
  });

  it('keeps the uncommitted work an interrupted agent left in its worktree (DESIGN "State")', () => {
    expect(readFileSync(path.join(scratch, 'c-saw-progress-1'), 'utf8').trim()).toBe('no');
    expect(readFileSync(path.join(scratch, 'c-saw-progress-2'), 'utf8').trim()).toBe('yes');
    expect(git(root, ['show', `${branch}:c-progress.txt`])).toBe('from attempt 1\nfrom attempt 2');
  });
});

describe('cairn run: Ctrl-C with an agent that ignores SIGTERM', () => {
  const tag = `${41 + Math.floor(Math.random() * 1000) / 1000 + 0.0001}`;
  const scenario = setupScenario({
    spec: { title: 'Stubborn', tasks: [{ id: 'stubborn' }] },
    agentBody: `
trap '' TERM
echo $$ >> "$SCRATCH/pids"
touch "$SCRATCH/started"
sleep ${tag}
echo done > stubborn.txt`,
  });
  const { root, scratch } = scenario;

  it('kills it after the grace period, exits 130, and leaves nothing running', async () => {
    const run = startCairn(root, ['run', '001']);
    await waitFor('the agent to start', () => existsSync(path.join(scratch, 'started')));
    agentPids.push(Number(readFileSync(path.join(scratch, 'pids'), 'utf8').trim()));
    // `started` is written just before the sleep begins: wait for the sleep itself.
    await waitFor('the agent to sleep', () => processesMatching(`sleep ${tag}`).length === 1);
    process.kill(run.child.pid!, 'SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(processesMatching(`sleep ${tag}`)).toEqual([]);
    expect(processesMatching(scenario.agent)).toEqual([]);
    const status = await statusJson(root);
    expect(status.tasks.filter((task) => task.state === 'running')).toEqual([]);
    expect(mergeCommits(root, 'milestone/001-stubborn')).toEqual([]);
  });
});

describe('cairn run: Ctrl-C while a task is being checked', () => {
  // The agent finishes at once; its acceptance waits for $SCRATCH/go (at most 20 s).
  const scenario = setupScenario({
    spec: (scratch) => ({
      title: 'Checking',
      tasks: [
        {
          id: 'checked',
          acceptance: [
            `touch ${shellQuote(path.join(scratch, 'accepting'))}; i=0; while [ ! -f ${shellQuote(path.join(scratch, 'go'))} ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done`,
          ],
        },
      ],
    }),
    agentBody: 'echo checked > checked.txt',
  });
  const { root, scratch, marker } = scenario;
  const branch = 'milestone/001-checking';

  it('exits 130 and keeps the committed work on the task branch', async () => {
    const run = startCairn(root, ['run', '001']);
    await waitFor('acceptance to run', () => existsSync(path.join(scratch, 'accepting')));
    process.kill(run.child.pid!, 'SIGINT');
    expect((await run.done).code).toBe(130);
    expect(git(root, ['show', 'feature/milestone-001-checked:checked.txt'])).toBe('checked');
    expect(mergeCommits(root, branch)).toEqual([]);
    const status = await statusJson(root);
    expect(taskOf(status, 'checked').state).not.toBe('running');
  });

  it('on resume, checks and merges the committed work without starting the agent again (DESIGN "State")', async () => {
    writeFileSync(path.join(scratch, 'go'), '');
    await runExpecting(root, ['run', '001'], 0);
    expect(mergeCommits(root, branch).map((merge) => merge.task)).toEqual(['checked']);
    expect(invocations(marker).get('checked')).toBe(1);
  });
});
