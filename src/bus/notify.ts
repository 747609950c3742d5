import { spawn } from 'node:child_process';

export interface NotifyValues {
  message: string;
  task: string;
  milestone: string;
  type: string;
}

export type NotifyResult = { ok: true } | { ok: false; reason: string };

/** Fills `{message}`, `{task}`, `{milestone}` and `{type}` in each argument; no shell is involved. */
export function expandNotify(argv: string[], values: NotifyValues): string[] {
  return argv.map((part) =>
    part.replace(/\{(message|task|milestone|type)\}/g, (_, key: keyof NotifyValues) => values[key]),
  );
}

/** Runs the configured notify command, waiting up to `timeoutMs`; its failure is reported, not thrown. */
export function runNotify(
  argv: string[],
  values: NotifyValues,
  cwd: string,
  timeoutMs = 10_000,
): Promise<NotifyResult> {
  const [program, ...args] = expandNotify(argv, values);
  return new Promise((resolve) => {
    const child = spawn(program!, args, { cwd, stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ ok: false, reason: `${program} took longer than ${timeoutMs} ms` });
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `${program} could not start: ${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? { ok: true } : { ok: false, reason: `${program} exited ${code ?? signal}` });
    });
  });
}
