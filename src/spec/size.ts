const UNIT_BYTES: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

/**
 * Bytes for a size as users write it: a number (bytes) or text such as "500MB", "5GB", "1.5G".
 * Units are binary (1KB = 1024 bytes), as `du` counts. Undefined when invalid.
 */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = SIZE.exec(value.trim());
  const unit = UNIT_BYTES[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) return undefined;
  return Math.round(Number(match[1]) * unit);
}

/** The pattern `parseSize` accepts for strings, for the JSON Schema. */
export const SIZE_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*([KkMmGgTt]([Ii]?[Bb])?|[Bb])?\\s*$';
