import { createDemoRepo } from '../../demo/create-demo.js';
import { landMilestone } from '../../engine/land.js';
import { runMilestone } from '../../engine/run-milestone.js';
import { toTaskStatus } from '../../engine/status.js';
import { git } from '../../git/git.js';
import { EXIT } from '../../shared/errors.js';
import { paint } from '../output.js';
import { createConsoleReporter } from '../run-reporter.js';
import { interruptOnSignals } from '../signals.js';
import { renderStatus } from './status.js';

/** `cairn demo`: a real sample project, a 9-task milestone run by scripted agents, landed. */
export default async function demo(options: { dir?: string; concurrency: number }): Promise<number> {
  const started = Date.now();
  const root = await createDemoRepo(options.dir, options.concurrency);
  const out = process.stdout;
  out.write(`${paint('bold', 'Cairn demo', out.isTTY)}: sample project in ${root}\n`);
  out.write(
    'Milestone 001 "Text toolkit": 9 tasks in 4 waves, scripted agents, concurrency ' +
      `${options.concurrency}\n\n`,
  );
  const reporter = createConsoleReporter();
  const interrupt = interruptOnSignals(reporter);
  try {
    const summary = await runMilestone({ cwd: root, milestone: '001', reporter, signal: interrupt.signal });
    reporter.finish();
    out.write(
      `\n${renderStatus({ milestone: summary.milestone, tasks: summary.tasks.map((task) => toTaskStatus(task)) })}\n\n`,
    );
    if (summary.interrupted) return EXIT.interrupted;
    if (summary.milestone.state !== 'done') {
      out.write(`The run did not finish; inspect with: cd ${root} && cairn status 001\n`);
      return EXIT.workFailed;
    }
    const landed = await landMilestone({ cwd: root, milestone: '001', reporter, signal: interrupt.signal });
    reporter.finish();
    const graph = await git(root, [
      'log',
      '--graph',
      '--oneline',
      '--decorate',
      '--color=never',
      '-n',
      '40',
      'main',
    ]);
    out.write(`Landed on main: ${landed.commit.slice(0, 12)}\n\n${graph}\n\n`);
    out.write(`Done in ${((Date.now() - started) / 1000).toFixed(1)}s. The repository is at ${root}\n`);
    out.write(
      `Look around:\n  cd ${root}\n  git log --first-parent main\n  git log --first-parent milestone/001-text-toolkit\n  node --test\n`,
    );
    return EXIT.ok;
  } finally {
    reporter.finish();
    interrupt.dispose();
  }
}
