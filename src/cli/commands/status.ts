import { resolveRepo } from '../../git/repo.js';
import { readStatus, type MilestoneStatus, type RunHealth } from '../../engine/status.js';
import { formatTable, printJson } from '../output.js';
import type { AttemptActivity } from '../../store/types.js';
import { agentHealthLine } from '../../engine/agent-health.js';
import {
  coordinationLines,
  readCoordinationStatus,
  type CoordinationStatus,
} from '../../engine/coordination-status.js';

function toJson(status: MilestoneStatus & { coordination?: CoordinationStatus }) {
  return {
    milestone: status.milestone,
    tasks: status.tasks.map(
      ({ id, state, attempts, agent, branch, merge_commit, reason, activity, phase }) => ({
        id,
        state,
        attempts,
        agent,
        branch,
        merge_commit,
        reason,
        ...(activity ? { activity } : {}),
        ...(phase ? { phase } : {}),
      }),
    ),
    ...(status.agents ? { agents: status.agents } : {}),
    ...(status.coordination ? { coordination: status.coordination } : {}),
  };
}

export function renderStatus(status: MilestoneStatus & { coordination?: CoordinationStatus }): string {
  const { milestone, tasks } = status;
  const done = tasks.filter((task) => task.state === 'done').length;
  const rows = tasks.map((task) => [
    task.id,
    task.phase
      ? `${task.state} (${task.phase.name}${task.phase.round > 1 ? ` round ${task.phase.round}` : ''})`
      : task.state,
    String(task.attempts),
    task.agent,
    task.branch ?? '-',
    task.merge_commit?.slice(0, 10) ?? '-',
    task.reason ?? (task.state === 'running' && task.activity ? activityNote(task.activity) : ''),
  ]);
  return [
    `Milestone ${milestone.id}: ${milestone.title}`,
    `  branch ${milestone.branch} · ${milestone.state} · ${done}/${tasks.length} tasks done`,
    ...(milestone.pull_request ? [`  pull request: ${milestone.pull_request}`] : []),
    ...(milestone.tuned
      ? [
          `  auto-tune (run ${milestone.tuned.run}): concurrency ${milestone.tuned.from} -> ${milestone.tuned.to}, ${milestone.tuned.why}`,
        ]
      : []),
    ...runLines(milestone.run),
    ...(status.agents ?? []).map((health) => `  ${agentHealthLine(health)}`),
    ...coordinationLines(status.coordination),
    '',
    formatTable(['TASK', 'STATE', 'ATTEMPTS', 'AGENT', 'BRANCH', 'MERGE', 'NOTE'], rows),
  ].join('\n');
}

/** `cairn status`: milestone state and one row per task. */
export default async function status(name: string | undefined, options: { json?: boolean }): Promise<number> {
  const repo = await resolveRepo(process.cwd());
  const read = await readStatus(repo, name, process.cwd());
  const coordination = readCoordinationStatus(
    repo,
    read.map((s) => s.milestone.id),
  );
  const statuses = read.map((s) => ({ ...s, coordination: coordination.get(s.milestone.id) }));
  if (options.json) {
    const [only] = statuses;
    printJson(statuses.length === 1 && only ? toJson(only) : statuses.map(toJson));
    return 0;
  }
  if (statuses.length === 0) {
    process.stdout.write('No milestones yet. Create one with `cairn new "<title>"`.\n');
    return 0;
  }
  process.stdout.write(`${statuses.map(renderStatus).join('\n\n')}\n`);
  return 0;
}

/** `7 files changed (code 5, test 2) · significance 6.6 · 1 outside scope`, for a running task. */
export function activityNote(activity: AttemptActivity): string {
  const kinds = Object.entries(activity.byKind)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  const outside = activity.outOfScope > 0 ? ` · ${activity.outOfScope} outside scope` : '';
  const plural = activity.files === 1 ? '' : 's';
  return `${activity.files} file${plural} changed (${kinds}) · significance ${activity.significance}${outside}`;
}

function runLines(run: RunHealth | undefined): string[] {
  if (!run || (run.level === 'full' && run.warnings.length === 0)) return [];
  const score = run.score === null ? '' : ` · health ${run.score}/100`;
  const why = run.reason ? ` (${run.reason})` : '';
  return [
    `  last run ${run.id}: level ${run.level}${why}${score}`,
    ...run.warnings.map((w) => `  warning: ${w}`),
  ];
}
