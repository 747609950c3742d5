import { readFileSync } from 'node:fs';

/** A file's text, or undefined when it cannot be read (missing, a directory, no permission). */
export function readTextIfAny(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
