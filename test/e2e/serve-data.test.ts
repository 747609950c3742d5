import { createRequire } from 'node:module';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CairnEvent } from '../../src/store/events.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { browserAvailable, launchBrowser, screenshotPath } from './browser.js';
import { cleanupTemp, createRepo } from './helpers.js';
import { raw, startServe, type Served } from './serve-helpers.js';

const require = createRequire(import.meta.url);
afterAll(cleanupTemp);

const ids = (n: number) => Array.from({ length: n }, (_, i) => `t${String(i + 1).padStart(4, '0')}`);

/** A journal of a milestone of `count` tasks, most of them done, some failed, the rest pending. */
function journal(root: string, count: number): string {
  const file = path.join(root, '.git', 'cairn', 'state.db');
  const store = openSqliteStore(file);
  const tasks = ids(count);
  const run = 'r1';
  const events: CairnEvent[] = [
    {
      type: 'milestone.planned',
      milestone: '001',
      title: 'Big',
      branch: 'milestone/001-big',
      base: 'main',
      specFile: path.join(root, '.milestones', '001-big.yaml'),
      // Each task depends on one or two of the ten before it: about ten waves deep.
      tasks: tasks.map((id, i) => ({
        id,
        title: `Task ${id}`,
        agent: 'bench',
        dependsOn:
          i === 0 ? [] : [tasks[Math.max(0, i - 1 - (i % 10))]!, ...(i % 3 === 0 ? [tasks[i - 1]!] : [])],
      })),
    },
    { type: 'run.started', milestone: '001', run, pid: 999_999, host: 'test', concurrency: 4 },
  ];
  tasks.forEach((task, i) => {
    if (i >= count * 0.6) return;
    const head = `${i.toString(16)}`.padStart(40, 'a');
    events.push(
      { type: 'attempt.started', milestone: '001', task, run, attempt: 1, agent: 'bench', logFile: 'x.log' },
      i % 25 === 0
        ? {
            type: 'attempt.ended',
            milestone: '001',
            task,
            attempt: 1,
            outcome: 'failed',
            exitCode: 1,
            signal: null,
          }
        : {
            type: 'attempt.ended',
            milestone: '001',
            task,
            attempt: 1,
            outcome: 'succeeded',
            exitCode: 0,
            signal: null,
            head,
          },
    );
    if (i % 25 === 0)
      events.push({ type: 'task.state', milestone: '001', task, state: 'failed', reason: 'exit 1' });
    else events.push({ type: 'task.merged', milestone: '001', task, commit: head.replace(/^a/, 'b'), head });
  });
  events.push({ type: 'run.ended', milestone: '001', run, state: 'failed' });
  store.append(events);
  store.close();
  return file;
}

/** Columns later versions added to version 1 tables. */
const LATER_COLUMNS: [table: string, column: string][] = [['attempts', 'activity']];

/** Turns a database into one of schema version 1: every object later versions added is dropped. */
function downgradeToV1(file: string): void {
  const v1 = new Set([
    'events',
    'milestones',
    'runs',
    'tasks',
    'attempts',
    'leases',
    'checkpoints',
    'events_by_milestone',
    'checkpoints_by_milestone',
    'sqlite_sequence',
  ]);
  const BetterSqlite = require('better-sqlite3') as typeof Database;
  const db = new BetterSqlite(file);
  const objects = db
    .prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%'")
    .all() as { type: string; name: string }[];
  for (const { type, name } of objects) {
    if (!v1.has(name) && (type === 'table' || type === 'index'))
      db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name}"`);
  }
  for (const [table, column] of LATER_COLUMNS) db.exec(`ALTER TABLE "${table}" DROP COLUMN "${column}"`);
  db.pragma('user_version = 1');
  db.close();
}

describe.skipIf(!browserAvailable())('cairn serve: a 1,000-task milestone and an older database', () => {
  let served: Served;
  let browser: Browser;
  beforeAll(async () => {
    const root = createRepo();
    downgradeToV1(journal(root, 1000));
    served = await startServe(root);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('reads a database of schema version 1 (older Cairn) and serves its milestone', async () => {
    const reply = await raw(served.port, `/api/m/001?token=${served.token}`);
    expect(reply.status).toBe(200);
    const view = JSON.parse(reply.body) as { tasks: { state: string }[] };
    expect(view.tasks).toHaveLength(1000);
    expect(view.tasks.filter((t) => t.state === 'done')).toHaveLength(576);
  });

  it('keeps the matrix and the graph usable with 1,000 tasks', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${served.url}#/m/001`);
    await expect.poll(() => page.locator('.matrix .cell').count(), { timeout: 20_000 }).toBe(1000);
    expect(await page.locator('svg.dag a').count()).toBe(1000);
    expect(await page.locator('.matrix .cell[data-state="failed"]').count()).toBe(24);
    // Filtering by text and by state.
    await page.locator('.filters input').fill('t0999');
    await expect.poll(() => page.locator('.matrix .cell:visible').count()).toBe(1);
    await page.locator('.filters input').fill('');
    await page.locator('.filters select').selectOption('failed');
    await expect.poll(() => page.locator('.matrix .cell:visible').count()).toBe(24);
    await page.locator('.filters select').selectOption('');
    // Keyboard: tabbing reaches the tasks, Enter opens one.
    await page.locator('.matrix .cell').first().focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toContain('t0001');
    await page.goBack();
    await expect.poll(() => page.locator('.matrix .cell').count()).toBe(1000);
    await page.screenshot({ path: screenshotPath('serve-1000-tasks'), fullPage: false });
    await page.locator('#dag').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('serve-1000-tasks-graph') });
    await page.close();
  });

  it('lists milestones on the first page', async () => {
    const page = await browser.newPage();
    await page.goto(served.url);
    await expect.poll(() => page.locator('table.list tbody tr').count()).toBe(1);
    expect(await page.locator('table.list').textContent()).toContain('576/1000');
    await page.screenshot({ path: screenshotPath('serve-milestones') });
    await page.close();
  });
});
