// Pure and shared with the message bus; it lives in src/shared.
export * from '../shared/circuit-breaker.js';
