/** An abort signal raised by Ctrl-C or SIGTERM, until disposed. */
export interface SignalAbort {
  signal: AbortSignal;
  dispose(): void;
}

/**
 * Ctrl-C and SIGTERM abort the returned signal instead of killing the process, so what it
 * started (agents, their process groups) is stopped in order. `onSignal` hears each one,
 * with `again` true once the signal was aborted already.
 */
export function abortOnSignals(
  onSignal?: (name: 'interrupted' | 'terminated', again: boolean) => void,
): SignalAbort {
  const controller = new AbortController();
  const handle = (name: 'interrupted' | 'terminated') => {
    onSignal?.(name, controller.signal.aborted);
    controller.abort();
  };
  const onInt = () => handle('interrupted');
  const onTerm = () => handle('terminated');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/** Turns Ctrl-C (and SIGTERM) into an orderly stop: agents get SIGTERM, the run journals and exits 130. */
export function interruptOnSignals(reporter: { onNotice(message: string): void }): SignalAbort {
  return abortOnSignals((name, again) =>
    reporter.onNotice(
      again
        ? 'still stopping agents; they are killed when their grace period ends'
        : `${name}: stopping agents; run \`cairn run\` again to continue where this stopped`,
    ),
  );
}
