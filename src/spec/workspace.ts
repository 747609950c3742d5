import { WORKSPACE_DEFAULTS } from './keys.js';
import type { CacheEntrySpec, WorkspaceSpec } from './types.js';

/** The workspace a run uses: the spec's keys over the config's, defaults for the rest. */
export interface Workspace {
  setup: string[];
  setupTimeoutMs: number;
  cache: CacheEntrySpec[];
  copy: string[];
  /** Undefined when no ports are reserved. */
  ports: { count: number; base: number; blocks: number } | undefined;
  cacheMaxBytes: number;
  cacheMaxAgeMs: number;
}

export function resolveWorkspace(spec: WorkspaceSpec = {}, config: WorkspaceSpec = {}): Workspace {
  const merged: WorkspaceSpec = { ...config, ...spec };
  const ports = merged.ports ? { ...config.ports, ...spec.ports, count: merged.ports.count } : undefined;
  const base = ports?.base ?? WORKSPACE_DEFAULTS.portBase;
  return {
    setup: merged.setup ?? [],
    setupTimeoutMs: merged.setupTimeoutMs ?? WORKSPACE_DEFAULTS.setupTimeoutMs,
    cache: merged.cache ?? [],
    copy: merged.copy ?? [],
    // By default, as many blocks as fit below port 65536.
    ports: ports
      ? {
          count: ports.count,
          base,
          blocks: ports.blocks ?? Math.max(1, Math.floor((65_536 - base) / ports.count)),
        }
      : undefined,
    cacheMaxBytes: merged.cacheMaxBytes ?? WORKSPACE_DEFAULTS.cacheMaxBytes,
    cacheMaxAgeMs: merged.cacheMaxAgeMs ?? WORKSPACE_DEFAULTS.cacheMaxAgeMs,
  };
}

/** Whether a run has anything to do to make a new worktree ready. */
export function hasWorkspaceWork(workspace: Workspace): boolean {
  return workspace.setup.length > 0 || workspace.copy.length > 0;
}
