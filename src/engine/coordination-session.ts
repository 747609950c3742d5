import { identitiesOf, parseAddress } from '../bus/address.js';
import { journaledMilestone } from './find-milestone.js';
import { openCoordination, type Coordination } from '../bus/coordination.js';
import type { Directory } from '../bus/types.js';
import { resolveRepo, type RepoPaths } from '../git/repo.js';
import { InputError } from '../shared/errors.js';
import type { Store } from '../store/types.js';
import { stateDbFile } from './names.js';
import { openStore } from './open-store.js';

export interface SessionOptions {
  /** Milestone id, id-slug or spec file; CAIRN_MILESTONE, or the only milestone, when absent. */
  milestone?: string;
  /** Act as this task or agent instead of the CAIRN_* identity. */
  as?: string;
  env?: NodeJS.ProcessEnv;
}

/** What `cairn msg` and `cairn ctx` work with: who is asking, in which milestone, and the state. */
export interface CoordinationSession {
  repo: RepoPaths;
  milestone: string;
  /** The identities this process acts as; the first one sends. */
  me: string[];
  directory: Directory;
  store: Store;
  coordination: Coordination;
  /** The configured notify command, read from .cairn/config.yaml when first asked for. */
  notifyCommand(): Promise<string[] | undefined>;
  close(): void;
}

function directoryFromStore(store: Store, milestone: string): Directory | undefined {
  const tasks = store.tasks(milestone);
  if (tasks.length === 0) return undefined;
  const agents = new Set([...tasks.map((t) => t.agent), ...store.attempts(milestone).map((a) => a.agent)]);
  return { tasks: tasks.map((t) => t.id), agents: [...agents].sort() };
}

async function directoryFromSpec(repo: RepoPaths, name: string, cwd: string) {
  const { loadMilestone } = await import('./load.js');
  const { spec, config } = loadMilestone(repo.root, name, cwd);
  const agents = new Set(spec.tasks.map((task) => task.agent ?? config.defaults.agent));
  return { id: spec.id, directory: { tasks: spec.tasks.map((t) => t.id), agents: [...agents].sort() } };
}

async function chooseMilestone(repo: RepoPaths, store: Store, name: string | undefined, cwd: string) {
  if (name !== undefined) {
    const known = journaledMilestone(store, name);
    const directory = known && directoryFromStore(store, known.id);
    return known && directory ? { id: known.id, directory } : directoryFromSpec(repo, name, cwd);
  }
  const run = store.milestones();
  const directory = run.length === 1 ? directoryFromStore(store, run[0]!.id) : undefined;
  if (run.length === 1 && directory) return { id: run[0]!.id, directory };
  const { listSpecFiles } = await import('./load.js');
  const specs = listSpecFiles(repo.root);
  if (run.length === 0 && specs.length === 1) return directoryFromSpec(repo, specs[0]!, cwd);
  throw new InputError('E_MSG_MILESTONE', 'which milestone? more than one (or none) is known here', {
    hint: `Name it with --milestone <id> (known: ${run.map((m) => m.id).join(', ') || 'none run yet'}); agents get CAIRN_MILESTONE.`,
  });
}

/** Opens the state of the repository around `cwd` for the bus and the context. */
export async function openCoordinationSession(
  cwd: string,
  options: SessionOptions = {},
): Promise<CoordinationSession> {
  const env = options.env ?? process.env;
  const repo = await resolveRepo(cwd, env);
  const store = openStore(repo, { quickCheck: false });
  try {
    const { id, directory } = await chooseMilestone(
      repo,
      store,
      options.milestone ?? env.CAIRN_MILESTONE,
      cwd,
    );
    const me = identitiesOf(env, options.as === undefined ? undefined : identityOf(options.as, directory));
    const coordination = openCoordination(stateDbFile(repo.stateDir));
    return {
      repo,
      milestone: id,
      me,
      directory,
      store,
      coordination,
      async notifyCommand() {
        const { loadConfig } = await import('./load.js');
        return loadConfig(repo.root).notify;
      },
      close() {
        coordination.close();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}

/** `--as`: a task or agent of the milestone, `orchestrator` or `user`. */
function identityOf(as: string, directory: Directory): string {
  const address = parseAddress(as, directory);
  if (
    typeof address === 'string' ||
    address.kind === 'group' ||
    address.kind === 'topic' ||
    address.kind === 'all'
  ) {
    const why = typeof address === 'string' ? address : `${as} names several identities`;
    throw new InputError('E_MSG_IDENTITY', `cannot act as ${as}: ${why}`, {
      hint: 'Use --as task:<id>, --as agent:<profile>, --as orchestrator or --as user.',
    });
  }
  return 'name' in address ? `${address.kind}:${address.name}` : address.kind;
}
