import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { JobView } from './model.js';

/** Starts `cairn <args>` with its output going to `outFile` (the dashboard passes the built CLI). */
export type LaunchCli = (args: string[], outFd: number) => ChildProcess;

export interface Jobs {
  start(action: 'land' | 'run', milestone: string, onChange: (job: JobView) => void): JobView;
  /** A job of this milestone that is still running, if any. */
  running(milestone: string): JobView | undefined;
  list(milestone: string): JobView[];
}

const TAIL = 16 * 1024;

/**
 * `cairn run` and `cairn land` started from the page, as their own processes (detached: a run
 * goes on when the dashboard stops), with output in a file under the state directory.
 */
export function createJobs(stateDir: string, launch: LaunchCli): Jobs {
  const jobs = new Map<string, JobView & { file: string }>();
  let counter = 0;
  const view = (job: JobView & { file: string }): JobView => {
    let output = '';
    try {
      const text = readFileSync(job.file, 'utf8');
      output = text.length > TAIL ? text.slice(-TAIL) : text;
    } catch {
      // Nothing written yet.
    }
    const { file: _file, ...rest } = job;
    return { ...rest, output };
  };
  return {
    start(action, milestone, onChange) {
      const dir = path.join(stateDir, 'logs', 'serve');
      mkdirSync(dir, { recursive: true });
      const id = `${Date.now().toString(36)}-${++counter}`;
      const file = path.join(dir, `${action}-${milestone}-${id}.log`);
      const fd = openSync(file, 'a');
      const job = { id, action, milestone, state: 'running' as const, exit_code: null, output: '', file };
      jobs.set(id, job);
      let child: ChildProcess;
      try {
        child = launch([action, milestone], fd);
      } finally {
        closeSync(fd);
      }
      let finished = false;
      const finish = (code: number | null) => {
        if (finished) return;
        finished = true;
        const done = {
          ...job,
          state: code === 0 ? ('succeeded' as const) : ('failed' as const),
          exit_code: code,
        };
        jobs.set(id, done);
        onChange(view(done));
      };
      child.on('error', () => finish(null));
      child.on('exit', (code) => finish(code));
      child.unref();
      return view(job);
    },
    running(milestone) {
      const job = [...jobs.values()].find((j) => j.milestone === milestone && j.state === 'running');
      return job ? view(job) : undefined;
    },
    list(milestone) {
      return [...jobs.values()].filter((j) => j.milestone === milestone).map(view);
    },
  };
}
