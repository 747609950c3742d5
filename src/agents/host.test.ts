import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSupervised } from './host.js';
import { expandCommand } from './profiles.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cairn-host-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const launch = (script: string, extra: Partial<Parameters<typeof runSupervised>[0]> = {}) =>
  runSupervised({
    argv: ['sh', '-c', script],
    cwd: dir,
    env: process.env,
    logFile: path.join(dir, 'log.txt'),
    timeoutMs: 10_000,
    graceMs: 200,
    ...extra,
  });

/** Running, as opposed to gone or a zombie waiting for a parent that does not reap it. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('runSupervised', () => {
  it('reports the exit code and appends output to the log', async () => {
    expect(await launch('echo hello; exit 3')).toMatchObject({ kind: 'exited', code: 3 });
    expect(readFileSync(path.join(dir, 'log.txt'), 'utf8')).toContain('hello');
  });

  it('kills the whole process group on timeout, helpers included', async () => {
    const pidFile = path.join(dir, 'helper.pid');
    const end = await launch(`sleep 30 & echo $! > ${pidFile}; wait`, { timeoutMs: 300 });
    expect(end.kind).toBe('timeout');
    const helper = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(helper)).toBe(false);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const end = await launch("trap '' TERM; sleep 30", { timeoutMs: 200, graceMs: 200 });
    expect(end.kind).toBe('timeout');
  });

  it('stops on abort', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect((await launch('sleep 30', { signal: controller.signal })).kind).toBe('aborted');
  });

  it('says when the program cannot start', async () => {
    const end = await runSupervised({
      argv: [path.join(dir, 'missing-binary')],
      cwd: dir,
      env: process.env,
      logFile: path.join(dir, 'l2.txt'),
      timeoutMs: 1000,
      graceMs: 100,
    });
    expect(end.kind).toBe('spawn-failed');
    expect(existsSync(path.join(dir, 'l2.txt'))).toBe(true);
  });
});

describe('expandCommand', () => {
  it('keeps each placeholder value inside its own argument', () => {
    const values = {
      prompt: 'do it; rm -rf /',
      prompt_file: '/p.md',
      task: 't1',
      milestone: '001',
      worktree: '/w',
    };
    expect(expandCommand(['agent', '-p', '{prompt}', '--task={task}', '{worktree}/x'], values)).toEqual([
      'agent',
      '-p',
      'do it; rm -rf /',
      '--task=t1',
      '/w/x',
    ]);
  });
});
