import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolveRepo } from '../../git/repo.js';
import { startDashboard } from '../../ui/web/serve-dashboard.js';
import { paint } from '../output.js';

const BIN = fileURLToPath(new URL('../bin.js', import.meta.url));

/** Opens `url` in the desktop's browser; failing to is only a notice (the URL is printed anyway). */
function openBrowser(url: string): void {
  const [file, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  const child = spawn(file, args, { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`Could not open a browser (${file}); open the URL above.\n`));
  child.unref();
}

/** `cairn serve`: the web dashboard on 127.0.0.1 until Ctrl-C. */
export default async function serve(options: { port: number; open?: boolean }): Promise<number> {
  const repo = await resolveRepo(process.cwd());
  const dashboard = await startDashboard({
    repo,
    port: options.port,
    launch: (args, fd) =>
      spawn(process.execPath, [BIN, ...args], {
        cwd: repo.root,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', fd, fd],
        detached: true,
      }),
    onError: (error) => process.stderr.write(`dashboard: ${(error as Error).message}\n`),
  });
  process.stdout.write(`Cairn dashboard: ${dashboard.url}\n`);
  process.stdout.write('Only this machine can reach it, with the token in the URL. Ctrl-C stops it.\n');
  if (!dashboard.assets) {
    process.stderr.write(
      `${paint('yellow', 'warning:')} the client bundle is missing (dist/ui/web/client); run \`npm run build\`.\n`,
    );
  }
  if (options.open) openBrowser(dashboard.url);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await dashboard.close();
  return 0;
}
