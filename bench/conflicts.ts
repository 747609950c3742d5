/**
 * `conflicts`: a milestone of 20 tasks in three groups (7, 7, 6) whose tasks all rewrite their
 * group's file, so about 30% of task pairs overlap. Run at concurrency 4 with conflict-aware
 * scheduling (the default) and with `--allow-overlap`: merge conflicts and wasted agent-seconds
 * (agent time of attempts whose work was never merged) in each.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  CLI,
  benchConfig,
  createBenchRepo,
  goal,
  log,
  removeTemp,
  round,
  runIfMain,
  timeProcess,
  type BenchOutcome,
} from './lib.js';

const GROUPS = [7, 7, 6];
const AGENT_SECONDS = Number(process.env.BENCH_CONFLICTS_AGENT_S ?? 1);

/** The agent: works a while, then rewrites its group's file (the same line as its group mates). */
const AGENT = [
  '/bin/sh',
  '-c',
  `sleep ${AGENT_SECONDS}; mkdir -p shared; echo "{task}" > "shared/$GROUP_OF_{task}.txt"`,
];

function tasksAndGroups(): { id: string; group: string }[] {
  const tasks: { id: string; group: string }[] = [];
  GROUPS.forEach((size, g) => {
    for (let i = 0; i < size; i++) tasks.push({ id: `g${g + 1}t${i + 1}`, group: `g${g + 1}` });
  });
  return tasks;
}

function overlapShare(): number {
  const n = GROUPS.reduce((a, b) => a + b, 0);
  const same = GROUPS.reduce((a, s) => a + (s * (s - 1)) / 2, 0);
  return same / ((n * (n - 1)) / 2);
}

function createRepo(): string {
  const tasks = tasksAndGroups();
  // The group of each task reaches the agent through the profile's env.
  const config = benchConfig({
    agent: 'writer',
    command: AGENT,
    concurrency: 4,
    env: Object.fromEntries(tasks.map((t) => [`GROUP_OF_${t.id}`, t.group])),
  });
  const spec = ['id: "001"', 'title: Bench', 'base: main', 'tasks:'];
  for (const t of tasks) {
    spec.push(
      `  - id: ${t.id}`,
      `    title: Rewrite the ${t.group} file`,
      `    files: [shared/${t.group}.txt]`,
    );
  }
  const files = Object.fromEntries(GROUPS.map((_, g) => [`shared/g${g + 1}.txt`, 'start\n']));
  return createBenchRepo(tasks.length, 'cairn-bench-conflicts-', config, `${spec.join('\n')}\n`, files);
}

interface Outcome {
  wall_s: number;
  merged: number;
  conflicts: number;
  wasted_agent_s: number;
  agent_s: number;
}

async function measure(allowOverlap: boolean): Promise<Outcome> {
  const root = createRepo();
  try {
    const args = [CLI, 'run', '001', '--concurrency', '4', ...(allowOverlap ? ['--allow-overlap'] : [])];
    const timed = await timeProcess(process.execPath, args, { cwd: root });
    const db = new Database(path.join(root, '.git', 'cairn', 'state.db'), { readonly: true });
    try {
      const tasks = db.prepare('SELECT id, state, reason FROM tasks').all() as {
        id: string;
        state: string;
        reason: string | null;
      }[];
      const attempts = db.prepare('SELECT task, started_at, ended_at FROM attempts').all() as {
        task: string;
        started_at: string;
        ended_at: string | null;
      }[];
      const done = new Set(tasks.filter((t) => t.state === 'done').map((t) => t.id));
      const seconds = (a: (typeof attempts)[number]) =>
        a.ended_at ? (Date.parse(a.ended_at) - Date.parse(a.started_at)) / 1000 : 0;
      return {
        wall_s: round(timed.ms / 1000, 2),
        merged: done.size,
        conflicts: tasks.filter((t) => /merge conflict/.test(t.reason ?? '')).length,
        wasted_agent_s: round(
          attempts.filter((a) => !done.has(a.task)).reduce((s, a) => s + seconds(a), 0),
          1,
        ),
        agent_s: round(
          attempts.reduce((s, a) => s + seconds(a), 0),
          1,
        ),
      };
    } finally {
      db.close();
    }
  } finally {
    removeTemp(root);
  }
}

export async function runConflicts(): Promise<BenchOutcome> {
  log(`  conflicts: ${tasksAndGroups().length} tasks, ${round(overlapShare() * 100, 1)}% of pairs overlap`);
  const on = await measure(false);
  log(`  conflicts: scheduler on: ${JSON.stringify(on)}`);
  const off = await measure(true);
  log(`  conflicts: scheduler off: ${JSON.stringify(off)}`);
  const conflictRatio = off.conflicts === 0 ? 0 : round(on.conflicts / off.conflicts, 3);
  const wasteRatio = off.wasted_agent_s === 0 ? 0 : round(on.wasted_agent_s / off.wasted_agent_s, 3);
  return {
    figures: {
      tasks: tasksAndGroups().length,
      overlapping_pairs: round(overlapShare(), 3),
      scheduler_on: on,
    },
    baseline: {
      description: 'the same milestone with --allow-overlap (conflict-aware scheduling off)',
      figures: { scheduler_off: off },
    },
    ratio: { 'conflicts on/off': conflictRatio, 'wasted agent-seconds on/off': wasteRatio },
    goals: {
      'conflicts on/off': goal(conflictRatio, '<=', 0.25),
      'wasted agent-seconds on/off': goal(wasteRatio, '<=', 0.25),
    },
    notes: [
      `each agent works ${AGENT_SECONDS} s, then rewrites its group's file; concurrency 4, no retries`,
      'a conflict is a task blocked with "merge conflict" (its rebase onto the milestone head conflicted too); wasted agent-seconds are the agent time of attempts of tasks never merged',
      'with the scheduler on, the run takes longer in wall time: tasks of a group wait for each other',
    ],
  };
}

runIfMain(import.meta.url, async () => {
  process.stdout.write(`${JSON.stringify(await runConflicts(), null, 2)}\n`);
  return 0;
});
