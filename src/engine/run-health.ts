import type { Clock } from '../shared/clock.js';
import type { Store } from '../store/types.js';
import type { AttemptResult } from './attempt-types.js';
import {
  applyPressure,
  createDegradation,
  effectiveLevel,
  recordOutcome,
  type DegradationLevel,
} from './degradation.js';
import { pressureOf, scoreHealth, type SystemSample } from './health.js';
import type { RunReporter } from './reporter.js';

const SAMPLE_EVERY_MS = 5_000;

/**
 * A run's health as it goes: attempt outcomes and (every few seconds) the machine feed the
 * degradation level; every change of level is journaled (`run.health`) and reported.
 */
export function createRunHealth(options: {
  store: Store;
  milestone: string;
  run: string;
  reporter: RunReporter;
  clock: Clock;
  sampleSystem?: () => SystemSample;
}) {
  const degradation = createDegradation();
  const activity = { attempts: 0, failedAttempts: 0 };
  let sample: SystemSample | undefined;
  let lastSample = Number.NEGATIVE_INFINITY;
  let lastLevel = effectiveLevel(degradation);

  const report = (reason: string) => {
    const level = effectiveLevel(degradation);
    const health = sample
      ? scoreHealth(sample, { ...activity, oldestReadyMs: 0 })
      : { score: 100, warnings: [] };
    options.store.append({
      type: 'run.health',
      milestone: options.milestone,
      run: options.run,
      level,
      score: health.score,
      warnings: health.warnings,
      reason,
    });
    if (level !== lastLevel) options.reporter.onNotice(`run level ${lastLevel} → ${level}: ${reason}`);
    lastLevel = level;
  };

  return {
    level: (): DegradationLevel => effectiveLevel(degradation),
    /** Samples the machine when the last sample is old enough; pressure may change the level. */
    checkSystem() {
      if (!options.sampleSystem || options.clock.now() - lastSample < SAMPLE_EVERY_MS) return;
      lastSample = options.clock.now();
      sample = options.sampleSystem();
      const changed = applyPressure(degradation, pressureOf(sample));
      if (changed) report(changed);
    },
    recordAttempt(result: AttemptResult) {
      // Neither an interruption nor a review's verdict says anything about the agents' health.
      if (result.outcome === 'interrupted' || result.outcome === 'blocked') return;
      activity.attempts++;
      if (result.outcome === 'failed') activity.failedAttempts++;
      const changed = recordOutcome(degradation, result.outcome === 'succeeded');
      if (changed) report(changed);
    },
  };
}
