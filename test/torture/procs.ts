import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** What /proc says about one process. */
export interface ProcInfo {
  pid: number;
  pgid: number;
  /** R, S, D, Z, T… */
  state: string;
  cmdline: string;
  cwd: string | undefined;
  env: Map<string, string>;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0] ?? '?';
    const pgid = Number(fields[2]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    const env = new Map<string, string>();
    try {
      for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
        const eq = entry.indexOf('=');
        if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
      }
    } catch {
      // Not ours to read.
    }
    let cwd: string | undefined;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      cwd = undefined;
    }
    return { pid, pgid, state, cmdline, cwd, env };
  } catch {
    return undefined;
  }
}

/** Every live (non-zombie) process but this one. */
export function liveProcesses(): ProcInfo[] {
  const found: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const info = readProc(pid);
    if (info && info.state !== 'Z' && info.state !== 'X') found.push(info);
  }
  return found;
}

/**
 * Processes that belong to a torture repository: anything Cairn started for a task of it
 * (CAIRN_HOME is its state dir) and anything running inside it or its state dir (git
 * children of a killed orchestrator, say).
 */
export function processesOfRepo(root: string, stateDir: string): ProcInfo[] {
  return liveProcesses().filter(
    (proc) =>
      proc.env.get('CAIRN_HOME') === stateDir ||
      (proc.cwd !== undefined &&
        (proc.cwd === root || proc.cwd.startsWith(`${root}/`) || proc.cwd.startsWith(`${stateDir}/`))),
  );
}

/** The scripted agents of a repository that are running now: leaders of their process group. */
export function runningAgents(stateDir: string, agentPath: string): ProcInfo[] {
  return liveProcesses()
    .filter(
      (proc) =>
        proc.env.get('CAIRN_HOME') === stateDir &&
        proc.cmdline.includes(agentPath) &&
        proc.env.has('CAIRN_TASK') &&
        (proc.state === 'S' || proc.state === 'R' || proc.state === 'D'),
    )
    .sort((a, b) => a.pid - b.pid);
}

export function describeProc(proc: ProcInfo): string {
  const env = ['CAIRN_TASK', 'CAIRN_ATTEMPT', 'CAIRN_SESSION']
    .map((key) => `${key}=${proc.env.get(key) ?? ''}`)
    .join(' ');
  return `pid ${proc.pid} (pgid ${proc.pgid}, state ${proc.state}, cwd ${proc.cwd ?? '?'}) ${env} :: ${proc.cmdline.slice(0, 160)}`;
}

export function isAlive(pid: number): boolean {
  const info = readProc(pid);
  return info !== undefined && info.state !== 'Z' && info.state !== 'X';
}
