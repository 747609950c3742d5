import { landMilestone } from '../../engine/land.js';
import { createConsoleReporter } from '../run-reporter.js';
import { printJson } from '../output.js';
import { interruptOnSignals } from '../signals.js';

/** `cairn land`: integration, then the no-fast-forward merge into base. */
export default async function land(
  milestone: string,
  options: { json?: boolean; pr?: boolean },
): Promise<number> {
  const reporter = createConsoleReporter();
  const interrupt = interruptOnSignals(reporter);
  try {
    const result = await landMilestone({
      cwd: process.cwd(),
      milestone,
      reporter,
      signal: interrupt.signal,
      pr: options.pr === true,
    });
    if (options.json) {
      printJson(result);
      return 0;
    }
    if (result.alreadyLanded) {
      process.stdout.write(
        `Milestone ${result.milestone} already landed on ${result.base} (${result.commit.slice(0, 12)}); nothing to do.\n`,
      );
      return 0;
    }
    if (result.pullRequest) {
      process.stdout.write(
        `Opened a pull request for milestone ${result.milestone}: ${result.pullRequest}\n`,
      );
      return 0;
    }
    const where = result.updatedWorktree ? ` (checked out at ${result.updatedWorktree}, updated)` : '';
    process.stdout.write(
      `Landed milestone ${result.milestone} on ${result.base}${where}: ${result.commit.slice(0, 12)}\n`,
    );
    process.stdout.write(`See it: git log --first-parent -n 3 ${result.base}\n`);
    return 0;
  } finally {
    reporter.finish();
    interrupt.dispose();
  }
}
