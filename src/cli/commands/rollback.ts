import { rollbackMilestone, type RollbackPlan } from '../../engine/checkpoints/rollback.js';
import { InputError } from '../../shared/errors.js';
import { askYesNo } from '../confirm.js';
import { printJson } from '../output.js';

function describePlan(plan: RollbackPlan): string {
  const target =
    plan.checkpoint === null
      ? plan.to.slice(0, 12)
      : `checkpoint #${plan.checkpoint} (${plan.to.slice(0, 12)})`;
  const lines = [`Move ${plan.branch} from ${plan.from.slice(0, 12)} back to ${target}.`];
  if (plan.removed.length === 0) lines.push('No task merge is removed.');
  else
    lines.push(`Removes the merges of, and requeues: ${plan.removed.map((entry) => entry.task).join(', ')}`);
  lines.push('Their task branches are kept.');
  return `${lines.join('\n')}\n`;
}

async function ask(plan: RollbackPlan, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    throw new InputError(
      'E_NOT_CONFIRMED',
      `rollback of milestone ${plan.milestone} needs confirmation; nothing was changed`,
      {
        details: describePlan(plan).trimEnd().split('\n'),
        hint: 'stdin is not a terminal: pass --yes to confirm.',
      },
    );
  }
  process.stderr.write(describePlan(plan));
  return askYesNo('Proceed?');
}

/** `cairn rollback <milestone> [--to <checkpoint|commit>]`: see engine/checkpoints/rollback.ts. */
export default async function rollback(
  milestone: string,
  options: { to?: string; yes?: boolean; json?: boolean },
): Promise<number> {
  const result = await rollbackMilestone({
    cwd: process.cwd(),
    milestone,
    ...(options.to === undefined ? {} : { to: options.to }),
    confirm: (plan) => ask(plan, options.yes === true),
  });
  if (options.json) {
    printJson({
      milestone: result.milestone,
      branch: result.branch,
      from: result.from,
      to: result.to,
      checkpoint: result.checkpoint,
      applied: result.applied,
      requeued: result.applied ? result.removed.map((entry) => entry.task) : [],
      removed: result.removed,
    });
  } else if (result.from === result.to) {
    process.stdout.write(`${result.branch} is already at ${result.to.slice(0, 12)}; nothing to do.\n`);
  } else if (!result.applied) {
    process.stdout.write('Cancelled; nothing was changed.\n');
  } else {
    process.stdout.write(
      `${describePlan(result)}Done. Run the requeued tasks again with: cairn run ${result.milestone}\n`,
    );
  }
  return 0;
}
