import { describe, expect, it } from 'vitest';
import { isInside, isRunning, parseStat, readProcessTable, selfAndAncestors } from './processes.js';

describe('process table', () => {
  it('parses /proc/<pid>/stat even when the command name holds spaces and parentheses', () => {
    expect(parseStat('4242 (my (odd) prog) S 17 4242 4242 0 -1 4194560 0 0')).toEqual({
      pid: 4242,
      comm: 'my (odd) prog',
      state: 'S',
      ppid: 17,
      pgid: 4242,
    });
    expect(parseStat('garbage')).toBeUndefined();
  });

  it('lists this process and its ancestors', () => {
    const table = readProcessTable();
    if (!table) return; // no /proc on this system
    expect(table.byPid.get(process.pid)?.ppid).toBe(process.ppid);
    const spared = selfAndAncestors(table);
    expect(spared.has(process.pid)).toBe(true);
    expect(spared.has(process.ppid)).toBe(true);
    expect(isRunning(process.pid)).toBe(true);
    expect(isRunning(2 ** 22 + 1)).toBe(false);
  });

  it('knows whether a path is inside a directory', () => {
    expect(isInside('/repo/.git/cairn', '/repo')).toBe(true);
    expect(isInside('/repo', '/repo')).toBe(true);
    expect(isInside('/repository', '/repo')).toBe(false);
  });
});
