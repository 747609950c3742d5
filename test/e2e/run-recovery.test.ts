import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leaveUnfinishedRegistration } from '../../src/git/test-registration.js';
import { cleanupTemp, git, writeAgent, writeFiles } from './helpers.js';
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

/** Replaces the config: default profile `scripted`, fast retries, and any extra profiles. */
function writeConfig(root: string, agent: string, extra = ''): void {
  writeFiles(root, {
    '.cairn/config.yaml': [
      'defaults:',
      '  agent: scripted',
      '  concurrency: 2',
      '  retries: 1',
      '  timeout: 60s',
      '  backoff: { base: 10ms, cap: 50ms }',
      'agents:',
      '  scripted:',
      `    command: [${JSON.stringify(agent)}, "{task}"]`,
      extra,
    ].join('\n'),
  });
  git(root, ['add', '-A']);
  git(root, ['commit', '--quiet', '-m', 'config']);
}

describe('cairn run: the task level of the recovery ladder', () => {
  it('stops a silent, idle agent as stalled and fails the attempt', async () => {
    const scenario = setupScenario({
      spec: {
        title: 'Stall',
        tasks: [
          { id: 'quiet', stall: '1s', retries: 0 },
          { id: 'chatty', stall: '1s' },
        ],
      },
      agentBody: [
        'if [ "$CAIRN_TASK" = quiet ]; then sleep 30; fi',
        'for i in 1 2 3 4 5 6 7 8; do echo "working $i"; sleep 0.3; done',
        'echo done > "$CAIRN_TASK.txt"',
      ].join('\n'),
    });
    writeConfig(scenario.root, scenario.agent);
    const result = await runExpecting(scenario.root, ['run', '001'], 1);
    const status = await statusJson(scenario.root);
    expect(taskOf(status, 'quiet').state).toBe('failed');
    expect(taskOf(status, 'quiet').reason).toMatch(/stalled: no output and no file change/);
    expect(taskOf(status, 'chatty').state).toBe('done');
    expect(result.stderr).toContain('stalled');
  });

  it('falls back to the next profile when a profile keeps failing', async () => {
    const scenario = setupScenario({
      spec: { title: 'Fallback', tasks: [{ id: 'a' }] },
      agentBody: 'echo a > a.txt',
    });
    const broken = writeAgent(scenario.root, 'broken.sh', 'echo "no service" >&2\nexit 7');
    writeConfig(
      scenario.root,
      scenario.agent,
      [
        '  flaky:',
        `    command: [${JSON.stringify(broken)}]`,
        '    fallback: [scripted]',
        '    retries: 1',
      ].join('\n'),
    );
    writeFiles(scenario.root, {
      '.milestones/001-fallback.yaml':
        'id: "001"\ntitle: Fallback\ntasks:\n  - id: a\n    title: A\n    agent: flaky\n',
    });
    git(scenario.root, ['commit', '--quiet', '-am', 'use flaky']);
    const result = await runExpecting(scenario.root, ['run', '001'], 0);
    const a = taskOf(await statusJson(scenario.root), 'a');
    expect(a).toMatchObject({ state: 'done', attempts: 3, agent: 'scripted' });
    expect(result.stderr).toContain('falling back to scripted');
  });

  it('retries an attempt whose agent process group was killed, disturbing nothing else', async () => {
    const scenario = setupScenario({
      spec: { title: 'Agent kill', tasks: [{ id: 'victim' }, { id: 'bystander' }] },
      agentBody: [
        'if [ "$CAIRN_TASK" = victim ] && [ "$CAIRN_ATTEMPT" = 1 ]; then',
        '  echo $$ > "$SCRATCH/victim.pid"',
        '  sleep 30 & wait',
        'fi',
        'if [ "$CAIRN_TASK" = bystander ]; then sleep 1; fi',
        'echo ok > "$CAIRN_TASK.txt"',
      ].join('\n'),
    });
    writeConfig(scenario.root, scenario.agent);
    const run = startCairn(scenario.root, ['run', '001']);
    const pidFile = path.join(scenario.scratch, 'victim.pid');
    await waitFor('the victim agent to start', () => {
      try {
        return readFileSync(pidFile, 'utf8').trim() !== '';
      } catch {
        return false;
      }
    });
    process.kill(-Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    const result = await run.done;
    expect(result.code).toBe(0);
    const status = await statusJson(scenario.root);
    expect(taskOf(status, 'victim')).toMatchObject({ state: 'done', attempts: 2 });
    expect(taskOf(status, 'bystander')).toMatchObject({ state: 'done', attempts: 1 });
    expect(result.stderr).toMatch(/victim: attempt 1 failed: agent scripted was killed by SIGKILL/);
    expect(invocations(scenario.marker).get('bystander')).toBe(1);
  });

  it('degrades when failures cluster, journals why, and status shows it', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `t${i + 1}`);
    const scenario = setupScenario({
      spec: { title: 'Degrade', tasks: ids.map((id) => ({ id, retries: 0 })) },
      agentBody: 'echo "no luck" >&2\nexit 5',
    });
    writeConfig(scenario.root, scenario.agent);
    const result = await runExpecting(scenario.root, ['run', '001', '--concurrency', '4'], 1);
    expect(result.stderr).toMatch(/run level full → standard: 4 of the last 6 attempts failed/);
    expect(result.stderr).toMatch(/run level standard → conservative/);
    const status = await statusJson(scenario.root);
    expect((status.milestone as unknown as { run: { level: string } }).run.level).toBe('conservative');
    const text = await runExpecting(scenario.root, ['status', '001'], 0);
    expect(text.stdout).toMatch(/last run .*: level conservative \(4 of the last 6 attempts failed\)/);
  });

  it('cleans an index.lock a killed git left in a worktree, and goes on', async () => {
    const scenario = setupScenario({
      spec: { title: 'Lock', tasks: [{ id: 'a' }] },
      agentBody: [
        'echo "partial" > partial.txt',
        'if [ "$CAIRN_ATTEMPT" = 1 ]; then touch "$SCRATCH/started"; sleep 30; fi',
        'echo a > a.txt',
      ].join('\n'),
    });
    writeConfig(scenario.root, scenario.agent);
    const run = startCairn(scenario.root, ['run', '001']);
    await waitFor('the agent to start', () => existsSync(path.join(scenario.scratch, 'started')));
    run.child.kill('SIGKILL');
    await run.done;
    const worktree = path.join(scenario.root, '.git', 'cairn', 'worktrees', '001', 'a');
    const lock = path.resolve(worktree, git(worktree, ['rev-parse', '--git-path', 'index.lock']));
    writeFileSync(lock, '');
    await runExpecting(scenario.root, ['run', '001'], 0);
    expect(existsSync(lock)).toBe(false);
    expect(git(scenario.root, ['show', 'milestone/001-lock:partial.txt'])).toBe('partial');
  });

  it('clears a worktree registration a killed run began and never finished, and goes on', async () => {
    const scenario = setupScenario({
      spec: { title: 'Half', tasks: [{ id: 'a' }, { id: 'b' }] },
      agentBody: 'echo "$CAIRN_TASK" > "$CAIRN_TASK.txt"',
    });
    writeConfig(scenario.root, scenario.agent);
    // What a run killed while it registered b's worktree leaves: a locked registration with a
    // half-written commondir, which makes `git worktree list` fail.
    const admin = path.join(scenario.root, '.git', 'worktrees', 'b');
    const worktree = path.join(realpathSync(scenario.root), '.git', 'cairn', 'worktrees', '001', 'b');
    leaveUnfinishedRegistration(admin, worktree);
    expect(() => git(scenario.root, ['worktree', 'list'])).toThrow(/commondir/);

    await runExpecting(scenario.root, ['run', '001'], 0);
    expect(git(scenario.root, ['show', 'milestone/001-half:b.txt'])).toBe('b');
    expect(git(scenario.root, ['worktree', 'list', '--porcelain'])).not.toContain('/001/');
  });
});
