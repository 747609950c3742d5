import { isCairnError } from '../shared/errors.js';
import { paint } from './output.js';

/** Prints any error the way a user can act on it; returns the exit code. */
export function reportError(error: unknown, debug: boolean): number {
  if (isCairnError(error)) {
    process.stderr.write(`${paint('red', 'error:')} ${error.message}\n`);
    for (const line of error.details) process.stderr.write(`  ${line}\n`);
    if (error.hint) process.stderr.write(`${paint('cyan', 'hint:')} ${error.hint}\n`);
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${paint('red', 'error:')} unexpected failure: ${message}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('Run again with --debug for the stack trace.\n');
  return 1;
}
