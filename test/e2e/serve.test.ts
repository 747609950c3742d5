import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, screenshotPath } from './browser.js';
import { cairn, cleanupTemp } from './helpers.js';
import { invocations, setupScenario, startCairn, waitFor } from './scenarios.js';
import { raw, startServe, type Served } from './serve-helpers.js';

afterAll(cleanupTemp);

const HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">';

describe.skipIf(!browserAvailable())('cairn serve: the live dashboard in a browser', () => {
  // alpha and beta wait for a go file each, so the test sees them run; flaky fails until `ok` exists.
  const scenario = setupScenario({
    spec: {
      title: 'Live',
      tasks: [
        { id: 'alpha', title: `Alpha ${HOSTILE}` },
        { id: 'beta', depends_on: ['alpha'] },
        { id: 'flaky', retries: 0 },
      ],
    },
    agentBody: [
      'if [ "$CAIRN_TASK" = flaky ] && [ ! -f "$SCRATCH/ok" ]; then echo "flaky fails"; exit 3; fi',
      'i=0; while [ ! -f "$SCRATCH/go-$CAIRN_TASK" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done',
      `echo '${HOSTILE}'`,
      'echo "$CAIRN_TASK" > "$CAIRN_TASK.txt"',
    ].join('\n'),
  });
  const go = (task: string) => writeFileSync(path.join(scenario.scratch, `go-${task}`), '');
  let served: Served;
  let browser: Browser;
  let page: Page;

  const cell = (task: string) => page.locator(`.matrix [data-task="${task}"]`);
  const stateOf = (task: string) => cell(task).getAttribute('data-state', { timeout: 5000 });
  const until = (what: string, check: () => Promise<boolean>, ms = 30_000) => waitFor(what, check, ms);

  beforeAll(async () => {
    served = await startServe(scenario.root);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('answers 401 without the token and refuses cross-origin or header-less actions', async () => {
    const { port, token, origin } = served;
    expect((await raw(port, '/')).status).toBe(401);
    expect((await raw(port, '/api/milestones?token=wrong')).status).toBe(401);
    expect((await raw(port, '/api/m/001/stream')).status).toBe(401);
    expect((await raw(port, `/?token=${token}`)).status).toBe(200);
    const json = { 'Content-Type': 'application/json' };
    // The token in the URL is not enough for an action: it must come in the header.
    const viaQuery = await raw(port, `/api/m/001/run?token=${token}`, { method: 'POST', headers: json });
    expect(viaQuery.status).toBe(401);
    const foreign = await raw(port, '/api/m/001/run', {
      method: 'POST',
      headers: { ...json, 'X-Cairn-Token': token, Origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const form = await raw(port, '/api/m/001/run', {
      method: 'POST',
      headers: {
        'X-Cairn-Token': token,
        Origin: origin,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
    });
    expect(form.status).toBe(415);
    const rebound = await raw(port, `/api/milestones?token=${token}`, {
      headers: { Host: `evil.example:${port}` },
    });
    expect(rebound.status).toBe(403);
  });

  it('shows tasks change state during a run without reloading, and the run ending', async () => {
    await page.goto(`${served.url}#/m/001`);
    await expect.poll(() => stateOf('alpha')).toBe('pending');
    await page.evaluate(() => ((globalThis as unknown as { __mark: number }).__mark = 1));
    const run = startCairn(scenario.root, ['run', '001']);
    try {
      await until('alpha running', async () => (await stateOf('alpha')) === 'running');
      await expect.poll(() => page.locator('[data-milestone-state]').textContent()).toContain('live');
      await page.screenshot({ path: screenshotPath('serve-milestone-running'), fullPage: true });
      go('alpha');
      await until('alpha done', async () => (await stateOf('alpha')) === 'done');
      await until('beta running', async () => (await stateOf('beta')) === 'running');
      go('beta');
      await until('beta done', async () => (await stateOf('beta')) === 'done');
      await until('flaky failed', async () => (await stateOf('flaky')) === 'failed');
      expect((await run.done).code).toBe(1);
      await until('the page to see the run end', async () =>
        /The run ended/.test((await page.locator('.banner').first().textContent()) ?? ''),
      );
      expect(await page.evaluate(() => (globalThis as unknown as { __mark?: number }).__mark)).toBe(1);
      // The journal did not exist when the page opened: its first events still reached the page.
      await expect.poll(() => page.locator('#activity').textContent()).toContain('planned 3 tasks');
      expect(await page.locator('[data-milestone-state]').textContent()).toBe('failed');
      await page.screenshot({ path: screenshotPath('serve-milestone'), fullPage: true });
    } finally {
      run.child.kill('SIGTERM');
      await run.done;
    }
  });

  it('renders task titles and agent output as text, never as markup', async () => {
    const title = await cell('alpha').getAttribute('title');
    expect(title).toContain('<script>window.__pwned=1</script>');
    const sent = await cairn(scenario.root, ['msg', 'send', 'task:alpha', HOSTILE, '--text', '-m', '001']);
    expect(sent.code, sent.stderr).toBe(0);
    await page.goto(`${served.url}#/m/001/t/alpha`);
    await expect.poll(() => page.locator('h1').textContent()).toContain('<script>');
    await expect.poll(() => page.locator('pre.log').textContent()).toContain(HOSTILE);
    await expect.poll(() => page.locator('.log-state').textContent()).toContain('complete');
    await expect.poll(() => page.locator('#messages').textContent()).toContain(HOSTILE);
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(
      await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    await page.screenshot({ path: screenshotPath('serve-task'), fullPage: true });
  });

  it('retries a failed task from the page, after a confirmation, and the task runs again', async () => {
    writeFileSync(path.join(scenario.scratch, 'ok'), '');
    go('flaky');
    await page.goto(`${served.url}#/m/001`);
    const retry = page.locator('li[data-task="flaky"] button[data-action="retry"]');
    await retry.click();
    const dialog = page.locator('dialog.confirm');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('serve-confirm-retry') });
    // Cancel first: nothing happens.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(invocations(scenario.marker).get('flaky')).toBe(1);
    await retry.click();
    await dialog.locator('button.primary').click();
    await until('flaky done', async () => (await stateOf('flaky')) === 'done', 40_000);
    expect(invocations(scenario.marker).get('flaky')).toBe(2);
    await until('the run job to end', async () =>
      /cairn run 001: succeeded/.test((await page.locator('#jobs').textContent()) ?? ''),
    );
  });

  it('serves logs by task and attempt only: traversal in any encoding is refused', async () => {
    const { port, token } = served;
    const ok = await raw(port, `/api/m/001/t/alpha/a/1/log.txt?token=${token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain(HOSTILE);
    const secret = path.join(scenario.root, 'secret.txt');
    writeFileSync(secret, 'TOP SECRET');
    const attempts = [
      '/api/m/001/t/../../../../secret.txt/a/1/log.txt',
      '/api/m/001/t/..%2f..%2f..%2fsecret.txt/a/1/log.txt',
      '/api/m/001/t/%2e%2e%2f%2e%2e%2fsecret.txt/a/1/log.txt',
      '/api/m/001/t/%2E%2E%2F%2E%2E%2Fsecret.txt/a/1/log',
      '/api/m/001/t/alpha/a/..%2f..%2f1/log.txt',
      '/api/m/..%2f..%2f/t/alpha/a/1/log.txt',
      '/api/m/001/t/alpha%2f..%2f..%2f..%2fsecret.txt/a/1/log.txt',
      '/api/m/001/t/alpha/a/1/../../../../../secret.txt',
      '/assets/..%2f..%2f..%2fpackage.json',
    ];
    for (const attempt of attempts) {
      const reply = await raw(port, `${attempt}?token=${token}`);
      expect(reply.status, attempt).toBeGreaterThanOrEqual(400);
      expect(reply.body, attempt).not.toContain('TOP SECRET');
    }
  });

  it('keeps serving when a client goes away in the middle of a stream', async () => {
    const { port, token } = served;
    const before = JSON.parse((await raw(port, `/api/health?token=${token}`)).body) as { clients: number };
    for (let i = 0; i < 5; i++) {
      // raw() drops the connection after the first bytes of the stream.
      expect((await raw(port, `/api/m/001/stream?token=${token}`)).status).toBe(200);
      expect((await raw(port, `/api/m/001/t/alpha/a/1/log?token=${token}`)).status).toBe(200);
    }
    await waitFor('the server to notice the clients left', async () => {
      const now = JSON.parse((await raw(port, `/api/health?token=${token}`)).body) as { clients: number };
      return now.clients <= before.clients;
    });
    expect((await raw(port, `/api/milestones?token=${token}`)).status).toBe(200);
  });

  it('says so when the milestone in the address does not exist', async () => {
    await page.goto(`${served.url}#/m/999`);
    await expect.poll(() => page.locator('.banner').first().textContent()).toMatch(/999/);
  });

  it('exits 2 with a hint when the port is taken', async () => {
    const second = await cairn(scenario.root, ['serve', '--port', String(served.port)]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/already in use/);
    expect(second.stderr).toMatch(/--port/);
    expect(existsSync(screenshotPath('serve-milestone'))).toBe(true);
  });
});
