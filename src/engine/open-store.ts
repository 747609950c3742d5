import { hostname } from 'node:os';
import type { RepoPaths } from '../git/repo.js';
import { openCheckedStore } from '../store/open-checked.js';
import type { Store } from '../store/types.js';
import { stateDbFile } from './names.js';

/** The state store of a repository (SQLite under the state dir today); a damaged one is an exit-2 error. */
export function openStore(repo: RepoPaths, options: { quickCheck?: boolean } = {}): Store {
  return openCheckedStore(stateDbFile(repo.stateDir), { host: hostname(), ...options });
}
