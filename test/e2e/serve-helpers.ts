import { request } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { startCairn } from './scenarios.js';
import type { CliResult } from './helpers.js';

export interface Served {
  url: string;
  origin: string;
  port: number;
  token: string;
  child: ChildProcess;
  done: Promise<CliResult>;
  stop(): Promise<void>;
}

/** `cairn serve --port 0` in `cwd`, once it printed its URL (within 15 s). */
export async function startServe(cwd: string): Promise<Served> {
  const { child, done } = startCairn(cwd, ['serve', '--port', '0']);
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cairn serve printed no URL: ${out}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out);
      if (found) {
        clearTimeout(timer);
        resolve(found[0]);
      }
    });
    void done.then((result) => reject(new Error(`cairn serve exited ${result.code}: ${result.stderr}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token')!,
    child,
    done,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await done;
    },
  };
}

export interface Reply {
  status: number;
  body: string;
}

/** A raw HTTP request: the path is sent as given (no normalisation of `..`), headers as given. */
export function raw(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
          // An event stream does not end by itself: the first bytes are enough.
          if ((res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, body });
          }
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error(`timeout on ${path}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}
