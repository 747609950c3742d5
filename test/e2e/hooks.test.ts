import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cairn, cleanupTemp, createRepo, git, tempDir, writeFiles } from './helpers.js';
import { runExpecting, setupScenario } from './scenarios.js';

const require = createRequire(import.meta.url);

// The machine's own git config (a global core.hooksPath, templates) must not leak into these tests.
beforeAll(() => {
  const home = tempDir('cairn-git-home-');
  writeFileSync(path.join(home, 'gitconfig'), '');
  vi.stubEnv('GIT_CONFIG_GLOBAL', path.join(home, 'gitconfig'));
  vi.stubEnv('GIT_CONFIG_NOSYSTEM', '1');
});
afterAll(() => {
  vi.unstubAllEnvs();
  cleanupTemp();
});

/** `git commit …` that may fail: exit code and output, as a person at a terminal sees them. */
function commit(cwd: string, args: string[]) {
  const result = spawnSync('git', ['commit', '--quiet', ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const trailers = (cwd: string) => git(cwd, ['log', '-1', '--format=%(trailers)']);
const mode = (file: string) => statSync(file).mode & 0o777;

interface StatusJson {
  hooks_dir: string;
  core_hooks_path: string | null;
  hooks: { name: string; state: string; chained: boolean }[];
}

async function hooksStatus(cwd: string): Promise<StatusJson> {
  const result = await runExpecting(cwd, ['hooks', 'status', '--json'], 0);
  return JSON.parse(result.stdout) as StatusJson;
}

/** A user hook that appends its name to `marker` and exits with $FAIL (default 0). */
function markerHook(file: string, marker: string): string {
  const text = `#!/bin/sh\necho "$(basename "$0") $*" >> '${marker}'\nexit "\${FAIL:-0}"\n`;
  writeFileSync(file, text);
  chmodSync(file, 0o750);
  return text;
}

describe('cairn hooks', () => {
  it('adds Milestone and Task trailers to commits made by hand on a task branch', async () => {
    const root = createRepo();
    const installed = await runExpecting(root, ['hooks', 'install'], 0);
    expect(installed.stdout).toMatch(/commit-msg\s+installed/);
    git(root, ['checkout', '--quiet', '-b', 'feature/milestone-001-login-ui']);

    writeFiles(root, { 'a.txt': 'a\n' });
    git(root, ['add', 'a.txt']);
    expect(commit(root, ['-m', 'feat: login form']).code).toBe(0);
    expect(trailers(root)).toBe('Milestone: 001\nTask: login-ui');

    // Present already: not added twice, whether the hook or the person wrote them.
    expect(commit(root, ['--amend', '--no-edit']).code).toBe(0);
    expect(trailers(root)).toBe('Milestone: 001\nTask: login-ui');
    expect(commit(root, ['--allow-empty', '-m', 'fix', '-m', 'Task: other']).code).toBe(0);
    expect(trailers(root)).toBe('Task: other\nMilestone: 001');

    // Other branches, a detached HEAD and an empty message are left alone.
    git(root, ['checkout', '--quiet', '-b', 'feature/milestone-001-Bad']);
    expect(commit(root, ['--allow-empty', '-m', 'x']).code).toBe(0);
    expect(trailers(root)).toBe('');
    git(root, ['checkout', '--quiet', '--detach']);
    expect(commit(root, ['--allow-empty', '-m', 'detached']).code).toBe(0);
    expect(trailers(root)).toBe('');
    git(root, ['checkout', '--quiet', 'feature/milestone-001-login-ui']);
    expect(commit(root, ['--allow-empty', '--allow-empty-message', '-m', '']).code).toBe(0);
    expect(git(root, ['log', '-1', '--format=%B'])).toBe('');
  });

  it('refuses commits on a milestone branch unless --no-verify', async () => {
    const root = createRepo();
    await runExpecting(root, ['hooks', 'install'], 0);
    git(root, ['checkout', '--quiet', '-b', 'milestone/001-auth']);
    const refused = commit(root, ['--allow-empty', '-m', 'by hand']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refusing a direct commit on milestone/001-auth');
    expect(refused.stderr).toContain('feature/milestone-001-<task>');
    expect(refused.stderr).toContain('--no-verify');
    expect(git(root, ['log', '-1', '--format=%s'])).toBe('initial commit');

    expect(commit(root, ['--allow-empty', '--no-verify', '-m', 'on purpose']).code).toBe(0);
    expect(git(root, ['log', '-1', '--format=%s'])).toBe('on purpose');
    const internal = spawnSync('git', ['commit', '-q', '--allow-empty', '-m', 'internal'], {
      cwd: root,
      env: { ...process.env, CAIRN_INTERNAL_COMMIT: '1' },
    });
    expect(internal.status).toBe(0);
  });

  it('chains a user hook: it runs first, its failure blocks the commit, uninstall restores it', async () => {
    const root = createRepo();
    const marker = path.join(tempDir(), 'marker');
    const file = path.join(root, '.git', 'hooks', 'commit-msg');
    const text = markerHook(file, marker);

    const installed = await runExpecting(root, ['hooks', 'install'], 0);
    expect(installed.stdout).toContain('commit-msg.cairn-chained');
    const again = await runExpecting(root, ['hooks', 'install'], 0);
    expect(again.stdout).toMatch(/commit-msg\s+already installed; commit-msg\.cairn-chained runs first/);
    expect((await hooksStatus(root)).hooks).toEqual([
      { name: 'commit-msg', state: 'installed', chained: true },
      { name: 'pre-commit', state: 'installed', chained: false },
      { name: 'post-commit', state: 'installed', chained: false },
    ]);

    git(root, ['checkout', '--quiet', '-b', 'feature/milestone-001-login']);
    expect(commit(root, ['--allow-empty', '-m', 'one']).code).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('commit-msg .git/COMMIT_EDITMSG\n');
    expect(trailers(root)).toBe('Milestone: 001\nTask: login');

    const blocked = spawnSync('git', ['commit', '-q', '--allow-empty', '-m', 'two'], {
      cwd: root,
      env: { ...process.env, FAIL: '7' },
    });
    expect(blocked.status).not.toBe(0);
    expect(git(root, ['log', '-1', '--format=%s'])).toBe('one');

    const removed = await runExpecting(root, ['hooks', 'uninstall'], 0);
    expect(removed.stdout).toMatch(/commit-msg\s+removed; the hook that was there is back/);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(mode(file)).toBe(0o750);
    expect(existsSync(`${file}.cairn-chained`)).toBe(false);
    expect(existsSync(path.join(root, '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect((await hooksStatus(root)).hooks.map((hook) => hook.state)).toEqual([
      'foreign',
      'missing',
      'missing',
    ]);
  });

  it('refuses to install over a chained name it does not own (exit 2)', async () => {
    const root = createRepo();
    const hooks = path.join(root, '.git', 'hooks');
    writeFileSync(path.join(hooks, 'pre-commit'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    writeFileSync(path.join(hooks, 'pre-commit.cairn-chained'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const result = await cairn(root, ['hooks', 'install']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pre-commit.cairn-chained already exists');
    expect(result.stderr).toContain('hint:');
    expect(existsSync(path.join(hooks, 'commit-msg'))).toBe(false);
  });

  it('installs where core.hooksPath points (husky) and keeps husky’s hooks working', async () => {
    const root = createRepo();
    const marker = path.join(tempDir(), 'marker');
    // husky v9's layout: git runs .husky/_/<hook> stubs, which find .husky/<hook> by their own name.
    writeFiles(root, {
      '.husky/_/h':
        '#!/usr/bin/env sh\nn=$(basename "$0")\ns=$(dirname "$(dirname "$0")")/$n\n[ ! -f "$s" ] && exit 0\nsh -e "$s" "$@"\n',
      '.husky/_/pre-commit': '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n',
      '.husky/pre-commit': `echo husky-pre-commit >> '${marker}'\n`,
    });
    chmodSync(path.join(root, '.husky/_/pre-commit'), 0o755);
    git(root, ['config', 'core.hooksPath', '.husky/_']);

    const installed = await runExpecting(path.join(root, '.husky'), ['hooks', 'install'], 0);
    expect(installed.stdout).toContain('core.hooksPath = .husky/_');
    const status = await hooksStatus(root);
    expect(status.hooks_dir).toBe(path.join(realRoot(root), '.husky', '_'));
    expect(status.core_hooks_path).toBe('.husky/_');
    expect(status.hooks.find((hook) => hook.name === 'pre-commit')).toEqual({
      name: 'pre-commit',
      state: 'installed',
      chained: true,
    });
    expect(existsSync(path.join(root, '.git', 'hooks', 'commit-msg'))).toBe(false);

    git(root, ['checkout', '--quiet', '-b', 'feature/milestone-002-api']);
    expect(commit(root, ['--allow-empty', '-m', 'api']).code).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('husky-pre-commit\n');
    expect(trailers(root)).toBe('Milestone: 002\nTask: api');

    // husky writes its stubs again (npm install): installing again chains the fresh copy.
    writeFileSync(path.join(root, '.husky/_/pre-commit'), '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n');
    expect((await hooksStatus(root)).hooks[1]).toMatchObject({ state: 'foreign', chained: true });
    await runExpecting(root, ['hooks', 'install'], 0);
    expect((await hooksStatus(root)).hooks[1]).toMatchObject({ state: 'installed', chained: true });

    await runExpecting(root, ['hooks', 'uninstall'], 0);
    expect(readFileSync(path.join(root, '.husky/_/pre-commit'), 'utf8')).toBe(
      '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n',
    );
  });

  it('journals hand-made commits on task branches once Cairn has state, and never fails a commit', async () => {
    const scenario = setupScenario({
      spec: { title: 'Auth', tasks: [{ id: 'login' }] },
      // The agent commits itself: its commit gets the trailers and a journal entry too.
      agentBody: 'echo "$1" > "$1.txt" && git add -A && git commit -q -m "agent: $1"',
    });
    const { root } = scenario;
    await runExpecting(root, ['hooks', 'install'], 0);
    const noState = path.join(root, '.git', 'cairn', 'state.db');
    git(root, ['checkout', '--quiet', '-b', 'feature/milestone-001-early']);
    expect(commit(root, ['--allow-empty', '-m', 'before any run']).code).toBe(0);
    expect(existsSync(noState)).toBe(false);
    git(root, ['checkout', '--quiet', 'main']);

    await runExpecting(root, ['run', '001'], 0);
    const agentCommit = git(root, ['rev-parse', 'feature/milestone-001-login']);
    expect(git(root, ['log', '-1', '--format=%(trailers)', agentCommit])).toContain('Task: login');

    git(root, ['checkout', '--quiet', 'feature/milestone-001-login']);
    expect(commit(root, ['--allow-empty', '-m', 'fix by hand']).code).toBe(0);
    const head = git(root, ['rev-parse', 'HEAD']);
    const recorded = commitEvents(noState);
    expect(recorded).toContainEqual({
      type: 'commit.recorded',
      milestone: '001',
      task: 'login',
      commit: head,
      branch: 'feature/milestone-001-login',
      source: 'hook',
    });
    expect(recorded.map((event) => event.commit)).toContain(agentCommit);

    // A damaged state database costs one warning line, not the commit.
    writeFileSync(noState, 'not a database at all, not even close'.repeat(200));
    const warned = commit(root, ['--allow-empty', '-m', 'still commits']);
    expect(warned.code).toBe(0);
    expect(warned.stderr.trim().split('\n')).toHaveLength(1);
    expect(warned.stderr).toContain('post-commit hook skipped');
    expect(git(root, ['log', '-1', '--format=%s'])).toBe('still commits');
  });

  it('reports bad input: outside a repository, an unknown hook', async () => {
    const outside = await cairn(tempDir(), ['hooks', 'status']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('not inside a git repository');
    const unknown = await cairn(createRepo(), ['hooks', 'run', 'pre-push']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown hook "pre-push"');
    const help = await cairn(createRepo(), ['hooks', '--help']);
    expect(help.stdout).not.toMatch(/^\s+run\b/m);
  });
});

function realRoot(root: string): string {
  return git(root, ['rev-parse', '--show-toplevel']);
}

interface Recorded {
  type: string;
  milestone: string;
  task: string;
  commit: string;
  branch: string;
  source: string;
}

/** The commit.recorded events in the state database, read straight from the `events` table. */
function commitEvents(file: string): Recorded[] {
  const BetterSqlite = require('better-sqlite3') as typeof Database;
  const db = new BetterSqlite(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT data FROM events WHERE type = 'commit.recorded' ORDER BY seq").all() as {
      data: string;
    }[];
    return rows.map((row) => JSON.parse(row.data) as Recorded);
  } finally {
    db.close();
  }
}
