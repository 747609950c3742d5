import { resolveRepo } from '../../git/repo.js';
import { InputError } from '../../shared/errors.js';
import { parseDuration } from '../../spec/duration.js';

const MIN_INTERVAL_MS = 100;

/** `cairn watch [milestone]`: the live terminal dashboard (src/ui/tui). */
export default async function watch(
  milestone: string | undefined,
  options: { interval: string; once?: boolean },
): Promise<number> {
  const intervalMs = parseDuration(options.interval);
  if (intervalMs === undefined || intervalMs < MIN_INTERVAL_MS) {
    throw new InputError(
      'E_BAD_INTERVAL',
      `--interval "${options.interval}" is not a duration of at least 100ms`,
      {
        hint: 'Write it like 500ms, 1s or 2s.',
      },
    );
  }
  const repo = await resolveRepo(process.cwd());
  if (process.stdout.isTTY && !options.once) {
    // ink renders only the last frame when it believes it runs in CI; a person at a terminal
    // (CI=1 left in a shell, a dev container) wants the live one.
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
  }
  const { runWatch } = await import('../../ui/tui/watch.js');
  return runWatch({
    repo,
    name: milestone,
    cwd: process.cwd(),
    intervalMs,
    once: Boolean(options.once),
    stdout: process.stdout,
  });
}
