import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Mutex } from '../shared/mutex.js';
import { pidAlive } from '../shared/pid-alive.js';
import { tryGit } from './git.js';
import { linkedGitDir } from './linked-gitdir.js';

/**
 * Creates a linked worktree at `dir` on a new `branch` at commit `start` the way
 * `git worktree add -b` does, with one git process instead of four: the registration is
 * written by hand (gitrepository-layout(5)), then one `git checkout -b` inside the new worktree
 * makes the branch, the index and the files. Returns false, having left nothing behind, when
 * the case is not the plain one or anything fails; the caller then asks `git worktree add`.
 * The parent of `dir` must exist. The registration runs inside `registry` (the worktree
 * registry mutex; omit it when already holding it); the checkout runs after it, so that two
 * worktrees are checked out at the same time: git keeps a `locked` registration as it is.
 */
export async function tryCreateBranchWorktree(
  repo: string,
  dir: string,
  branch: string,
  start: string,
  /** The branch exists already and points at `start`: check it out instead of creating it. */
  existing = false,
  registry: Mutex = (section) => section(),
): Promise<boolean> {
  const admin = await registry(() => register(repo, dir, branch, start, existing));
  if (!admin) return false;
  try {
    // No index yet, so git takes this as an initial checkout and writes every file.
    const checkout = await tryGit(
      dir,
      existing ? ['checkout', '-q', branch] : ['checkout', '-q', '-b', branch, start],
    );
    if (checkout.code !== 0) throw new Error(checkout.stderr);
    unlinkSync(path.join(admin, 'locked'));
    return true;
  } catch {
    await registry(() => unregister(admin, dir));
    return false;
  }
}

/** Writes the registration of the new worktree, still `locked`; its admin dir, or undefined. */
async function register(
  repo: string,
  dir: string,
  branch: string,
  start: string,
  existing: boolean,
): Promise<string | undefined> {
  const name = path.basename(dir);
  if (!path.isAbsolute(dir) || !plainName.test(name) || name.endsWith('.lock')) return undefined;
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(start) || gitEnvSet()) return undefined;
  const common = await plainCommonDir(repo);
  // A branch left by an earlier attempt, unless the caller knows it: skip a checkout bound to fail.
  const branchFile = existsSync(path.join(common ?? '', 'refs', 'heads', branch));
  if (!common || existsSync(dir) || (!existing && branchFile)) return undefined;
  const target = path.join(realpathSync(path.dirname(dir)), name);
  if (registeredAt(common, target)) return undefined;
  // Written whole aside, then renamed into place: a process killed at any point leaves either
  // no registration or a complete one (a half-written `commondir` makes `git worktree list` die).
  const draft = stageRegistration(common, name, {
    // `locked` as git does, so that a concurrent `git worktree prune` keeps the entry.
    locked: 'initializing\n',
    gitdir: `${target}/.git\n`,
    commondir: '../..\n',
    HEAD: `${start}\n`,
  });
  const admin = draft && publishRegistration(draft, path.join(common, 'worktrees'), name);
  if (!admin) return undefined;
  let madeDir = false;
  try {
    mkdirSync(dir);
    madeDir = true;
    writeFileSync(path.join(dir, '.git'), `gitdir: ${admin}\n`);
    return admin;
  } catch {
    await unregister(admin, madeDir ? dir : undefined);
    return undefined;
  }
}

/** Undoes a registration: the registration first, as removal does (an interruption leaves a plain directory). */
async function unregister(admin: string, dir: string | undefined): Promise<void> {
  await rm(admin, { recursive: true, force: true });
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}

/** Where registrations are written before they are renamed into `worktrees/`, in the common git dir. */
export const STAGING_DIR = 'cairn-staging';

// Names git keeps as they are (sanitize_refname_component changes nothing in them).
const plainName = /^[A-Za-z0-9_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;

/** Variables that would point git at another repository or index than the one on disk. */
function gitEnvSet(): boolean {
  return ['GIT_DIR', 'GIT_COMMON_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY'].some(
    (key) => process.env[key] !== undefined,
  );
}

let drafts = 0;

/**
 * Writes the files of a registration into a fresh folder under the staging folder; its path, or
 * undefined. Synchronous, like the rest of a registration: a handful of tiny files, each a
 * round trip through the thread pool otherwise, and together as long as the checkout itself.
 */
function stageRegistration(common: string, name: string, files: Record<string, string>): string | undefined {
  drafts += 1;
  const draft = path.join(common, STAGING_DIR, `${name}-${String(process.pid)}-${String(drafts)}`);
  try {
    mkdirSync(draft, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(draft, file), text);
    return draft;
  } catch {
    rmSync(draft, { recursive: true, force: true });
    return undefined;
  }
}

/** Renames a staged registration to `<name>`, else `<name>1`, `<name>2`… as git numbers them. */
function publishRegistration(draft: string, worktrees: string, name: string): string | undefined {
  try {
    mkdirSync(worktrees, { recursive: true });
    for (let counter = 0; counter < 1000; counter += 1) {
      const admin = path.join(worktrees, counter === 0 ? name : `${name}${String(counter)}`);
      try {
        renameSync(draft, admin);
        return admin;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY') break;
      }
    }
  } catch {
    // Fall through: the caller asks `git worktree add`.
  }
  rmSync(draft, { recursive: true, force: true });
  return undefined;
}

/** Deletes registrations staged by processes that died before renaming them into place. */
export async function clearStagedRegistrations(common: string): Promise<void> {
  const staging = path.join(common, STAGING_DIR);
  let names: string[];
  try {
    names = readdirSync(staging);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/-(\d+)-\d+$/.exec(name)?.[1]);
    if (!pidAlive(pid)) await rm(path.join(staging, name), { recursive: true, force: true });
  }
}

/** Whether a registration (perhaps one whose directory is gone) already claims `target`. */
function registeredAt(common: string, target: string): boolean {
  const worktrees = path.join(common, 'worktrees');
  if (!existsSync(worktrees)) return false;
  return readdirSync(worktrees).some((entry) => {
    try {
      return readFileSync(path.join(worktrees, entry, 'gitdir'), 'utf8').trim() === `${target}/.git`;
    } catch {
      return false;
    }
  });
}

const layouts = new Map<string, Promise<string | undefined>>();

/** The repository's common git dir, or undefined when `git worktree add` must do the work. */
function plainCommonDir(repo: string): Promise<string | undefined> {
  let layout = layouts.get(repo);
  if (!layout) {
    layout = readPlainCommonDir(repo).catch(() => undefined);
    layouts.set(repo, layout);
  }
  return layout;
}

async function readPlainCommonDir(repo: string): Promise<string | undefined> {
  const common = commonDirOf(repo);
  if (!common) return undefined;
  // `git worktree add` copies sparse-checkout patterns and per-worktree config into a new
  // worktree; repositories that use them are left to it. Read once per repository.
  const special = await tryGit(repo, [
    'config',
    '--type=bool',
    '--get-regexp',
    '^(extensions\\.worktreeconfig|core\\.sparsecheckout)$',
  ]);
  if (special.code === 1) return common;
  return special.code === 0 && !/ true$/m.test(special.stdout) ? common : undefined;
}

function commonDirOf(repo: string): string | undefined {
  try {
    const dotGit = path.join(repo, '.git');
    const gitdir = statSync(dotGit).isDirectory() ? dotGit : linkedGitDir(repo);
    if (!gitdir) return undefined;
    const commondir = path.join(gitdir, 'commondir');
    const common = existsSync(commondir)
      ? path.resolve(gitdir, readFileSync(commondir, 'utf8').trim())
      : gitdir;
    return realpathSync(common);
  } catch {
    return undefined;
  }
}
