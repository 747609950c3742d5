/**
 * `serve`: the web dashboard. (1) Event-to-screen latency: a journaled event until the task's
 * cell changes in Chromium, p50/p95 over 200 events, against the same event's arrival at a plain
 * SSE client. (2) 50 SSE clients during a 200-task scripted run against 1: server CPU and RSS,
 * and every journal event delivered to every client. (3) The client bundle's size, and the first
 * load of the dashboard against a static page with a script of the same size, same server.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../test/e2e/browser.js';
import type { CairnEvent } from '../src/store/events.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { openJournalWatch } from '../src/store/watch-journal.js';
import { resolveRepo } from '../src/git/repo.js';
import { startDashboard } from '../src/ui/web/serve-dashboard.js';
import { connectClient, processUsage, startServer } from './serve-clients.js';
import {
  CLI,
  ROOT,
  createBenchRepo,
  goal,
  log,
  median,
  quantile,
  round,
  taskIds,
  tempDir,
  timeProcess,
  type BenchOutcome,
} from './lib.js';

const EVENTS = Number(process.env.BENCH_SERVE_EVENTS ?? 200);
const CLIENTS = Number(process.env.BENCH_SERVE_CLIENTS ?? 50);
const RUN_TASKS = Number(process.env.BENCH_SERVE_TASKS ?? 200);
const LOADS = Number(process.env.BENCH_SERVE_LOADS ?? 15);
const ASSETS = path.join(ROOT, 'dist', 'ui', 'web', 'client');

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A repository whose journal plans milestone 001 with `count` pending tasks. */
function plannedRepo(count: number): { repo: string; db: string } {
  const repo = createBenchRepo(count, 'cairn-bench-serve-');
  const db = path.join(repo, '.git', 'cairn', 'state.db');
  const store = openSqliteStore(db);
  store.append({
    type: 'milestone.planned',
    milestone: '001',
    title: 'Bench',
    branch: 'milestone/001-bench',
    base: 'main',
    specFile: path.join(repo, '.milestones', '001-bench.yaml'),
    tasks: taskIds(count).map((id) => ({ id, title: `Write ${id}.txt`, agent: 'bench' })),
  });
  store.close();
  return { repo, db };
}

async function latency(browser: Browser, repo: string, db: string) {
  const server = await startServer(repo);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}#/m/001`);
    // Browser-side code as strings: this file is type-checked without the DOM library.
    await page.waitForFunction(`document.querySelectorAll('.matrix .cell').length === ${EVENTS}`, undefined, {
      timeout: 30_000,
    });
    await page.evaluate(`(() => {
      const seen = (window.__seen = {});
      new MutationObserver((mutations) => {
        const at = performance.timeOrigin + performance.now();
        for (const m of mutations)
          for (const el of m.addedNodes)
            if (el.dataset && el.dataset.state === 'running' && el.dataset.task && !(el.dataset.task in seen))
              seen[el.dataset.task] = at;
      }).observe(document.querySelector('.matrix'), { childList: true });
    })()`);
    const sse = await connectClient(server.port, server.token, '001');
    const watch = openJournalWatch(db);
    const base = watch.lastSeq();
    watch.close();
    const store = openSqliteStore(db);
    const ids = taskIds(EVENTS);
    const sent: number[] = [];
    for (const task of ids) {
      sent.push(now());
      store.append({ type: 'task.state', milestone: '001', task, state: 'running' } satisfies CairnEvent);
      await sleep(40 + Math.random() * 20);
    }
    store.close();
    const deadline = Date.now() + 15_000;
    let seen: Record<string, number> = {};
    while (Date.now() < deadline) {
      seen = (await page.evaluate('window.__seen')) as Record<string, number>;
      if (Object.keys(seen).length === EVENTS) break;
      await sleep(200);
    }
    sse.close();
    await page.close();
    const screen = ids.flatMap((task, i) => (seen[task] === undefined ? [] : [seen[task]! - sent[i]!]));
    const wire = ids.flatMap((_, i) => {
      const at = sse.arrivals.get(base + i + 1);
      return at === undefined ? [] : [at - sent[i]!];
    });
    if (screen.length !== EVENTS)
      throw new Error(`only ${screen.length} of ${EVENTS} events reached the screen`);
    return { screen, wire };
  } finally {
    await server.stop();
  }
}

async function fanout(clients: number) {
  const repo = createBenchRepo(RUN_TASKS, 'cairn-bench-serve-run-');
  const server = await startServer(repo);
  try {
    const connected = await Promise.all(
      Array.from({ length: clients }, () => connectClient(server.port, server.token, '001')),
    );
    await sleep(500);
    const before = processUsage(server.child.pid!);
    let peak = before.rssMb;
    const sampler = setInterval(() => (peak = Math.max(peak, processUsage(server.child.pid!).rssMb)), 200);
    const run = await timeProcess(process.execPath, [CLI, 'run', '001', '--concurrency', '4'], { cwd: repo });
    if (run.code !== 0) throw new Error(`cairn run exited ${run.code}: ${run.stderr}`);
    await sleep(1500);
    clearInterval(sampler);
    const after = processUsage(server.child.pid!);
    const store = openSqliteStore(path.join(repo, '.git', 'cairn', 'state.db'));
    const expected = store.events('001').map((e) => e.seq);
    store.close();
    const deadline = Date.now() + 5000;
    const missing = () =>
      connected.reduce((n, c) => n + expected.filter((seq) => !c.seqs.has(seq)).length, 0);
    while (missing() > 0 && Date.now() < deadline) await sleep(100);
    const dropped = missing();
    for (const client of connected) client.close();
    return {
      clients,
      run_ms: round(run.ms, 0),
      events: expected.length,
      dropped,
      server_cpu_s: round(after.cpuSec - before.cpuSec, 2),
      server_cpu_share: round((after.cpuSec - before.cpuSec) / (run.ms / 1000), 3),
      server_rss_mb: round(peak, 1),
      bytes_per_client_kb: round(median(connected.map((c) => c.bytes)) / 1024, 1),
    };
  } finally {
    await server.stop();
  }
}

/** Dashboard first load against a static page whose script has the bundle's size, same server. */
async function firstLoad(browser: Browser, repo: string) {
  const dir = tempDir('cairn-bench-serve-assets-');
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(ASSETS)) copyFileSync(path.join(ASSETS, name), path.join(dir, name));
  const size = statSync(path.join(ASSETS, 'app.js')).size;
  const body = "document.title = 'loaded';\n";
  writeFileSync(
    path.join(dir, 'baseline.js'),
    `${body}/*${'x'.repeat(Math.max(0, size - body.length - 4))}*/`,
  );
  const token = 'benchtoken';
  writeFileSync(
    path.join(dir, 'baseline.html'),
    `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/app.css?token=${token}"><script type="module" src="/assets/baseline.js?token=${token}"></script></head><body><main>static</main></body></html>`,
  );
  process.env.CAIRN_SERVE_ASSETS = dir;
  const dashboard = await startDashboard({
    repo: await resolveRepo(repo),
    port: 0,
    token,
    launch: () => {
      throw new Error('no jobs in the benchmark');
    },
  });
  delete process.env.CAIRN_SERVE_ASSETS;
  const origin = `http://127.0.0.1:${dashboard.port}`;
  const samples = { dashboard: [] as number[], static: [] as number[] };
  try {
    for (let i = 0; i < LOADS + 2; i++) {
      for (const which of ['dashboard', 'static'] as const) {
        const context = await browser.newContext();
        const page = await context.newPage();
        const started = now();
        if (which === 'dashboard') {
          await page.goto(dashboard.url);
          await page.waitForSelector('table.list tbody tr');
        } else {
          await page.goto(`${origin}/assets/baseline.html?token=${token}`);
          await page.waitForFunction(`document.title === 'loaded'`);
        }
        if (i >= 2) samples[which].push(now() - started);
        await context.close();
      }
    }
  } finally {
    await dashboard.close();
  }
  return { samples, size };
}

export async function runServe(): Promise<BenchOutcome> {
  const browser = await launchBrowser();
  try {
    const { repo, db } = plannedRepo(EVENTS);
    log(`  serve: event-to-screen latency over ${EVENTS} events`);
    const lat = await latency(browser, repo, db);
    log(`  serve: first loads (${LOADS} each)`);
    const load = await firstLoad(browser, repo);
    log(`  serve: ${RUN_TASKS}-task run with 1 SSE client, then with ${CLIENTS}`);
    const one = await fanout(1);
    const many = await fanout(CLIENTS);
    const js = path.join(ASSETS, 'app.js');
    const css = path.join(ASSETS, 'app.css');
    const jsKb = round(statSync(js).size / 1024, 1);
    const jsGzipKb = round(gzipSync(readFileSync(js), { level: 9 }).length / 1024, 1);
    const p = (values: number[], q: number) => round(quantile(values, q / 100), 1);
    const loadDash = round(median(load.samples.dashboard), 1);
    const loadStatic = round(median(load.samples.static), 1);
    const cpuRatio = round(many.server_cpu_s / Math.max(0.01, one.server_cpu_s), 2);
    return {
      figures: {
        latency_events: EVENTS,
        screen_latency_p50_ms: p(lat.screen, 50),
        screen_latency_p95_ms: p(lat.screen, 95),
        screen_latency_max_ms: p(lat.screen, 100),
        sse_arrival_p50_ms: p(lat.wire, 50),
        sse_arrival_p95_ms: p(lat.wire, 95),
        bundle_js_kb: jsKb,
        bundle_js_gzip_kb: jsGzipKb,
        bundle_css_kb: round(statSync(css).size / 1024, 1),
        first_load_ms: loadDash,
        fanout_many: many,
      },
      baseline: {
        description: `a plain SSE client (latency); a static page whose script has the bundle's size, same server (first load); the same run with 1 SSE client (fan-out)`,
        figures: {
          static_first_load_ms: loadStatic,
          static_script_kb: round(load.size / 1024, 1),
          fanout_one: one,
        },
      },
      ratio: {
        'first_load/static': round(loadDash / loadStatic, 2),
        'cpu_50_clients/cpu_1_client': cpuRatio,
        'screen_p50/sse_p50': round(quantile(lat.screen, 0.5) / quantile(lat.wire, 0.5), 2),
      },
      goals: {
        screen_latency_p95_ms: goal(p(lat.screen, 95), '<=', 500, 'ms'),
        events_dropped: goal(many.dropped + one.dropped, '<=', 0),
        bundle_js_kb: goal(jsKb, '<=', 300, 'KB'),
        'first_load/static': goal(round(loadDash / loadStatic, 2), '<=', 2),
      },
      notes: [
        `latency: a task.state event journaled every 40-60 ms by another process; the time until Chromium's matrix shows the cell as running (MutationObserver), both clocks performance.timeOrigin + now() on one machine; the server notices a commit by fs.watch on the state directory, else by polling PRAGMA data_version every 200 ms`,
        `fan-out: ${RUN_TASKS} tasks at concurrency 4 with agents that write one file; dropped = journal events of the milestone some client was not sent (its snapshot feed and patches); CPU from /proc/<pid>/stat of the server over the run plus 1.5 s`,
        `first load: a fresh browser context each time (no cache), from navigation to the milestone list drawn; median of ${LOADS} after 2 warm-ups, interleaved with the static page`,
      ],
    };
  } finally {
    await browser.close();
  }
}
