import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { finding, type Finding } from './types.js';

export interface DiskThresholds {
  /** Below this many free bytes, or below `warnRatio` of the disk, warn. */
  warnBytes: number;
  warnRatio: number;
  /** Below this, SQLite and git writes start failing: an error. */
  errorBytes: number;
}

export const DEFAULT_DISK: DiskThresholds = {
  warnBytes: 1024 ** 3,
  warnRatio: 0.05,
  errorBytes: 100 * 1024 ** 2,
};

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function judgeDisk(dir: string, free: number, total: number, limits: DiskThresholds): Finding {
  const ratio = total > 0 ? free / total : 1;
  const what = `${formatBytes(free)} free of ${formatBytes(total)} (${(ratio * 100).toFixed(1)}%) at ${dir}`;
  if (free < limits.errorBytes) {
    return finding(
      'disk',
      'error',
      what,
      'Free disk space: the journal, logs and worktrees need room to write.',
    );
  }
  if (free < limits.warnBytes || ratio < limits.warnRatio) {
    return finding(
      'disk',
      'warn',
      `low disk space: ${what}`,
      'Free disk space before a long run; worktrees and logs grow with every task.',
    );
  }
  return finding('disk', 'ok', what);
}

/** Free space where the state lives (the nearest existing directory when it is not created yet). */
export async function checkDisk(stateDir: string, limits: DiskThresholds = DEFAULT_DISK): Promise<Finding> {
  let dir = stateDir;
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    const stats = await statfs(dir);
    return judgeDisk(dir, stats.bavail * stats.bsize, stats.blocks * stats.bsize, limits);
  } catch (error) {
    return finding('disk', 'warn', `cannot read free space at ${dir}: ${(error as Error).message}`);
  }
}
