import { resolveCommit } from '../../git/refs.js';
import { resolveRepo } from '../../git/repo.js';
import { InputError } from '../../shared/errors.js';
import type { Store } from '../../store/types.js';
import { loadMilestone } from '../load.js';
import { openStore } from '../open-store.js';
import { chooseResumePoint, isUsable, type Candidate } from './choose.js';
import { parseCheckpoint } from './parse.js';
import { scoreCheckpoint } from './score.js';
import { validateCheckpoint } from './validate.js';

export interface ResumeExplanation {
  milestone: string;
  branch: string;
  branchHead: string | null;
  candidates: (Candidate & { usable: boolean })[];
  chosen: number | null;
  why: string;
}

/** Every kept checkpoint of a milestone, validated against git and scored, best first. */
export async function rankCheckpoints(
  root: string,
  store: Store,
  milestone: string,
  branch: string,
  specTasks: string[],
): Promise<{ branchHead: string | undefined; candidates: Candidate[] }> {
  const branchHead = await resolveCommit(root, `refs/heads/${branch}`);
  const seqs = store.events(milestone).map((event) => event.seq);
  const candidates: Candidate[] = [];
  for (const row of store.checkpoints(milestone)) {
    const checkpoint = parseCheckpoint(row);
    const validation = await validateCheckpoint(root, checkpoint, branchHead);
    const eventsAfter = seqs.filter((seq) => seq > checkpoint.seq).length;
    candidates.push({
      checkpoint,
      validation,
      score: scoreCheckpoint({ checkpoint, validation, specTasks, eventsAfter }),
      tasksDone: checkpoint.content.tasks.filter((task) => task.state === 'done').length,
      eventsAfter,
    });
  }
  return { branchHead, candidates };
}

/** `cairn resume --explain`: the candidates and the choice, without running or changing anything. */
export async function explainResume(cwd: string, milestone: string): Promise<ResumeExplanation> {
  const repo = await resolveRepo(cwd);
  const { spec } = loadMilestone(repo.root, milestone, cwd);
  const store = openStore(repo);
  try {
    const row = store.milestone(spec.id);
    if (!row) {
      throw new InputError('E_NOT_RUN', `milestone ${spec.id} has not been run yet`, {
        hint: `Start it with: cairn run ${spec.id}`,
      });
    }
    const specTasks = spec.tasks.map((task) => task.id);
    const { branchHead, candidates } = await rankCheckpoints(
      repo.root,
      store,
      spec.id,
      row.branch,
      specTasks,
    );
    const choice = chooseResumePoint(candidates);
    return {
      milestone: spec.id,
      branch: row.branch,
      branchHead: branchHead ?? null,
      candidates: choice.ranked.map((candidate) => ({ ...candidate, usable: isUsable(candidate) })),
      chosen: choice.chosen?.checkpoint.id ?? null,
      why: choice.why,
    };
  } finally {
    store.close();
  }
}
