import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHAINED_SUFFIX, isCairnHook, renderHookScript, shellQuote, type HookName } from './script.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function executable(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}

/** A hooks dir with Cairn's hook `name`, whose "node" is a script that logs its arguments. */
function setup(name: HookName, cliName = 'it\'s a "cli" $HOME `x`.js') {
  const root = mkdtempSync(path.join(tmpdir(), "cairn hook 'script' "));
  dirs.push(root);
  const log = path.join(root, 'log');
  const node = executable(
    path.join(root, 'bin dir', 'node'),
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> ${shellQuote(log)}; done\n`,
  );
  const cli = path.join(root, cliName);
  writeFileSync(cli, '');
  const hook = executable(path.join(root, 'hooks', name), renderHookScript(name, { node, cli }));
  const run = (args: string[] = [], env: NodeJS.ProcessEnv = {}) => {
    const result = spawnSync(hook, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
    const lines = (() => {
      try {
        return readFileSync(log, 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    })();
    rmSync(log, { force: true });
    return { code: result.status, stderr: result.stderr, lines };
  };
  return { root, cli, hook, log, run };
}

describe('shellQuote', () => {
  it.each(['plain', "it's", 'a b', '$HOME', '`x`', '"q"', "'"])('keeps %j one word', (value) => {
    const result = spawnSync('sh', ['-c', `printf '%s' ${shellQuote(value)}`], { encoding: 'utf8' });
    expect(result.stdout).toBe(value);
  });
});

describe('renderHookScript', () => {
  it('is recognised as Cairn’s, and a user hook is not', () => {
    expect(isCairnHook(renderHookScript('pre-commit', { node: '/n', cli: '/c' }))).toBe(true);
    expect(isCairnHook('#!/bin/sh\n# my hook\n')).toBe(false);
    expect(isCairnHook('#!/bin/sh\necho "# cairn-hook v1"\n')).toBe(false);
  });

  it('calls `cairn hooks run` with paths that hold quotes, spaces and $', () => {
    const { cli, run } = setup('commit-msg');
    const result = run(['.git/COMMIT_EDITMSG']);
    expect(result.code).toBe(0);
    expect(result.lines).toEqual([cli, 'hooks', 'run', 'commit-msg', '.git/COMMIT_EDITMSG']);
  });

  it('runs a chained hook first, with the same arguments; its failure stops the hook', () => {
    const { hook, log, run } = setup('commit-msg');
    executable(
      `${hook}${CHAINED_SUFFIX}`,
      `#!/usr/bin/env bash\necho "user $1" >> ${shellQuote(log)}\nexit "\${FAIL:-0}"\n`,
    );
    expect(run(['msg']).lines).toEqual(['user msg', expect.any(String), 'hooks', 'run', 'commit-msg', 'msg']);
    const failed = run(['msg'], { FAIL: '3' });
    expect(failed.code).toBe(3);
    expect(failed.lines).toEqual(['user msg']);
  });

  it('gives a chained sh hook its original name as $0 (husky finds its scripts by it)', () => {
    const { hook, log, run } = setup('pre-commit');
    executable(`${hook}${CHAINED_SUFFIX}`, `#!/bin/sh\necho "$0" >> ${shellQuote(log)}\nexit 0\n`);
    expect(run().lines[0]).toBe(hook);
  });

  it('post-commit: a failing chained hook does not skip Cairn’s part', () => {
    const { hook, run } = setup('post-commit');
    executable(`${hook}${CHAINED_SUFFIX}`, '#!/bin/sh\nexit 1\n');
    expect(run().lines.slice(1)).toEqual(['hooks', 'run', 'post-commit']);
  });

  it('skips, with a warning, when the Cairn it points at is gone', () => {
    const { cli, run } = setup('pre-commit');
    rmSync(cli);
    const result = run();
    expect(result.code).toBe(0);
    expect(result.lines).toEqual([]);
    expect(result.stderr).toContain('pre-commit hook skipped');
  });
});
