import path from 'node:path';
import { readArgv, readEnviron, selfAndAncestors, type ProcessTable } from './processes.js';
import { finding, type Finding } from './types.js';
import { realPathOrResolved } from '../../shared/real-path.js';

/** The agent processes (and their helpers) of one run, found by their CAIRN_SESSION. */
export interface AgentSession {
  session: string;
  pids: number[];
  groups: number[];
  tasks: string[];
  /** A live Cairn process that is the parent of one of them, if any. */
  cairnParent: number | undefined;
}

/** `node …/cli/bin.js run 001`, `cairn run 001`, `tsx src/cli/bin.ts run`: a Cairn process. */
export function looksLikeCairn(argv: string[]): boolean {
  return argv.some((arg) => path.basename(arg) === 'cairn' || /(^|\/)cli\/bin\.[cm]?[jt]s$/.test(arg));
}

/** Processes whose environment names this state dir (CAIRN_HOME) and a run (CAIRN_SESSION), by run. */
export function findAgentSessions(table: ProcessTable, stateDir: string): AgentSession[] {
  const home = realPathOrResolved(stateDir);
  const spared = selfAndAncestors(table);
  const sessions = new Map<string, AgentSession>();
  for (const info of table.list) {
    if (spared.has(info.pid)) continue;
    const env = readEnviron(info.pid);
    const session = env?.get('CAIRN_SESSION');
    const cairnHome = env?.get('CAIRN_HOME');
    if (!session || !cairnHome || realPathOrResolved(cairnHome) !== home) continue;
    const entry = sessions.get(session) ?? {
      session,
      pids: [],
      groups: [],
      tasks: [],
      cairnParent: undefined,
    };
    entry.pids.push(info.pid);
    const task = env?.get('CAIRN_TASK');
    if (task && !entry.tasks.includes(task)) entry.tasks.push(task);
    sessions.set(session, entry);
  }
  const ownGroup = table.byPid.get(process.pid)?.pgid;
  for (const entry of sessions.values()) {
    const members = new Set(entry.pids);
    for (const pid of entry.pids) {
      const info = table.byPid.get(pid)!;
      // Agents run in their own process group; never signal a group doctor itself belongs to.
      if (info.pgid > 1 && info.pgid !== ownGroup && !entry.groups.includes(info.pgid))
        entry.groups.push(info.pgid);
      if (!members.has(info.ppid) && info.ppid > 1 && looksLikeCairn(readArgv(info.ppid)))
        entry.cairnParent = info.ppid;
    }
  }
  return [...sessions.values()];
}

/** "2 agent(s) (5 processes)": agents are process groups, helpers included. */
export function describeAgents(entry: Pick<AgentSession, 'groups' | 'pids'>): string {
  const agents = entry.groups.length || entry.pids.length;
  return agents === entry.pids.length
    ? `${agents} agent(s)`
    : `${agents} agent(s) (${entry.pids.length} processes)`;
}

/**
 * Agents whose run is gone: not the run holding a live lease, and not children of a live Cairn
 * process (which also protects a live run when the database cannot say who holds the lease).
 */
export function checkAgents(
  table: ProcessTable | undefined,
  stateDir: string,
  liveRuns: Set<string> | undefined,
): Finding[] {
  if (!table)
    return [finding('agents', 'warn', 'not checked: there is no /proc to list processes on this system')];
  const sessions = findAgentSessions(table, stateDir);
  if (sessions.length === 0) return [finding('agents', 'ok', 'no agent processes are running')];
  return sessions.map((entry) => {
    const what = `${describeAgents(entry)} of run ${entry.session} (task ${[...entry.tasks].sort().join(', ') || '?'}; pid ${entry.pids.join(', ')})`;
    if (liveRuns?.has(entry.session)) return finding('agents', 'ok', `${what}, which holds the lease`);
    if (entry.cairnParent !== undefined) {
      return liveRuns
        ? finding(
            'agents',
            'warn',
            `${what} run under Cairn process ${entry.cairnParent}, which does not hold the lease`,
            'Stop that process (Ctrl-C in its terminal) if it is not meant to run.',
          )
        : finding('agents', 'ok', `${what}, started by the live Cairn process ${entry.cairnParent}`);
    }
    return finding(
      'agents',
      'error',
      `${what} outlived their run: no live run holds the lease for them`,
      '`cairn doctor --repair` stops them: SIGTERM to their process groups, then SIGKILL after a grace period.',
      { kind: 'stop-agents', session: entry.session, pids: entry.pids, groups: entry.groups },
    );
  });
}
