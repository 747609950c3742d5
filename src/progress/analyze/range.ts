import { InputError } from '../../shared/errors.js';
import { gitLines, type StreamEnd } from './git-stream.js';

/** A range and date as the user gave them, checked never to reach git as options. */
export function checkRangeInput(range: string | undefined, since: string | undefined): void {
  if (range !== undefined && (range === '' || range.startsWith('-'))) {
    throw new InputError('E_BAD_RANGE', `"${range}" is not a revision range`, {
      hint: 'Give a range such as `main..feature` or `HEAD~50..`; options go after the command (`--since 2.weeks`).',
    });
  }
  if (since !== undefined && (since.trim() === '' || since.startsWith('-'))) {
    throw new InputError('E_BAD_SINCE', `--since "${since}" is not a date`, {
      hint: 'Give a date git understands: `2024-01-31`, `2.weeks`, `"3 days ago"`.',
    });
  }
}

/**
 * The ends of a range as commit hashes (`git rev-parse`: `tip`, `^excluded`, …). Walking these
 * instead of the names means a branch that moves meanwhile cannot mix two states in one analysis.
 */
export async function resolveRange(cwd: string, range: string, hasHead: boolean): Promise<string[]> {
  const { lines, end } = await gitLines(cwd, ['--no-replace-objects', 'rev-parse', range, '--']);
  checkGitEnd(end, range, hasHead);
  return lines.filter((line) => line !== '--');
}

/** Turns git's refusal of a range into exit 2 with a hint; any other failure stays unexpected. */
export function checkGitEnd(end: StreamEnd, range: string, hasHead = true): void {
  if (end.code === 0) return;
  const message = end.stderr.trim().split('\n')[0] ?? '';
  if (!hasHead && range === 'HEAD') {
    throw new InputError(
      'E_BAD_RANGE',
      `the range "${range}" does not resolve: no commits yet on this branch`,
      {
        hint: 'Make a first commit, or name a branch that has commits.',
      },
    );
  }
  if (
    /unknown revision|bad revision|ambiguous argument|invalid object name|bad object|not a valid|not a commit|is a (tree|blob)/i.test(
      message,
    )
  ) {
    throw new InputError(
      'E_BAD_RANGE',
      `the range "${range}" does not resolve in this repository (${message})`,
      {
        hint: 'Give a revision or range git understands: a branch, tag or commit, `main..feature`, `v1.0..HEAD`, `HEAD~50..` (see `git help revisions`).',
      },
    );
  }
  throw new Error(`git failed (exit ${String(end.code ?? end.signal)}): ${message}`);
}
