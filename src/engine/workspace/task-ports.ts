import type { WorkspaceRuntime } from './runtime.js';

/**
 * Runs `fn` while the task holds a block of ports (exported to its setup, agent and checks),
 * released when `fn` ends. Without `ports:` it just runs `fn`; a task already holding ports
 * keeps them. While every block is taken the task waits (said once per run); `interrupted`
 * when the run stops during that wait.
 */
export async function holdingPorts<T>(
  runtime: WorkspaceRuntime | undefined,
  task: string,
  signal: AbortSignal,
  fn: () => Promise<T>,
): Promise<T | 'interrupted'> {
  if (!runtime?.ports || runtime.leases.has(task)) return fn();
  const { ports } = runtime.settings;
  const lease = await runtime.ports.acquire(signal, () =>
    runtime.notice(
      `every block of ports is in use (${ports?.blocks ?? 0} × ${ports?.count ?? 0} from ${ports?.base ?? 0}); tasks wait for a block to be freed`,
      'ports-exhausted',
    ),
  );
  if (!lease) return 'interrupted';
  runtime.leases.set(task, lease);
  try {
    return await fn();
  } finally {
    runtime.leases.delete(task);
    lease.release();
  }
}
