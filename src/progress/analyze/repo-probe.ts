import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tryGit } from '../../git/git.js';
import { InputError } from '../../shared/errors.js';

/** What `cairn analyze` needs to know about the repository before reading its history. */
export interface AnalyzeRepo {
  /** Where git runs. */
  cwd: string;
  /** Cairn's state directory: `CAIRN_HOME` or `<git common dir>/cairn`. */
  stateDir: string;
  /** False in an empty repository (or on an unborn branch). */
  hasHead: boolean;
  shallow: boolean;
  /** The commits a shallow clone cut the parents of: their diffs change when it is deepened. */
  shallowRoots: Set<string>;
}

/** Any git repository will do, bare or not, Cairn's or not; exit 2 outside one. */
export async function probeRepo(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<AnalyzeRepo> {
  const probe = await tryGit(cwd, [
    'rev-parse',
    '--path-format=absolute',
    '--git-common-dir',
    '--git-path',
    'shallow',
    '--is-shallow-repository',
    'HEAD',
  ]);
  const [commonDir = '', shallowFile = '', shallow = '', head = ''] = probe.stdout.trim().split('\n');
  if (commonDir === '' || /not a git repository/.test(probe.stderr)) {
    throw new InputError('E_NOT_A_REPO', `${cwd} is not inside a git repository`, {
      hint: 'Run `cairn analyze` inside a git repository (any repository will do).',
    });
  }
  const isShallow = shallow === 'true';
  return {
    cwd,
    stateDir: env.CAIRN_HOME ? path.resolve(cwd, env.CAIRN_HOME) : path.join(commonDir, 'cairn'),
    hasHead: probe.code === 0 && /^[0-9a-f]{40,64}$/.test(head),
    shallow: isShallow,
    shallowRoots: isShallow ? readShallowRoots(shallowFile) : new Set(),
  };
}

function readShallowRoots(file: string): Set<string> {
  try {
    return new Set(
      readFileSync(file, 'latin1')
        .split('\n')
        .filter((line) => line !== ''),
    );
  } catch {
    return new Set();
  }
}
