import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { watchActivity, type FileWatch } from './activity.js';

/** How an agent process ended. */
export type ProcessEnd =
  | { kind: 'exited'; code: number; durationMs: number }
  | { kind: 'signaled'; signal: string; durationMs: number }
  | { kind: 'timeout'; durationMs: number }
  | { kind: 'stalled'; idleMs: number; durationMs: number }
  | { kind: 'aborted'; durationMs: number }
  | { kind: 'spawn-failed'; message: string; durationMs: number };

export interface SupervisedLaunch {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL when the agent must stop. */
  graceMs: number;
  signal?: AbortSignal;
  onStart?: (pid: number) => void;
  /** Stop as stalled after this long without output or (with `activityDir`) file changes. */
  stallMs?: number;
  activityDir?: string;
  /** A file monitor on the worktree, if one runs: its changes count as activity. */
  fileWatch?: FileWatch;
}

/** Sends a signal to a whole process group; agents spawn helpers that must die with them. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Runs a program (an agent, an acceptance check) in its own process group, output appended
 * to its log file. A timeout, a stall or an abort sends SIGTERM to the group, then SIGKILL
 * after the grace period.
 */
export async function runSupervised(launch: SupervisedLaunch): Promise<ProcessEnd> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  await mkdir(path.dirname(launch.logFile), { recursive: true });
  const logHandle = await open(launch.logFile, 'a');
  const log = logHandle.fd;
  const [file = '', ...args] = launch.argv;
  return new Promise((resolve, reject) => {
    let stopping: 'timeout' | 'aborted' | 'stalled' | undefined;
    let idleMs = 0;
    let killTimer: NodeJS.Timeout | undefined;
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(file, args, {
        cwd: launch.cwd,
        env: launch.env,
        detached: true,
        stdio: ['ignore', log, log],
      });
    } finally {
      // The child has its own copy of the descriptor by now.
      void logHandle.close().catch(() => undefined);
    }
    const stop = (why: 'timeout' | 'aborted' | 'stalled') => {
      if (stopping || child.pid === undefined) return;
      stopping = why;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(
        () => child.pid !== undefined && signalGroup(child.pid, 'SIGKILL'),
        launch.graceMs,
      );
    };
    const timer = setTimeout(() => stop('timeout'), launch.timeoutMs);
    const activity = launch.stallMs
      ? watchActivity(launch.logFile, launch.activityDir, { fileWatch: launch.fileWatch })
      : undefined;
    const stallMs = launch.stallMs ?? 0;
    let probing = false;
    const stallTimer = activity
      ? setInterval(
          () => {
            if (probing) return;
            probing = true;
            void activity
              .idleFor(stallMs / 2)
              .then((idle) => {
                idleMs = idle;
                if (idleMs >= stallMs) stop('stalled');
              })
              .finally(() => (probing = false));
          },
          Math.min(5_000, Math.max(50, stallMs / 4)),
        )
      : undefined;
    const onAbort = () => stop('aborted');
    launch.signal?.addEventListener('abort', onAbort, { once: true });
    if (launch.signal?.aborted) onAbort();
    let finished = false;
    // The caller's onStart failed (e.g. the journal cannot be written): stop the agent, then fail.
    let startError: unknown;
    const finish = (end: ProcessEnd) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearInterval(stallTimer);
      if (killTimer) clearTimeout(killTimer);
      launch.signal?.removeEventListener('abort', onAbort);
      // Helpers the agent left behind in its group must not outlive the attempt.
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      if (startError !== undefined)
        reject(startError instanceof Error ? startError : new Error(String(startError)));
      else resolve(end);
    };
    child.on('spawn', () => {
      if (child.pid === undefined) return;
      try {
        launch.onStart?.(child.pid);
      } catch (error) {
        startError = error;
        stop('aborted');
      }
    });
    child.on('error', (error) =>
      finish({ kind: 'spawn-failed', message: error.message, durationMs: elapsed() }),
    );
    child.on('exit', (code, signal) => {
      if (stopping === 'stalled') finish({ kind: 'stalled', idleMs, durationMs: elapsed() });
      else if (stopping) finish({ kind: stopping, durationMs: elapsed() });
      else if (signal) finish({ kind: 'signaled', signal, durationMs: elapsed() });
      else finish({ kind: 'exited', code: code ?? 1, durationMs: elapsed() });
    });
  });
}
