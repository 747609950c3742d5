import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { openCoordinationSession, type CoordinationSession } from '../engine/coordination-session.js';
import { isCairnError } from '../shared/errors.js';
import { readIdentity } from './identity.js';
import type { McpTool, ToolContext } from './tool-kit.js';
import { ackMessage, readMessages, requestCollaboration, sendMessage } from './tools-bus.js';
import { getContext, setContext } from './tools-context.js';
import { listTasks, raiseBlocker, reportProgress, taskInfo } from './tools-task.js';

export const MCP_TOOLS: McpTool[] = [
  taskInfo,
  reportProgress,
  sendMessage,
  readMessages,
  ackMessage,
  requestCollaboration,
  raiseBlocker,
  getContext,
  setContext,
  listTasks,
];

/** A tool's failure as the model should read it: code, what went wrong, and what to do. */
export function toolError(error: unknown): CallToolResult {
  const text = isCairnError(error)
    ? [`${error.code}: ${error.message}`, ...error.details, ...(error.hint ? [`hint: ${error.hint}`] : [])]
    : [`unexpected error: ${(error as Error)?.message ?? String(error)}`];
  return { isError: true, content: [{ type: 'text', text: text.join('\n') }] };
}

export interface McpHandle {
  server: McpServer;
  /** Closes the state the tools opened (the server itself closes with its transport). */
  close(): Promise<void>;
}

/** The MCP server for the agent named by `env` (CAIRN_*), working on the repository around `cwd`. */
export function createMcpServer(cwd: string, env: NodeJS.ProcessEnv, version: string): McpHandle {
  let opened: Promise<CoordinationSession> | undefined;
  const context: ToolContext = {
    identity: readIdentity(env),
    env,
    cwd,
    session() {
      // Opened once, on the first call that needs it; a failure (no milestone yet) is retried next call.
      opened ??= openCoordinationSession(cwd, { env }).catch((error: unknown) => {
        opened = undefined;
        throw error;
      });
      return opened;
    },
  };
  const server = new McpServer(
    { name: 'cairn', version },
    {
      instructions:
        'Cairn coordinates the agents of a milestone. Use task_info first; report_progress as you go; read_messages and ack_message for requests from others; get_context/set_context for shared facts; raise_blocker when you cannot go on.',
    },
  );
  for (const tool of MCP_TOOLS) {
    server.registerTool(
      tool.name,
      { description: tool.description, inputSchema: tool.input },
      async (args) => {
        try {
          const data = await tool.run(context, args as never);
          return { content: [{ type: 'text', text: JSON.stringify(data, null, 2) }] };
        } catch (error) {
          if (!isCairnError(error))
            process.stderr.write(`cairn mcp: ${tool.name}: ${(error as Error)?.stack}\n`);
          return toolError(error);
        }
      },
    );
  }
  return {
    server,
    async close() {
      const session = await opened?.catch(() => undefined);
      session?.close();
    },
  };
}

/** Serves MCP on stdin/stdout until the client closes stdin. */
export async function serveStdio(cwd: string, env: NodeJS.ProcessEnv, version: string): Promise<void> {
  const handle = createMcpServer(cwd, env, version);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
    process.stdin.once('close', () => resolve());
  });
  await handle.server.connect(transport);
  await closed;
  await handle.server.close().catch(() => undefined);
  await handle.close();
}
