import { existsSync } from 'node:fs';
import { resolveRepo } from '../../git/repo.js';
import { stateDbFile } from '../../engine/names.js';
import { runHook } from '../../progress/hooks/run-hook.js';
import { HOOK_NAMES, isHookName } from '../../progress/hooks/script.js';
import { InputError } from '../../shared/errors.js';
import type { Store } from '../../store/types.js';

/**
 * `cairn hooks run <hook> [args...]` (hidden): what the installed git hooks call. Loads the
 * state store only when a hook needs it, and only if the state database exists already.
 */
export default async function hooksRun(name: string, args: string[]): Promise<number> {
  if (!isHookName(name)) {
    throw new InputError('E_HOOK_NAME', `unknown hook "${name}"`, {
      hint: `Cairn's hooks are ${HOOK_NAMES.join(', ')}; run \`cairn hooks install\` to install them.`,
    });
  }
  const cwd = process.cwd();
  let store: Store | undefined;
  let opened = false;
  const openState = async () => {
    if (opened) return store;
    opened = true;
    const repo = await resolveRepo(cwd);
    if (!existsSync(stateDbFile(repo.stateDir))) return undefined;
    const { openStore } = await import('../../engine/open-store.js');
    store = openStore(repo);
    return store;
  };
  try {
    return await runHook(name, args, {
      cwd,
      env: process.env,
      openState,
      say: (line) => process.stderr.write(`${line}\n`),
    });
  } finally {
    store?.close();
  }
}
