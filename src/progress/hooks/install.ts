import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../shared/errors.js';
import { readHookFiles, type HookFiles } from './hook-files.js';
import { HOOK_NAMES, renderHookScript, type CairnCommand, type HookName } from './script.js';

/** What install did for one hook; `chained`: a user hook now runs before Cairn's. */
export interface InstallChange {
  name: HookName;
  action: 'installed' | 'chained' | 'updated' | 'unchanged';
  chained: boolean;
}

/** What uninstall did for one hook; `foreign` hooks are not Cairn's and stay as they are. */
export interface UninstallChange {
  name: HookName;
  action: 'removed' | 'restored' | 'foreign' | 'absent';
}

const EXECUTABLE = 0o755;

/** Replaces `file` in one step, so git never runs a half-written hook. */
function writeScript(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.cairn-${process.pid}.tmp`);
  writeFileSync(temp, text, { mode: EXECUTABLE });
  chmodSync(temp, EXECUTABLE); // the umask may have taken bits away
  renameSync(temp, file);
}

function sameBytes(a: string, b: string): boolean {
  try {
    return readFileSync(a).equals(readFileSync(b));
  } catch {
    return false; // a dangling symlink
  }
}

function problemOf(hook: HookFiles): string | undefined {
  if (hook.state !== 'foreign') return undefined;
  if (statSync(hook.file, { throwIfNoEntry: false })?.isDirectory()) {
    return `${hook.file} is a directory, not a hook`;
  }
  if (hook.chained && !hook.chainedIsCairn && !sameBytes(hook.file, hook.chainedFile)) {
    return `${hook.file} is not Cairn's and ${hook.chainedFile} already exists`;
  }
  return undefined;
}

/**
 * Installs Cairn's hooks in `dir`. A hook that is not Cairn's is never overwritten: it moves to
 * `<name>.cairn-chained` and runs first. Checks every hook before changing any.
 */
export function installHooks(dir: string, command: CairnCommand): InstallChange[] {
  const hooks = HOOK_NAMES.map((name) => readHookFiles(dir, name));
  const problems = hooks.map(problemOf).filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) {
    throw new InputError('E_HOOK_CONFLICT', `cannot install Cairn's hooks in ${dir}`, {
      details: problems,
      hint: 'Merge the two files into one hook or move one away, then run `cairn hooks install` again.',
    });
  }
  mkdirSync(dir, { recursive: true });
  return hooks.map((hook) => installOne(hook, renderHookScript(hook.name, command)));
}

function installOne(hook: HookFiles, script: string): InstallChange {
  const { name, file, chainedFile } = hook;
  // A copy of Cairn's own script as the chained hook would run itself: drop it.
  if (hook.chainedIsCairn) unlinkSync(chainedFile);
  const chained = hook.chained && !hook.chainedIsCairn;
  if (hook.state === 'installed') {
    if (readFileSync(file, 'utf8') === script) return { name, action: 'unchanged', chained };
    writeScript(file, script);
    return { name, action: 'updated', chained };
  }
  if (hook.state === 'foreign') {
    // Same bytes as the chained hook: a tool (husky) wrote its hook again; the chained copy keeps it.
    if (chained) unlinkSync(file);
    else renameSync(file, chainedFile);
    writeScript(file, script);
    return { name, action: 'chained', chained: true };
  }
  writeScript(file, script);
  return { name, action: chained ? 'chained' : 'installed', chained };
}

/** Removes Cairn's hooks from `dir` and puts each chained user hook back under its own name. */
export function uninstallHooks(dir: string): UninstallChange[] {
  return HOOK_NAMES.map((name) => {
    const hook = readHookFiles(dir, name);
    if (hook.state === 'foreign') return { name, action: 'foreign' };
    if (hook.state === 'installed') unlinkSync(hook.file);
    if (hook.chainedIsCairn) unlinkSync(hook.chainedFile);
    if (hook.chained && !hook.chainedIsCairn) {
      renameSync(hook.chainedFile, hook.file);
      return { name, action: 'restored' };
    }
    return { name, action: hook.state === 'installed' ? 'removed' : 'absent' };
  });
}
