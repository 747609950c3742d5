import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { runSupervised, type ProcessEnd } from '../agents/host.js';

/** Says how a supervised process ended, in words for logs and task reasons. */
export function describeEnd(end: ProcessEnd, timeoutMs: number): string {
  switch (end.kind) {
    case 'exited':
      return `exited with status ${end.code}`;
    case 'signaled':
      return `was killed by ${end.signal}`;
    case 'timeout':
      return `timed out after ${Math.round(timeoutMs / 1000)}s (process group killed)`;
    case 'stalled':
      return `stalled: no output and no file change for ${Math.round(end.idleMs / 1000)}s (process group killed)`;
    case 'aborted':
      return 'was stopped because the run was interrupted';
    case 'spawn-failed':
      return `could not start: ${end.message}`;
  }
}

export type CheckResult = { ok: true } | { ok: false; aborted: boolean; reason: string };

/** Runs each command with `sh -c` in `cwd`, output to the log, stopping at the first failure. */
export async function runChecks(options: {
  commands: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  timeoutMs: number;
  graceMs: number;
  signal?: AbortSignal;
  label: string;
}): Promise<CheckResult> {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  for (const command of options.commands) {
    appendFileSync(options.logFile, `\n[cairn] ${options.label}: $ ${command}\n`);
    const end = await runSupervised({
      argv: ['sh', '-c', command],
      cwd: options.cwd,
      env: options.env,
      logFile: options.logFile,
      timeoutMs: options.timeoutMs,
      graceMs: options.graceMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (end.kind !== 'exited' || end.code !== 0) {
      return {
        ok: false,
        aborted: end.kind === 'aborted',
        reason: `${options.label} \`${command}\` ${describeEnd(end, options.timeoutMs)}`,
      };
    }
  }
  return { ok: true };
}
