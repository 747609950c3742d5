import { lstatSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CHAINED_SUFFIX, isCairnHook, type HookName } from './script.js';

/** What sits at one hook's path: Cairn's script, someone else's hook, or nothing. */
export type HookState = 'installed' | 'foreign' | 'missing';

export interface HookFiles {
  name: HookName;
  /** `<dir>/<name>`, the file git runs. */
  file: string;
  /** `<dir>/<name>.cairn-chained`, the user's hook Cairn's runs first. */
  chainedFile: string;
  state: HookState;
  /** A chained user hook is present. */
  chained: boolean;
  /** The chained file is one of Cairn's own scripts (left by a copy): never chain it. */
  chainedIsCairn: boolean;
}

/** Present in any form, a dangling symlink included. */
export function entryExists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function isCairnFile(file: string): boolean {
  try {
    // stat follows a symlink: a link to Cairn's script is Cairn's; a dangling one is not.
    return !statSync(file).isDirectory() && isCairnHook(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

/** Reads what is installed for hook `name` in `dir`. */
export function readHookFiles(dir: string, name: HookName): HookFiles {
  const file = path.join(dir, name);
  const chainedFile = `${file}${CHAINED_SUFFIX}`;
  const state: HookState = !entryExists(file) ? 'missing' : isCairnFile(file) ? 'installed' : 'foreign';
  const chained = entryExists(chainedFile);
  return { name, file, chainedFile, state, chained, chainedIsCairn: chained && isCairnFile(chainedFile) };
}
