import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { pidAlive } from '../../shared/pid-alive.js';

/** A block of ports held by one running task; `release` gives it back (once). */
export interface PortLease {
  base: number;
  count: number;
  release(): void;
}

export interface PortPoolOptions {
  base: number;
  count: number;
  blocks: number;
  /** Lock files here keep blocks apart between Cairn processes sharing the state dir. */
  lockDir: string;
  /** Whether a port can be bound on 127.0.0.1 now; replaced in tests. */
  isFree?: (port: number) => Promise<boolean>;
  /** How often a waiting task looks again for blocks freed by other processes. */
  pollMs?: number;
}

export interface PortPool {
  /** A free block; waits while none is (calling `onWait` once per wait), until `signal` aborts. */
  acquire(signal: AbortSignal, onWait?: () => void): Promise<PortLease | undefined>;
}

/**
 * Hands out disjoint blocks of `count` ports from `base`. A block is taken when its lock file
 * can be created (or its owner process is gone) and every port in it binds on 127.0.0.1, so a
 * port some other program listens on is never handed out.
 */
export function createPortPool(options: PortPoolOptions): PortPool {
  const isFree = options.isFree ?? canBind;
  const held = new Set<number>();
  const waiters = new Set<() => void>();
  const lockFile = (block: number) =>
    path.join(options.lockDir, `${options.base + block * options.count}.lock`);

  const tryBlock = async (block: number): Promise<PortLease | undefined> => {
    if (held.has(block) || !lockBlock(lockFile(block))) return undefined;
    held.add(block);
    const base = options.base + block * options.count;
    for (let port = base; port < base + options.count; port++) {
      if (await isFree(port)) continue;
      held.delete(block);
      rmSync(lockFile(block), { force: true });
      return undefined;
    }
    let released = false;
    return {
      base,
      count: options.count,
      release() {
        if (released) return;
        released = true;
        held.delete(block);
        rmSync(lockFile(block), { force: true });
        for (const wake of [...waiters]) wake();
      },
    };
  };

  return {
    async acquire(signal, onWait) {
      mkdirSync(options.lockDir, { recursive: true });
      let told = false;
      while (!signal.aborted) {
        for (let block = 0; block < options.blocks; block++) {
          const lease = await tryBlock(block);
          if (lease) return lease;
        }
        if (signal.aborted) break;
        if (!told) onWait?.();
        told = true;
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            waiters.delete(wake);
            signal.removeEventListener('abort', wake);
            resolve();
          };
          const timer = setTimeout(wake, options.pollMs ?? 1000);
          waiters.add(wake);
          signal.addEventListener('abort', wake, { once: true });
        });
      }
      return undefined;
    },
  };
}

/** Creates the lock file, or takes it over when the process that wrote it is gone. */
function lockBlock(file: string): boolean {
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      const owner = readFileSafe(file).trim();
      // An empty file is one being written right now, unless it is old (its writer died first).
      if (owner === '' ? ageMs(file) < 10_000 : pidAlive(Number(owner))) return false;
      rmSync(file, { force: true });
    }
  }
  return false;
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Whether a TCP port can be listened on at 127.0.0.1 right now. */
export function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}
