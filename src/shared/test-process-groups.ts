/**
 * Kills each process group by its leader's pid, ignoring groups already gone: for the afterAll
 * hook of a test that starts agents, so that none outlives a failed assertion.
 */
export function killGroups(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}
