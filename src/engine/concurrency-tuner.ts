import type { Clock } from '../shared/clock.js';
import { cpuMeter, decideConcurrency, memFree, type TunePrevious } from './auto-tune.js';

export interface TuneSettings {
  min: number;
  max: number;
  windowMs: number;
  cpuBusy?: () => number;
  memFree?: () => number;
}

export interface ConcurrencyTuner {
  /** The concurrency to run at now. */
  limit(): number;
  /** One task finished (merged or given up): counted toward the window's throughput. */
  finished(): void;
  stop(): void;
}

/**
 * `cairn run --auto-tune`: every window, additive increase or multiplicative decrease of the
 * concurrency (auto-tune.ts), from CPU, memory, the window's throughput and the tasks waiting.
 * `onChange` hears each change with the numbers that decided it.
 */
export function startConcurrencyTuner(options: {
  tune: TuneSettings;
  initial: number;
  clock: Clock;
  waiting: () => number;
  onChange: (from: number, to: number, why: string) => void;
}): ConcurrencyTuner {
  const { tune, clock } = options;
  const busy = tune.cpuBusy ?? cpuMeter();
  const mem = tune.memFree ?? memFree;
  let limit = Math.min(tune.max, Math.max(tune.min, options.initial));
  let finishedInWindow = 0;
  let previous: TunePrevious | undefined;
  let slowStart = true;
  let windowStart = clock.now();
  const timer = setInterval(() => {
    const minutes = Math.max(1, clock.now() - windowStart) / 60_000;
    const sample = {
      cpuBusy: busy(),
      memFree: mem(),
      throughput: finishedInWindow / minutes,
      finished: finishedInWindow,
      waiting: options.waiting(),
    };
    finishedInWindow = 0;
    windowStart = clock.now();
    const decision = decideConcurrency(limit, sample, previous, tune, slowStart);
    if (decision && decision.to < limit) slowStart = false;
    previous = { concurrency: limit, throughput: sample.throughput, finished: sample.finished };
    if (!decision) return;
    const from = limit;
    limit = decision.to;
    options.onChange(from, decision.to, decision.why);
  }, tune.windowMs);
  timer.unref();
  return {
    limit: () => limit,
    finished: () => void finishedInWindow++,
    stop: () => clearInterval(timer),
  };
}
