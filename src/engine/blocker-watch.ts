/** How often a running task's blockers are looked for; an alert stops its agent within about this long. */
export const BLOCKER_POLL_MS = 500;

export interface BlockerWatch {
  /** Aborts when the run stops or a blocker is raised for the task. */
  signal: AbortSignal;
  /** The blocker's reason, if one was raised. */
  blocked(): string | undefined;
  stop(): void;
}

/**
 * Looks for a blocker of one task every `everyMs` while it runs: an agent that raised one is
 * stopped at once (through the same abort as an interrupted run, so its work is kept) rather
 * than when its attempt ends.
 */
export function watchBlocker(
  check: () => string | undefined,
  run: AbortSignal,
  everyMs = BLOCKER_POLL_MS,
): BlockerWatch {
  const controller = new AbortController();
  let reason: string | undefined;
  const look = () => {
    reason ??= check();
    if (reason !== undefined) controller.abort();
    return reason;
  };
  const onRun = () => controller.abort();
  if (run.aborted) controller.abort();
  else run.addEventListener('abort', onRun, { once: true });
  const timer = setInterval(() => {
    if (look() !== undefined) clearInterval(timer);
  }, everyMs);
  return {
    signal: controller.signal,
    blocked: look,
    stop() {
      clearInterval(timer);
      run.removeEventListener('abort', onRun);
    },
  };
}
