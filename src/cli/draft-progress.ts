import type { DraftEvent } from '../engine/spec-draft/draft-spec.js';
import { duration } from '../ui/tui/format.js';
import { paint } from './output.js';

const TICK_MS = 15_000;

/** Progress lines on stderr while an agent drafts a spec: each round, elapsed time, the outcome. */
export function createDraftProgress(agent: string, timeoutMs: number) {
  const write = (line: string) => process.stderr.write(`${line}\n`);
  let timer: NodeJS.Timeout | undefined;
  const stopTicking = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  return {
    onEvent(event: DraftEvent): void {
      if (event.kind === 'round') {
        const started = performance.now();
        const label = `round ${event.round}/${event.rounds}`;
        write(
          `${label}: asking ${agent} for the spec (timeout ${duration(timeoutMs / 1000).replace(/(\d)(m|h)00[ms]$/, '$1$2')})…`,
        );
        stopTicking();
        timer = setInterval(
          () => write(`${label}: ${agent} is working (${duration((performance.now() - started) / 1000)})`),
          TICK_MS,
        );
        timer.unref();
      } else if (event.kind === 'touched') {
        write(
          `${paint('yellow', 'warning:')} the agent changed your working tree in round ${event.round} (left as it is): ${event.changes.join(', ')}`,
        );
      } else {
        stopTicking();
        const label = `round ${event.round}/${event.rounds}`;
        const from = event.source === 'file' ? 'its file' : 'a ```yaml block in its output';
        if (event.problems === 0) write(`${label}: the spec from ${from} validates`);
        else {
          const count = `${event.problems} problem${event.problems === 1 ? '' : 's'}`;
          const next = event.round < event.rounds ? '; asking again with them' : '';
          write(`${label}: the spec from ${from} has ${count}${next}`);
        }
      }
    },
    dispose: stopTicking,
  };
}
