/** How long to wait before retry `n`: exponential, capped, with full jitter. */
export interface BackoffPolicy {
  baseMs: number;
  factor: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, factor: 2, capMs: 60_000 };

/**
 * The delay before retry number `retry` (1 for the first retry). Full jitter spreads retries
 * of many tasks over the whole window so that a failing service is not hit in waves.
 */
export function retryDelay(
  retry: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * retryCeiling(retry, policy));
}

/** The upper bound of the delay before retry `retry`, for display and tests. */
export function retryCeiling(retry: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  return Math.min(policy.capMs, policy.baseMs * policy.factor ** Math.max(0, retry - 1));
}
