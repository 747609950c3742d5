import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CoordinationSession } from '../engine/coordination-session.js';
import { sendAs } from '../engine/send-message.js';
import { readStatus, type MilestoneStatus } from '../engine/status.js';
import type { TaskSpec } from '../spec/types.js';
import { InputError } from '../shared/errors.js';
import { requireTask } from './identity.js';
import { defineTool, type ToolContext } from './tool-kit.js';

async function statusOf(context: ToolContext, session: CoordinationSession): Promise<MilestoneStatus> {
  const [status] = await readStatus(session.repo, session.milestone, context.cwd);
  return status!;
}

/** The milestone's task definitions from its spec; undefined (with why) when it no longer parses. */
async function specTasks(session: CoordinationSession, cwd: string) {
  try {
    const { loadMilestone } = await import('../engine/load.js');
    return { tasks: loadMilestone(session.repo.root, session.milestone, cwd).spec.tasks };
  } catch (error) {
    return { tasks: undefined as TaskSpec[] | undefined, error: (error as Error).message };
  }
}

export const taskInfo = defineTool(
  'task_info',
  'Your task (or another one of the milestone): title, prompt, expected files, acceptance commands, state, attempts, dependencies and their states, and your identity (CAIRN_* environment).',
  { task: z.string().min(1).optional().describe('a task id (default: yours, CAIRN_TASK)') },
  async (context, args) => {
    const id = args.task ?? requireTask(context.identity, 'task_info');
    const session = await context.session();
    const status = await statusOf(context, session);
    const row = status.tasks.find((t) => t.id === id);
    if (!row) {
      throw new InputError('E_MCP_TASK', `milestone ${session.milestone} has no task "${id}"`, {
        hint: `Tasks: ${status.tasks.map((t) => t.id).join(', ')}`,
      });
    }
    const spec = await specTasks(session, context.cwd);
    const def = spec.tasks?.find((t) => t.id === id);
    const stateOf = (dep: string) => status.tasks.find((t) => t.id === dep)?.state ?? 'unknown';
    return {
      milestone: status.milestone,
      task: {
        ...row,
        ...(def
          ? { prompt: def.prompt, files: def.files, acceptance: def.acceptance, weight: def.weight }
          : { spec_error: spec.error ?? 'the spec no longer defines this task' }),
        depends_on: (def?.depends_on ?? []).map((dep) => ({ id: dep, state: stateOf(dep) })),
        dependents: (spec.tasks ?? []).filter((t) => t.depends_on.includes(id)).map((t) => t.id),
      },
      you: { identities: session.me, ...context.identity },
    };
  },
);

export const listTasks = defineTool(
  'list_tasks',
  'Every task of the milestone with its state, agent, attempts, branch and dependencies.',
  {},
  async (context) => {
    const session = await context.session();
    const status = await statusOf(context, session);
    const spec = await specTasks(session, context.cwd);
    const deps = new Map((spec.tasks ?? []).map((t) => [t.id, t.depends_on]));
    return {
      milestone: status.milestone,
      tasks: status.tasks.map((t) => ({ ...t, depends_on: deps.get(t.id) ?? [] })),
    };
  },
);

export const reportProgress = defineTool(
  'report_progress',
  "Say how far your task is (0-100). Cairn's progressive and checkpoint commits carry it as their Progress: trailer, and subscribers of topic:progress get a PROGRESS_UPDATE.",
  {
    percent: z.number().min(0).max(100).describe('how much of the task is done, 0 to 100'),
    note: z.string().max(2000).optional().describe('what was done or comes next'),
  },
  async (context, args) => {
    const task = requireTask(context.identity, 'report_progress');
    const percent = Math.round(args.percent * 10) / 10;
    const file = context.identity.progressFile;
    if (file) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${percent}%\n`);
    }
    const session = await context.session();
    const payload = {
      task,
      attempt: context.identity.attempt ?? null,
      percent,
      ...(args.note ? { note: args.note } : {}),
    };
    const { result } = await sendAs(session, { type: 'PROGRESS_UPDATE', to: 'topic:progress', payload });
    return {
      percent,
      progress_file: file ?? null,
      ...(file ? {} : { warning: 'CAIRN_PROGRESS_FILE is not set: only the message was sent' }),
      message: { ids: result.ids, recipients: result.recipients, dropped: result.dropped },
    };
  },
);

export const raiseBlocker = defineTool(
  'raise_blocker',
  'Stop: your task cannot go on without a person (missing credentials, contradictory spec…). Sends a BLOCKER_ALERT to the orchestrator: the task is marked blocked with the reason, an alert is raised and the configured notify command runs. End your work after calling it.',
  {
    reason: z.string().min(1).max(4000).describe('what blocks the task and what would unblock it'),
    task: z.string().min(1).optional().describe('the blocked task (default: yours)'),
  },
  async (context, args) => {
    const task = args.task ?? requireTask(context.identity, 'raise_blocker');
    const session = await context.session();
    const { result, alert, notified } = await sendAs(session, {
      type: 'BLOCKER_ALERT',
      to: 'orchestrator',
      payload: { task, reason: args.reason },
    });
    return {
      task,
      blocked: true,
      message: result.ids[0] ?? null,
      duplicate: result.duplicate,
      alert: alert ?? null,
      ...(notified ? { notified } : {}),
    };
  },
);
