const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

// A sequence of number+unit parts, largest first by convention but not enforced: "1h30m", "90s".
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gy;
const NUMBER = /^\d+(?:\.\d+)?$/;

/**
 * Milliseconds for a duration as users write it: a number (seconds), a numeric string
 * (seconds), or parts like "500ms", "90s", "30m", "1h", "1h30m". Undefined when invalid.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (NUMBER.test(text)) return Math.round(Number(text) * 1000);
  let total = 0;
  let end = 0;
  PART.lastIndex = 0;
  for (let match = PART.exec(text); match !== null; match = PART.exec(text)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? NaN);
    end = PART.lastIndex;
    while (text[end] === ' ') end++;
    PART.lastIndex = end;
  }
  if (end !== text.length || !Number.isFinite(total)) return undefined;
  return Math.round(total);
}

/** The pattern `parseDuration` accepts for strings, for the JSON Schema. */
export const DURATION_PATTERN =
  '^\\s*\\d+(\\.\\d+)?\\s*((ms|s|m|h|d)(\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))*)?\\s*$';
