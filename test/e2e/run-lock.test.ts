import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, firstParentMerges } from './helpers.js';
import {
  invocations,
  processesMatching,
  runExpecting,
  setupScenario,
  startCairn,
  statusJson,
  taskOf,
  waitFor,
} from './scenarios.js';
import { killGroups } from '../../src/shared/test-process-groups.js';
import { isRunning } from '../../src/engine/doctor/processes.js';

/** Pids of agents this file started indirectly; any still alive at the end are killed by id. */
const agentPids: number[] = [];

afterAll(() => {
  killGroups(agentPids);
  cleanupTemp();
});

/**
 * `hold` records its pid, then waits (at most 20 s) for `$SCRATCH/go-<attempt>`; the other tasks
 * write their file at once. `after` depends on `hold`.
 */
const agentBody = `
case "$1" in
  hold)
    echo $$ > "$SCRATCH/pid-$CAIRN_ATTEMPT"
    i=0
    while [ ! -f "$SCRATCH/go-$CAIRN_ATTEMPT" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done
    echo hold > hold.txt ;;
  *) echo "$1" > "$1.txt" ;;
esac`;

const spec = {
  title: 'Locking',
  tasks: [{ id: 'hold' }, { id: 'free' }, { id: 'after', depends_on: ['hold'] }],
};
const branch = 'milestone/001-locking';

describe('cairn run: one live run per milestone', () => {
  const scenario = setupScenario({ spec, agentBody });
  const { root, scratch } = scenario;

  it('refuses a second run with exit 3 naming the first process, and the first stops on SIGTERM with 130', async () => {
    const first = startCairn(root, ['run', '001']);
    await waitFor('task hold to be running', async () => {
      if (first.child.exitCode !== null)
        throw new Error(`first run ended early: ${(await first.done).stderr}`);
      const status = await statusJson(root).catch(() => undefined);
      return status !== undefined && status.tasks.some((t) => t.id === 'hold' && t.state === 'running');
    });
    await waitFor('the agent pid', () => existsSync(path.join(scratch, 'pid-1')));
    agentPids.push(Number(readFileSync(path.join(scratch, 'pid-1'), 'utf8')));

    const second = await cairn(root, ['run', '001']);
    expect(second.code).toBe(3);
    expect(second.stderr).toContain(`process ${first.child.pid}`);
    // The refused run started nothing and changed nothing.
    expect(invocations(scenario.marker).get('hold')).toBe(1);
    expect(taskOf(await statusJson(root), 'hold').state).toBe('running');

    first.child.kill('SIGTERM');
    const stopped = await first.done;
    expect(stopped.code).toBe(130);

    const status = await statusJson(root);
    expect(status.tasks.filter((task) => task.state === 'running')).toEqual([]);
    expect(taskOf(status, 'hold').merge_commit).toBeNull();
    expect(taskOf(status, 'free').state).toBe('done');
    // The agent was stopped with its run.
    await waitFor('the agent to stop', () => !isRunning(agentPids[0]!), 5_000);
    expect(processesMatching(scenario.agent)).toEqual([]);
  });

  it('runs to completion when started again: exit 0, each task merged exactly once', async () => {
    writeFileSync(path.join(scratch, 'go-2'), '');
    await runExpecting(root, ['run', '001'], 0);
    const merged = firstParentMerges(root, branch).map((merge) => merge.task);
    expect(merged.sort()).toEqual(['after', 'free', 'hold']);
    const counts = invocations(scenario.marker);
    expect(counts.get('free')).toBe(1);
    expect(counts.get('hold')).toBe(2);
    expect(counts.get('after')).toBe(1);
    const status = await statusJson(root);
    for (const task of status.tasks) expect(task.state).toBe('done');
  });
});

describe('cairn run: a run that died without cleaning up', () => {
  const scenario = setupScenario({ spec, agentBody });
  const { root, scratch } = scenario;

  it('takes over the lease of a killed run, stops its stray agent, and finishes', async () => {
    const first = startCairn(root, ['run', '001']);
    await waitFor('the agent of hold to start', () => existsSync(path.join(scratch, 'pid-1')));
    const stray = Number(readFileSync(path.join(scratch, 'pid-1'), 'utf8'));
    agentPids.push(stray);
    await waitFor('task hold to be running', async () => {
      const status = await statusJson(root).catch(() => undefined);
      return status !== undefined && taskOf(status, 'hold').state === 'running';
    });
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    // Agents run in their own process group, so the agent outlives its run.
    expect(isRunning(stray)).toBe(true);

    writeFileSync(path.join(scratch, 'go-2'), '');
    const result = await runExpecting(root, ['run', '001'], 0);
    expect(result.stdout + result.stderr).toMatch(/took over|is gone/);
    expect(
      firstParentMerges(root, branch)
        .map((merge) => merge.task)
        .sort(),
    ).toEqual(['after', 'free', 'hold']);
    // DESIGN "State": stray agent process groups from the dead run are killed first.
    expect(isRunning(stray)).toBe(false);
  });
});
