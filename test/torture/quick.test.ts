import { afterAll, describe, expect, it } from 'vitest';
import { failureMessage, runTorture, summary } from './driver.js';
import { seedFromEnv } from './seed.js';
import { cleanupTorture } from './scenario.js';

/**
 * Crash torture, quick profile (part of `npm test`): a 40-task milestone with scripted agents of
 * random durations; `cairn run` is SIGKILLed at random moments at least 20 times, then let
 * finish; the invariants of guarantee 1 are checked from git, the database and /proc.
 * A fresh seed each time unless TORTURE_SEED is set; a failure prints the seed and the command
 * that replays it.
 */
const FILE = 'test/torture/quick.test.ts';
const seed = seedFromEnv();
const MIN_KILLS = Number(process.env.TORTURE_KILLS ?? 20);
const verbose = process.env.TORTURE_VERBOSE === '1';

describe('crash torture (quick)', () => {
  let keep = false;
  afterAll(() => {
    if (!keep) cleanupTorture();
  });

  it(`seed=${seed}: SIGKILLed ${MIN_KILLS}+ times, the milestone still finishes with every guarantee-1 invariant`, async () => {
    const lines: string[] = [];
    keep = true; // until the session has passed: a failed one stays for inspection
    const report = await runTorture({
      name: 'quick',
      file: FILE,
      seed,
      tasks: 40,
      concurrency: 4,
      retries: 3,
      minKills: MIN_KILLS,
      budgetMs: 150_000,
      log: (line) => {
        lines.push(line);
        if (verbose) console.log(line);
      },
    });
    console.log(summary(report));
    if (report.verdict.violations.length > 0) {
      throw new Error(`${failureMessage(report, FILE)}\nlog:\n  ${lines.join('\n  ')}`);
    }
    expect(report.kills).toBeGreaterThanOrEqual(MIN_KILLS);
    keep = false;
  }, 180_000);
});
