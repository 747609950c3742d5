import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { git } from '../e2e/helpers.js';
import { mergeCommits, worktreePaths } from '../e2e/scenarios.js';
import { projectionDiff } from '../../src/store/replay.js';
import { STAGING_DIR } from '../../src/git/worktree-create.js';
import { describeProc, processesOfRepo } from './procs.js';
import { MILESTONE_BRANCH, MILESTONE_ID, type TortureRepo } from './scenario.js';

/** One line of the agents' marker log. */
export interface AgentStart {
  task: string;
  attempt: number;
  pid: number;
  session: string;
  /** The milestone branch head when the agent started ('none' before the branch existed). */
  milestoneHead: string;
  /** Its output was already committed on the task branch when it started. */
  alreadyCommitted: boolean;
  /** Subject of the task branch head when it started (spaces as '_'). */
  headSubject: string;
  line: number;
}

export interface AgentEnd {
  task: string;
  attempt: number;
  pid: number;
  session: string;
  line: number;
}

export function readMarker(marker: string): { starts: AgentStart[]; ends: AgentEnd[] } {
  const starts: AgentStart[] = [];
  const ends: AgentEnd[] = [];
  if (!existsSync(marker)) return { starts, ends };
  readFileSync(marker, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const f = text.trim().split(' ');
      if (f[0] === 'start' && f.length >= 7) {
        starts.push({
          task: f[1]!,
          attempt: Number(f[2]),
          pid: Number(f[3]),
          session: f[4]!,
          milestoneHead: f[5]!,
          alreadyCommitted: f[6] === '1',
          headSubject: f.slice(7).join(' '),
          line,
        });
      } else if (f[0] === 'end' && f.length >= 5) {
        ends.push({ task: f[1]!, attempt: Number(f[2]), pid: Number(f[3]), session: f[4]!, line });
      }
    });
  return { starts, ends };
}

/** An agent process group the long profile killed (guarantee 2). */
export interface AgentKill {
  task: string;
  attempt: number;
  session: string;
  pid: number;
  runIndex: number;
  /** The state database was damaged after this kill: its attempt row may be gone. */
  damagedAfter: boolean;
}

export interface Verdict {
  /** Broken guarantees: the test fails on any. */
  violations: string[];
  /** Worth knowing, not a broken guarantee as the issue words it. */
  findings: string[];
  stats: Record<string, number | string>;
}

/** Tasks with a failed attempt in the journal (none when the database is unreadable). */
function failedAttemptTasks(repo: TortureRepo): Set<string> {
  try {
    const db = new Database(repo.stateDb, { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare(`SELECT DISTINCT task FROM attempts WHERE state = 'failed'`).all() as {
        task: string;
      }[];
      return new Set(rows.map((row) => row.task));
    } finally {
      db.close();
    }
  } catch {
    return new Set();
  }
}

/** Path → blob id of every file in `rev`. */
function treeListing(root: string, rev: string): Map<string, string> {
  const listing = new Map<string, string>();
  for (const line of git(root, ['ls-tree', '-r', rev]).split('\n')) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/.exec(line);
    if (match) listing.set(match[2]!, match[1]!);
  }
  return listing;
}

/**
 * Checks the invariants of guarantee 1 (and, given agent kills, of guarantee 2) from git, the
 * database, the marker log and /proc, after the final run of a torture session.
 */
export function checkInvariants(
  repo: TortureRepo,
  options: {
    reference?: { tree: string; root: string };
    agentKills?: AgentKill[];
    dbDamaged?: boolean;
    /** Marker lines from this one on were written after the state database was first damaged. */
    damageLine?: number;
  },
): Verdict {
  const violations: string[] = [];
  const findings: string[] = [];
  const stats: Record<string, number | string> = {};
  const { root, plans } = repo;
  const ids = new Set(plans.map((plan) => plan.id));

  // 1. One first-parent merge per task, each with its Task: trailer, nothing else on the line.
  const merges = mergeCommits(root, MILESTONE_BRANCH, 'main');
  const mergeOf = new Map<string, string>();
  for (const merge of merges) {
    if (merge.milestone !== MILESTONE_ID)
      violations.push(`merge ${merge.hash} has Milestone: "${merge.milestone}"`);
    if (!ids.has(merge.task)) violations.push(`merge ${merge.hash} has an unknown Task: "${merge.task}"`);
    if (mergeOf.has(merge.task)) {
      violations.push(
        `task ${merge.task} merged more than once: ${mergeOf.get(merge.task)} and ${merge.hash} (${merge.subject})`,
      );
    } else mergeOf.set(merge.task, merge.hash);
  }
  const missing = [...ids].filter((id) => !mergeOf.has(id));
  if (missing.length > 0) violations.push(`tasks never merged: ${missing.join(', ')}`);
  if (merges.length !== plans.length) {
    violations.push(`${merges.length} first-parent merges on ${MILESTONE_BRANCH}, expected ${plans.length}`);
  }
  const firstParent = git(root, ['rev-list', '--first-parent', `${MILESTONE_BRANCH}`, '--not', 'main'])
    .split('\n')
    .filter(Boolean);
  if (firstParent.length !== merges.length) {
    violations.push(
      `${firstParent.length} first-parent commits on ${MILESTONE_BRANCH} after main but ${merges.length} merges: something was committed straight onto the milestone branch`,
    );
  }
  stats.merges = merges.length;

  // 2. The final tree: the reference run's, and every output final (no partial write merged).
  const tree = git(root, ['rev-parse', `${MILESTONE_BRANCH}^{tree}`]);
  stats.tree = tree;
  const reference = options.reference;
  if (reference && tree !== reference.tree) {
    const ours = treeListing(root, MILESTONE_BRANCH);
    const theirs = treeListing(reference.root, MILESTONE_BRANCH);
    const paths = [...new Set([...ours.keys(), ...theirs.keys()])].sort();
    const differing = paths.filter((file) => ours.get(file) !== theirs.get(file));
    const detail = differing.slice(0, 6).map((file) => {
      const show = (where: string, blob: string | undefined) =>
        blob ? JSON.stringify(git(where, ['cat-file', '-p', blob])) : '(absent)';
      return `  ${file}: here ${show(root, ours.get(file))}, uninterrupted ${show(reference.root, theirs.get(file))}`;
    });
    violations.push(
      `final tree ${tree} differs from the uninterrupted run's ${reference.tree} in ${differing.length} file(s):\n${detail.join('\n')}`,
    );
  }
  const outputs = git(root, ['ls-tree', '-r', '--name-only', MILESTONE_BRANCH, 'out/'])
    .split('\n')
    .filter((file) => file.endsWith('.txt'));
  if (outputs.length !== plans.length) {
    violations.push(
      `${outputs.length} outputs under out/ on the milestone branch, expected ${plans.length}: ${outputs.join(' ')}`,
    );
  }
  // git grep exits 1 when nothing matches.
  const partial = spawnSync('git', ['grep', '-l', '^partial', MILESTONE_BRANCH, '--', 'out/'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (partial.status === 0)
    violations.push(`unfinished (partial) agent output merged: ${partial.stdout.trim()}`);
  else if (partial.status !== 1) violations.push(`git grep failed: ${partial.stderr}`);

  // 3. No finished work re-run: no agent started for a task whose merge was already on the branch.
  const chain = git(root, ['rev-list', '--first-parent', MILESTONE_BRANCH]).split('\n').reverse();
  const position = new Map(chain.map((commit, index) => [commit, index]));
  const { starts, ends } = readMarker(repo.marker);
  const startsPerTask = new Map<string, number>();
  for (const start of starts) {
    startsPerTask.set(start.task, (startsPerTask.get(start.task) ?? 0) + 1);
    const merge = mergeOf.get(start.task);
    const seen = position.get(start.milestoneHead);
    if (merge !== undefined && seen !== undefined && seen >= position.get(merge)!) {
      violations.push(
        `finished work re-run: the agent of ${start.task} started again (attempt ${start.attempt}, run ${start.session}, pid ${start.pid}) when its merge ${merge.slice(0, 10)} was already on the milestone branch (head ${start.milestoneHead.slice(0, 10)})`,
      );
    }
    if (start.milestoneHead !== 'none' && seen === undefined) {
      findings.push(
        `the agent of ${start.task} (attempt ${start.attempt}) saw milestone head ${start.milestoneHead.slice(0, 10)}, which is not on the final first-parent line (the branch was rewound?)`,
      );
    }
  }
  // An agent started on a branch that already held its committed output. A checkpoint of kept
  // work is fine (Cairn could not know the agent had finished), and so is the agent's own
  // commit (the same); Cairn's own task commit (subject "<type>(milestone-001): <title>") means
  // Cairn had committed the agent's finished work and ran the agent again anyway, unless an
  // attempt of that task failed (a retry starts from the failed attempt's commit).
  const failedTasks = failedAttemptTasks(repo);
  // TORTURE_LENIENT_RERUN=1 reads "no finished work re-run" narrowly (only after the merge).
  const lenient = process.env.TORTURE_LENIENT_RERUN === '1';
  const ownCommitRestarts: string[] = [];
  for (const start of starts.filter((s) => s.alreadyCommitted)) {
    const kind = /work_kept/.test(start.headSubject)
      ? 'kept'
      : /^agent_work_for_/.test(start.headSubject)
        ? 'agent'
        : 'cairn';
    const what = `agent of ${start.task} started (attempt ${start.attempt}, run ${start.session}, pid ${start.pid}) on a branch whose head already committed its output ("${start.headSubject.replace(/_/g, ' ').trim()}")`;
    const afterDamage = options.damageLine !== undefined && start.line >= options.damageLine;
    if (kind === 'cairn' && !failedTasks.has(start.task) && !afterDamage && !lenient) {
      violations.push(`finished work re-run: ${what}, though no attempt of ${start.task} had failed`);
    } else if (kind === 'cairn') findings.push(what);
    else if (kind === 'agent') ownCommitRestarts.push(`${start.task}#${start.attempt}`);
  }
  if (ownCommitRestarts.length > 0) {
    findings.push(
      `${ownCommitRestarts.length} agent starts on a branch whose head was the agent's own commit of its output (Cairn cannot tell a finished self-committing agent from an interrupted one): ${ownCommitRestarts.join(' ')}`,
    );
  }
  const rerunCommitted = starts.filter((s) => s.alreadyCommitted && !/work_kept/.test(s.headSubject));
  const endsByKey = new Set(ends.map((end) => `${end.task}/${end.session}/${end.attempt}`));
  const rerunAfterEnd = new Set<string>();
  const sorted = [...starts].sort((a, b) => a.line - b.line);
  const endedTasks = new Map<string, number>();
  for (const end of ends) if (!endedTasks.has(end.task)) endedTasks.set(end.task, end.line);
  for (const start of sorted) {
    const endedAt = endedTasks.get(start.task);
    if (endedAt !== undefined && endedAt < start.line) rerunAfterEnd.add(start.task);
  }
  stats.agentStarts = starts.length;
  stats.agentEnds = ends.length;
  stats.tasksRestartedAfterAnAgentFinished = rerunAfterEnd.size;
  stats.restartsOfCommittedWork = rerunCommitted.length;
  stats.maxStartsPerTask = Math.max(0, ...startsPerTask.values());

  // 4. No orphan worktrees (registered or as directories).
  try {
    const worktrees = worktreePaths(root).filter((dir) => dir !== root);
    if (worktrees.length > 0)
      violations.push(`orphan worktrees in \`git worktree list\`: ${worktrees.join(', ')}`);
  } catch (error) {
    // A registration half-written by a killed run, which the next run must clear.
    violations.push(`\`git worktree list\` fails after the final run: ${(error as Error).message.trim()}`);
  }
  const staging = path.join(root, '.git', STAGING_DIR);
  const drafts = existsSync(staging) ? readdirSync(staging) : [];
  if (drafts.length > 0)
    findings.push(`staged worktree registrations left in ${staging}: ${drafts.join(', ')}`);
  const wtDir = path.join(repo.stateDir, 'worktrees', MILESTONE_ID);
  const leftDirs = existsSync(wtDir) ? readdirSync(wtDir) : [];
  if (leftDirs.length > 0) findings.push(`directories left under ${wtDir}: ${leftDirs.join(', ')}`);

  // 5. No orphan processes: nothing started for this repository is alive.
  const procs = processesOfRepo(root, repo.stateDir);
  if (procs.length > 0) violations.push(`orphan processes:\n  ${procs.map(describeProc).join('\n  ')}`);

  // 6. The database: integrity, projections equal to a replay of the journal, agreement with git.
  if (!existsSync(repo.stateDb)) {
    violations.push(`no state database at ${repo.stateDb} after the final run`);
    return { violations, findings, stats };
  }
  const db = new Database(repo.stateDb, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
    const verdict = integrity.map((row) => row.integrity_check).join('; ');
    if (verdict !== 'ok') violations.push(`PRAGMA integrity_check: ${verdict.slice(0, 800)}`);
    const diffs = projectionDiff(db);
    if (diffs.length > 0) {
      violations.push(
        `projections differ from a replay of the journal (${diffs.length} differences):\n  ${diffs.slice(0, 12).join('\n  ')}`,
      );
    }
    const tasks = db
      .prepare('SELECT id, state, merge_commit, attempts FROM tasks WHERE milestone = ?')
      .all(MILESTONE_ID) as { id: string; state: string; merge_commit: string | null; attempts: number }[];
    for (const task of tasks) {
      const merge = mergeOf.get(task.id);
      if (task.state !== 'done' || task.merge_commit !== merge) {
        violations.push(
          `database says ${task.id} is ${task.state} with merge ${task.merge_commit ?? 'none'}; git has ${merge ?? 'no merge'}`,
        );
      }
    }
    if (tasks.length !== plans.length)
      violations.push(`${tasks.length} tasks in the database, expected ${plans.length}`);
    const milestone = db.prepare('SELECT state FROM milestones WHERE id = ?').get(MILESTONE_ID) as
      { state: string } | undefined;
    if (milestone?.state !== 'done')
      violations.push(`milestone state is ${milestone?.state ?? 'missing'}, expected done`);

    const attempts = db
      .prepare(
        'SELECT task, attempt, run, state, signal, exit_code, reason FROM attempts WHERE milestone = ?',
      )
      .all(MILESTONE_ID) as {
      task: string;
      attempt: number;
      run: string;
      state: string;
      signal: string | null;
      exit_code: number | null;
      reason: string | null;
    }[];
    stats.attempts = attempts.length;
    stats.interruptedAttempts = attempts.filter((a) => a.state === 'interrupted').length;
    const open = attempts.filter((a) => a.state === 'running' || a.state === 'checking');
    if (open.length > 0) {
      violations.push(
        `attempts still ${open.map((a) => `${a.task}#${a.attempt}=${a.state}`).join(', ')} after the final run ended`,
      );
    }
    const runs = db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number };
    stats.runsInJournal = runs.n;
    const events = db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number };
    stats.events = events.n;

    // Guarantee 2: a killed agent's attempt failed (or was interrupted by a killed run) and
    // was retried; no attempt failed that was not killed.
    const kills = options.agentKills ?? [];
    const killed = new Set(kills.map((kill) => `${kill.task}/${kill.session}/${kill.attempt}`));
    for (const kill of kills) {
      const row = attempts.find(
        (a) => a.task === kill.task && a.attempt === kill.attempt && a.run === kill.session,
      );
      if (!row) {
        if (!kill.damagedAfter && !options.dbDamaged) {
          violations.push(
            `the attempt of the killed agent ${kill.task}#${kill.attempt} (run ${kill.session}) is not in the journal`,
          );
        }
        continue;
      }
      const agentFinished = endsByKey.has(`${kill.task}/${kill.session}/${kill.attempt}`);
      if (row.state === 'succeeded' && agentFinished) continue; // the agent had finished before the kill landed
      const ok = (row.state === 'failed' && row.signal === 'SIGKILL') || row.state === 'interrupted';
      if (!ok) {
        violations.push(
          `agent of ${kill.task}#${kill.attempt} (run ${kill.session}) was SIGKILLed, but its attempt is ${row.state} (signal ${row.signal ?? '-'}, exit ${row.exit_code ?? '-'}, ${row.reason ?? ''})`,
        );
      }
      const retried = attempts.some((a) => a.task === kill.task && a.attempt > kill.attempt);
      if (!retried && row.state !== 'succeeded') {
        violations.push(`agent of ${kill.task}#${kill.attempt} was killed and the task was never retried`);
      }
    }
    // Agents that ran while the journal never learnt their pid: a later run cannot stop them.
    const pids = db
      .prepare('SELECT task, attempt, run, pid FROM attempts WHERE milestone = ?')
      .all(MILESTONE_ID) as { task: string; attempt: number; run: string; pid: number | null }[];
    const pidOf = new Map(pids.map((row) => [`${row.task}/${row.run}/${row.attempt}`, row.pid]));
    const unknown = starts.filter(
      (start) => pidOf.get(`${start.task}/${start.session}/${start.attempt}`) === null,
    );
    stats.agentsWithoutJournaledPid = unknown.length;
    for (const start of unknown) {
      findings.push(
        `agent of ${start.task}#${start.attempt} (run ${start.session}, pid ${start.pid}) ran but its pid was never journaled: a later run could not stop it`,
      );
    }
    const unexplained = attempts.filter(
      (a) => a.state === 'failed' && !killed.has(`${a.task}/${a.run}/${a.attempt}`),
    );
    stats.failedAttempts = attempts.filter((a) => a.state === 'failed').length;
    for (const a of unexplained) {
      findings.push(
        `attempt ${a.task}#${a.attempt} (run ${a.run}) failed without an agent kill: ${a.reason ?? ''} (exit ${a.exit_code ?? '-'}, signal ${a.signal ?? '-'})`,
      );
    }
  } finally {
    db.close();
  }
  return { violations, findings, stats };
}
