/** Helpers of the `serve` benchmark: the dashboard server as a child process, SSE clients, /proc sampling. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { CLI } from './lib.js';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  token: string;
  stop(): Promise<void>;
}

/** `cairn serve --port 0` in `cwd`, once it printed its URL. */
export function startServer(cwd: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`cairn serve printed no URL: ${out}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    void exited.then(() => reject(new Error(`cairn serve exited: ${out}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+)/.exec(out);
      if (!found) return;
      clearTimeout(timer);
      resolve({
        child,
        url: found[0],
        port: Number(found[1]),
        token: found[2]!,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
export function processUsage(pid: number): { cpuSec: number; rssMb: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { cpuSec: ticks / 100, rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

export interface SseClient {
  /** Journal sequence numbers of the events the client was sent (snapshot feed and patches). */
  seqs: Set<number>;
  bytes: number;
  messages: number;
  /** Arrival time (performance.timeOrigin + now) of each seq. */
  arrivals: Map<number, number>;
  close(): void;
}

/** A plain SSE client of a milestone's stream that records every journal event it is sent. */
export function connectClient(port: number, token: string, milestone: string): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const client: SseClient = {
      seqs: new Set(),
      bytes: 0,
      messages: 0,
      arrivals: new Map(),
      close: () => req.destroy(),
    };
    let buffer = '';
    const req = request(
      { host: '127.0.0.1', port, path: `/api/m/${milestone}/stream?token=${token}` },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const now = performance.timeOrigin + performance.now();
          client.bytes += Buffer.byteLength(chunk);
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (!event || !data) continue;
            client.messages++;
            if (event !== 'snapshot' && event !== 'patch') continue;
            for (const item of (JSON.parse(data) as { feed: { seq: number }[] }).feed) {
              client.seqs.add(item.seq);
              if (!client.arrivals.has(item.seq)) client.arrivals.set(item.seq, now);
            }
          }
        });
        resolve(client);
      },
    );
    req.on('error', (error) => {
      if (!req.destroyed) reject(error);
    });
    req.end();
  });
}
