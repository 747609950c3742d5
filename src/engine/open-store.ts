import { hostname } from 'node:os';
import type { RepoPaths } from '../git/repo.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/types.js';
import { stateDbFile } from './names.js';

/** The state store of a repository (SQLite under the state dir today). */
export function openStore(repo: RepoPaths): Store {
  return openSqliteStore(stateDbFile(repo.stateDir), { host: hostname() });
}
