import { afterAll, describe, expect, it } from 'vitest';
import { failureMessage, runTorture, summary, type TortureReport } from './driver.js';
import { seedFromEnv } from './seed.js';
import { cleanupTorture } from './scenario.js';

/**
 * Crash torture, long profile (`npm run torture`, not part of `npm test`): several seeds, each a
 * 40-task milestone whose `cairn run` is SIGKILLed at random moments (at least 200 kills in all),
 * with random SIGKILLs of agents' process groups (guarantee 2: the attempt fails and is retried,
 * nothing else is disturbed) and random damage to state.db between runs (deleted, truncated,
 * overwritten with random bytes, its -wal removed). After damage, a run that fails unexpectedly is
 * followed by `cairn doctor --repair` when this Cairn has it, else by deleting state.db.
 * The invariants of guarantee 1 are checked after every seed.
 *
 * TORTURE_SEED=<n> replays one seed; TORTURE_LONG_SEEDS (default 4) and TORTURE_KILLS (default 60
 * per seed) size the run.
 */
const FILE = 'test/torture/long.torture.ts';
const replaying = process.env.TORTURE_SEED !== undefined && process.env.TORTURE_SEED !== '';
const first = seedFromEnv();
const SEEDS = replaying ? 1 : Number(process.env.TORTURE_LONG_SEEDS ?? 4);
const KILLS = Number(process.env.TORTURE_KILLS ?? 60);
const MIN_TOTAL = replaying ? KILLS : Number(process.env.TORTURE_MIN_TOTAL ?? 200);
const verbose = process.env.TORTURE_VERBOSE === '1';
const seeds = Array.from({ length: SEEDS }, (_, i) => (first + i * 104_729) % 2 ** 31);

describe('crash torture (long)', () => {
  const reports: TortureReport[] = [];
  let unfinished = 0;
  afterAll(() => {
    if (unfinished === 0) cleanupTorture();
  });

  for (const seed of seeds) {
    it(`seed=${seed}: ${KILLS}+ orchestrator kills, agent kills and state.db damage`, async () => {
      const lines: string[] = [];
      unfinished++; // until the session has passed: a failed one stays for inspection
      const report = await runTorture({
        name: 'long',
        file: FILE,
        seed,
        tasks: 40,
        concurrency: 4,
        retries: 3,
        minKills: KILLS,
        budgetMs: 12 * 60_000,
        agentKills: true,
        damage: 0.08,
        slowAgents: 0.1,
        log: (line) => {
          lines.push(line);
          if (verbose) console.log(line);
        },
      });
      reports.push(report);
      console.log(summary(report));
      if (report.verdict.violations.length > 0) {
        throw new Error(`${failureMessage(report, FILE)}\nlog:\n  ${lines.join('\n  ')}`);
      }
      expect(report.kills).toBeGreaterThanOrEqual(KILLS);
      unfinished--;
    });
  }

  it(`killed the orchestrator at least ${MIN_TOTAL} times in all`, () => {
    const total = reports.reduce((sum, report) => sum + report.kills, 0);
    console.log(
      `long profile: ${total} orchestrator kills, ${reports.reduce((n, r) => n + r.agentKills.length, 0)} agent kills, ${reports.reduce((n, r) => n + r.damages.length, 0)} damages over seeds ${reports.map((r) => r.seed).join(', ')}`,
    );
    expect(reports.length, `seeds ${seeds.join(', ')}: some seeds did not report`).toBe(seeds.length);
    expect(total).toBeGreaterThanOrEqual(MIN_TOTAL);
  });
});
