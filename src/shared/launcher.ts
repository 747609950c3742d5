import { spawn, type ChildProcess } from 'node:child_process';
import type { ProcessResult, RunOptions } from './process.js';

/**
 * A small helper process that starts short-lived programs (git, mostly) for a long run.
 *
 * Node starts a child with fork(), which copies the page tables of the whole process and
 * blocks the event loop until the child has exec'd; a run with a hundred megabytes of heap
 * and thousands of git commands spends much of its main thread there. The launcher is a bare
 * Node process: its forks are cheaper and happen on another core, and the run only sends it
 * a message per command. Programs still get an argument array, never a shell.
 */

interface Request {
  id: number;
  file: string;
  args: string[];
  cwd: string;
  set: Record<string, string>;
  unset: string[];
  input?: string;
}

type Reply =
  | { id: number; code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }
  | { id: number; error: { message: string; code?: string } };

// The launcher's own code, run with `node -e`: no file to find in dist/ or under tsx.
const LAUNCHER_SOURCE = `
'use strict';
const { spawn } = require('node:child_process');
process.title = 'cairn-launcher';
// Ctrl-C reaches the whole process group; the run decides what stops, the launcher finishes its work.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => process.exit(0));
process.on('disconnect', () => process.exit(0));
process.on('message', (req) => {
  const env = { ...process.env, ...req.set };
  for (const key of req.unset) delete env[key];
  let child;
  try {
    child = spawn(req.file, req.args, {
      cwd: req.cwd,
      env,
      stdio: [req.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    process.send({ id: req.id, error: { message: String(error && error.message), code: error && error.code } });
    return;
  }
  const out = [];
  const err = [];
  let failed = false;
  child.stdout.on('data', (chunk) => out.push(chunk));
  child.stderr.on('data', (chunk) => err.push(chunk));
  child.on('error', (error) => {
    failed = true;
    process.send({ id: req.id, error: { message: String(error.message), code: error.code } });
  });
  child.on('close', (code, signal) => {
    if (failed) return;
    process.send({
      id: req.id,
      code,
      signal,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    });
  });
  if (req.input !== undefined) {
    child.stdin.on('error', () => {});
    child.stdin.end(req.input);
  }
});
`;

interface Pending {
  resolve: (result: ProcessResult) => void;
  reject: (error: Error) => void;
}

interface Launcher {
  child: ChildProcess;
  /** The environment it started with; commands send what differs from it. */
  env: NodeJS.ProcessEnv;
  pending: Map<number, Pending>;
  stopping: boolean;
}

let current: Launcher | undefined;
/** Callers of `startLauncher` that have not stopped it yet: the last one stops it. */
let users = 0;
/** Set when a launcher died on its own: commands start directly for the rest of the process. */
let broken = false;
let nextId = 0;

/**
 * Starts the launcher for this process (once); `runProcess` uses it from then on. A launcher
 * that dies fails the commands in flight (their outcome is unknown); later commands start
 * directly.
 */
export function startLauncher(): void {
  users += 1;
  if (current || broken || process.platform === 'win32') return;
  const env = { ...process.env };
  const child = spawn(process.execPath, ['-e', LAUNCHER_SOURCE], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env,
  });
  const self: Launcher = { child, env, pending: new Map(), stopping: false };
  child.on('message', (reply: Reply) => {
    const waiting = self.pending.get(reply.id);
    if (!waiting) return;
    self.pending.delete(reply.id);
    if (self.pending.size === 0) child.channel?.unref();
    if ('error' in reply) {
      waiting.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    } else {
      waiting.resolve({ code: reply.code, signal: reply.signal, stdout: reply.stdout, stderr: reply.stderr });
    }
  });
  const fail = (why: string) => {
    if (!self.stopping) broken = true;
    if (current === self) current = undefined;
    for (const [id, waiting] of self.pending) {
      self.pending.delete(id);
      waiting.reject(new Error(`the process launcher stopped (${why}); the command's outcome is unknown`));
    }
  };
  child.on('error', (error) => fail(error.message));
  child.on('exit', (code, signal) => fail(`exit ${String(signal ?? code)}`));
  // An idle launcher keeps nothing alive; one with work in flight does.
  child.unref();
  child.channel?.unref();
  current = self;
}

/** The launcher's process id while it runs. */
export function launcherPid(): number | undefined {
  return current?.child.connected ? current.child.pid : undefined;
}

/**
 * Ends one `startLauncher()`; after the last, stops the launcher once the commands in flight
 * are done (at most `graceMs`) and waits for it to exit. Commands start directly again until
 * `startLauncher()`.
 */
export async function stopLauncher(graceMs = 5_000): Promise<void> {
  users = Math.max(0, users - 1);
  if (users > 0) return;
  const self = current;
  current = undefined;
  broken = false;
  if (!self) return;
  self.stopping = true;
  const { child } = self;
  const deadline = performance.now() + graceMs;
  while (self.pending.size > 0 && child.connected && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.ref();
  if (child.connected) child.disconnect();
  const killer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(killer);
}

/** Runs a program through the launcher; undefined when there is none (start it directly then). */
export function launch(
  file: string,
  args: string[],
  options: RunOptions,
): Promise<ProcessResult> | undefined {
  const self = current;
  if (!self?.child.connected) return undefined;
  const request: Request = { id: ++nextId, file, args, cwd: options.cwd, ...envDelta(self.env, options.env) };
  if (options.input !== undefined) request.input = options.input;
  return new Promise((resolve, reject) => {
    self.pending.set(request.id, { resolve, reject });
    if (self.pending.size === 1) self.child.channel?.ref();
    self.child.send(request);
  });
}

/** What in `env` differs from `base`, the environment the launcher started with. */
function envDelta(
  base: NodeJS.ProcessEnv,
  env: NodeJS.ProcessEnv = process.env,
): Pick<Request, 'set' | 'unset'> {
  const set: Record<string, string> = {};
  const unset: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && base[key] !== value) set[key] = value;
  }
  for (const key of Object.keys(base)) if (env[key] === undefined) unset.push(key);
  return { set, unset };
}
