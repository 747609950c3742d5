import { sleep } from '../coordination-args.js';
import { clock } from '../output.js';
import { entryJson, scopeOf, type CtxFlags } from './ctx.js';
import { withSession } from './msg.js';

/**
 * `cairn ctx watch [key]`: prints each new version of the key (or of any key in the scope) as
 * it is written, until --count changes were seen or --timeout passed (exit 0 either way).
 */
export async function watch(
  key: string | undefined,
  flags: CtxFlags & { timeout?: number; count?: number; interval?: number },
): Promise<number> {
  return withSession(flags, async (session) => {
    const { context } = session.coordination;
    const scope = scopeOf(session, flags);
    const until = flags.timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + flags.timeout;
    let seen = context.versions(scope);
    let changes = 0;
    let stop = false;
    const onSignal = () => (stop = true);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      while (!stop && Date.now() < until && (flags.count === undefined || changes < flags.count)) {
        await sleep(flags.interval ?? 200);
        const now = context.versions(scope);
        for (const [name, version] of now) {
          if ((seen.get(name) ?? 0) === version || (key !== undefined && name !== key)) continue;
          const entry = context.get(scope, name, session.me[0])!;
          changes++;
          if (flags.json) process.stdout.write(`${JSON.stringify(entryJson(entry))}\n`);
          else
            process.stdout.write(
              `${clock()} ${name} v${version} = ${entry.conflict ? '(conflict)' : JSON.stringify(entry.value ?? null)}\n`,
            );
        }
        seen = now;
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return 0;
  });
}
