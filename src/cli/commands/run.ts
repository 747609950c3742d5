import { runMilestone } from '../../engine/run-milestone.js';
import { EXIT } from '../../shared/errors.js';
import type { TaskRow } from '../../store/types.js';
import { taskBranch } from '../../engine/names.js';
import { createConsoleReporter } from '../run-reporter.js';
import { toTaskStatus } from '../../engine/status.js';
import { renderStatus } from './status.js';
import { interruptOnSignals } from '../signals.js';

export default async function run(
  milestone: string,
  options: {
    concurrency?: number;
    rerunChanged?: boolean;
    allowOverlap?: boolean;
    autoTune?: boolean;
    maxConcurrency?: number;
  },
): Promise<number> {
  const reporter = createConsoleReporter();
  const interrupt = interruptOnSignals(reporter);
  try {
    const summary = await runMilestone({
      cwd: process.cwd(),
      milestone,
      reporter,
      signal: interrupt.signal,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      rerunChanged: options.rerunChanged === true,
      allowOverlap: options.allowOverlap === true,
      ...(options.autoTune
        ? {
            autoTune: {
              ...(options.maxConcurrency ? { max: options.maxConcurrency } : {}),
              ...(process.env.CAIRN_TUNE_WINDOW_MS
                ? { windowMs: Number(process.env.CAIRN_TUNE_WINDOW_MS) }
                : {}),
            },
          }
        : {}),
    });
    reporter.finish();
    process.stdout.write(
      `\n${renderStatus({ milestone: summary.milestone, tasks: summary.tasks.map((task) => toTaskStatus(task)) })}\n`,
    );
    if (summary.interrupted) return EXIT.interrupted;
    const unfinished = summary.tasks.filter((task) => task.state !== 'done' && task.state !== 'skipped');
    if (unfinished.length === 0) {
      process.stdout.write(
        `\nAll tasks merged into ${summary.milestone.branch}. Next: cairn land ${summary.milestone.id}\n`,
      );
      return EXIT.ok;
    }
    process.stdout.write(`\n${continueCommands(summary.milestone.id, unfinished)}`);
    return EXIT.workFailed;
  } finally {
    reporter.finish();
    interrupt.dispose();
  }
}

/** The exact commands that continue a milestone whose tasks failed or are blocked. */
export function continueCommands(milestone: string, unfinished: TaskRow[]): string {
  const lines = [`${unfinished.length} task(s) not done. To continue:`];
  for (const task of unfinished) {
    if (task.state === 'failed') {
      lines.push(`  ${task.id} failed: ${task.reason ?? 'see its log'}`);
      lines.push(`    cairn retry ${milestone} ${task.id}    # a fresh attempt`);
      lines.push(`    cairn skip ${milestone} ${task.id}     # go on without it`);
    } else if (task.state === 'blocked' && !task.blocked_by) {
      lines.push(`  ${task.id} is blocked: ${task.reason ?? ''}`);
      lines.push(
        `    resolve it on ${taskBranch(milestone, task.id)}, then: cairn unblock ${milestone} ${task.id}`,
      );
      lines.push(`    cairn retry ${milestone} ${task.id}    # or a fresh attempt`);
    } else if (task.state === 'blocked') {
      lines.push(`  ${task.id} waits for ${task.blocked_by}`);
    }
  }
  lines.push(`  then: cairn run ${milestone}`);
  return `${lines.join('\n')}\n`;
}
