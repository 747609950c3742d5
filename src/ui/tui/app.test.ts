import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { App } from './app.js';
import { fakeSource, sampleSnapshot } from './test-snapshot.js';
import type { WatchSnapshot } from './model.js';

const KEY = { right: '\u001B[C', left: '\u001B[D', down: '\u001B[B', enter: '\r', escape: '\u001B' };
const size = { columns: 100, rows: 40 };
const pause = (ms = 60) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(frame: () => string | undefined, text: string): Promise<string> {
  for (let i = 0; i < 60; i++) {
    const current = frame() ?? '';
    if (current.includes(text)) return current;
    await pause(25);
  }
  throw new Error(`frame never showed "${text}":\n${frame()}`);
}

function start(snapshot: () => WatchSnapshot = () => sampleSnapshot(), logs: Record<string, string[]> = {}) {
  const fake = fakeSource(snapshot, logs);
  let quit = 0;
  const app = render(h(App, { source: fake.source, intervalMs: 20, size, onQuit: () => quit++ }));
  return { ...fake, app, quits: () => quit };
}

/** The first frame, once ink listens to the keyboard (it starts to in an effect after rendering). */
async function ready(app: ReturnType<typeof render>, text = '> ✓ schema'): Promise<void> {
  await until(app.lastFrame, text);
  await pause(100);
}

afterEach(() => cleanup());

describe('cairn watch app', () => {
  it('shows every task with a symbol for its state, the panels and the keys', async () => {
    const { app } = start();
    const frame = await until(app.lastFrame, 'schema');
    for (const cell of ['✓ schema', '▶ api', '✗ login', '■ docs', '· ui']) expect(frame).toContain(cell);
    expect(frame).toContain('40%');
    expect(frame).toContain('ETA 10m00s');
    expect(frame).toContain('api · coder #1 · 1m15s · writing routes');
    expect(frame).toContain('✗ login failed: exit 1');
    expect(frame).toContain('bottleneck docs blocked: merge conflict');
    expect(frame).toContain('schema merged');
    expect(frame).toContain('q quit');
  });

  it('moves the selection with the arrow keys', async () => {
    const { app } = start();
    await ready(app);
    app.stdin.write(KEY.right);
    await until(app.lastFrame, '> ▶ api');
    app.stdin.write(KEY.right);
    app.stdin.write(KEY.right);
    await until(app.lastFrame, '> ■ docs');
    app.stdin.write(KEY.left);
    await until(app.lastFrame, '> ✗ login');
    app.stdin.write(KEY.down);
    // One line holds every cell at this width: down goes to the last task.
    await until(app.lastFrame, '> · ui');
  });

  it('shows the log tail of the selected task on Enter, and goes back on Esc', async () => {
    const { app } = start(undefined, { api: ['npm test', 'ok 3 tests'] });
    await ready(app);
    app.stdin.write(KEY.right);
    await until(app.lastFrame, '> ▶ api');
    app.stdin.write(KEY.enter);
    const frame = await until(app.lastFrame, 'Log of api');
    await until(app.lastFrame, 'ok 3 tests');
    expect(frame).not.toContain('Timeline');
    app.stdin.write(KEY.escape);
    await until(app.lastFrame, 'Timeline');
  });

  it('asks before retrying, and retries on y', async () => {
    const { app, acted } = start();
    await ready(app);
    app.stdin.write(KEY.right);
    app.stdin.write(KEY.right);
    await until(app.lastFrame, '> ✗ login');
    app.stdin.write('r');
    await until(app.lastFrame, 'retry login? (y/n)');
    expect(acted).toEqual([]);
    app.stdin.write('y');
    await until(app.lastFrame, 'retry: login is now pending');
    expect(acted).toEqual([['retry', 'login']]);
  });

  it('does nothing when the confirmation is answered no', async () => {
    const { app, acted } = start();
    await ready(app);
    app.stdin.write('s');
    await until(app.lastFrame, 'skip schema? (y/n)');
    app.stdin.write('n');
    await until(app.lastFrame, 'skip cancelled');
    expect(acted).toEqual([]);
  });

  it('quits on q', async () => {
    const { app, quits } = start();
    await ready(app);
    app.stdin.write('q');
    await pause();
    expect(quits()).toBe(1);
  });

  it('says it waits for a run while the journal does not know the milestone', async () => {
    const { app } = start(() => sampleSnapshot({ waiting: true, state: 'not started', run: null }));
    await until(app.lastFrame, 'waiting for a run');
  });

  it('renders again only when the data changed', async () => {
    let snapshot = sampleSnapshot();
    const { app, reads } = start(() => snapshot);
    await until(app.lastFrame, 'schema');
    await pause(50);
    const frames = app.frames.length;
    const before = reads();
    await pause(200);
    expect(reads()).toBeGreaterThan(before + 2);
    expect(app.frames.length).toBe(frames);
    snapshot = sampleSnapshot({ overall: 0.6 });
    await until(app.lastFrame, '60%');
  });
});
