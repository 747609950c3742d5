import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { reportError } from './errors.js';
import { addCoordinationCommands } from './coordination-commands.js';

type Action = (...args: never[]) => Promise<number>;

/** Loads a command module only when it runs, so `cairn status` does not pay for `cairn run`. */
function lazy(load: () => Promise<{ default: Action }>) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const debug = Boolean(command.optsWithGlobals().debug);
    let code: number;
    try {
      const action = (await load()).default as (...a: unknown[]) => Promise<number>;
      code = await action(...args.slice(0, -1));
    } catch (error) {
      code = reportError(error, debug);
    }
    process.exitCode = code;
  };
}

const examples = (lines: string[]) => `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;

export function createProgram(): Command {
  const program = new Command('cairn')
    .description(
      'Run a software milestone with several coding agents in parallel git worktrees,\nmerged one at a time into a milestone branch, and land it when it passes.',
    )
    .version('0.1.0')
    .option('--debug', 'print stack traces for unexpected errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command('init')
    .description('set up Cairn in this git repository (.milestones/ and .cairn/config.yaml)')
    .addHelpText('after', examples(['cairn init']))
    .action(lazy(() => import('./commands/init.js')));

  program
    .command('new')
    .description('scaffold a milestone spec in .milestones/, or have an agent write it from a goal')
    .argument('[title]', 'what the milestone achieves (not with --from-goal)')
    .option('--from-goal <goal>', 'an agent writes the spec for this goal (validated, shown, confirmed)')
    .option('--agent <profile>', "the profile writing the spec (--from-goal) or the example tasks' agent")
    .option('--yes', 'with --from-goal: write without asking (required when stdin is not a terminal)')
    .option('--json', 'with --from-goal: print { file, written, rounds, problems, draft }')
    .addHelpText(
      'after',
      `${examples(['cairn new "User authentication"', 'cairn new --from-goal "Users can sign in with GitHub" --agent claude', 'cairn new --from-goal "Add a CSV export" --agent codex --yes'])}\nWith --from-goal the agent runs in the repository root and writes its YAML to a file in the\nstate directory (or prints a \`\`\`yaml block). Cairn validates it like \`cairn validate\` and asks\nagain with the problems, 3 rounds at most. Nothing in .milestones/ changes until you confirm.\nExit codes: 0 written (or declined at the prompt), 1 the agent failed or no --yes without a\nterminal, 2 bad input or still invalid after 3 rounds (the last draft is kept), 130 interrupted.\n`,
    )
    .action(lazy(() => import('./commands/new.js')));

  program
    .command('validate')
    .description('check specs: every problem with file:line:col, dot path and hint (exit 2 if any)')
    .argument('[milestone]', 'milestone id, id-slug or spec file (default: every spec)')
    .option('--json', 'print problems as JSON')
    .addHelpText(
      'after',
      examples(['cairn validate', 'cairn validate 001', 'cairn validate .milestones/001-auth.yaml']),
    )
    .action(lazy(() => import('./commands/validate.js')));

  program
    .command('schema')
    .description('print the JSON Schema of milestone specs (for editors)')
    .action(lazy(() => import('./commands/schema.js')));

  program
    .command('plan')
    .description('show waves, critical path and dependencies of a milestone')
    .argument('<milestone>', 'milestone id, id-slug or spec file')
    .option('--json', 'print { milestone, waves, critical_path, kept_apart }')
    .action(lazy(() => import('./commands/plan.js')));

  program
    .command('run')
    .description('run a milestone: agents in worktrees, checks, merge queue; resumes where it stopped')
    .argument('<milestone>', 'milestone id, id-slug or spec file')
    .addOption(
      new Option('-c, --concurrency <n>', 'agents at once (default from .cairn/config.yaml)').argParser(
        parsePositiveInt,
      ),
    )
    .option(
      '--rerun-changed',
      'run again finished tasks whose prompt, files, acceptance or dependencies changed',
    )
    .option(
      '--auto-tune',
      'adjust the concurrency during the run from CPU, memory and throughput (starts at --concurrency)',
    )
    .addOption(
      new Option(
        '--max-concurrency <n>',
        'with --auto-tune: the most agents at once (default 2 x CPUs)',
      ).argParser(parsePositiveInt),
    )
    .option(
      '--allow-overlap',
      'run tasks whose files overlap at the same time (by default they wait for each other; see cairn plan)',
    )
    .addHelpText(
      'after',
      `${examples(['cairn run 001', 'cairn run 001 --concurrency 2', 'cairn run 001 --rerun-changed'])}\nExit codes: 0 all tasks done, 1 a task failed or is blocked, 2 bad input,\n3 another live run holds the milestone, 130 interrupted (run again to resume).\n`,
    )
    .action(lazy(() => import('./commands/run.js')));

  program
    .command('status')
    .description('milestone state and a row per task')
    .argument('[milestone]', 'milestone id, id-slug or spec file (default: all)')
    .option('--json', 'print { milestone, tasks } as JSON')
    .action(lazy(() => import('./commands/status.js')));

  program
    .command('progress')
    .description(
      'how far a milestone is, measured from git and the journal: five dimensions, overall with confidence, velocity, forecast, bottlenecks',
    )
    .argument('<milestone>', 'milestone id, id-slug or spec file')
    .option('--json', 'print the figures as JSON (definitions in docs/progress.md)')
    .option('--history', 'also show the journaled snapshots (one per change of the figures)')
    .addHelpText(
      'after',
      `${examples(['cairn progress 001', 'cairn progress 001 --history', 'cairn progress 001 --json'])}\nDimensions (0-1): task (done weight, partial credit from Progress: markers), code (weighted\nlines against what finished tasks needed), git (tasks merged on the milestone branch), quality\n(acceptance and integration pass rates, test share), value (weight merged). A figure with no\ndata says so instead of 0%. Each call journals a snapshot when the figures changed.\n`,
    )
    .action(lazy(() => import('./commands/progress.js')));

  program
    .command('perf')
    .description(
      'where a milestone\u2019s time went: queue, setup, agent, commit, acceptance, merge wait, merge; the bottleneck and what to do',
    )
    .argument('<milestone>', 'milestone id, id-slug or spec file')
    .option('--json', 'print { milestone, phases, profiles, bottleneck, recommendations }')
    .addHelpText(
      'after',
      `${examples(['cairn perf 001', 'cairn perf 001 --json'])}\nEvery attempt journals its phase times; each recommendation names its rule and numbers.\n`,
    )
    .action(lazy(() => import('./commands/perf.js')));

  program
    .command('report')
    .description('a milestone report: Markdown for a pull request, JSON, or standalone HTML with charts')
    .argument('<milestone>', 'milestone id, id-slug or spec file')
    .addOption(
      new Option(
        '-f, --format <format>',
        'md (pull-request description), json, or html (offline, SVG charts)',
      )
        .choices(['md', 'json', 'html'])
        .default('md'),
    )
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      examples([
        'cairn report 001',
        'cairn report 001 --format html --out report.html',
        'gh pr create --body "$(cairn report 001)"',
      ]),
    )
    .action(lazy(() => import('./commands/report.js')));

  program
    .command('analyze')
    .description(
      'commit analysis of any git repository: types, file kinds, churn, frequency pattern, authors, agents, milestones',
    )
    .argument('[rev-range]', 'commits to analyze, as git understands them (default: HEAD)')
    .option('--since <date>', 'only commits after this date (`2024-01-31`, `2.weeks`)')
    .addOption(
      new Option('--by <group>', 'the table groups commits by this')
        .choices(['type', 'kind', 'author', 'agent', 'milestone'])
        .default('type'),
    )
    .option('--json', 'print the figures as JSON (shape in docs/progress.md)')
    .addHelpText(
      'after',
      `${examples(['cairn analyze', 'cairn analyze main..feature --by author', 'cairn analyze --since 2.weeks --by agent --json'])}\nParsed commits are cached in the state directory (analyze-cache.db), so a second run reads\nonly new commits from git. An empty repository prints "no commits yet" (exit 0); a range\nthat does not resolve is exit 2.\n`,
    )
    .action(lazy(() => import('./commands/analyze.js')));

  const manual = (name: 'retry' | 'skip' | 'unblock', what: string) =>
    program
      .command(name)
      .description(what)
      .argument('<milestone>', 'milestone id, id-slug or spec file')
      .argument('<task>', 'task id')
      .option('--json', 'print { milestone, task, state }')
      .addHelpText('after', examples([`cairn ${name} 001 login-ui`, 'cairn run 001']));
  manual('retry', 'give a failed or blocked task a fresh attempt on the next run').action(
    lazy(() => import('./commands/retry.js')),
  );
  manual('skip', 'skip a task that is not done; its dependents may start').action(
    lazy(() => import('./commands/skip.js')),
  );
  manual(
    'unblock',
    'after resolving a blocked task by hand on its branch: check and merge it on the next run',
  ).action(lazy(() => import('./commands/unblock.js')));

  program
    .command('resume')
    .description(
      'resume a milestone from its best checkpoint (a `cairn run`); --explain only shows the choice',
    )
    .argument('<milestone>', 'milestone id, id-slug or spec file')
    .option(
      '--explain',
      'list the checkpoints (validated against git, scored) and the chosen one; run nothing',
    )
    .option('--json', 'with --explain: print { milestone, candidates, chosen, why }')
    .addOption(new Option('-c, --concurrency <n>', 'agents at once').argParser(parsePositiveInt))
    .addHelpText(
      'after',
      `${examples(['cairn resume 001 --explain', 'cairn resume 001 --explain --json', 'cairn resume 001'])}\nScores: completeness (tasks and heads recorded), consistency (commits exist, the branch\nhead is the checkpoint's or descends from it), confidence (settled moment, little replay).\nBands: excellent >= 0.9, good >= 0.75, acceptable >= 0.5, poor below or when the head left the branch.\n`,
    )
    .action(lazy(() => import('./commands/resume.js')));

  program
    .command('rollback')
    .description(
      'move the milestone branch back to a checkpoint or commit and requeue the tasks merged after it',
    )
    .argument('<milestone>', 'milestone id, id-slug or spec file')
    .option(
      '--to <checkpoint|commit>',
      'a checkpoint id (see cairn resume --explain) or a commit on the branch (default: the latest checkpoint before the head)',
    )
    .option('--yes', 'do not ask for confirmation (required when stdin is not a terminal)')
    .option('--json', 'print { milestone, from, to, checkpoint, applied, requeued, removed }')
    .addHelpText(
      'after',
      `${examples(['cairn rollback 001', 'cairn rollback 001 --to 3 --yes', 'cairn rollback 001 --to 4f2a9c1 --yes', 'cairn run 001'])}\nThe branch moves by compare-and-swap; requeued tasks keep their branches and get a fresh\nattempt on the next run. Exit codes: 0 done or cancelled, 2 bad target, landed milestone\nor not confirmed, 3 a live run holds the milestone.\n`,
    )
    .action(lazy(() => import('./commands/rollback.js')));

  program
    .command('land')
    .description('run integration on the milestone merged with the latest base, then merge it into base')
    .argument('<milestone>', 'milestone id, id-slug or spec file')
    .option('--json', 'print the result as JSON')
    .option(
      '--pr',
      'open a pull request (pr.command in .cairn/config.yaml, default gh pr create) instead of merging locally',
    )
    .addHelpText(
      'after',
      '\nRefuses (exit 1) while a task is not done, when integration fails, or when\nthe base branch is checked out with uncommitted changes. With `remote:` in\n.cairn/config.yaml, base is fetched first and the landing pushed (never forced).\n\nExamples:\n  $ cairn land 001\n  $ cairn land 001 --pr\n',
    )
    .action(lazy(() => import('./commands/land.js')));

  const hooks = program
    .command('hooks')
    .description(
      'git hooks for commits made by hand: trailers on task branches, no commits on milestone branches',
    )
    .addHelpText(
      'after',
      `${examples(['cairn hooks install', 'cairn hooks status --json', 'cairn hooks uninstall'])}\ncommit-msg adds Milestone: and Task: trailers on feature/milestone-<id>-<task> branches;\npre-commit refuses direct commits on milestone/* branches (git commit --no-verify overrides);\npost-commit journals the commit in Cairn's state, when there is any.\n\nCairn installs into the directory git actually uses (core.hooksPath, e.g. husky's, when set).\nA hook already there is never overwritten: it moves to <name>.cairn-chained and runs first;\nuninstall puts it back.\n`,
    );
  hooks
    .command('install')
    .description("install Cairn's commit-msg, pre-commit and post-commit hooks, chained with yours")
    .action(lazy(() => import('./commands/hooks.js').then((m) => ({ default: m.install }))));
  hooks
    .command('uninstall')
    .description("remove Cairn's hooks and restore the ones they chained")
    .action(lazy(() => import('./commands/hooks.js').then((m) => ({ default: m.uninstall }))));
  hooks
    .command('status')
    .description("show which of Cairn's hooks are installed, and where")
    .option('--json', 'print { hooks_dir, core_hooks_path, hooks: [{ name, state, chained }] }')
    .action(lazy(() => import('./commands/hooks.js').then((m) => ({ default: m.status }))));
  hooks
    .command('run', { hidden: true })
    .argument('<hook>')
    .argument('[args...]')
    .allowUnknownOption()
    .action(lazy(() => import('./commands/hooks-run.js')));

  program
    .command('doctor')
    .description(
      'check git, the state database and journal, leases, stray agents, worktrees, git locks and disk space',
    )
    .option(
      '--repair',
      'fix what is safe: stop stray agents, delete stale locks, release stale leases, rebuild a lost or damaged state database from git',
    )
    .option('--json', 'print { ok, findings, repaired } as JSON')
    .addHelpText(
      'after',
      `${examples(['cairn doctor', 'cairn doctor --repair', 'cairn doctor --json'])}\nA damaged state.db is moved aside (state.db.damaged-<time>), never deleted; the rebuilt\none marks every task whose merge is on the milestone branch done, so the next run\nstarts only the others.\n\nExit codes: 0 no errors (warnings allowed), 1 errors remain, 2 not inside a git repository.\n`,
    )
    .action(lazy(() => import('./commands/doctor.js')));

  program
    .command('serve')
    .description(
      'a live web dashboard on 127.0.0.1: milestones, tasks, logs, progress; retry, skip, unblock, land',
    )
    .addOption(
      new Option('-p, --port <n>', 'port on 127.0.0.1 (0: any free port)').argParser(parsePort).default(4650),
    )
    .option('--open', 'open the dashboard in the default browser')
    .addHelpText(
      'after',
      `${examples(['cairn serve', 'cairn serve --port 8080 --open', 'cairn serve --port 0'])}\nPrints a URL with a random token; requests without it get 401. Only this machine can connect.\nThe page updates live (server-sent events) while runs go on. Exit 2 when the port is taken.\n`,
    )
    .action(lazy(() => import('./commands/serve.js')));

  program
    .command('watch')
    .description(
      'a live terminal dashboard: progress, task matrix, agents, alerts, insights, timeline; retry, skip, unblock',
    )
    .argument('[milestone]', 'milestone id, id-slug or spec file (default: the one run most recently)')
    .option('--interval <duration>', 'how often to read the state (500ms, 2s)', '1s')
    .option('--once', 'print one snapshot and exit (also the behaviour when stdout is not a terminal)')
    .addHelpText(
      'after',
      `${examples(['cairn watch 001', 'cairn watch 001 --interval 500ms', 'cairn watch 001 --once'])}\nKeys: arrows select a task, Enter shows its log, r retry, s skip, u unblock (each asks y/n), q quits.\nReading never blocks a run; a milestone no run has started yet is watched until one does.\n`,
    )
    .action(lazy(() => import('./commands/watch.js')));

  program
    .command('demo')
    .description('create a sample project and run a milestone on it with scripted agents, then land it')
    .option('--dir <dir>', 'where to create the sample repository (default: a new temporary directory)')
    .option('-c, --concurrency <n>', 'agents at once', parsePositiveInt, 3)
    .action(lazy(() => import('./commands/demo.js')));

  program
    .command('mcp')
    .description(
      'a stdio MCP server for agents: task info, progress, messages, collaboration, blockers, shared context',
    )
    .addOption(
      new Option('--print-config <agent>', 'print the snippet that registers it with an agent CLI').choices([
        'claude',
        'codex',
        'gemini',
      ]),
    )
    .addHelpText(
      'after',
      `${examples(['cairn mcp --print-config claude > .mcp.json', 'cairn mcp --print-config codex >> ~/.codex/config.toml'])}\nAgents started by cairn run are named by their environment (CAIRN_MILESTONE, CAIRN_TASK, …);\nthe built-in claude profile registers the server itself. Tools: task_info, report_progress,\nsend_message, read_messages, ack_message, request_collaboration, raise_blocker, get_context,\nset_context, list_tasks.\n`,
    )
    .action(lazy(() => import('./commands/mcp.js')));

  addCoordinationCommands(program, lazy, examples);

  return program;
}

function parsePositiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  }
  return parsed;
}

function parsePort(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed > 65535) {
    throw new InvalidArgumentError(`expected a port number from 0 to 65535, got "${value}"`);
  }
  return parsed;
}

/** Parses argv and runs the command; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok =
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help';
      return ok ? 0 : 2;
    }
    return reportError(error, argv.includes('--debug'));
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
