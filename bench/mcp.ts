/**
 * `mcp`: round trips of `cairn mcp` tool calls over stdio (the SDK's own client, a real child
 * process, a real state database), p50 and p99 per tool, against a `ping` through the same pipe
 * (the protocol's floor) and against the same read done the other way an agent can, one `cairn ctx
 * get` process per call.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  CLI,
  createBenchRepo,
  goal,
  log,
  median,
  quantile,
  removeTemp,
  round,
  timeProcess,
  type BenchOutcome,
} from './lib.js';

const CALLS = Number(process.env.BENCH_MCP_CALLS ?? 400);
const CLI_RUNS = Number(process.env.BENCH_MCP_CLI_RUNS ?? 10);
const WARMUP = 20;

const stats = (samples: number[]) => ({
  p50_ms: round(median(samples), 2),
  p99_ms: round(quantile(samples, 0.99), 2),
  max_ms: round(Math.max(...samples), 2),
});

function identityEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('CAIRN_')) env[key] = value;
  }
  return { ...env, CAIRN_MILESTONE: '001', CAIRN_TASK: 't001', CAIRN_AGENT: 'bench' };
}

export async function runMcp(): Promise<BenchOutcome> {
  const repo = createBenchRepo(20, 'cairn-bench-mcp-');
  const env = identityEnv();
  const client = new Client({ name: 'cairn-bench', version: '1.0.0' });
  try {
    const started = performance.now();
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], cwd: repo, env }),
    );
    const call = async (name: string, args: Record<string, unknown>) => {
      const result = await client.callTool({ name, arguments: args });
      if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
    };
    await call('set_context', { key: 'bench.key', value: { n: 0 } });
    const startupMs = performance.now() - started;

    // Each subject is one round trip; they are interleaved so load drift hits them alike.
    let n = 0;
    const subjects: Record<string, () => Promise<unknown>> = {
      ping: () => client.ping(),
      get_context: () => call('get_context', { key: 'bench.key' }),
      set_context: () => call('set_context', { key: 'bench.key', value: { n: ++n } }),
      send_message: () => call('send_message', { to: 'task:t002', payload: { n } }),
      read_messages: () => call('read_messages', { peek: true }),
      report_progress: () => call('report_progress', { percent: n % 100 }),
    };
    const samples = Object.fromEntries(Object.keys(subjects).map((key) => [key, [] as number[]]));
    for (let i = 0; i < WARMUP + CALLS; i++) {
      for (const [key, run] of Object.entries(subjects)) {
        const t0 = performance.now();
        await run();
        if (i >= WARMUP) samples[key]!.push(performance.now() - t0);
      }
    }
    log(`  mcp: ${CALLS} round trips of each tool measured; ${CLI_RUNS} cairn ctx get processes`);

    const cli: number[] = [];
    for (let i = 0; i < CLI_RUNS + 1; i++) {
      const timed = await timeProcess(process.execPath, [CLI, 'ctx', 'get', 'bench.key', '--json'], {
        cwd: repo,
        env,
        keepOutput: true,
      });
      if (timed.code !== 0) throw new Error(`cairn ctx get exited ${timed.code}: ${timed.stderr}`);
      if (i > 0) cli.push(timed.ms);
    }

    const tools = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, stats(values)]));
    const get = tools.get_context!;
    const cliMs = round(median(cli), 1);
    const worstP99 = Math.max(...Object.values(tools).map((t) => t.p99_ms));
    return {
      figures: { calls_per_tool: CALLS, startup_to_first_answer_ms: round(startupMs, 1), round_trip: tools },
      baseline: {
        description: '`cairn ctx get <key> --json`, one process per read (what an agent pays without MCP)',
        figures: { cli_ctx_get_ms: cliMs, runs: CLI_RUNS },
      },
      ratio: {
        'get_context_p50/cli_ctx_get': round(get.p50_ms / cliMs, 3),
        'get_context_p50/ping_p50': round(get.p50_ms / tools.ping!.p50_ms, 2),
      },
      goals: {
        'get_context_p50/cli_ctx_get': goal(round(get.p50_ms / cliMs, 3), '<=', 0.1),
        worst_tool_p99_ms: goal(worstP99, '<=', 50, 'ms'),
      },
      notes: [
        `one server process, ${WARMUP} warm-up rounds, then ${CALLS} rounds of every subject in turn; a round trip is callTool from send to parsed result`,
        'ping is the JSON-RPC floor over the same pipe (no Cairn work); report_progress has no CAIRN_PROGRESS_FILE here, so it is the PROGRESS_UPDATE publish only',
        'startup_to_first_answer_ms: spawn, initialize, the first set_context (opens the state database and reads the spec)',
      ],
    };
  } finally {
    await client.close().catch(() => undefined);
    removeTemp(repo);
  }
}
