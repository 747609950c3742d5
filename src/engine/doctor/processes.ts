import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** One live (non-zombie) process, as /proc/<pid>/stat describes it. */
export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  comm: string;
}

export interface ProcessTable {
  list: ProcInfo[];
  byPid: Map<number, ProcInfo>;
}

/** Parses /proc/<pid>/stat; the command name may itself hold spaces and parentheses. */
export function parseStat(text: string): (ProcInfo & { state: string }) | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const [state = '', ppid = '', pgid = ''] = text
    .slice(close + 2)
    .trim()
    .split(' ');
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state,
    ppid: Number(ppid),
    pgid: Number(pgid),
  };
}

function readStat(pid: number): (ProcInfo & { state: string }) | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every live process, or undefined where there is no /proc (the process checks are then skipped). */
export function readProcessTable(): ProcessTable | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const list: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.state !== 'Z')
      list.push({ pid: stat.pid, ppid: stat.ppid, pgid: stat.pgid, comm: stat.comm });
  }
  return { list, byPid: new Map(list.map((info) => [info.pid, info])) };
}

/** Whether a process exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

export function readEnviron(pid: number): Map<string, string> | undefined {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const env = new Map<string, string>();
    for (const entry of entries) {
      const eq = entry.indexOf('=');
      if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
    }
    return env;
  } catch {
    return undefined;
  }
}

export function readCwd(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

export function readArgv(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** `pid` and every process above it: what doctor must never stop, whatever their environment. */
export function selfAndAncestors(table: ProcessTable, pid = process.pid): Set<number> {
  const seen = new Set<number>();
  for (let current: number | undefined = pid; current && !seen.has(current);) {
    seen.add(current);
    current = table.byPid.get(current)?.ppid;
  }
  return seen;
}

/** Processes (other than this one) holding any of `files` open. */
export function processesWithOpen(table: ProcessTable, files: string[]): number[] {
  const wanted = new Set(files);
  const holders: number[] = [];
  for (const { pid } of table.list) {
    if (pid === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        return wanted.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
    if (holds) holders.push(pid);
  }
  return holders;
}

/** True when `dir` is `parent` or inside it. */
export function isInside(dir: string, parent: string): boolean {
  return dir === parent || dir.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}
