import { statfsSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { Pressure } from './degradation.js';

export interface SystemSample {
  diskFreeBytes: number;
  diskTotalBytes: number;
  load1: number;
  cpus: number;
  freeMemBytes: number;
  totalMemBytes: number;
}

/** Disk (where the state lives), load and memory of this machine now. */
export function sampleSystem(dir: string): SystemSample {
  let diskFreeBytes = Number.POSITIVE_INFINITY;
  let diskTotalBytes = Number.POSITIVE_INFINITY;
  try {
    const fs = statfsSync(dir);
    diskFreeBytes = fs.bavail * fs.bsize;
    diskTotalBytes = fs.blocks * fs.bsize;
  } catch {
    // No statfs here: disk pressure cannot be judged, so it is not claimed.
  }
  return {
    diskFreeBytes,
    diskTotalBytes,
    load1: loadavg()[0] ?? 0,
    cpus: cpus().length || 1,
    freeMemBytes: freemem(),
    totalMemBytes: totalmem(),
  };
}

const MB = 1024 * 1024;

/** Resource pressure: a nearly full disk stops new work; scarce memory or heavy load slows it. */
export function pressureOf(sample: SystemSample): Pressure {
  if (sample.diskFreeBytes < 200 * MB || sample.diskFreeBytes < sample.diskTotalBytes * 0.01)
    return 'disk-full';
  if (sample.freeMemBytes < sample.totalMemBytes * 0.03 || sample.load1 > sample.cpus * 6) return 'resources';
  return 'none';
}

export interface RunActivity {
  attempts: number;
  failedAttempts: number;
  /** How long the oldest ready task has waited to start. */
  oldestReadyMs: number;
}

export interface HealthReport {
  /** 0 (failing) to 100 (healthy). */
  score: number;
  warnings: string[];
}

/** Scores a run's health from the machine and the run's own activity, with what is wrong. */
export function scoreHealth(sample: SystemSample, activity: RunActivity): HealthReport {
  const warnings: string[] = [];
  let score = 100;
  const errorRate = activity.attempts === 0 ? 0 : activity.failedAttempts / activity.attempts;
  if (errorRate > 0.25) {
    score -= Math.round(errorRate * 50);
    warnings.push(`${Math.round(errorRate * 100)}% of attempts failed`);
  }
  if (sample.diskFreeBytes < 1024 * MB) {
    score -= 30;
    warnings.push(`only ${Math.round(sample.diskFreeBytes / MB)} MB free on the state disk`);
  }
  if (sample.freeMemBytes < sample.totalMemBytes * 0.1) {
    score -= 15;
    warnings.push(`memory is low (${Math.round(sample.freeMemBytes / MB)} MB free)`);
  }
  if (sample.load1 > sample.cpus * 2) {
    score -= 10;
    warnings.push(`load ${sample.load1.toFixed(1)} on ${sample.cpus} cores`);
  }
  if (activity.oldestReadyMs > 10 * 60_000) {
    score -= 10;
    warnings.push(`a ready task has waited ${Math.round(activity.oldestReadyMs / 60_000)} min to start`);
  }
  return { score: Math.max(0, score), warnings };
}
