import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, firstParentMerges, git } from './helpers.js';
import { invocations, runExpecting, setupScenario, statusJson, taskOf } from './scenarios.js';

afterAll(cleanupTemp);

describe('cairn unblock: the manual level of the recovery ladder', () => {
  // Both tasks rewrite the same line: the second to merge conflicts and is blocked. Each agent
  // waits (up to 20 s) until both have started, so both branch from the same milestone head
  // however slow the machine; right then waits a little so left merges first.
  const scenario = setupScenario({
    spec: { title: 'Clash', tasks: [{ id: 'left' }, { id: 'right', depends_on: [] }] },
    files: { 'shared.txt': 'original\n' },
    agentBody: [
      'touch "$SCRATCH/started-$CAIRN_TASK"',
      'i=0; until [ -e "$SCRATCH/started-left" ] && [ -e "$SCRATCH/started-right" ] || [ $i -ge 200 ]; do i=$((i+1)); sleep 0.1; done',
      'if [ "$CAIRN_TASK" = right ]; then sleep 0.5; fi',
      'echo "$CAIRN_TASK was here" > shared.txt',
    ].join('\n'),
  });
  const branch = 'milestone/001-clash';

  it('leaves a conflicting task blocked, across runs, with the commands to continue', async () => {
    const first = await runExpecting(scenario.root, ['run', '001', '--concurrency', '2'], 1);
    expect(first.stdout).toMatch(/cairn unblock 001 right/);
    expect(taskOf(await statusJson(scenario.root), 'right').state).toBe('blocked');
    await runExpecting(scenario.root, ['run', '001'], 1);
    expect(invocations(scenario.marker).get('right')).toBe(1);
    await runExpecting(scenario.root, ['unblock', '001', 'left'], 2);
  });

  it('merges the task as a person resolved it on its branch, without its agent', async () => {
    const worktree = path.join(scenario.root, '.git', 'cairn', 'worktrees', '001', 'right');
    git(worktree, ['reset', '--quiet', '--hard', branch]);
    writeFileSync(path.join(worktree, 'shared.txt'), 'left and right were here\n');
    git(worktree, ['commit', '--quiet', '-am', 'resolve the clash by hand']);
    await runExpecting(scenario.root, ['unblock', '001', 'right'], 0);
    await runExpecting(scenario.root, ['run', '001'], 0);
    expect(invocations(scenario.marker).get('right')).toBe(1);
    expect(taskOf(await statusJson(scenario.root), 'right').state).toBe('done');
    expect(
      firstParentMerges(scenario.root, branch)
        .map((merge) => merge.task)
        .sort(),
    ).toEqual(['left', 'right']);
    expect(git(scenario.root, ['show', `${branch}:shared.txt`])).toBe('left and right were here');
  });
});
