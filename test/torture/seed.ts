/** The seed of a run: TORTURE_SEED when set (to replay a failure), else a fresh one. */
export function seedFromEnv(fallback = Math.floor(Math.random() * 2 ** 31)): number {
  const given = process.env.TORTURE_SEED;
  if (given === undefined || given === '') return fallback;
  const seed = Number(given);
  if (!Number.isInteger(seed) || seed < 0)
    throw new Error(`TORTURE_SEED must be a whole number, got "${given}"`);
  return seed;
}
