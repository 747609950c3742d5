import { createAdaptorServer } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RepoPaths } from '../../git/repo.js';
import { InputError } from '../../shared/errors.js';
import { createApp } from './app.js';
import { loadAssets } from './assets.js';
import { createHub } from './hub.js';
import { createJobs, type LaunchCli } from './jobs.js';

export interface DashboardOptions {
  repo: RepoPaths;
  /** 0: any free port. */
  port: number;
  launch: LaunchCli;
  token?: string;
  pollMs?: number;
  onError?: (error: unknown) => void;
}

export interface Dashboard {
  url: string;
  port: number;
  token: string;
  /** Whether the client bundle was found (it is built by `npm run build`). */
  assets: boolean;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts the dashboard on 127.0.0.1 (never another interface) with a fresh random token. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const hub = createHub({
    repo: options.repo,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  let port = options.port;
  try {
    hub.open();
    const assets = loadAssets();
    const jobs = createJobs(options.repo.stateDir, options.launch);
    const app = createApp({ repo: options.repo, token, port: () => port, hub, jobs, assets });
    const server = createAdaptorServer({ fetch: app.fetch }) as Server;
    try {
      port = await listen(server, options.port);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        throw new InputError(
          'E_PORT_IN_USE',
          code === 'EADDRINUSE'
            ? `port ${options.port} on 127.0.0.1 is already in use`
            : `port ${options.port} on 127.0.0.1 cannot be opened (permission denied)`,
          { hint: 'Choose another with --port <n>, or --port 0 for any free port.' },
        );
      }
      throw error;
    }
    return {
      url: `http://127.0.0.1:${port}/?token=${token}`,
      port,
      token,
      assets: assets.has('app.js'),
      close: () =>
        new Promise((resolve) => {
          hub.close();
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  } catch (error) {
    hub.close();
    throw error;
  }
}
