import { spawn } from 'node:child_process';

// As src/git/git.ts: git must not prompt, page or translate while Cairn reads it.
const quietEnv = { GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' };

export interface StreamEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The first 8 KiB of stderr (enough for git's message). */
  stderr: string;
}

/**
 * Runs git (argument array, no shell) and hands each stdout chunk to `onChunk` as it arrives, so
 * no output is ever held whole. `input`, when given, is written to git's stdin.
 */
export function streamGit(
  cwd: string,
  args: string[],
  onChunk: (chunk: Buffer) => void,
  input?: string,
): Promise<StreamEnd> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: { ...process.env, ...quietEnv },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let failed: unknown;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (failed !== undefined) return;
      try {
        onChunk(chunk);
      } catch (error) {
        // Stop reading and stop git; the error is the caller's, once git is gone.
        failed = error;
        child.kill();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 8192) stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (failed !== undefined) reject(failed instanceof Error ? failed : new Error(String(failed)));
      else resolve({ code, signal, stderr: stderr.slice(0, 8192) });
    });
    if (input !== undefined) {
      child.stdin?.on('error', () => {});
      child.stdin?.end(input);
    }
  });
}

/** Collects the lines of a git command's output (one hash per line, for `git rev-list`). */
export async function gitLines(cwd: string, args: string[]): Promise<{ lines: string[]; end: StreamEnd }> {
  const lines: string[] = [];
  let partial = '';
  const end = await streamGit(cwd, args, (chunk) => {
    const text = partial + chunk.toString('latin1');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) if (line !== '') lines.push(line);
  });
  if (partial !== '') lines.push(partial);
  return { lines, end };
}
