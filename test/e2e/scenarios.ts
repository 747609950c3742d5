import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  addSpec,
  cairn,
  CLI,
  configure,
  createRepo,
  git,
  tempDir,
  writeAgent,
  type CliResult,
} from './helpers.js';

/** One task of a spec, as the tests write it (YAML keys). */
export interface TaskDef {
  id: string;
  title?: string;
  type?: string;
  depends_on?: string[];
  files?: string[];
  acceptance?: string[];
  timeout?: string;
  retries?: number;
  stall?: string;
  weight?: number;
}

export interface SpecDef {
  id?: string;
  title: string;
  integration?: string[];
  tasks: TaskDef[];
}

export interface Scenario {
  root: string;
  agent: string;
  /** A file outside the repository each agent start appends `<task> <attempt>` to. */
  marker: string;
  /** A directory outside the repository the agents may use to talk to the test. */
  scratch: string;
  spec: Required<Pick<SpecDef, 'id' | 'title'>> & SpecDef;
}

/** Renders a spec as YAML; every task gets a title when it has none. */
export function specYaml(spec: SpecDef): string {
  return stringify({
    id: spec.id ?? '001',
    title: spec.title,
    ...(spec.integration ? { integration: spec.integration } : {}),
    tasks: spec.tasks.map((task) => ({ ...task, title: task.title ?? `Task ${task.id}` })),
  });
}

/**
 * A committed repository with `files`, a config whose default agent is a shell script made of
 * `agentBody` (preceded by a line recording the invocation in `marker`), and the spec.
 * The body sees `$MARK` (the marker file) and `$SCRATCH` (a scratch directory).
 */
export function setupScenario(options: {
  /** The spec, or a function of the scratch directory that returns it. */
  spec: SpecDef | ((scratch: string) => SpecDef);
  agentBody: string;
  files?: Record<string, string>;
  configExtra?: string;
}): Scenario {
  const root = createRepo(options.files ?? { 'README.md': '# test project\n' });
  const scratch = tempDir('cairn-scratch-');
  const marker = path.join(scratch, 'invocations.txt');
  const agent = writeAgent(
    root,
    'agent.sh',
    [
      `MARK=${shellQuote(marker)}`,
      `SCRATCH=${shellQuote(scratch)}`,
      'echo "$CAIRN_TASK $CAIRN_ATTEMPT" >> "$MARK"',
      options.agentBody,
    ].join('\n'),
  );
  configure(root, agent, options.configExtra ?? '');
  const given = typeof options.spec === 'function' ? options.spec(scratch) : options.spec;
  const spec = { ...given, id: given.id ?? '001' };
  addSpec(root, `${spec.id}-${slug(spec.title)}`, specYaml(spec));
  return { root, agent, marker, scratch, spec };
}

export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** How many times each task's agent was started, from the marker file. */
export function invocations(marker: string): Map<string, number> {
  const counts = new Map<string, number>();
  if (!existsSync(marker)) return counts;
  for (const line of readFileSync(marker, 'utf8').split('\n')) {
    const task = line.split(' ')[0];
    if (task) counts.set(task, (counts.get(task) ?? 0) + 1);
  }
  return counts;
}

export interface StatusJson {
  milestone: { id: string; title: string; branch: string; state: string };
  tasks: {
    id: string;
    state: string;
    attempts: number;
    agent: string;
    branch: string | null;
    merge_commit: string | null;
    reason: string | null;
  }[];
}

/** `cairn status <milestone> --json`, parsed. */
export async function statusJson(root: string, milestone = '001'): Promise<StatusJson> {
  const result = await cairn(root, ['status', milestone, '--json']);
  if (result.code !== 0) throw new Error(`cairn status failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as StatusJson;
}

export function taskOf(status: StatusJson, id: string): StatusJson['tasks'][number] {
  const task = status.tasks.find((t) => t.id === id);
  if (!task) throw new Error(`task ${id} missing from status: ${JSON.stringify(status)}`);
  return task;
}

export interface MergeCommit {
  hash: string;
  parents: string[];
  task: string;
  milestone: string;
  subject: string;
}

/** First-parent merge commits on `branch` since `since`, oldest first, with hashes and parents. */
export function mergeCommits(root: string, branch: string, since = 'main'): MergeCommit[] {
  const out = git(root, [
    'log',
    '--first-parent',
    '--min-parents=2',
    '--reverse',
    '--format=%H%x1f%P%x1f%s%x1f%(trailers:key=Task,valueonly)%x1f%(trailers:key=Milestone,valueonly)%x1e',
    branch,
    '--not',
    since,
  ]);
  return out
    .split('\x1e')
    .map((record) => record.trim())
    .filter(Boolean)
    .map((record) => {
      const [hash = '', parents = '', subject = '', task = '', milestone = ''] = record.split('\x1f');
      return {
        hash,
        parents: parents.split(' ').filter(Boolean),
        subject,
        task: task.trim(),
        milestone: milestone.trim(),
      };
    });
}

/** Starts `cairn <args>` in the background; the caller can signal `child` and await `done`. */
export function startCairn(cwd: string, args: string[]): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Polls `check` until it returns true; throws after `timeoutMs` with `what` in the message. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 45_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Pids of live processes whose command line (arguments joined by spaces) contains `needle`. */
export function processesMatching(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      // A zombie has an empty command line and holds no resources worth asserting on.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue;
    } catch {
      continue;
    }
    if (cmdline.split('\0').join(' ').includes(needle)) pids.push(Number(entry));
  }
  return pids;
}

/** Every file under `dir` (recursively) whose name is `name`. */
export function findFiles(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findFiles(full, name));
    else if (entry.name === name) found.push(full);
  }
  return found;
}

/** Files in the tree of `rev`, sorted. */
export function treeFiles(root: string, rev: string): string[] {
  return git(root, ['ls-tree', '-r', '--name-only', rev]).split('\n').filter(Boolean).sort();
}

/** Paths of the registered worktrees. */
export function worktreePaths(root: string): string[] {
  return git(root, ['worktree', 'list', '--porcelain'])
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.slice('worktree '.length));
}

/** `cairn run` with a readable failure message when the exit code is not the expected one. */
export async function runExpecting(cwd: string, args: string[], code: number): Promise<CliResult> {
  const result = await cairn(cwd, args);
  if (result.code !== code) {
    throw new Error(
      `cairn ${args.join(' ')} exited ${result.code} (signal ${result.signal}), expected ${code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
  return result;
}
