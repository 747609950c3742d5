import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI; `npm test` builds before running the tests. */
export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/bin.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `cairn <args>` in `cwd` and collects its output. */
export function cairn(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs git synchronously and returns trimmed stdout. */
export function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

const created: string[] = [];

/** A fresh temporary directory, removed by `cleanupTemp()`. */
export function tempDir(prefix = 'cairn-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function cleanupTemp(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

/** A git repository on `main` with one commit of `files` and a local identity. */
export function createRepo(files: Record<string, string> = { 'README.md': '# test project\n' }): string {
  const root = tempDir('cairn-repo-');
  git(root, ['init', '--quiet', '--initial-branch=main']);
  git(root, ['config', 'user.name', 'Cairn Test']);
  git(root, ['config', 'user.email', 'test@cairn.invalid']);
  writeFiles(root, files);
  git(root, ['add', '-A']);
  git(root, ['commit', '--quiet', '-m', 'initial commit']);
  return root;
}

/**
 * Writes an executable shell script usable as an agent command. The script runs in the task's
 * worktree with CAIRN_TASK, CAIRN_ATTEMPT, etc. in its environment.
 */
export function writeAgent(root: string, name: string, body: string): string {
  const dir = path.join(root, '..', `${path.basename(root)}-agents`);
  mkdirSync(dir, { recursive: true });
  created.push(dir);
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\nset -e\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** Writes `.cairn/config.yaml` with a default agent profile running `agentPath {task}`, and commits it. */
export function configure(root: string, agentPath: string, extra = ''): void {
  writeFiles(root, {
    '.cairn/config.yaml': `defaults:\n  agent: scripted\n  concurrency: 2\n  retries: 1\n  timeout: 60s\nagents:\n  scripted:\n    command: [${JSON.stringify(agentPath)}, "{task}"]\n${extra}`,
  });
}

/** Writes a milestone spec under .milestones/ and commits everything. */
export function addSpec(root: string, name: string, yaml: string): string {
  const file = path.join('.milestones', `${name}.yaml`);
  writeFiles(root, { [file]: yaml });
  git(root, ['add', '-A']);
  git(root, ['commit', '--quiet', '-m', `plan ${name}`]);
  return path.join(root, file);
}

/** Subjects and trailers of the first-parent merges on a branch, oldest first. */
export function firstParentMerges(
  root: string,
  branch: string,
  since = 'main',
): { subject: string; task: string; milestone: string }[] {
  const out = git(root, [
    'log',
    '--first-parent',
    '--min-parents=2',
    '--reverse',
    '--format=%s%x1f%(trailers:key=Task,valueonly)%x1f%(trailers:key=Milestone,valueonly)%x1e',
    branch,
    '--not',
    since,
  ]);
  return out
    .split('\x1e')
    .map((record) => record.trim())
    .filter(Boolean)
    .map((record) => {
      const [subject = '', task = '', milestone = ''] = record.split('\x1f');
      return { subject, task: task.trim(), milestone: milestone.trim() };
    });
}
