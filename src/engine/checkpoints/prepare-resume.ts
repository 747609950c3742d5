import { hostname } from 'node:os';
import { resolveRepo } from '../../git/repo.js';
import { readLeases } from '../../store/read-leases.js';
import { isHolderRunning, isLeaseLive } from '../doctor/check-lease.js';
import { stateDbFile } from '../names.js';
import { openStore } from '../open-store.js';
import { explainResume } from './explain.js';

/**
 * Before `cairn resume` runs: the projections must equal a replay of the journal (the journal is
 * the record; a drifted projection is rebuilt from it, said on stderr), and the chosen checkpoint
 * is named with what it preserves. The run itself then reconciles with git from there.
 */
export async function prepareResume(cwd: string, milestone: string): Promise<string[]> {
  const explanation = await explainResume(cwd, milestone);
  const repo = await resolveRepo(cwd);
  const notices: string[] = [];
  const world = { host: hostname(), now: Date.now(), isRunning: isHolderRunning };
  const live = readLeases(stateDbFile(repo.stateDir)).some(
    (lease) => lease.milestone === explanation.milestone && isLeaseLive(lease, world),
  );
  // A live run owns the journal; `cairn run` below says so and stops (exit 3).
  if (!live) {
    const store = openStore(repo);
    try {
      const diffs = store.projectionDiff();
      if (diffs.length > 0) {
        const replayed = store.rebuildProjections();
        notices.push(
          `the projections had drifted from the journal in ${diffs.length} place(s) (${diffs[0]}); rebuilt them from ${replayed} events`,
        );
      }
    } finally {
      store.close();
    }
  }
  const chosen = explanation.candidates.find((c) => c.checkpoint.id === explanation.chosen);
  notices.push(
    chosen
      ? `resuming from checkpoint #${chosen.checkpoint.id} (${chosen.checkpoint.reason}, ${chosen.score.band}, score ${chosen.score.total.toFixed(2)}): ${chosen.tasksDone} task(s) done kept, ${chosen.eventsAfter} later event(s) replayed; git reconciles the rest`
      : `no usable checkpoint (${explanation.why}); resuming from the journal and git`,
  );
  return notices;
}
