import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { addSpec, cairn, CLI, createRepo, type CliResult } from './helpers.js';
import { waitFor } from './scenarios.js';

/** A repository with milestone 001 of tasks a, b, c and `more` (not run: the bus reads the spec). */
export function busRepo(more: string[] = []): string {
  const root = createRepo();
  addSpec(
    root,
    '001-bus',
    [
      'id: "001"',
      'title: Bus',
      'tasks:',
      ...['a', 'b', 'c', ...more].flatMap((id) => [`  - id: ${id}`, `    title: Task ${id}`]),
    ].join('\n') + '\n',
  );
  return root;
}

/** `cairn` as task `who` (CAIRN_TASK), failing the test with the output when the exit code differs. */
export async function as(root: string, who: string, args: string[], code = 0): Promise<CliResult> {
  const result = await cairn(root, args, { CAIRN_TASK: who, CAIRN_MILESTONE: '001' });
  if (result.code !== code) {
    throw new Error(
      `cairn ${args.join(' ')} (as ${who}) exited ${result.code}, expected ${code}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

export const json = <T>(result: CliResult) => JSON.parse(result.stdout) as T;

/**
 * Starts `sh -c script` with CLI set to `node dist/cli/bin.js` and the task's identity; the
 * script's stdout goes to `out`. Returns the child for the test to kill.
 */
export function shell(root: string, who: string, script: string, out: string) {
  const child = spawn('sh', ['-c', `( ${script} ) > ${JSON.stringify(out)}`], {
    cwd: root,
    env: {
      ...process.env,
      CLI: `${process.execPath} ${CLI}`,
      CAIRN_TASK: who,
      CAIRN_MILESTONE: '001',
      NO_COLOR: '1',
    },
    stdio: 'ignore',
    detached: true,
  });
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, done };
}

/** Waits until `file` holds a complete JSON document and returns it. */
export async function jsonFile<T>(file: string): Promise<T> {
  let parsed: T | undefined;
  await waitFor(`JSON in ${path.basename(file)}`, () => {
    if (!existsSync(file)) return false;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as T;
      return true;
    } catch {
      return false;
    }
  });
  return parsed!;
}
