import { resolveRepo } from '../../git/repo.js';
import { loadMilestone } from '../../engine/load.js';
import { criticalPath, DEFAULT_MAX_REVIEW_ROUNDS, planWaves } from '../../spec/index.js';
import { tasksKeptApart } from '../../engine/hot-history.js';
import type { TaskSpec } from '../../spec/types.js';
import { paint, printJson } from '../output.js';

/** `cairn plan`: the waves tasks run in, the critical path, and each task's dependencies. */
export default async function plan(name: string, options: { json?: boolean }): Promise<number> {
  const repo = await resolveRepo(process.cwd());
  const { spec, config } = loadMilestone(repo.root, name);
  const waves = planWaves(spec.tasks);
  const critical = criticalPath(spec.tasks);
  const apart = await tasksKeptApart(repo, spec.tasks, spec.base);
  if (options.json) {
    const phases = Object.fromEntries(
      spec.tasks.flatMap((task) => (task.phases ? [[task.id, phasesOf(task, config.defaults.agent)]] : [])),
    );
    printJson({
      milestone: spec.id,
      waves,
      critical_path: critical,
      kept_apart: apart,
      ...(Object.keys(phases).length > 0 ? { phases } : {}),
    });
    return 0;
  }
  const byId = new Map(spec.tasks.map((task) => [task.id, task]));
  const onPath = new Set(critical);
  const out = process.stdout;
  out.write(
    `Milestone ${spec.id}: ${spec.title} (${spec.tasks.length} tasks, ${waves.length} waves, base ${spec.base})\n\n`,
  );
  waves.forEach((wave, index) => {
    out.write(`Wave ${index + 1}\n`);
    for (const id of wave) {
      const task = byId.get(id);
      const deps = task && task.depends_on.length > 0 ? `  ← ${task.depends_on.join(', ')}` : '';
      const mark = onPath.has(id) ? paint('yellow', '*', out.isTTY) : ' ';
      const agent = task?.agent ?? config.defaults.agent;
      const phases = task?.phases ? `  ${phaseLine(task, config.defaults.agent)}` : '';
      out.write(` ${mark} ${id}  [${agent}]${phases}${deps}\n`);
    }
  });
  out.write(`\nCritical path (*): ${critical.join(' → ')}\n`);
  if (apart.length > 0) {
    out.write(
      '\nKept apart (never run at the same time: their files overlap, or they work in the same hot directory\nof the history; `overlap: allow` on a task or `cairn run --allow-overlap` lifts it):\n',
    );
    for (const pair of apart) out.write(`  ${pair.tasks[0]} / ${pair.tasks[1]}: ${pair.why}\n`);
  }
  return 0;
}

/** Each phase with the profile it runs with, and the task's review rounds. */
function phasesOf(task: TaskSpec, defaultAgent: string) {
  return (task.phases ?? []).map((phase) => ({
    name: phase.name,
    agent: phase.agent ?? task.agent ?? defaultAgent,
    review: phase.review,
    ...(phase.review ? { max_review_rounds: task.maxReviewRounds ?? DEFAULT_MAX_REVIEW_ROUNDS } : {}),
  }));
}

function phaseLine(task: TaskSpec, defaultAgent: string): string {
  const phases = phasesOf(task, defaultAgent).map((phase) => `${phase.name}:${phase.agent}`);
  const rounds = task.maxReviewRounds ?? DEFAULT_MAX_REVIEW_ROUNDS;
  const review = task.phases?.some((phase) => phase.review) ? ` (review rounds ${rounds})` : '';
  return `phases ${phases.join(' → ')}${review}`;
}
