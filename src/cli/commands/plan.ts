import { resolveRepo } from '../../git/repo.js';
import { loadMilestone } from '../../engine/load.js';
import { criticalPath, keptApart, planWaves } from '../../spec/index.js';
import { paint, printJson } from '../output.js';

/** `cairn plan`: the waves tasks run in, the critical path, and each task's dependencies. */
export default async function plan(name: string, options: { json?: boolean }): Promise<number> {
  const repo = await resolveRepo(process.cwd());
  const { spec, config } = loadMilestone(repo.root, name);
  const waves = planWaves(spec.tasks);
  const critical = criticalPath(spec.tasks);
  const apart = keptApart(spec.tasks);
  if (options.json) {
    printJson({ milestone: spec.id, waves, critical_path: critical, kept_apart: apart });
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
      out.write(` ${mark} ${id}  [${task?.agent ?? config.defaults.agent}]${deps}\n`);
    }
  });
  out.write(`\nCritical path (*): ${critical.join(' → ')}\n`);
  if (apart.length > 0) {
    out.write(
      '\nKept apart (their files overlap, so they never run at the same time; `overlap: allow` on a task lifts it):\n',
    );
    for (const pair of apart) out.write(`  ${pair.tasks[0]} / ${pair.tasks[1]}: ${pair.why}\n`);
  }
  return 0;
}
