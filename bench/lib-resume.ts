/**
 * Fixtures for the `resume` benchmark: a repository whose milestone branch already holds the
 * merges of a long, killed run (built with `git fast-import`), and a state database filled with
 * that run's journal (≥100,000 events), written through Cairn's own store.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import type { CairnEvent } from '../src/store/events.js';
import { loadMilestone } from '../src/engine/load.js';
import { definitionOf } from '../src/engine/definition.js';
import { MILESTONE_BRANCH, benchConfig, createBenchRepo, git, taskIds } from './lib.js';

/** The agent: marks its start (nanoseconds) in $MARK_DIR/<task>.start, then sleeps. */
export const RESUME_AGENT = ['/bin/sh', '-c', 'date +%s%N > "$MARK_DIR/$CAIRN_TASK.start"; exec sleep 30'];

export function resumeConfig(): string {
  return benchConfig({ agent: 'writer', command: RESUME_AGENT });
}

/** A repository on `main` (one commit: README, config, spec of `count` independent tasks). */
export function createResumeRepo(count: number, prefix: string): string {
  return createBenchRepo(count, prefix, resumeConfig());
}

export interface SeedShape {
  tasks: number;
  /** Tasks t…1 to t…merged are merged on the milestone branch (and done in the journal). */
  merged: number;
  /** Next: tasks left `running` by the killed run, with a pid that no longer exists. */
  running: number;
  /** Next: tasks whose attempts all failed (`failed`). */
  failed: number;
  /** Next: tasks interrupted by earlier killed runs (`pending`, attempts > 0, branch kept). */
  interrupted: number;
  /** At least this many events in total (filled with earlier runs' scheduling churn). */
  minEvents: number;
}

export interface SeedInfo {
  events: number;
  attempts: number;
  runs: number;
  dbBytes: number;
  walBytes: number;
  mergeCommits: number;
  buildMs: { git: number; journal: number };
}

const AUTHOR = 'Cairn Bench <bench@cairn.invalid>';

/** Adds `merged` task merges to the milestone branch with fast-import; returns task → merge commit. */
function importMerges(root: string, ids: string[], shape: SeedShape): Map<string, string> {
  const main = git(root, ['rev-parse', 'refs/heads/main']);
  const chunks: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let when = 1_700_000_000;
  let head = main; // a commit id or a mark
  for (let i = 0; i < shape.merged; i++) {
    const id = ids[i]!;
    const feature = `:${2 * i + 1}`;
    const merge = `:${2 * i + 2}`;
    when += 30;
    chunks.push(
      `commit refs/heads/feature/milestone-001-${id}\nmark ${feature}\n`,
      `author ${AUTHOR} ${when} +0000\ncommitter ${AUTHOR} ${when} +0000\n`,
      data(
        `feat(milestone-001): Write ${id}.txt\n\nMilestone: 001\nTask: ${id}\nSession: r-bench\nAgent: writer\nAttempt: 1\nProgress: 100%\n`,
      ),
      `from ${head}\nM 100644 inline ${id}.txt\n`,
      data(`${id}\n`),
      `commit refs/heads/${MILESTONE_BRANCH}\nmark ${merge}\n`,
      `author ${AUTHOR} ${when + 1} +0000\ncommitter ${AUTHOR} ${when + 1} +0000\n`,
      data(`Merge task ${id}: Write ${id}.txt\n\nMilestone: 001\nTask: ${id}\n`),
      `from ${head}\nmerge ${feature}\nM 100644 inline ${id}.txt\n`,
      data(`${id}\n`),
    );
    head = merge;
  }
  // Branches the killed run and earlier interrupted attempts left (no commits of their own yet).
  const firstBranched = shape.merged;
  const lastBranched = shape.merged + shape.running + shape.failed + shape.interrupted;
  for (let i = firstBranched; i < lastBranched; i++) {
    chunks.push(`reset refs/heads/feature/milestone-001-${ids[i]!}\nfrom ${head}\n\n`);
  }
  // Marks → commit ids, to journal the real merge commits.
  const marksFile = path.join(root, '.git', 'bench-marks');
  execFileSync('git', ['fast-import', '--quiet', `--export-marks=${marksFile}`], {
    cwd: root,
    input: chunks.join(''),
    maxBuffer: 64 * 1024 * 1024,
  });
  const marks = new Map<string, string>();
  for (const line of execFileSync('cat', [marksFile], { encoding: 'utf8' }).split('\n')) {
    const [mark, sha] = line.split(' ');
    if (mark && sha) marks.set(mark, sha);
  }
  const merges = new Map<string, string>();
  for (let i = 0; i < shape.merged; i++) merges.set(ids[i]!, marks.get(`:${2 * i + 2}`)!);
  return merges;
}

/**
 * Fills `<root>/.git/cairn/state.db` with the journal of a milestone run many times and killed:
 * earlier runs each scheduled every unfinished task (`ready`), merged their share of tasks,
 * had attempts fail or get interrupted, and were reconciled (`pending`) by the next run; the last
 * run was killed with `running` attempts whose pids are gone. No lease row is left.
 */
export function seedKilledRun(root: string, shape: SeedShape): SeedInfo {
  const ids = taskIds(shape.tasks);
  const t0 = performance.now();
  const merges = importMerges(root, ids, shape);
  const gitMs = performance.now() - t0;
  const start = git(root, ['rev-parse', 'refs/heads/main']);
  const specFile = path.join(root, '.milestones', '001-bench.yaml');
  const loaded = loadMilestone(root, '001', root);
  const definitions = new Map(loaded.spec.tasks.map((task) => [task.id, definitionOf(task)]));

  const t1 = performance.now();
  const dbFile = path.join(root, '.git', 'cairn', 'state.db');
  const store = openSqliteStore(dbFile);
  let events = 0;
  let attempts = 0;
  const append = (batch: CairnEvent[]) => {
    if (batch.length === 0) return;
    store.append(batch);
    events += batch.length;
  };
  const m = '001';
  append([
    {
      type: 'milestone.planned',
      milestone: m,
      title: 'Bench',
      branch: MILESTONE_BRANCH,
      base: 'main',
      specFile,
      tasks: ids.map((id) => ({
        id,
        title: `Write ${id}.txt`,
        agent: 'writer',
        definition: definitions.get(id)!,
      })),
    },
    { type: 'milestone.branched', milestone: m, branch: MILESTONE_BRANCH, start },
  ]);

  const deadPid = 4_000_000; // above the kernel's pid_max: it cannot exist
  const nextAttempt = new Map<string, number>();
  const attemptEvents = (run: string, id: string, end: 'succeeded' | 'failed' | 'interrupted' | 'none') => {
    const n = (nextAttempt.get(id) ?? 0) + 1;
    nextAttempt.set(id, n);
    attempts++;
    const list: CairnEvent[] = [
      {
        type: 'attempt.started',
        milestone: m,
        task: id,
        run,
        attempt: n,
        agent: 'writer',
        logFile: `.git/cairn/logs/${run}/${id}.${n}.log`,
      },
      { type: 'task.state', milestone: m, task: id, state: 'running', branch: `feature/milestone-001-${id}` },
      { type: 'attempt.pid', milestone: m, task: id, attempt: n, pid: deadPid - n },
    ];
    if (end === 'succeeded') {
      const head = merges.get(id)!;
      list.push(
        { type: 'attempt.checking', milestone: m, task: id, attempt: n, head },
        {
          type: 'attempt.ended',
          milestone: m,
          task: id,
          attempt: n,
          outcome: 'succeeded',
          exitCode: 0,
          signal: null,
          head,
        },
        { type: 'task.state', milestone: m, task: id, state: 'merging' },
        { type: 'task.merged', milestone: m, task: id, commit: head, head },
      );
    } else if (end === 'failed') {
      list.push({
        type: 'attempt.ended',
        milestone: m,
        task: id,
        attempt: n,
        outcome: 'failed',
        exitCode: 1,
        signal: null,
        reason: 'agent exited 1',
      });
    } else if (end === 'interrupted') {
      list.push({
        type: 'attempt.ended',
        milestone: m,
        task: id,
        attempt: n,
        outcome: 'interrupted',
        exitCode: null,
        signal: null,
        reason: 'the run that started it ended first',
      });
    }
    return list;
  };

  const running = ids.slice(shape.merged, shape.merged + shape.running);
  const failed = ids.slice(shape.merged + shape.running, shape.merged + shape.running + shape.failed);
  const interrupted = ids.slice(
    shape.merged + shape.running + shape.failed,
    shape.merged + shape.running + shape.failed + shape.interrupted,
  );
  // Enough runs that their scheduling churn reaches minEvents (~2 events per open task per run).
  const perRun = 2 * (shape.tasks - shape.merged / 2 - shape.failed / 2) + 20;
  const runs = Math.max(2, Math.ceil((shape.minEvents - 6 * shape.tasks) / perRun));
  const share = <T>(list: T[], r: number) =>
    list.slice(Math.floor((list.length * r) / runs), Math.floor((list.length * (r + 1)) / runs));
  const done = new Set<string>();
  const dead = new Set<string>();
  let pendingReconcile: string[] = [];
  for (let r = 0; r < runs; r++) {
    const run = `r-bench-${String(r).padStart(3, '0')}`;
    const last = r === runs - 1;
    // What the next run's reconcile wrote: attempts interrupted, open tasks back to pending.
    append(pendingReconcile.map((id) => ({ type: 'task.state', milestone: m, task: id, state: 'pending' })));
    append([
      { type: 'run.started', milestone: m, run, pid: deadPid, host: 'bench', concurrency: 4 },
      { type: 'run.health', milestone: m, run, level: 'full', score: 1, warnings: [] },
    ]);
    const open = ids.filter((id) => !done.has(id) && !dead.has(id));
    // The scheduler marks every ready task (all tasks are independent), in batches.
    for (let i = 0; i < open.length; i += 500) {
      append(
        open.slice(i, i + 500).map((id) => ({ type: 'task.state', milestone: m, task: id, state: 'ready' })),
      );
    }
    const batch: CairnEvent[] = [];
    for (const id of share([...merges.keys()], r)) {
      // Some tasks needed a second attempt.
      if (Number(id.slice(1)) % 3 === 0) batch.push(...attemptEvents(run, id, 'failed'));
      batch.push(...attemptEvents(run, id, 'succeeded'));
      done.add(id);
    }
    for (const id of share(failed, r)) {
      for (let k = 0; k < 3; k++) batch.push(...attemptEvents(run, id, 'failed'));
      batch.push({ type: 'task.state', milestone: m, task: id, state: 'failed', reason: 'agent exited 1' });
      dead.add(id);
    }
    for (const id of share(interrupted, r)) batch.push(...attemptEvents(run, id, 'interrupted'));
    for (let i = 0; i < batch.length; i += 1000) append(batch.slice(i, i + 1000));
    if (!last) {
      append([{ type: 'run.ended', milestone: m, run, state: 'interrupted' }]);
      pendingReconcile = ids.filter((id) => !done.has(id) && !dead.has(id));
    } else {
      // Killed: the running attempts stay `running`, with pids that are gone, and no run.ended.
      append(running.flatMap((id) => attemptEvents(run, id, 'none')));
    }
  }
  // Top up with the killed run's health samples (taken every few seconds during a run).
  const lastRun = `r-bench-${String(runs - 1).padStart(3, '0')}`;
  while (events < shape.minEvents) {
    const count = Math.min(1000, shape.minEvents - events);
    append(
      Array.from({ length: count }, (): CairnEvent => ({
        type: 'run.health',
        milestone: m,
        run: lastRun,
        level: 'full',
        score: 1,
        warnings: [],
      })),
    );
  }
  store.close();
  const journalMs = performance.now() - t1;
  const size = (file: string) => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  };
  return {
    events,
    attempts,
    runs,
    dbBytes: size(dbFile),
    walBytes: size(`${dbFile}-wal`),
    mergeCommits: merges.size,
    buildMs: { git: Math.round(gitMs), journal: Math.round(journalMs) },
  };
}
