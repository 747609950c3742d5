import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn, cleanupTemp, CLI, tempDir } from './helpers.js';
import { setupScenario, statusJson, taskOf } from './scenarios.js';

afterAll(cleanupTemp);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const TOOLS = [
  'ack_message',
  'get_context',
  'list_tasks',
  'raise_blocker',
  'read_messages',
  'report_progress',
  'request_collaboration',
  'send_message',
  'set_context',
  'task_info',
];

/** The test's own environment without any CAIRN_* (the suite may itself run under an agent). */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('CAIRN_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** An MCP client of `node dist/cli/bin.js mcp`, started in `root` as the given CAIRN_* identity. */
async function connect(root: string, identity: Record<string, string>) {
  const client = new Client({ name: 'cairn-test', version: '1.0.0' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp'],
    cwd: root,
    env: cleanEnv(identity),
    stderr: 'pipe',
  });
  await client.connect(transport);
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const result = await client.callTool({ name, arguments: args });
    const text = (result.content as { type: string; text: string }[])[0]?.text ?? '';
    return { error: result.isError === true, text, data: result.isError ? undefined : JSON.parse(text) };
  };
  /** Calls a tool that must succeed, and returns its JSON (loosely typed: the test checks its shape). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const ok = async <T = Record<string, any>>(name: string, args: Record<string, unknown> = {}) => {
    const result = await call(name, args);
    if (result.error) throw new Error(`${name} failed: ${result.text}`);
    return result.data as T;
  };
  return { client, call, ok };
}

/** A milestone run to its end: a and b done (b depends on a), c failed (its agent exits 1). */
async function ranMilestone() {
  const scenario = setupScenario({
    spec: {
      title: 'MCP',
      tasks: [
        { id: 'a', files: ['a.txt'] },
        { id: 'b', depends_on: ['a'], files: ['b.txt'], acceptance: ['test -f b.txt'] },
        { id: 'c', files: ['c.txt'] },
      ],
    },
    agentBody: 'if [ "$1" = c ]; then exit 1; fi\necho "$1" > "$1.txt"',
  });
  const run = await cairn(scenario.root, ['run', '001'], cleanEnv({}));
  expect(run.code, run.stderr).toBe(1);
  return scenario;
}

describe('cairn mcp over stdio', () => {
  it('lists its tools with input schemas, and each tool works on a real state database', async () => {
    const { root, scratch } = await ranMilestone();
    const progressFile = path.join(scratch, 'b.progress');
    const b = await connect(root, {
      CAIRN_MILESTONE: '001',
      CAIRN_TASK: 'b',
      CAIRN_ATTEMPT: '2',
      CAIRN_AGENT: 'scripted',
      CAIRN_PROGRESS_FILE: progressFile,
    });
    const a = await connect(root, { CAIRN_MILESTONE: '001', CAIRN_TASK: 'a', CAIRN_AGENT: 'scripted' });
    try {
      const { tools } = await b.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
      for (const tool of tools) {
        expect(tool.description, tool.name).toBeTruthy();
        expect(tool.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });
      }
      expect(tools.find((t) => t.name === 'report_progress')!.inputSchema.required).toEqual(['percent']);

      const info = await b.ok('task_info');
      expect(info.milestone).toMatchObject({ id: '001', title: 'MCP' });
      expect(info.task).toMatchObject({
        id: 'b',
        state: 'done',
        attempts: 1,
        files: ['b.txt'],
        acceptance: ['test -f b.txt'],
        depends_on: [{ id: 'a', state: 'done' }],
      });
      expect(info.you).toMatchObject({ task: 'b', attempt: 2, identities: ['task:b', 'agent:scripted'] });
      const listed = await b.ok('list_tasks');
      expect(listed.tasks.map((t: { id: string; state: string }) => `${t.id}:${t.state}`)).toEqual([
        'a:done',
        'b:done',
        'c:failed',
      ]);

      const progress = await b.ok('report_progress', { percent: 40, note: 'schema written' });
      expect(progress).toMatchObject({ percent: 40, progress_file: progressFile });
      expect(readFileSync(progressFile, 'utf8')).toBe('40%\n');

      await b.ok('set_context', { key: 'api.base_url', value: 'http://localhost:8080' });
      expect(await a.ok('get_context', { key: 'api.base_url' })).toMatchObject({
        found: true,
        entry: { value: 'http://localhost:8080', version: 1, policy: 'lww' },
      });
      expect(await a.ok('get_context', { key: 'nobody.wrote' })).toEqual({
        found: false,
        key: 'nobody.wrote',
      });

      const sent = await b.ok('send_message', { to: 'task:a', payload: { schema: 'users.sql' } });
      expect(sent).toMatchObject({ recipients: ['task:a'], duplicate: false });
      // The run assigned each task too (TASK_ASSIGNMENT): take only the plain messages.
      const inbox = await a.ok('read_messages', { types: ['MESSAGE'] });
      expect(inbox.messages).toMatchObject([
        { id: sent.ids[0], sender: 'task:b', payload: { schema: 'users.sql' } },
      ]);
      // The ack and its context write commit together.
      await a.ok('ack_message', { ids: [sent.ids[0]], set: { 'schema.seen': true } });
      expect((await b.ok('get_context', { key: 'schema.seen' })).entry.value).toBe(true);
      expect((await a.call('ack_message', { ids: [sent.ids[0]] })).text).toContain('was already acked');

      // b asks a and waits; a answers while b waits.
      const asked = b.ok('request_collaboration', {
        to: 'task:a',
        request: { need: 'port' },
        wait_ms: 20_000,
      });
      let request: { id: number } | undefined;
      for (let i = 0; i < 200 && !request; i++) {
        request = (await a.ok('read_messages', { types: ['COLLABORATION_REQUEST'] })).messages[0];
      }
      await a.ok('send_message', { reply_to: request!.id, payload: { port: 8080 } });
      expect(await asked).toMatchObject({ status: 'replied', reply: { payload: { port: 8080 } } });

      const c = await connect(root, { CAIRN_MILESTONE: '001', CAIRN_TASK: 'c' });
      const blocker = await c.ok('raise_blocker', { reason: 'no API key for the payments sandbox' });
      expect(blocker).toMatchObject({ task: 'c', blocked: true, duplicate: false });
      expect(blocker.alert).toEqual(expect.any(Number));
      await c.client.close();
      const status = await statusJson(root);
      expect(taskOf(status, 'c')).toMatchObject({ state: 'blocked' });
      expect(taskOf(status, 'c').reason).toContain('no API key for the payments sandbox');
    } finally {
      await a.client.close();
      await b.client.close();
    }
  });

  it('answers malformed requests with errors and keeps serving', async () => {
    const { root } = await ranMilestone();
    const b = await connect(root, { CAIRN_MILESTONE: '001', CAIRN_TASK: 'b' });
    const anonymous = await connect(root, { CAIRN_MILESTONE: '001' });
    try {
      const bad: [string, Record<string, unknown>, string][] = [
        ['report_progress', { percent: 140 }, 'percent'],
        ['report_progress', { percent: '40' }, 'percent'],
        ['report_progress', { percent: 40, extra: 1 }, 'extra'],
        ['send_message', { to: 'task:zzz', payload: 1 }, 'milestone has no task "zzz"'],
        ['send_message', { to: 'task:a' }, 'payload'],
        ['set_context', { key: 'k' }, 'value is required'],
        ['send_message', { payload: 1 }, 'to (or reply_to) is required'],
        ['send_message', { to: 'task:a', payload: 1, type: 'lower' }, 'E_MSG_TYPE'],
        ['ack_message', { ids: [] }, 'ids'],
        ['ack_message', { ids: [999] }, 'has no message 999'],
        ['set_context', { key: 'bad key', value: 1 }, 'is not a context key'],
        ['set_context', { key: 'k', value: 1, policy: 'newest' }, 'policy'],
        ['get_context', { key: 'k', task: 'zzz' }, 'has no task "zzz"'],
        ['task_info', { task: 'zzz' }, 'has no task "zzz"'],
        ['no_such_tool', {}, 'no_such_tool'],
      ];
      for (const [name, args, expected] of bad) {
        const result = await b.call(name, args);
        expect(result.error, `${name} ${JSON.stringify(args)}`).toBe(true);
        expect(result.text).toContain(expected);
      }
      // Without CAIRN_TASK, the tools that act for a task say what is missing; the others work as `user`.
      for (const name of ['task_info', 'report_progress', 'raise_blocker']) {
        const args =
          name === 'report_progress' ? { percent: 1 } : name === 'raise_blocker' ? { reason: 'x' } : {};
        const result = await anonymous.call(name, args);
        expect(result.error).toBe(true);
        expect(result.text).toContain('E_MCP_IDENTITY');
        expect(result.text).toContain('CAIRN_TASK is not set');
      }
      expect((await anonymous.ok('read_messages')).me).toEqual(['user']);
      expect((await b.ok('list_tasks')).tasks).toHaveLength(3);
    } finally {
      await b.client.close();
      await anonymous.client.close();
    }
    // A line that is not JSON-RPC at all does not stop the server either.
    const child = spawn(process.execPath, [CLI, 'mcp'], {
      cwd: root,
      env: cleanEnv({ CAIRN_MILESTONE: '001' }),
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const request = (id: number, method: string, params: object) =>
      `${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`;
    child.stdin.write('this is not json\n');
    child.stdin.write('{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": 7}}\n');
    child.stdin.write(
      request(2, 'initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'raw', version: '1' },
      }),
    );
    child.stdin.write(request(3, 'tools/list', {}));
    const closed = new Promise((resolve) => child.on('close', resolve));
    for (let i = 0; i < 300 && !out.includes('"id":3'); i++) await new Promise((r) => setTimeout(r, 50));
    child.stdin.end();
    await closed;
    const replies = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: number; error?: unknown; result?: { tools?: unknown[] } });
    expect(replies.find((r) => r.id === 1)?.error).toBeDefined();
    expect(replies.find((r) => r.id === 3)?.result?.tools).toHaveLength(10);
  });

  it('an agent started by cairn run reaches it with the identity the run gave it', async () => {
    const sdk = (file: string) =>
      JSON.stringify(
        pathToFileURL(path.join(ROOT, 'node_modules/@modelcontextprotocol/sdk/dist/esm', file)).href,
      );
    const client = [
      `import { Client } from ${sdk('client/index.js')};`,
      `import { StdioClientTransport } from ${sdk('client/stdio.js')};`,
      "import { writeFileSync } from 'node:fs';",
      "const client = new Client({ name: 'agent', version: '1' });",
      `await client.connect(new StdioClientTransport({ command: process.execPath, args: [${JSON.stringify(CLI)}, 'mcp'], env: process.env }));`,
      'const text = async (name, args) => (await client.callTool({ name, arguments: args })).content[0].text;',
      "const progress = JSON.parse(await text('report_progress', { percent: 50 }));",
      "const info = JSON.parse(await text('task_info', {}));",
      'writeFileSync(process.argv[2], JSON.stringify({ progress, info }));',
      'await client.close();',
    ].join('\n');
    const { root, scratch } = setupScenario({
      spec: { title: 'Agents', tasks: [{ id: 'solo' }] },
      agentBody: `node "$SCRATCH/client.mjs" "$SCRATCH/$1.json"\necho done > "$1.txt"`,
    });
    writeFileSync(path.join(scratch, 'client.mjs'), client);
    const run = await cairn(root, ['run', '001'], cleanEnv({}));
    expect(run.code, run.stderr).toBe(0);
    const seen = JSON.parse(readFileSync(path.join(scratch, 'solo.json'), 'utf8'));
    expect(seen.info.you).toMatchObject({ milestone: '001', task: 'solo', attempt: 1, agent: 'scripted' });
    expect(seen.info.you.session).toEqual(expect.any(String));
    expect(seen.progress.progress_file).toMatch(/solo\.1\.progress$/);
    expect(readFileSync(seen.progress.progress_file, 'utf8')).toBe('50%\n');
  });

  it('prints the configuration for Claude Code, Codex and Gemini CLI', async () => {
    const root = tempDir();
    const claude = await cairn(root, ['mcp', '--print-config', 'claude']);
    expect(claude.code).toBe(0);
    expect(JSON.parse(claude.stdout)).toEqual({
      mcpServers: { cairn: { type: 'stdio', command: 'node', args: [CLI, 'mcp'] } },
    });
    const gemini = await cairn(root, ['mcp', '--print-config', 'gemini']);
    expect(JSON.parse(gemini.stdout).mcpServers.cairn).toMatchObject({ command: 'node', args: [CLI, 'mcp'] });
    const codex = await cairn(root, ['mcp', '--print-config', 'codex']);
    expect(codex.stdout).toContain('[mcp_servers.cairn]\ncommand = "node"\n');
    expect(codex.stdout).toContain(`args = [${JSON.stringify(CLI)}, "mcp"]`);
    expect(codex.stdout).toMatch(/env_vars = \[.*"CAIRN_TASK".*\]/);
    const unknown = await cairn(root, ['mcp', '--print-config', 'vim']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('claude, codex, gemini');
  });
});
