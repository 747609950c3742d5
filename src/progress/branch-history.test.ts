import { describe, expect, it } from 'vitest';
import { parseMarker } from './branch-history.js';

describe('parseMarker', () => {
  it('reads percentages and shares, clamped to 0–1', () => {
    expect(parseMarker('40%')).toBe(0.4);
    expect(parseMarker(' 100 % ')).toBe(1);
    expect(parseMarker('0.25')).toBe(0.25);
    expect(parseMarker('75')).toBe(0.75);
    expect(parseMarker('250%')).toBe(1);
  });

  it('ignores what it cannot read', () => {
    expect(parseMarker(undefined)).toBeNull();
    expect(parseMarker('half')).toBeNull();
    expect(parseMarker('-5%')).toBeNull();
  });
});
