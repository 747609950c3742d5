import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, CLI, cleanupTemp, configure, git } from './helpers.js';
import { invocations, setupScenario, statusJson, taskOf } from './scenarios.js';

afterAll(cleanupTemp);

describe('cairn run: per-profile limits', () => {
  it('starts a task on the fallback profile when its own is at max_concurrency; status shows the profile used', async () => {
    const { root, agent } = setupScenario({
      spec: { title: 'Limits', tasks: [{ id: 'one' }, { id: 'two' }] },
      agentBody: 'echo "$CAIRN_TASK" > "$CAIRN_TASK.txt"',
    });
    // The scripted profile may run one attempt at a time; spare runs the same script.
    const limits = [
      '    max_concurrency: 1',
      '    fallback: [spare]',
      '  spare:',
      `    command: [${JSON.stringify(agent)}, "{task}"]`,
      '',
    ].join('\n');
    configure(root, agent, limits);
    git(root, ['commit', '--quiet', '-am', 'limit the scripted profile']);
    const run = await cairn(root, ['run', '001']);
    expect(run.code, run.stderr).toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain('two: scripted is at its limit; starting on spare');
    const status = await statusJson(root);
    expect(taskOf(status, 'one')).toMatchObject({ state: 'done', agent: 'scripted' });
    expect(taskOf(status, 'two')).toMatchObject({ state: 'done', agent: 'spare' });
  }, 60_000);
});

describe('cairn run: a BLOCKER_ALERT while the agent still runs', () => {
  it('stops the agent, keeps its worktree and work, blocks the task; the rest of the DAG goes on', async () => {
    const { root, marker, scratch } = setupScenario({
      spec: {
        title: 'Blocked while running',
        tasks: [{ id: 'stuck' }, { id: 'after', depends_on: ['stuck'] }, { id: 'free' }],
      },
      agentBody: [
        'if [ "$CAIRN_TASK" = stuck ] && [ ! -e "$SCRATCH/raised" ]; then',
        '  echo "half done" > partial.txt',
        `  ${process.execPath} ${CLI} msg send orchestrator '{"reason": "no API key"}' --type BLOCKER_ALERT`,
        '  touch "$SCRATCH/raised"',
        // Far longer than the test may take: only Cairn stopping the agent ends it.
        '  exec sleep 600',
        'fi',
        'echo "$CAIRN_TASK" > "$CAIRN_TASK.txt"',
      ].join('\n'),
    });
    const run = await cairn(root, ['run', '001']);
    expect(run.code, run.stderr).toBe(1);
    expect(existsSync(path.join(scratch, 'raised'))).toBe(true);
    expect(invocations(marker).get('stuck')).toBe(1);
    const status = await statusJson(root);
    expect(taskOf(status, 'stuck')).toMatchObject({ state: 'blocked', reason: 'blocker: no API key' });
    expect(taskOf(status, 'after').state).toBe('blocked');
    expect(taskOf(status, 'free').state).toBe('done');
    const worktree = path.join(root, '.git', 'cairn', 'worktrees', '001', 'stuck');
    expect(readFileSync(path.join(worktree, 'partial.txt'), 'utf8')).toBe('half done\n');

    // Once a person unblocks it, the kept work is committed and merged without the agent.
    expect((await cairn(root, ['unblock', '001', 'stuck'])).code).toBe(0);
    const again = await cairn(root, ['run', '001']);
    expect(again.code, again.stderr).toBe(0);
    expect(invocations(marker).get('stuck')).toBe(1);
    const branch = (await statusJson(root)).milestone.branch;
    expect(git(root, ['show', `${branch}:partial.txt`])).toBe('half done');
    expect(taskOf(await statusJson(root), 'after').state).toBe('done');
  }, 90_000);
});
