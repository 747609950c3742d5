import { realpathSync } from 'node:fs';
import path from 'node:path';

/** `file` with its symlinks resolved; merely made absolute when it does not exist (yet). */
export function realPathOrResolved(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
