import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { readFileSync } from 'node:fs';
import { isCairnError } from '../../shared/errors.js';
import { manualAction, startJob, type ActionContext } from './actions.js';
import { indexHtml, type Asset } from './assets.js';
import { SECURITY_HEADERS, requireToken } from './auth.js';
import type { Hub } from './hub.js';
import type { Jobs } from './jobs.js';
import { attemptLogFile, findAttempt, streamLog } from './log-stream.js';
import { readProgressView } from './progress-view.js';
import { readSummaries } from './spec-view.js';
import { openSse } from './sse.js';
import { readTaskDetail } from './task-detail.js';
import type { RepoPaths } from '../../git/repo.js';
import type { MilestoneView } from './model.js';

export interface AppContext {
  repo: RepoPaths;
  token: string;
  port: () => number;
  hub: Hub;
  jobs: Jobs;
  assets: Map<string, Asset>;
}

type Env = { Bindings: HttpBindings };

const MILESTONE = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const TASK = /^[a-z0-9][a-z0-9._-]{0,127}$/;

const json = (c: Context<Env>, body: unknown, status: 200 | 202 | 400 | 404 | 409 | 500 = 200) =>
  c.json(body as object, status, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' });

function badName(c: Context<Env>, what: string) {
  return json(c, { ok: false, message: `not a ${what} name` }, 400);
}

/** Every route of the dashboard; the token check comes first, for all of them. */
export function createApp(ctx: AppContext): Hono<Env> {
  const app = new Hono<Env>();
  const { hub, repo } = ctx;
  const actions: ActionContext = {
    root: repo.root,
    store: hub.store,
    jobs: ctx.jobs,
    onJob: (job) => hub.broadcast(job.milestone, 'job', JSON.stringify(job)),
    changed: hub.check,
  };

  app.use('*', requireToken(ctx.token, ctx.port));
  app.onError((error, c) => {
    if (isCairnError(error)) {
      return json(
        c,
        { ok: false, message: error.message, hint: error.hint },
        error.exitCode === 2 ? 400 : 409,
      );
    }
    return json(c, { ok: false, message: `unexpected failure: ${error.message}` }, 500);
  });
  app.notFound((c) => json(c, { ok: false, message: 'not found' }, 404));

  app.get('/', (c) =>
    c.html(indexHtml(ctx.token), 200, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' }),
  );
  app.get('/assets/:name', (c) => {
    const asset = ctx.assets.get(c.req.param('name'));
    if (!asset) return json(c, { ok: false, message: 'no such asset (was `npm run build` run?)' }, 404);
    const gzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    const headers = {
      ...SECURITY_HEADERS,
      'Content-Type': asset.type,
      'Cache-Control': 'no-cache',
      Vary: 'Accept-Encoding',
    };
    return c.body(
      new Uint8Array(gzip ? asset.gzip : asset.body),
      200,
      gzip ? { ...headers, 'Content-Encoding': 'gzip' } : headers,
    );
  });
  app.get('/api/health', (c) => json(c, { ok: true, clients: hub.clients() }));
  app.get('/api/milestones', (c) => json(c, readSummaries(repo, hub.store())));
  app.get('/api/stream', (c) => {
    hub.watchList(openSse(c.env.incoming, c.env.outgoing, SECURITY_HEADERS));
    return RESPONSE_ALREADY_SENT;
  });

  app.get('/api/m/:m', (c) => {
    const id = c.req.param('m');
    if (!MILESTONE.test(id)) return badName(c, 'milestone');
    return json(c, hub.view(id) satisfies MilestoneView);
  });
  app.get('/api/m/:m/stream', (c) => {
    const id = c.req.param('m');
    if (!MILESTONE.test(id)) return badName(c, 'milestone');
    const view = hub.view(id); // a milestone that does not exist fails here, before the stream opens
    hub.watchMilestone(id, openSse(c.env.incoming, c.env.outgoing, SECURITY_HEADERS), view);
    return RESPONSE_ALREADY_SENT;
  });
  app.get('/api/m/:m/progress', async (c) => {
    const id = c.req.param('m');
    if (!MILESTONE.test(id)) return badName(c, 'milestone');
    return json(c, await readProgressView(repo, id));
  });
  app.get('/api/m/:m/jobs', (c) => json(c, ctx.jobs.list(c.req.param('m'))));
  app.get('/api/m/:m/t/:t', async (c) => {
    const [m, t] = [c.req.param('m'), c.req.param('t')];
    if (!MILESTONE.test(m)) return badName(c, 'milestone');
    if (!TASK.test(t)) return badName(c, 'task');
    const detail = await readTaskDetail(repo, hub.store(), hub.view(m), t);
    return detail ? json(c, detail) : json(c, { ok: false, message: `no task ${t} in milestone ${m}` }, 404);
  });

  const logOf = (c: Context<Env>) => {
    const [m, t, n] = [c.req.param('m') ?? '', c.req.param('t') ?? '', c.req.param('n') ?? ''];
    if (!MILESTONE.test(m) || !TASK.test(t) || !/^[1-9][0-9]{0,5}$/.test(n)) return undefined;
    const store = hub.store();
    const row = store ? findAttempt(store, m, t, Number(n)) : undefined;
    const file = row ? attemptLogFile(repo.stateDir, row) : undefined;
    return row && file ? { store: store!, row, file } : undefined;
  };
  app.get('/api/m/:m/t/:t/a/:n/log', (c) => {
    const found = logOf(c);
    if (!found) return json(c, { ok: false, message: 'no such attempt log' }, 404);
    const { store, row, file } = found;
    const ended = () =>
      findAttempt(store, row.milestone, row.task, row.attempt)?.ended_at != null || !hub.live(row.milestone);
    streamLog(openSse(c.env.incoming, c.env.outgoing, SECURITY_HEADERS), file, ended);
    return RESPONSE_ALREADY_SENT;
  });
  app.get('/api/m/:m/t/:t/a/:n/log.txt', (c) => {
    const found = logOf(c);
    if (!found) return json(c, { ok: false, message: 'no such attempt log' }, 404);
    let text = '';
    try {
      text = readFileSync(found.file, 'utf8');
    } catch {
      // No output yet.
    }
    return c.text(text, 200, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' });
  });

  app.post('/api/m/:m/t/:t/:action{retry|skip|unblock}', async (c) => {
    const [m, t] = [c.req.param('m'), c.req.param('t')];
    if (!MILESTONE.test(m)) return badName(c, 'milestone');
    if (!TASK.test(t)) return badName(c, 'task');
    const body = (await c.req.json().catch(() => ({}))) as { run?: unknown };
    const action = c.req.param('action') as 'retry' | 'skip' | 'unblock';
    const outcome = await manualAction(actions, action, m, t, body.run === true);
    return json(c, outcome.body, outcome.status);
  });
  app.post('/api/m/:m/:action{land|run}', (c) => {
    const m = c.req.param('m');
    if (!MILESTONE.test(m)) return badName(c, 'milestone');
    const outcome = startJob(actions, c.req.param('action') as 'land' | 'run', m);
    return json(c, outcome.body, outcome.status);
  });
  return app;
}
