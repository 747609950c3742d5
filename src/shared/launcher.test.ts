import { afterEach, describe, expect, it } from 'vitest';
import { launch, launcherPid, startLauncher, stopLauncher } from './launcher.js';
import { runProcess } from './process.js';

const cwd = process.cwd();
const parentOf = async () => Number((await runProcess('sh', ['-c', 'echo $PPID'], { cwd })).stdout.trim());

afterEach(stopLauncher);

describe('the process launcher', () => {
  it('starts programs from its own process and hands back their output and exit status', async () => {
    startLauncher();
    expect(launch('true', [], { cwd })).toBeDefined();
    const pid = launcherPid();
    expect(pid).toBeGreaterThan(0);
    expect(await parentOf()).toBe(pid);

    const result = await runProcess('sh', ['-c', 'echo out; echo err >&2; exit 3'], { cwd });
    expect(result).toEqual({ code: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
    const killed = await runProcess('sh', ['-c', 'kill -TERM $$'], { cwd });
    expect(killed.signal).toBe('SIGTERM');
  });

  it('passes input, the working directory and the environment as given, added and removed keys alike', async () => {
    startLauncher();
    expect((await runProcess('cat', [], { cwd, input: 'hello\0world' })).stdout).toBe('hello\0world');
    expect((await runProcess('pwd', [], { cwd: '/' })).stdout).toBe('/\n');
    const env: NodeJS.ProcessEnv = { ...process.env, CAIRN_LAUNCHER_TEST: 'set' };
    delete env.HOME;
    const shown = await runProcess('sh', ['-c', 'echo "$CAIRN_LAUNCHER_TEST ${HOME:-unset}"'], { cwd, env });
    expect(shown.stdout).toBe('set unset\n');
    // Keys set after the launcher started reach it too.
    process.env.CAIRN_LAUNCHER_LATE = 'late';
    try {
      expect((await runProcess('sh', ['-c', 'echo $CAIRN_LAUNCHER_LATE'], { cwd })).stdout).toBe('late\n');
    } finally {
      delete process.env.CAIRN_LAUNCHER_LATE;
    }
  });

  it('fails a missing program the way a direct start does', async () => {
    startLauncher();
    await expect(runProcess('cairn-no-such-program', [], { cwd })).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails the commands in flight when the launcher dies, then starts commands directly', async () => {
    startLauncher();
    const pid = launcherPid() ?? 0;
    const inFlight = runProcess('sleep', ['5'], { cwd });
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(pid, 'SIGKILL');
    await expect(inFlight).rejects.toThrow(/launcher stopped/);
    expect(launcherPid()).toBeUndefined();
    expect(await parentOf()).toBe(process.pid);
  });

  it('leaves commands to start directly when it was never started', async () => {
    expect(launch('true', [], { cwd })).toBeUndefined();
    expect(await parentOf()).toBe(process.pid);
  });
});

describe('stopLauncher', () => {
  it('lets the commands in flight finish, then waits for the launcher to exit', async () => {
    startLauncher();
    const pid = launcherPid() ?? 0;
    const inFlight = runProcess('sh', ['-c', 'sleep 0.3; echo finished'], { cwd });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await stopLauncher();
    expect((await inFlight).stdout).toBe('finished\n');
    expect(() => process.kill(pid, 0)).toThrow();
    expect(launcherPid()).toBeUndefined();
    // A launcher stopped on purpose is not a broken one: it can start again.
    startLauncher();
    expect(launcherPid()).toBeGreaterThan(0);
  });
});

describe('a launcher shared by two runs in one process', () => {
  it('keeps running until the last of them stops it', async () => {
    startLauncher();
    startLauncher();
    const pid = launcherPid();
    await stopLauncher();
    expect(launcherPid()).toBe(pid);
    expect(await parentOf()).toBe(pid);
    await stopLauncher();
    expect(launcherPid()).toBeUndefined();
    startLauncher();
  });
});
