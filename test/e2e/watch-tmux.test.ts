import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, cleanupTemp, type CliResult } from './helpers.js';
import { setupScenario, shellQuote, startCairn, statusJson, taskOf, waitFor } from './scenarios.js';

// The dashboard in a real terminal: tmux gives it a pty of a known size, takes keys and shows
// the screen. CI installs tmux (.ci/run); there a missing tmux fails instead of skipping.
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const inCi = Boolean(process.env.CI);
const socket = `cairn-watch-${process.pid}`;
const session = 'watch';

const tmux = (args: string[]) =>
  execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const screen = () => tmux(['capture-pane', '-p', '-t', session]);

async function screenShows(texts: string[], timeoutMs = 60_000): Promise<void> {
  try {
    await waitFor(
      `the dashboard to show ${texts.join(', ')}`,
      () => texts.every((t) => screen().includes(t)),
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- screen\n${screen()}`);
  }
}

const children: { kill: () => void }[] = [];

afterAll(() => {
  for (const child of children) child.kill();
  if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
  cleanupTemp();
});

/**
 * Each agent says what it does, then waits for $SCRATCH/go-<task> (at most 60 s) before its work;
 * delta fails at once until $SCRATCH/delta-ok exists.
 */
const agentBody = `
echo "working on $1"
if [ "$1" = delta ] && [ ! -f "$SCRATCH/delta-ok" ]; then echo "delta cannot"; exit 1; fi
i=0
while [ ! -f "$SCRATCH/go-$1" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
echo "finishing $1"
echo "$1" > "$1.txt"`;

const spec = {
  title: 'Watched',
  tasks: [
    { id: 'alpha' },
    { id: 'beta', depends_on: ['alpha'] },
    { id: 'gamma' },
    { id: 'delta', retries: 0 },
  ],
};

describe.skipIf(!hasTmux && !inCi)('cairn watch in a terminal', () => {
  it(
    'waits for a run, shows tasks changing state while it goes on, retries a failed task, quits on q',
    { timeout: 300_000 },
    async () => {
      if (!hasTmux) throw new Error('tmux is not installed; CI must install it (see .ci/run)');
      const { root, scratch } = setupScenario({ spec, agentBody });
      const go = (task: string) => writeFileSync(path.join(scratch, `go-${task}`), '');
      const exitFile = path.join(scratch, 'watch-exit');
      const command = `cd ${shellQuote(root)} && ${shellQuote(process.execPath)} ${shellQuote(CLI)} watch 001 --interval 300ms; echo "exit=$?" > ${shellQuote(exitFile)}`;
      tmux(['new-session', '-d', '-s', session, '-x', '120', '-y', '40', command]);

      await screenShows(['waiting for a run', '· alpha', '· beta', '· gamma', '· delta']);

      // alpha heads the critical path, so it starts first even when a loaded machine makes the
      // run degrade to one agent at a time; beta waits for it.
      const run = startCairn(root, ['run', '001']);
      children.push({ kill: () => run.child.kill('SIGKILL') });
      await screenShows(['▶ alpha', '· beta', 'alpha · scripted #1', 'working on alpha']);

      go('alpha');
      await screenShows(['✓ alpha']);
      go('beta');
      go('gamma');
      const result: CliResult = await run.done;
      expect(result.code, result.stderr).toBe(1);
      await screenShows(['✓ alpha', '✓ beta', '✓ gamma', '✗ delta', '3/4 tasks done', 'delta failed']);

      // delta is the fourth cell: select it, ask for a retry, refuse once, then accept.
      tmux(['send-keys', '-t', session, 'Right', 'Right', 'Right']);
      await screenShows(['> ✗ delta']);
      tmux(['send-keys', '-t', session, 'r']);
      await screenShows(['retry delta? (y/n)']);
      tmux(['send-keys', '-t', session, 'n']);
      await screenShows(['retry cancelled']);
      tmux(['send-keys', '-t', session, 'r']);
      await screenShows(['retry delta? (y/n)']);
      tmux(['send-keys', '-t', session, 'y']);
      await screenShows(['retry: delta is now', '· delta']);
      expect(taskOf(await statusJson(root), 'delta').state).toBe('pending');

      tmux(['send-keys', '-t', session, 'q']);
      await waitFor('the dashboard to exit', () => existsSync(exitFile), 20_000);
      expect(readFileSync(exitFile, 'utf8').trim()).toBe('exit=0');
    },
  );
});
