import type { MilestonesInGit } from './milestones.js';

export type CheckName = 'git' | 'worktrees' | 'locks' | 'database' | 'journal' | 'lease' | 'agents' | 'disk';

export type FindingStatus = 'ok' | 'warn' | 'error';

/** What `--repair` does about a finding; data, so checks stay testable without acting. */
export type Repair =
  | { kind: 'stop-agents'; session: string; pids: number[]; groups: number[] }
  | { kind: 'remove-lock'; file: string }
  | { kind: 'release-lease'; milestone: string; run: string }
  | { kind: 'prune-worktrees' }
  | { kind: 'clear-registrations'; milestone: string }
  | { kind: 'move-worktree-aside'; dir: string }
  | { kind: 'rebuild-state' }
  | { kind: 'rebuild-projections' }
  | { kind: 'sync-milestone'; milestone: string };

export interface Finding {
  check: CheckName;
  status: FindingStatus;
  message: string;
  /** What to do about it, or what `--repair` does; null when nothing is needed. */
  fix: string | null;
  repair?: Repair;
}

export interface Repaired {
  check: CheckName;
  ok: boolean;
  message: string;
}

/** What the state database looked like, as the database check found it. */
export type DbHealth = 'missing' | 'empty' | 'healthy' | 'damaged' | 'newer' | 'unreadable';

/** What one round of checks found, with what the repairs need to act on it. */
export interface Examination {
  findings: Finding[];
  milestones: MilestonesInGit;
  /** Every directory git may be working in: working trees, the common dir, the state dir. */
  repoDirs: string[];
}

export const finding = (
  check: CheckName,
  status: FindingStatus,
  message: string,
  fix: string | null = null,
  repair?: Repair,
): Finding => ({ check, status, message, fix, ...(repair ? { repair } : {}) });
