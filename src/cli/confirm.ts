import { createInterface } from 'node:readline/promises';
import { CairnError, EXIT } from '../shared/errors.js';

const isAbort = (error: unknown) =>
  error instanceof Error &&
  ((error as { code?: string }).code === 'ABORT_ERR' || error.name === 'AbortError');

/**
 * Asks a yes/no question on the terminal (prompt on stderr, so stdout stays clean); no by default.
 * Ctrl-C at the prompt exits 130 with `unchanged` saying what was left as it was.
 */
export async function askYesNo(question: string, unchanged = 'nothing was changed'): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } catch (error) {
    if (!isAbort(error)) throw error;
    process.stderr.write('\n');
    throw new CairnError('E_INTERRUPTED', `interrupted at the prompt; ${unchanged}`, {
      exitCode: EXIT.interrupted,
    });
  } finally {
    prompt.close();
  }
}
