import { existsSync } from 'node:fs';
import { journaledMilestoneOrSpec } from './find-milestone.js';
import type { RepoPaths } from '../git/repo.js';
import { analyzePhases, type PerfReport } from '../progress/perf/analyze-phases.js';
import { InputError } from '../shared/errors.js';
import { stateDbFile } from './names.js';
import { openStore } from './open-store.js';

/** `cairn perf`: where a milestone's time went, from the phase times its journal holds. */
export async function readPerf(repo: RepoPaths, name: string, cwd: string): Promise<PerfReport> {
  const notRun = (id: string) =>
    new InputError('E_NOT_RUN', `milestone ${id} has not run yet: there are no phase times`, {
      hint: `Run it first: cairn run ${id}`,
    });
  if (!existsSync(stateDbFile(repo.stateDir))) throw notRun(name);
  const store = openStore(repo, { quickCheck: false });
  try {
    const row = await journaledMilestoneOrSpec(repo, store, name, cwd);
    if (!row) throw notRun(name);
    const events = store.eventsOfType(row.id, ['attempt.started', 'attempt.ended', 'task.merged']);
    return analyzePhases(row.id, events, store.latestRun(row.id)?.concurrency ?? 1);
  } finally {
    store.close();
  }
}
