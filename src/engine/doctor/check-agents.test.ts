import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAgents, findAgentSessions, looksLikeCairn } from './check-agents.js';
import { isRunning, readProcessTable } from './processes.js';
import { stopAgents } from './repair-processes.js';
import { killGroups } from '../../shared/test-process-groups.js';

const stateDir = mkdtempSync(path.join(tmpdir(), 'cairn-agents-'));
const started: number[] = [];
afterAll(() => {
  killGroups(started);
  rmSync(stateDir, { recursive: true, force: true });
});

/** An "agent" in its own process group with a helper child, as the process host starts them. */
async function startAgent(session: string, home = stateDir): Promise<number> {
  const child = spawn('sh', ['-c', 'sleep 30 & wait'], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, CAIRN_SESSION: session, CAIRN_HOME: home, CAIRN_TASK: 'c' },
  });
  await new Promise((resolve) => child.once('spawn', resolve));
  started.push(child.pid!);
  // Let the helper start too.
  await new Promise((resolve) => setTimeout(resolve, 150));
  return child.pid!;
}

describe('stray agent processes', () => {
  const table = () => readProcessTable()!;
  const supported = readProcessTable() !== undefined;

  it.runIf(supported)('finds agents by CAIRN_SESSION and CAIRN_HOME, grouped by run', async () => {
    const agent = await startAgent('run-gone');
    await startAgent('run-other-repo', path.join(stateDir, 'elsewhere'));
    const sessions = findAgentSessions(table(), stateDir);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      session: 'run-gone',
      groups: [agent],
      tasks: ['c'],
      cairnParent: undefined,
    });
    expect(sessions[0]?.pids).toContain(agent);
    expect(sessions[0]?.pids.length).toBe(2);
  });

  it.runIf(supported)('leaves the agents of the lease holder alone and flags the others', () => {
    expect(checkAgents(table(), stateDir, new Set(['run-gone']))).toMatchObject([{ status: 'ok' }]);
    const [stray] = checkAgents(table(), stateDir, new Set(['run-live']));
    expect(stray).toMatchObject({ status: 'error', repair: { kind: 'stop-agents', session: 'run-gone' } });
    expect(stray?.message).toMatch(/^1 agent\(s\) \(2 processes\) of run run-gone \(task c; pid /);
  });

  it.runIf(supported)("stops a stray run's agents: the whole process group, helpers included", async () => {
    const [entry] = findAgentSessions(table(), stateDir);
    const repaired = await stopAgents(stateDir, 'run-gone', 1_000);
    expect(repaired).toMatchObject({
      ok: true,
      message: 'stopped 1 agent(s) (2 processes) of run run-gone (SIGTERM)',
    });
    for (const pid of entry!.pids) expect(isRunning(pid)).toBe(false);
    expect(checkAgents(table(), stateDir, new Set())).toMatchObject([
      { status: 'ok', message: 'no agent processes are running' },
    ]);
    expect(await stopAgents(stateDir, 'run-gone', 1_000)).toMatchObject({
      ok: true,
      message: expect.stringMatching(/already stopped/),
    });
  });

  it('recognizes a Cairn process by its command line', () => {
    expect(looksLikeCairn(['node', '/opt/cairn/dist/cli/bin.js', 'run', '001'])).toBe(true);
    expect(looksLikeCairn(['node', '/usr/local/bin/cairn', 'run', '001'])).toBe(true);
    expect(looksLikeCairn(['node', '--import', 'tsx', 'src/cli/bin.ts', 'run'])).toBe(true);
    expect(looksLikeCairn(['node', '/home/me/cairn/node_modules/vitest/vitest.mjs'])).toBe(false);
    expect(looksLikeCairn(['sh', '-c', 'sleep 30'])).toBe(false);
  });

  it('cannot look without /proc', () => {
    expect(checkAgents(undefined, stateDir, new Set())).toMatchObject([{ status: 'warn' }]);
  });
});
