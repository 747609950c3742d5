import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { linkedGitDir } from '../../git/linked-gitdir.js';
import { readTextIfAny } from '../../shared/read-text.js';
import { runChecks, type CheckResult } from '../checks.js';
import { cacheKey } from './cache-key.js';
import { cloneTree } from './clone-tree.js';
import type { WorkspaceRuntime } from './runtime.js';
import { evictEntries, restoreEntry, storeEntry } from './setup-cache.js';

export interface PrepareOptions {
  runtime: WorkspaceRuntime;
  task: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  graceMs: number;
  signal: AbortSignal;
  /** Say in the log that a reused worktree was prepared already (default true). */
  logReuse?: boolean;
}

const MARKER = 'cairn-workspace';

/**
 * The setup phase of an attempt: in a worktree not prepared yet, copies the `copy` files from
 * the main worktree, then restores the cached paths or runs the setup commands (and caches
 * what they made). A worktree reused by a retry was prepared already: its admin directory
 * (`.git/worktrees/<name>`, gone with the worktree) holds a marker of what was done.
 */
export async function prepareWorkspace(options: PrepareOptions): Promise<CheckResult> {
  const { runtime, dir, logFile } = options;
  const { settings } = runtime;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([settings.copy, settings.setup, settings.cache]))
    .digest('hex');
  mkdirSync(path.dirname(logFile), { recursive: true });
  const marker = markerFile(dir);
  if (marker && readTextIfAny(marker) === fingerprint) {
    if (options.logReuse !== false)
      appendFileSync(logFile, '\n[cairn] setup: already done in this worktree\n');
    return { ok: true };
  }
  const started = performance.now();
  appendFileSync(logFile, '\n[cairn] setup: preparing the worktree\n');
  for (const file of settings.copy) {
    try {
      await rm(path.join(dir, file), { recursive: true, force: true });
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await cloneTree(path.join(runtime.root, file), path.join(dir, file));
      appendFileSync(logFile, `[cairn] setup: copied ${file} from the main worktree\n`);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        aborted: false,
        reason: `setup could not copy \`${file}\` from the main worktree: ${why}`,
      };
    }
  }
  const result = settings.setup.length > 0 ? await setUp(options) : ({ ok: true } as const);
  if (!result.ok) return result;
  if (marker) writeFileSync(marker, fingerprint);
  // Waits for another worktree's setup of the same cache keys count: this is when the agent can start.
  appendFileSync(logFile, `[cairn] setup: ready in ${Math.round(performance.now() - started)} ms\n`);
  return result;
}

async function setUp(options: PrepareOptions): Promise<CheckResult> {
  const { runtime, dir, logFile, task } = options;
  const { settings } = runtime;
  const keys = await Promise.all(settings.cache.map((entry) => cacheKey(dir, entry, settings.setup)));
  keys.forEach((key) => runtime.keysInUse.add(key));
  // Hits restore side by side; on a miss, worktrees with the same keys take turns, so the
  // second finds what the first stored instead of running setup too.
  if (keys.length > 0 && (await restoreAll(options, keys))) return { ok: true };
  return runtime.exclusive(keys.join(','), async () => {
    if (keys.length > 0 && (await restoreAll(options, keys))) return { ok: true };
    const started = performance.now();
    const logStart = sizeOf(logFile);
    const result = await runChecks({
      commands: settings.setup,
      cwd: dir,
      env: options.env,
      logFile,
      timeoutMs: settings.setupTimeoutMs,
      graceMs: options.graceMs,
      signal: options.signal,
      label: 'setup',
    });
    if (!result.ok) {
      const tail = logTail(logFile, logStart);
      return { ...result, reason: tail ? `${result.reason}; log tail: ${tail}` : result.reason };
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    appendFileSync(logFile, `[cairn] setup: done in ${seconds}s\n`);
    runtime.notice(`${task}: setup ran in ${seconds}s`);
    await storeAll(options, keys);
    return { ok: true };
  });
}

/** Restores every cached path; false (and the caller runs setup) unless all were there. */
async function restoreAll(options: PrepareOptions, keys: string[]): Promise<boolean> {
  const { runtime, dir, logFile, task } = options;
  const started = performance.now();
  let all = true;
  for (const [i, entry] of runtime.settings.cache.entries()) {
    const key = keys[i] ?? '';
    const restored = await restoreEntry(runtime.cacheDir, key, entry.path, dir, entry);
    // A damaged or vanished entry is rebuilt; the user hears of it once per entry and run.
    const lost =
      restored.kind === 'damaged'
        ? `was damaged (${restored.reason})`
        : restored.kind === 'miss' && runtime.keysSeen.has(key)
          ? 'was deleted during the run'
          : undefined;
    if (lost) {
      appendFileSync(logFile, `[cairn] setup: cache entry ${key} of ${entry.path} ${lost}\n`);
      runtime.notice(`setup cache of ${entry.path} ${lost}; rebuilding it`, `lost:${key}`);
    }
    if (restored.kind === 'hit') runtime.keysSeen.add(key);
    else all = false;
    if (!all) break;
  }
  if (!all) {
    appendFileSync(logFile, '[cairn] setup: cache miss\n');
    return false;
  }
  const ms = Math.round(performance.now() - started);
  const paths = runtime.settings.cache.map((entry) => entry.path).join(', ');
  appendFileSync(
    logFile,
    `[cairn] setup: restored ${paths} from the cache in ${ms}ms; setup commands skipped\n`,
  );
  runtime.notice(`${task}: setup skipped, ${paths} restored from the cache in ${ms}ms`);
  return true;
}

async function storeAll(options: PrepareOptions, keys: string[]): Promise<void> {
  const { runtime, dir, logFile } = options;
  const { settings } = runtime;
  for (const [i, entry] of settings.cache.entries()) {
    const key = keys[i] ?? '';
    try {
      if (await storeEntry(runtime.cacheDir, key, entry.path, dir, entry)) {
        runtime.keysSeen.add(key);
        appendFileSync(logFile, `[cairn] setup: cached ${entry.path} as ${key}\n`);
      } else {
        runtime.notice(`setup did not make \`${entry.path}\`: nothing to cache`, `unmade:${entry.path}`);
      }
    } catch (error) {
      // A cache that cannot be written costs time later, never the attempt.
      const why = error instanceof Error ? error.message : String(error);
      runtime.notice(`could not cache \`${entry.path}\`: ${why}`, `store:${entry.path}`);
    }
  }
  if (keys.length === 0) return;
  const limits = { maxBytes: settings.cacheMaxBytes, maxAgeMs: settings.cacheMaxAgeMs };
  const evicted = await evictEntries(runtime.cacheDir, limits, runtime.keysInUse).catch(() => []);
  if (evicted.length > 0) appendFileSync(logFile, `[cairn] setup: evicted ${evicted.length} cache entries\n`);
}

/** The marker file in the worktree's admin directory, or undefined when it is not a linked worktree. */
function markerFile(dir: string): string | undefined {
  const gitdir = linkedGitDir(dir);
  return gitdir ? path.join(gitdir, MARKER) : undefined;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The last lines the setup wrote to the log, joined on one line for a task's reason. */
export function logTail(logFile: string, from: number, count = 3): string {
  let text = '';
  try {
    text = readFileSync(logFile).subarray(from).toString('utf8');
  } catch {
    // No log: no tail.
  }
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('[cairn]'))
    .slice(-count)
    .map((line) => (line.length > 200 ? `${line.slice(0, 200)}…` : line))
    .join(' / ');
}
