import path from 'node:path';
import { createMutex, type Mutex } from '../../shared/mutex.js';
import { hasWorkspaceWork, type Workspace } from '../../spec/index.js';
import { createPortPool, type PortLease, type PortPool } from './ports.js';
import { setupCacheDir } from './setup-cache.js';

/** What one run keeps to make worktrees ready: settings, the port pool, who holds which ports. */
export interface WorkspaceRuntime {
  settings: Workspace;
  root: string;
  cacheDir: string;
  ports: PortPool | undefined;
  /** The ports each running task holds, by task id. */
  leases: Map<string, PortLease>;
  /** Cache keys this run restored or stored: eviction leaves them alone. */
  keysInUse: Set<string>;
  /** Cache keys known to hold an entry this run: one missing later was deleted under us. */
  keysSeen: Set<string>;
  /** A line on stderr; with `onceKey`, only the first time in this run. */
  notice(message: string, onceKey?: string): void;
  /** Runs `fn` alone among callers with the same key: the second worktree waits for the first's cache. */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export function createWorkspaceRuntime(options: {
  settings: Workspace;
  root: string;
  stateDir: string;
  notice: (message: string) => void;
}): WorkspaceRuntime | undefined {
  const { settings } = options;
  if (!hasWorkspaceWork(settings) && !settings.ports) return undefined;
  const said = new Set<string>();
  const locks = new Map<string, Mutex>();
  return {
    settings,
    root: options.root,
    cacheDir: setupCacheDir(options.stateDir),
    ports: settings.ports
      ? createPortPool({ ...settings.ports, lockDir: path.join(options.stateDir, 'ports') })
      : undefined,
    leases: new Map(),
    keysInUse: new Set(),
    keysSeen: new Set(),
    notice(message, onceKey) {
      if (onceKey !== undefined) {
        if (said.has(onceKey)) return;
        said.add(onceKey);
      }
      options.notice(message);
    },
    exclusive(key, fn) {
      const lock = locks.get(key) ?? createMutex();
      locks.set(key, lock);
      return lock(fn);
    },
  };
}

/** CAIRN_PORT_BASE and CAIRN_PORT_COUNT for a task holding ports; nothing otherwise. */
export function portEnv(runtime: WorkspaceRuntime | undefined, task: string): Record<string, string> {
  const lease = runtime?.leases.get(task);
  return lease ? { CAIRN_PORT_BASE: String(lease.base), CAIRN_PORT_COUNT: String(lease.count) } : {};
}
