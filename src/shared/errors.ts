/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  workFailed: 1,
  badInput: 2,
  locked: 3,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An error Cairn expects and can explain: a one-line message that says what
 * and where, a hint that says what to do, and the exit code the CLI uses.
 */
export class CairnError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  /** Extra lines printed under the message (one problem per line). */
  readonly details: string[];

  constructor(
    code: string,
    message: string,
    options: { hint?: string; exitCode?: ExitCode; details?: string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT.badInput;
    this.details = options.details ?? [];
  }
}

/** The user gave us something we cannot use: exit 2. */
export class InputError extends CairnError {}

/** A milestone is held by a live run: exit 3. */
export class LockedError extends CairnError {
  constructor(message: string, hint?: string) {
    super('E_LOCKED', message, { exitCode: EXIT.locked, ...(hint ? { hint } : {}) });
  }
}

/** Work was attempted and did not succeed (integration failed, dirty base): exit 1. */
export class WorkFailedError extends CairnError {
  constructor(code: string, message: string, options: { hint?: string; details?: string[] } = {}) {
    super(code, message, { ...options, exitCode: EXIT.workFailed });
  }
}

export function isCairnError(error: unknown): error is CairnError {
  return error instanceof CairnError;
}
