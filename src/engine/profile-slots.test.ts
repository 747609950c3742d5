import { describe, expect, it } from 'vitest';
import { createProfileSlots } from './profile-slots.js';

const limits: Record<string, number> = { one: 1, two: 2 };

describe('createProfileSlots', () => {
  it('has room up to a profile limit, and always for a profile without one', () => {
    const slots = createProfileSlots((agent) => limits[agent]);
    slots.take('two');
    expect(slots.hasRoom('two')).toBe(true);
    slots.take('two');
    expect(slots.hasRoom('two')).toBe(false);
    for (let i = 0; i < 5; i++) slots.take('free');
    expect(slots.hasRoom('free')).toBe(true);
    expect(slots.running('free')).toBe(5);
  });

  it('hands a released slot to the first waiter before anyone else sees room', async () => {
    const freed: string[] = [];
    const slots = createProfileSlots(
      (agent) => limits[agent],
      (agent) => freed.push(agent),
    );
    slots.take('one');
    const controller = new AbortController();
    const first = slots.acquire('one', controller.signal);
    const second = slots.acquire('one', controller.signal);
    slots.release('one');
    await expect(first).resolves.toBe(true);
    expect(slots.hasRoom('one')).toBe(false);
    expect(slots.running('one')).toBe(1);
    slots.release('one');
    await expect(second).resolves.toBe(true);
    slots.release('one');
    expect(slots.running('one')).toBe(0);
    expect(slots.hasRoom('one')).toBe(true);
    expect(freed).toEqual(['one']);
  });

  it('gives up waiting when the signal aborts, leaving its place to the next waiter', async () => {
    const slots = createProfileSlots((agent) => limits[agent]);
    slots.take('one');
    const stopped = new AbortController();
    const gaveUp = slots.acquire('one', stopped.signal);
    const next = slots.acquire('one', new AbortController().signal);
    stopped.abort();
    await expect(gaveUp).resolves.toBe(false);
    slots.release('one');
    await expect(next).resolves.toBe(true);
    await expect(slots.acquire('one', stopped.signal)).resolves.toBe(false);
  });
});
