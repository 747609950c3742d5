import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  addSpec,
  cleanupTemp,
  CLI as BUILT_CLI,
  createRepo,
  git,
  tempDir,
  writeFiles,
} from '../e2e/helpers.js';

/**
 * The CLI under test: the build in dist/, or TORTURE_CLI (a copy of dist/cli/bin.js elsewhere,
 * so that a rebuild by someone else in the middle of a long session cannot mix two builds).
 */
export const CLI = process.env.TORTURE_CLI ? path.resolve(process.env.TORTURE_CLI) : BUILT_CLI;
import { shellQuote, specYaml, type TaskDef } from '../e2e/scenarios.js';
import type { Rng } from '../../src/shared/random.js';

/** One task of the generated milestone and what its scripted agent does. */
export interface TaskPlan {
  id: string;
  deps: string[];
  /** How long the agent sleeps between its partial and its final write. */
  durationMs: number;
  /** The agent commits its own work (Cairn then has nothing left to commit). */
  selfCommit: boolean;
  acceptance: string[];
  /** Declared scope, or none. */
  files: string[];
}

export const MILESTONE_ID = '001';
export const MILESTONE_TITLE = 'Torture';
export const MILESTONE_BRANCH = `milestone/${MILESTONE_ID}-torture`;

/**
 * A DAG of `count` tasks, each depending on 0–2 earlier ones, with at least four waves (a
 * forced chain through tasks 10, 20, 30 and the last one), agent durations of 20–300 ms (a
 * `slowAgents` fraction of them 0.8–2 s instead), some
 * acceptance commands (one of them slow, to widen the "checking" window) and some agents that
 * commit by themselves.
 */
export function planMilestone(rng: Rng, count = 40, options: { slowAgents?: number } = {}): TaskPlan[] {
  const slow = options.slowAgents ?? 0;
  const ids = Array.from({ length: count }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);
  const plans: TaskPlan[] = ids.map((id, index) => {
    const deps = new Set<string>();
    const wanted = index === 0 ? 0 : rng.pick([0, 0, 1, 1, 1, 2, 2]);
    for (let tries = 0; deps.size < Math.min(wanted, index) && tries < 10; tries++) {
      deps.add(ids[rng.int(0, index - 1)]!);
    }
    const checks = rng.int(0, 9);
    const acceptance =
      checks < 3
        ? [`test -f out/${id}.txt`]
        : checks < 5
          ? [`grep -qx 'task ${id}' out/${id}.txt`]
          : checks < 6
            ? ['sleep 0.15', `test -s out/${id}.txt`]
            : [];
    return {
      id,
      deps: [...deps],
      durationMs: rng.int(20, 300),
      ...(slow > 0 && rng.chance(slow) ? { durationMs: rng.int(800, 2000) } : {}),
      selfCommit: rng.chance(0.2),
      acceptance,
      files: rng.chance(0.5) ? ['out/**'] : [],
    };
  });
  // The spine: 10 → 20 → 30 → last, each after some earlier task, so there are at least 5 waves.
  const spine = [10, 20, 30, count - 1].filter((i) => i > 0 && i < count);
  spine.forEach((index, k) => {
    const plan = plans[index]!;
    const prev = k === 0 ? ids[rng.int(0, index - 1)]! : ids[spine[k - 1]!]!;
    if (!plan.deps.includes(prev)) plan.deps = [prev, ...plan.deps].slice(0, 2);
  });
  return plans;
}

/** The number of waves (longest dependency chain, in tasks). */
export function waveCount(plans: TaskPlan[]): number {
  const depth = new Map<string, number>();
  for (const plan of plans) {
    depth.set(plan.id, 1 + Math.max(0, ...plan.deps.map((dep) => depth.get(dep) ?? 0)));
  }
  return Math.max(...depth.values());
}

export interface TortureRepo {
  root: string;
  /** The git common dir's cairn directory (CAIRN_HOME of every agent of this repo). */
  stateDir: string;
  stateDb: string;
  agent: string;
  /** Outside the repository (`<root>.agents.log`): the agents' start/end lines. */
  marker: string;
  plans: TaskPlan[];
}

/** The agent script and the plan it reads, shared by the torture and the reference repository. */
export interface TortureAgent {
  agent: string;
  planDir: string;
}

/** Where the agents of the repository at `root` write their start and end lines. */
export function markerOf(root: string): string {
  return `${root}.agents.log`;
}

const markers: string[] = [];

/** A file outside the temporary directories to remove with them. */
export function registerScratch(file: string): void {
  markers.push(file);
}

/** Removes the temporary directories and the marker files of this process's torture repositories. */
export function cleanupTorture(): void {
  for (const marker of markers.splice(0)) rmSync(marker, { force: true });
  cleanupTemp();
}

/**
 * The agent: records its start (with the milestone branch head it saw, whether its output was
 * already committed on its branch and that commit's subject), writes a partial output, sleeps,
 * checks that its dependencies' outputs are there, writes the final deterministic output (which
 * includes a checksum of each dependency's output), maybe commits, and records its end. The
 * marker file is `<repo root>.agents.log`, found from CAIRN_HOME, so one script (one absolute
 * path in the committed config) serves every repository of a session.
 */
function agentScript(planDir: string): string {
  return `#!/bin/sh
set -e
ROOT=$(dirname "$(dirname "$CAIRN_HOME")")
MARK="$ROOT.agents.log"
T="$CAIRN_TASK"
. ${shellQuote(planDir)}/"$T.sh"
MB=$(git rev-parse -q --verify "refs/heads/${MILESTONE_BRANCH}" 2>/dev/null || echo none)
if git cat-file -e "HEAD:out/$T.txt" 2>/dev/null; then HAS=1; else HAS=0; fi
SUBJ=$(git log -1 --format=%s | tr -c 'A-Za-z0-9().:-' '_')
echo "start $T $CAIRN_ATTEMPT $$ $CAIRN_SESSION $MB $HAS $SUBJ" >> "$MARK"
mkdir -p out
echo "partial $T $CAIRN_ATTEMPT" > "out/$T.txt"
sleep "$DUR"
for d in $DEPS; do
  if [ ! -f "out/$d.txt" ]; then echo "dependency output out/$d.txt is missing" >&2; exit 3; fi
done
{
  echo "task $T"
  for d in $DEPS; do echo "dep $d $(cksum < "out/$d.txt")"; done
} > "out/$T.txt"
if [ "$SELF" = 1 ]; then
  git add -A
  git diff --cached --quiet || git commit -q -m "agent work for $T"
fi
echo "end $T $CAIRN_ATTEMPT $$ $CAIRN_SESSION" >> "$MARK"
`;
}

/** Writes the plan files and the agent script into a fresh directory outside any repository. */
export function createTortureAgent(plans: TaskPlan[]): TortureAgent {
  const dir = realpathSync(tempDir('cairn-torture-'));
  const planDir = path.join(dir, 'plan');
  mkdirSync(planDir, { recursive: true });
  for (const plan of plans) {
    writeFileSync(
      path.join(planDir, `${plan.id}.sh`),
      `DUR=${(plan.durationMs / 1000).toFixed(3)}\nSELF=${plan.selfCommit ? 1 : 0}\nDEPS=${shellQuote(plan.deps.join(' '))}\n`,
    );
  }
  const agent = path.join(dir, 'agent.sh');
  writeFileSync(agent, agentScript(planDir));
  chmodSync(agent, 0o755);
  return { agent, planDir };
}

let backoffSupported: boolean | undefined;

/** Whether this Cairn's config accepts `defaults.backoff` (being added while this suite was written). */
function supportsBackoff(): boolean {
  if (backoffSupported === undefined) {
    try {
      const schema = execFileSync(process.execPath, [CLI, 'schema'], { encoding: 'utf8' });
      backoffSupported = schema.includes('backoff');
    } catch {
      backoffSupported = false;
    }
  }
  return backoffSupported;
}

/** A fresh repository with the config (retries, concurrency), the agent and the 40-task spec, committed. */
export function createTortureRepo(
  plans: TaskPlan[],
  shared: TortureAgent,
  options: { retries: number; concurrency: number },
): TortureRepo {
  const root = realpathSync(createRepo({ 'README.md': '# torture project\n' }));
  const marker = markerOf(root);
  writeFileSync(marker, '');
  markers.push(marker);
  const backoff = supportsBackoff() ? `  backoff: { base: 20ms, factor: 2, cap: 200ms }\n` : '';
  writeFiles(root, {
    '.cairn/config.yaml':
      `defaults:\n  agent: scripted\n  concurrency: ${options.concurrency}\n  retries: ${options.retries}\n  timeout: 60s\n${backoff}` +
      `agents:\n  scripted:\n    command: [${JSON.stringify(shared.agent)}, "{task}"]\n`,
  });
  const tasks: TaskDef[] = plans.map((plan) => ({
    id: plan.id,
    title: `Task ${plan.id}`,
    ...(plan.deps.length > 0 ? { depends_on: plan.deps } : {}),
    ...(plan.acceptance.length > 0 ? { acceptance: plan.acceptance } : {}),
    ...(plan.files.length > 0 ? { files: plan.files } : {}),
  }));
  addSpec(root, `${MILESTONE_ID}-torture`, specYaml({ id: MILESTONE_ID, title: MILESTONE_TITLE, tasks }));
  const common = path.resolve(root, git(root, ['rev-parse', '--git-common-dir']));
  const stateDir = path.join(common, 'cairn');
  return { root, stateDir, stateDb: path.join(stateDir, 'state.db'), agent: shared.agent, marker, plans };
}
