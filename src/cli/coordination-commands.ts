import { Option, type Command } from 'commander';
import { BUILT_IN_TYPES } from '../bus/message-types.js';
import { MERGE_POLICIES } from '../bus/merge-policy.js';
import { collect, durationArg, intArg, wholeArg } from './coordination-args.js';

type Action = (...args: never[]) => Promise<number>;
type Lazy = (load: () => Promise<{ default: Action }>) => (...args: unknown[]) => Promise<void>;

/** Options every msg/ctx command takes: which milestone, as whom, JSON output. */
function common(command: Command, json: string): Command {
  return command
    .option('-m, --milestone <id>', 'milestone id (default: CAIRN_MILESTONE, or the only one)')
    .option(
      '--as <who>',
      'act as task:<id>, agent:<profile>, orchestrator or user (default: from CAIRN_TASK/CAIRN_AGENT, else user)',
    )
    .option('--json', json);
}

/** `cairn msg …` and `cairn ctx …`: the message bus and the shared context (docs/coordination.md). */
export function addCoordinationCommands(
  program: Command,
  lazy: Lazy,
  examples: (lines: string[]) => string,
): void {
  const modules = {
    msg: () => import('./commands/msg.js'),
    'msg-inbox': () => import('./commands/msg-inbox.js'),
    'msg-admin': () => import('./commands/msg-admin.js'),
    ctx: () => import('./commands/ctx.js'),
    'ctx-watch': () => import('./commands/ctx-watch.js'),
  };
  const use = (file: keyof typeof modules, name: string) =>
    lazy(async () => ({ default: ((await modules[file]()) as unknown as Record<string, Action>)[name]! }));

  const msg = program
    .command('msg')
    .description(
      'the message bus: direct, group, broadcast and topic messages, requests with deadlines, acks, dead letters',
    )
    .addHelpText(
      'after',
      `${examples([
        `cairn msg send task:api '{"need": "schema"}' --type COLLABORATION_REQUEST --wait`,
        'cairn msg inbox --json',
        'cairn msg ack 12',
        `cairn msg reply 12 '{"schema": "users.sql"}'`,
        `cairn msg send orchestrator '{"reason": "no API key"}' --type BLOCKER_ALERT`,
        'cairn msg dlq && cairn msg replay --all',
      ])}\nTypes: ${Object.keys(BUILT_IN_TYPES).join(', ')} or your own (UPPER_SNAKE, at-least-once unless --class).\nRecipients: task:<id>, agent:<profile>, group:<name>, topic:<name>, all, orchestrator, user.\nExit codes: 0 ok, 1 timed out, 2 bad input (payload, recipient, ack, late reply).\n`,
    );
  common(msg.command('send'), 'print { ids, recipients, duplicate, dropped, held }')
    .description('send a message (payload is JSON; `-` or nothing reads stdin)')
    .argument('<to>', 'recipient')
    .argument('[payload]', 'JSON payload')
    .option('-t, --type <type>', 'message type', 'MESSAGE')
    .option('--text', 'take the payload as a plain string, not JSON')
    .addOption(new Option('--priority <n>', 'higher is delivered first').argParser(intArg))
    .addOption(
      new Option('--deadline <duration>', 'reply deadline (default per type)').argParser(durationArg),
    )
    .addOption(
      new Option('--lease <duration>', 'time to ack each delivery before it is redelivered').argParser(
        durationArg,
      ),
    )
    .addOption(
      new Option('--max-attempts <n>', 'deliveries before the dead-letter queue').argParser(wholeArg),
    )
    .addOption(
      new Option('--class <class>', 'delivery class of your own types').choices([
        'best-effort',
        'at-least-once',
        'exactly-once',
      ]),
    )
    .option('--reply-to <id>', 'the message this answers')
    .option('--key <key>', 'idempotency key: sending again with it is a no-op')
    .option('--wait', 'wait for the reply until the deadline (exit 1 when it times out)')
    .action(use('msg', 'send'));
  const receive = (command: Command) =>
    command
      .addOption(new Option('--limit <n>', 'at most this many').argParser(wholeArg))
      .addOption(
        new Option('--lease <duration>', 'time to ack before redelivery (default per type)').argParser(
          durationArg,
        ),
      )
      .option('--type <type>', 'only this type (repeatable)', collect);
  receive(common(msg.command('inbox'), 'print the messages as JSON'))
    .description('take your next messages, highest priority first; ack each before its lease runs out')
    .option('--peek', 'only look: list what waits without taking it')
    .action(use('msg-inbox', 'inbox'));
  receive(common(msg.command('wait'), 'print the message as JSON'))
    .description('wait for the next message (exit 1 after --timeout)')
    .addOption(new Option('--timeout <duration>', 'give up after').argParser(durationArg).default(30_000))
    .action(use('msg-inbox', 'wait'));
  common(msg.command('ack'), 'print the acked messages')
    .description('ack messages; --set writes context keys in the same transaction (exactly-once effects)')
    .argument('<id...>', 'message ids')
    .option('--set <key=json>', 'context write committed with the ack (repeatable)', collect)
    .action(use('msg-inbox', 'ack'));
  common(msg.command('reply'), 'print the reply')
    .description('answer a request; after its deadline the reply is recorded as late (exit 2)')
    .argument('<id>', 'the request')
    .argument('[payload]', 'JSON payload')
    .option('-t, --type <type>', 'reply type', 'REPLY')
    .option('--text', 'take the payload as a plain string')
    .action(use('msg', 'reply'));
  common(msg.command('dlq'), 'print the dead letters')
    .description('list the dead-letter queue')
    .action(use('msg-admin', 'dlq'));
  common(msg.command('replay'), 'print { replayed }')
    .description('move dead letters back to the queue with fresh attempts')
    .argument('[id...]', 'message ids')
    .option('--all', 'every dead letter')
    .action(use('msg-admin', 'replay'));
  common(msg.command('subscribe'), 'print { channel, member }')
    .description('join a group (multicast) or subscribe to a topic')
    .argument('<channel>', 'group:<name> or topic:<name>')
    .action(use('msg-admin', 'subscribe'));
  common(msg.command('unsubscribe'), 'print { channel, member, left }')
    .description('leave a group or topic')
    .argument('<channel>', 'group:<name> or topic:<name>')
    .action(use('msg-admin', 'unsubscribe'));

  const ctx = program
    .command('ctx')
    .description('the shared context: vector-clocked keys per milestone (or task), merged by policy')
    .addHelpText(
      'after',
      `${examples([
        `cairn ctx set api.base_url '"http://localhost:8080"'`,
        'cairn ctx get api.base_url --json',
        `cairn ctx set endpoints '["/users"]' --policy merge-set`,
        'cairn ctx watch api.base_url --timeout 60s',
        'cairn ctx history api.base_url',
      ])}\nA write descends from your last read of the key. One that does not descend from every current\nversion is kept as a sibling and resolved by the key's policy (${MERGE_POLICIES.join(', ')});\nmanual conflicts raise an alert until someone reads both and writes the resolution.\nA clock naming writes that never happened is refused (exit 2); --strict refuses any non-descending write.\n`,
    );
  const scoped = (command: Command, json: string) =>
    common(command, json).option('--task <id>', 'keys of this task instead of the milestone');
  scoped(ctx.command('get'), 'print the key with siblings and clock')
    .description('read a key (recorded as read; exit 1 when unset)')
    .argument('<key>')
    .action(use('ctx', 'get'));
  const writing = (command: Command) =>
    command
      .addOption(
        new Option('--policy <policy>', 'declare the merge policy on the first write').choices([
          ...MERGE_POLICIES,
        ]),
      )
      .option('--clock <json>', 'causal context of the write (default: your last read)')
      .option('--strict', 'refuse the write unless it descends from every current version');
  writing(scoped(ctx.command('set'), 'print { outcome, superseded, written, entry }'))
    .description('write a key (value is JSON)')
    .argument('<key>')
    .argument('<value>', 'JSON value')
    .option('--text', 'take the value as a plain string')
    .action(use('ctx', 'set'));
  writing(scoped(ctx.command('del'), 'print { outcome, superseded, written, entry }'))
    .description('delete a key (a clocked tombstone)')
    .argument('<key>')
    .action(use('ctx', 'del'));
  scoped(ctx.command('list'), 'print every key')
    .description('list keys with versions, policies and readers')
    .action(use('ctx', 'list'));
  scoped(ctx.command('history'), 'print every version')
    .description('every write of a key, with its clock and outcome')
    .argument('<key>')
    .action(use('ctx', 'history'));
  scoped(ctx.command('watch'), 'print each change as a JSON line')
    .description('print new versions as they are written')
    .argument('[key]', 'only this key')
    .addOption(new Option('--timeout <duration>', 'stop after').argParser(durationArg))
    .addOption(new Option('--count <n>', 'stop after this many changes').argParser(wholeArg))
    .action(use('ctx-watch', 'watch'));
}
