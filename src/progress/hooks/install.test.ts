import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readHookFiles } from './hook-files.js';
import { installHooks, uninstallHooks } from './install.js';
import { renderHookScript } from './script.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function hooksDir(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cairn-hooks-'));
  dirs.push(root);
  return path.join(root, 'hooks');
}

const command = { node: '/usr/bin/node', cli: '/opt/cairn/dist/cli/bin.js' };
const mode = (file: string) => statSync(file).mode & 0o777;

function userHook(dir: string, name: string, text: string, fileMode = 0o750): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, fileMode);
  return file;
}

describe('installHooks', () => {
  it('creates the hooks directory and executable scripts', () => {
    const dir = hooksDir();
    const changes = installHooks(dir, command);
    expect(changes.map((c) => c.action)).toEqual(['installed', 'installed', 'installed']);
    const file = path.join(dir, 'pre-commit');
    expect(readFileSync(file, 'utf8')).toBe(renderHookScript('pre-commit', command));
    expect(mode(file)).toBe(0o755);
  });

  it('is idempotent, and rewrites its own hook when Cairn moved', () => {
    const dir = hooksDir();
    installHooks(dir, command);
    expect(installHooks(dir, command).map((c) => c.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    const moved = { ...command, cli: '/elsewhere/bin.js' };
    expect(installHooks(dir, moved).map((c) => c.action)).toEqual(['updated', 'updated', 'updated']);
    expect(readFileSync(path.join(dir, 'commit-msg'), 'utf8')).toContain("'/elsewhere/bin.js'");
  });

  it('chains a user hook and uninstall restores it byte for byte, with its mode', () => {
    const dir = hooksDir();
    const text = '#!/bin/sh\n# mine\r\nexit 0\n';
    const file = userHook(dir, 'pre-commit', text, 0o741);
    const changes = installHooks(dir, command);
    expect(changes.find((c) => c.name === 'pre-commit')).toEqual({
      name: 'pre-commit',
      action: 'chained',
      chained: true,
    });
    expect(readFileSync(`${file}.cairn-chained`, 'utf8')).toBe(text);
    expect(installHooks(dir, command).find((c) => c.name === 'pre-commit')?.chained).toBe(true);

    const removed = uninstallHooks(dir);
    expect(removed.map((c) => c.action)).toEqual(['removed', 'restored', 'removed']);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(mode(file)).toBe(0o741);
    expect(existsSync(`${file}.cairn-chained`)).toBe(false);
    expect(existsSync(path.join(dir, 'commit-msg'))).toBe(false);
  });

  it('chains a symlinked hook as a link, even a dangling one', () => {
    const dir = hooksDir();
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'commit-msg');
    symlinkSync('../nowhere/commit-msg', file);
    installHooks(dir, command);
    expect(readHookFiles(dir, 'commit-msg')).toMatchObject({ state: 'installed', chained: true });
    uninstallHooks(dir);
    expect(readlinkSync(file)).toBe('../nowhere/commit-msg');
  });

  it('refuses, changing nothing, when the chained name is taken by another file', () => {
    const dir = hooksDir();
    userHook(dir, 'commit-msg', '#!/bin/sh\necho a\n');
    userHook(dir, 'pre-commit', '#!/bin/sh\necho mine\n');
    userHook(dir, 'pre-commit.cairn-chained', '#!/bin/sh\necho other\n');
    expect(() => installHooks(dir, command)).toThrow(/cannot install Cairn's hooks/);
    expect(readHookFiles(dir, 'commit-msg').state).toBe('foreign');
    expect(readHookFiles(dir, 'post-commit').state).toBe('missing');
    expect(readFileSync(path.join(dir, 'pre-commit'), 'utf8')).toBe('#!/bin/sh\necho mine\n');
  });

  it('refuses a directory where a hook should be', () => {
    const dir = hooksDir();
    mkdirSync(path.join(dir, 'post-commit'), { recursive: true });
    expect(() => installHooks(dir, command)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it('installs again after a tool rewrote its hook over Cairn’s (husky reinstalled)', () => {
    const dir = hooksDir();
    const stub = '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n';
    userHook(dir, 'pre-commit', stub);
    installHooks(dir, command);
    userHook(dir, 'pre-commit', stub);
    expect(readHookFiles(dir, 'pre-commit').state).toBe('foreign');
    expect(installHooks(dir, command).find((c) => c.name === 'pre-commit')?.action).toBe('chained');
    expect(readFileSync(path.join(dir, 'pre-commit.cairn-chained'), 'utf8')).toBe(stub);
  });

  it('drops a chained copy of its own script instead of running it', () => {
    const dir = hooksDir();
    userHook(dir, 'post-commit.cairn-chained', renderHookScript('post-commit', command));
    expect(installHooks(dir, command).find((c) => c.name === 'post-commit')).toMatchObject({
      action: 'installed',
      chained: false,
    });
    expect(existsSync(path.join(dir, 'post-commit.cairn-chained'))).toBe(false);
  });
});

describe('uninstallHooks', () => {
  it('leaves hooks that are not Cairn’s alone', () => {
    const dir = hooksDir();
    userHook(dir, 'pre-commit', '#!/bin/sh\n');
    expect(uninstallHooks(dir).map((c) => c.action)).toEqual(['absent', 'foreign', 'absent']);
    expect(readFileSync(path.join(dir, 'pre-commit'), 'utf8')).toBe('#!/bin/sh\n');
  });

  it('restores a chained hook whose Cairn hook was deleted by hand', () => {
    const dir = hooksDir();
    userHook(dir, 'commit-msg', '#!/bin/sh\nexit 0\n');
    installHooks(dir, command);
    rmSync(path.join(dir, 'commit-msg'));
    expect(uninstallHooks(dir)[0]?.action).toBe('restored');
    expect(readFileSync(path.join(dir, 'commit-msg'), 'utf8')).toBe('#!/bin/sh\nexit 0\n');
  });
});
