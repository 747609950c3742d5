import { runProcess, type ProcessResult } from '../shared/process.js';
import { CairnError } from '../shared/errors.js';

/** A git command that failed when it was expected to succeed. */
export class GitError extends CairnError {
  readonly args: string[];
  readonly result: ProcessResult;

  constructor(args: string[], result: ProcessResult, cwd: string) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(0, 6).join('\n  ');
    super('E_GIT', `git ${args.join(' ')} failed (exit ${String(result.code)}) in ${cwd}:\n  ${detail}`, {
      hint: 'This is git’s own message; fix what it names and run the command again.',
      exitCode: 1,
    });
    this.args = args;
    this.result = result;
  }
}

export interface GitOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
}

// Git must not stop to ask questions or page output while Cairn drives it.
const quietEnv = { GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', GIT_EDITOR: 'true', LC_ALL: 'C' };

function envFor(extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  return { ...process.env, ...quietEnv, ...extra };
}

/** Runs git and returns its result whatever the exit code. */
export function tryGit(cwd: string, args: string[], options: GitOptions = {}): Promise<ProcessResult> {
  return runProcess('git', args, {
    cwd,
    env: envFor(options.env),
    ...(options.input === undefined ? {} : { input: options.input }),
  });
}

/** Runs git and returns trimmed stdout; throws GitError on a non-zero exit. */
export async function git(cwd: string, args: string[], options: GitOptions = {}): Promise<string> {
  const result = await tryGit(cwd, args, options);
  if (result.code !== 0) throw new GitError(args, result, cwd);
  return result.stdout.replace(/\n$/, '');
}
