import { spawn } from 'node:child_process';
import { launch } from './launcher.js';

/** How a child process ended, as data (never a thrown string). */
export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
}

/** Runs a program with an argument array (never through a shell) and collects its output. */
export function runProcess(file: string, args: string[], options: RunOptions): Promise<ProcessResult> {
  return launch(file, args, options) ?? spawnProcess(file, args, options);
}

function spawnProcess(file: string, args: string[], options: RunOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    if (options.input !== undefined) {
      // A program may exit before reading its input; that is its exit status's business, not a crash.
      child.stdin?.on('error', () => {});
      child.stdin?.end(options.input);
    }
  });
}
