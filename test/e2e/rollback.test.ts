import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, firstParentMerges, git } from './helpers.js';
import {
  invocations,
  runExpecting,
  setupScenario,
  startCairn,
  statusJson,
  taskOf,
  waitFor,
} from './scenarios.js';

afterAll(cleanupTemp);

interface ExplainJson {
  candidates: { id: number; reason: string; tasks_done: number; milestone_head: string }[];
}

describe('cairn rollback', () => {
  const scenario = setupScenario({
    spec: {
      title: 'Chain',
      tasks: [{ id: 'a' }, { id: 'b', depends_on: ['a'] }, { id: 'c', depends_on: ['b'] }],
    },
    // b takes its time, so the checkpoint after a's merge is captured before b merges.
    agentBody: [
      'if [ "$CAIRN_TASK" = b ] && [ "$CAIRN_ATTEMPT" = 1 ]; then sleep 2; fi',
      'echo "$CAIRN_TASK $CAIRN_ATTEMPT" > "$CAIRN_TASK.txt"',
    ].join('\n'),
  });
  const branch = 'milestone/001-chain';
  const head = () => git(scenario.root, ['rev-parse', `refs/heads/${branch}`]);
  let afterA: ExplainJson['candidates'][number];

  it('finds the checkpoint taken after the first merge', async () => {
    await runExpecting(scenario.root, ['run', '001'], 0);
    const explained = JSON.parse(
      (await runExpecting(scenario.root, ['resume', '001', '--explain', '--json'], 0)).stdout,
    ) as ExplainJson;
    const found = explained.candidates.find((c) => c.reason === 'task-merged' && c.tasks_done === 1);
    expect(found, JSON.stringify(explained.candidates)).toBeDefined();
    afterA = found!;
  });

  it('refuses without --yes when stdin is not a terminal, and changes nothing', async () => {
    const before = head();
    const result = await cairn(scenario.root, ['rollback', '001', '--to', String(afterA.id)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--yes/);
    expect(head()).toBe(before);
    expect(taskOf(await statusJson(scenario.root), 'c').state).toBe('done');
  });

  it('refuses a commit that is not on the first-parent line (exit 2)', async () => {
    const before = head();
    const taskHead = git(scenario.root, ['rev-parse', 'refs/heads/feature/milestone-001-b']);
    const result = await cairn(scenario.root, ['rollback', '001', '--to', taskHead, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not on the first-parent line/);
    expect(result.stderr).toMatch(/hint:/);
    expect(head()).toBe(before);
  });

  it('moves the branch back to a checkpoint and requeues the tasks merged after it', async () => {
    const result = await runExpecting(
      scenario.root,
      ['rollback', '001', '--to', String(afterA.id), '--yes', '--json'],
      0,
    );
    const json = JSON.parse(result.stdout) as { applied: boolean; requeued: string[]; to: string };
    expect(json.applied).toBe(true);
    expect(json.requeued.sort()).toEqual(['b', 'c']);
    expect(head()).toBe(afterA.milestone_head);
    expect(firstParentMerges(scenario.root, branch).map((merge) => merge.task)).toEqual(['a']);
    const status = await statusJson(scenario.root);
    expect(taskOf(status, 'a').state).toBe('done');
    expect(taskOf(status, 'b').state).toBe('pending');
    expect(taskOf(status, 'c').state).toBe('pending');
    // Their branches are kept.
    git(scenario.root, ['rev-parse', '--verify', 'refs/heads/feature/milestone-001-b']);
    git(scenario.root, ['rev-parse', '--verify', 'refs/heads/feature/milestone-001-c']);
  });

  it('a following run merges them again: exactly one merge per task on the first-parent line', async () => {
    await runExpecting(scenario.root, ['run', '001'], 0);
    expect(firstParentMerges(scenario.root, branch).map((merge) => merge.task)).toEqual(['a', 'b', 'c']);
    const counts = invocations(scenario.marker);
    expect([counts.get('a'), counts.get('b'), counts.get('c')]).toEqual([1, 2, 2]);
    const status = await statusJson(scenario.root);
    expect(status.tasks.every((task) => task.state === 'done')).toBe(true);
  });

  it('without --to, goes back to the latest checkpoint before the head', async () => {
    const result = await runExpecting(scenario.root, ['rollback', '001', '--yes', '--json'], 0);
    const json = JSON.parse(result.stdout) as { requeued: string[]; checkpoint: number | null };
    expect(json.checkpoint).not.toBeNull();
    expect(json.requeued).toEqual(['c']);
    expect(firstParentMerges(scenario.root, branch).map((merge) => merge.task)).toEqual(['a', 'b']);
  });

  it('refuses on a landed milestone (exit 2)', async () => {
    await runExpecting(scenario.root, ['run', '001'], 0);
    await runExpecting(scenario.root, ['land', '001'], 0);
    const before = head();
    const result = await cairn(scenario.root, ['rollback', '001', '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/already landed/);
    expect(head()).toBe(before);
  });
});

describe('cairn rollback while a run is live', () => {
  const scenario = setupScenario({
    spec: { title: 'Held', tasks: [{ id: 'hold' }] },
    agentBody: [
      'touch "$SCRATCH/started"',
      'i=0',
      'while [ ! -f "$SCRATCH/go" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done',
      'echo done > hold.txt',
    ].join('\n'),
  });

  it('cannot race it: exit 3, and the run finishes untouched', async () => {
    const run = startCairn(scenario.root, ['run', '001']);
    await waitFor('the agent to start', () => existsSync(path.join(scenario.scratch, 'started')));
    const result = await cairn(scenario.root, ['rollback', '001', '--to', 'main', '--yes']);
    writeFileSync(path.join(scenario.scratch, 'go'), '');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/being run by process/);
    expect((await run.done).code).toBe(0);
    expect(firstParentMerges(scenario.root, 'milestone/001-held').map((merge) => merge.task)).toEqual([
      'hold',
    ]);
  });
});
