import { actOnTask, type ManualAction } from '../../engine/manual.js';
import { isCairnError } from '../../shared/errors.js';
import type { Store } from '../../store/types.js';
import type { Jobs } from './jobs.js';
import type { ActionResult, JobView } from './model.js';
import { isLive } from './read-model.js';

export interface ActionContext {
  root: string;
  store: () => Store | undefined;
  jobs: Jobs;
  /** Tells the milestone's pages about a job (started, ended). */
  onJob: (job: JobView) => void;
  /** Checks the journal at once, so the page sees the action's effect without waiting. */
  changed: () => void;
}

export interface ActionOutcome {
  status: 200 | 202 | 400 | 409 | 500;
  body: ActionResult;
}

function failure(error: unknown): ActionOutcome {
  if (isCairnError(error)) {
    const status = error.exitCode === 3 ? 409 : error.exitCode === 2 ? 400 : 409;
    return {
      status,
      body: { ok: false, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
    };
  }
  return { status: 500, body: { ok: false, message: `unexpected failure: ${(error as Error).message}` } };
}

/** Starts `cairn run` or `cairn land` unless a run holds the milestone or a job of it runs. */
export function startJob(ctx: ActionContext, action: 'run' | 'land', milestone: string): ActionOutcome {
  const busy = ctx.jobs.running(milestone);
  if (busy) {
    return {
      status: 409,
      body: { ok: false, message: `a ${busy.action} of milestone ${milestone} is already going on` },
    };
  }
  if (isLive(ctx.store()?.latestRun(milestone))) {
    return { status: 409, body: { ok: false, message: `milestone ${milestone} is being run right now` } };
  }
  const job = ctx.jobs.start(action, milestone, (ended) => {
    ctx.onJob(ended);
    ctx.changed();
  });
  ctx.onJob(job);
  const message = action === 'run' ? `cairn run ${milestone} started` : `cairn land ${milestone} started`;
  return { status: 202, body: { ok: true, message, job } };
}

/** retry, skip, unblock: journaled at once (engine/manual.ts); `run` then starts a run to act on it. */
export async function manualAction(
  ctx: ActionContext,
  action: ManualAction,
  milestone: string,
  task: string,
  run: boolean,
): Promise<ActionOutcome> {
  let state: string;
  try {
    state = (await actOnTask(ctx.root, milestone, task, action)).state;
  } catch (error) {
    return failure(error);
  } finally {
    ctx.changed();
  }
  const done = `${action}: ${task} is now ${state}`;
  if (!run) return { status: 200, body: { ok: true, message: `${done}; it takes effect on the next run` } };
  const started = startJob(ctx, 'run', milestone);
  if (!started.body.ok) {
    return { status: 200, body: { ok: true, message: `${done}; no run started: ${started.body.message}` } };
  }
  return { status: 202, body: { ...started.body, message: `${done}; ${started.body.message}` } };
}
