import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The long crash-torture profile, kept out of `npm test`:
 *   npm run build && npx vitest run --config test/torture/vitest.long.config.ts
 * Replay one seed: TORTURE_SEED=<n> npx vitest run --config test/torture/vitest.long.config.ts
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/torture/**/*.torture.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
