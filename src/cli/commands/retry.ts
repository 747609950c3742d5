import { actOnTask } from '../../engine/manual.js';
import { printJson } from '../output.js';
import { nextStep } from './manual-next-step.js';

/** `cairn retry <milestone> <task>`: see engine/manual.ts. */
export default async function retry(
  milestone: string,
  task: string,
  options: { json?: boolean },
): Promise<number> {
  const row = await actOnTask(process.cwd(), milestone, task, 'retry');
  if (options.json) printJson({ milestone: row.milestone, task: row.id, state: row.state });
  else process.stdout.write(nextStep(row, 'retry'));
  return 0;
}
