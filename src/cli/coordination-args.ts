import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../spec/duration.js';
import { InputError } from '../shared/errors.js';

/** Commander parsers for the `msg` and `ctx` options (bad values exit 2 with the usage). */
export function durationArg(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) {
    throw new InvalidArgumentError(`expected a duration such as "500ms", "30s" or "2m", got "${value}"`);
  }
  return ms;
}

export function wholeArg(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) {
    throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  }
  return parsed;
}

export function intArg(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
  return parsed;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A message id as printed by `cairn msg` (`12` or `#12`). */
export function messageId(text: string): number {
  const id = Number(text.replace(/^#/, ''));
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new InputError('E_MSG_ID', `"${text}" is not a message id`, {
      hint: 'Use the number `cairn msg inbox` prints, e.g. cairn msg ack 12',
    });
  }
  return id;
}

/** A JSON value from the command line; `--text` takes it as a plain string instead. */
export function jsonArg(text: string, what: string, asText = false): unknown {
  if (asText) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError('E_BAD_JSON', `the ${what} is not valid JSON: ${(error as Error).message}`, {
      hint: `Quote JSON for the shell ('{"reason": "no API key"}'), or pass --text to send it as a plain string.`,
    });
  }
}

/** Reads all of stdin (for a payload given as `-`). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
