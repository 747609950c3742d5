import { readFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';

/** What the tuner sees at the end of a window. */
export interface TuneSample {
  /** Share of the machine's CPU time busy during the window (0–1), from /proc/stat. */
  cpuBusy: number;
  /** Share of memory free (0–1). */
  memFree: number;
  /** Tasks finished (merged or given up) per minute in the window. */
  throughput: number;
  /** Tasks that could have started but waited for a slot at the end of the window. */
  waiting: number;
  /** How many tasks finished in the window: how much to trust `throughput` (absent: fully). */
  finished?: number;
}

/** The window before the last change, to judge it by. */
export interface TunePrevious {
  concurrency: number;
  throughput: number;
  finished?: number;
}

export interface TuneBounds {
  min: number;
  max: number;
}

export interface TuneDecision {
  to: number;
  why: string;
}

/** Thresholds (docs/perf.md, "Auto-tune"). */
export const TUNE = {
  /** Below this CPU use there is room for another agent. */
  cpuRoom: 0.8,
  /** Above this, the machine is saturated. */
  cpuSaturated: 0.95,
  /** Below this share of free memory, back off hard. */
  memLow: 0.1,
  /** A step up must not lose more than this share of throughput, or it is undone. */
  tolerance: 0.1,
  /** Multiplicative decrease. */
  decrease: 0.5,
} as const;

/**
 * Additive increase, multiplicative decrease: one more agent while CPU and memory have room and
 * tasks wait (twice as many while in slow start, before the first decrease); half as many when
 * memory runs low, or when the machine is saturated and the last step up lost throughput. A step
 * up is undone only when throughput fell beyond the window's noise (`beyondNoise`): a busy CPU
 * alone is no harm. `previous` is the window before the last change, to judge it.
 */
export function decideConcurrency(
  current: number,
  sample: TuneSample,
  previous: TunePrevious | undefined,
  bounds: TuneBounds,
  /** Until the first decrease, grow by doubling (slow start) rather than by one. */
  slowStart = false,
): TuneDecision | undefined {
  const pct = (value: number) => `${Math.round(value * 100)}%`;
  const down = (why: string): TuneDecision | undefined => {
    const to = Math.max(bounds.min, Math.floor(current * TUNE.decrease));
    return to < current ? { to, why } : undefined;
  };
  if (sample.memFree < TUNE.memLow) return down(`memory is ${pct(sample.memFree)} free`);
  const steppedUp = previous !== undefined && previous.concurrency < current;
  const fell = steppedUp && beyondNoise(previous.finished, sample.finished);
  if (fell && sample.throughput < previous.throughput * (1 - TUNE.tolerance)) {
    const to = Math.max(bounds.min, previous.concurrency);
    return to < current
      ? {
          to,
          why: `throughput fell from ${previous.throughput.toFixed(1)} to ${sample.throughput.toFixed(1)} tasks/min at ${current}`,
        }
      : undefined;
  }
  if (sample.cpuBusy > TUNE.cpuSaturated && fell && sample.throughput <= previous.throughput) {
    return down(`CPU is ${pct(sample.cpuBusy)} busy and the last step up did not raise throughput`);
  }
  // More agents while tasks wait and there is room: CPU not saturated, or the last step up raised
  // throughput, or still in slow start (probing until throughput falls, as TCP probes until loss).
  const improving = steppedUp && sample.throughput > previous.throughput * (1 + TUNE.tolerance / 2);
  const room = sample.cpuBusy < TUNE.cpuRoom || improving || slowStart;
  if (room && sample.waiting > 0 && current < bounds.max) {
    const to = Math.min(bounds.max, slowStart ? current * 2 : current + 1, current + sample.waiting);
    const reason =
      sample.cpuBusy < TUNE.cpuRoom
        ? `CPU is ${pct(sample.cpuBusy)} busy`
        : improving
          ? `throughput rose to ${sample.throughput.toFixed(1)} tasks/min`
          : 'probing (slow start)';
    return { to, why: `${reason} and ${sample.waiting} task(s) wait` };
  }
  return undefined;
}

/**
 * Whether fewer tasks finished than in the window before by more than chance: finishing tasks
 * come like a Poisson count, so two standard deviations (2·√(a+b)) of the difference; without
 * counts, any drop counts. A window of 5 tasks against one of 3 proves nothing; 40 against 20 does.
 */
export function beyondNoise(before: number | undefined, now: number | undefined): boolean {
  if (before === undefined || now === undefined) return true;
  return before - now > 2 * Math.sqrt(before + now);
}

/** CPU busy share since the last call, from /proc/stat (0.5 where it cannot be read). */
export function cpuMeter(): () => number {
  const read = () => {
    try {
      const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
      const values = line.trim().split(/\s+/).slice(1).map(Number);
      const idle = (values[3] ?? 0) + (values[4] ?? 0);
      const total = values.reduce((a, b) => a + b, 0);
      return { idle, total };
    } catch {
      return undefined;
    }
  };
  let last = read();
  return () => {
    const now = read();
    if (!now || !last || now.total <= last.total) return 0.5;
    const busy = 1 - (now.idle - last.idle) / (now.total - last.total);
    last = now;
    return Math.min(1, Math.max(0, busy));
  };
}

export const memFree = () => freemem() / Math.max(1, totalmem());
export const defaultMaxConcurrency = () => Math.max(2, (cpus().length || 1) * 2);
