import { render, renderToString } from 'ink';
import { createElement as h } from 'react';
import type { RepoPaths } from '../../git/repo.js';
import { App } from './app.js';
import { Dashboard } from './dashboard.js';
import { createStoreSource } from './store-source.js';
import { resolveTarget } from './target.js';

export interface WatchOptions {
  repo: RepoPaths;
  name: string | undefined;
  cwd: string;
  intervalMs: number;
  /** One snapshot and exit (also what happens without a terminal). */
  once: boolean;
  stdout: NodeJS.WriteStream;
}

const ALT_SCREEN_ON = '\x1b[?1049h';
const ALT_SCREEN_OFF = '\x1b[?1049l';

/** Runs the dashboard until `q` (or Ctrl-C); without a terminal prints one frame. */
export async function runWatch(options: WatchOptions): Promise<number> {
  const target = await resolveTarget(options.repo, options.name, options.cwd);
  const source = createStoreSource(options.repo, target);
  try {
    if (options.once || !options.stdout.isTTY) {
      const snapshot = await source.read();
      const frame = renderToString(
        h(Dashboard, {
          snapshot,
          // Nothing scrolls away in a pipe: room for every panel.
          size: { columns: options.stdout.columns || 100, rows: 80 },
          intervalMs: options.intervalMs,
          selected: -1,
          mode: { kind: 'dashboard' },
          logLines: [],
          message: null,
          interactive: false,
        }),
        { columns: options.stdout.columns || 100 },
      );
      options.stdout.write(`${frame.replace(/\s+$/, '')}\n`);
      return 0;
    }
    // The alternate screen keeps the user's scrollback as it was when the dashboard closes. Frames
    // are re-rendered only when the data changed, each written whole inside a synchronized update
    // (ink's incremental mode misplaces lines in ink 6.8 when a frame ends with a newline).
    options.stdout.write(ALT_SCREEN_ON);
    try {
      const app = render(h(App, { source, intervalMs: options.intervalMs }), {
        stdout: options.stdout,
        patchConsole: true,
      });
      await app.waitUntilExit();
    } finally {
      options.stdout.write(ALT_SCREEN_OFF);
    }
    return 0;
  } finally {
    source.close();
  }
}
