import type { BackoffPolicy } from '../shared/backoff.js';
import type { BreakerPolicy } from '../shared/circuit-breaker.js';
import type { DeliveryClass } from './types.js';

export interface TypeDefaults {
  class: DeliveryClass;
  priority: number;
  /** Response deadline; it is also the lease of each delivery. */
  deadlineMs: number | undefined;
  maxAttempts: number;
  /** Escalated at once when sent (BLOCKER_ALERT). */
  escalate: boolean;
}

const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_MAX_ATTEMPTS = 5;

/** The built-in types and how each is delivered (DESIGN.md, "Coordination"). */
export const BUILT_IN_TYPES: Record<string, TypeDefaults> = {
  TASK_ASSIGNMENT: {
    class: 'at-least-once',
    priority: 5,
    deadlineMs: 30_000,
    maxAttempts: 5,
    escalate: false,
  },
  PROGRESS_UPDATE: {
    class: 'best-effort',
    priority: 0,
    deadlineMs: undefined,
    maxAttempts: 1,
    escalate: false,
  },
  COLLABORATION_REQUEST: {
    class: 'exactly-once',
    priority: 5,
    deadlineMs: 60_000,
    maxAttempts: 5,
    escalate: false,
  },
  BLOCKER_ALERT: {
    class: 'at-least-once',
    priority: 10,
    deadlineMs: 30_000,
    maxAttempts: 10,
    escalate: true,
  },
  /** From the orchestrator: a task wrote into another running task's scope (file monitor). */
  SCOPE_WARNING: {
    class: 'at-least-once',
    priority: 5,
    deadlineMs: undefined,
    maxAttempts: 5,
    escalate: false,
  },
  REPLY: { class: 'at-least-once', priority: 5, deadlineMs: undefined, maxAttempts: 5, escalate: false },
};

/** User-defined type names: upper snake case, like the built-in ones. */
export const TYPE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;

export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** Redelivery after a lease runs out: exponential with full jitter, like task retries. */
export const REDELIVERY_BACKOFF: BackoffPolicy = { baseMs: 500, factor: 2, capMs: 30_000 };

/** A recipient that lets this many leases in a row run out stops getting messages for a while. */
export const RECIPIENT_BREAKER: BreakerPolicy = { failures: 3, windowMs: 5 * 60_000, coolDownMs: 30_000 };

export function typeDefaults(type: string, deliveryClass?: DeliveryClass): TypeDefaults {
  const builtIn = BUILT_IN_TYPES[type];
  if (builtIn) return builtIn;
  return {
    class: deliveryClass ?? 'at-least-once',
    priority: 0,
    deadlineMs: undefined,
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    escalate: false,
  };
}

export function leaseOf(defaults: TypeDefaults): number {
  return defaults.deadlineMs ?? DEFAULT_LEASE_MS;
}
