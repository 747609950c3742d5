/**
 * What the dashboard's server sends its page, as JSON: types only, shared by the server
 * (src/ui/web) and the browser client (src/ui/web/client).
 */

export type TaskStateName =
  'pending' | 'ready' | 'running' | 'merging' | 'done' | 'failed' | 'blocked' | 'skipped';

export interface MilestoneSummary {
  id: string;
  title: string;
  branch: string;
  state: string;
  tasks: number;
  done: number;
  /** Task counts by state. */
  states: Partial<Record<TaskStateName, number>>;
  /** A run holds the milestone now. */
  live: boolean;
}

export interface TaskView {
  id: string;
  title: string;
  state: TaskStateName;
  attempts: number;
  agent: string;
  reason: string | null;
  blocked_by: string | null;
  merge_commit: string | null;
  depends_on: string[];
  weight: number;
  updated_at: string | null;
}

export interface AttemptView {
  task: string;
  attempt: number;
  run: string;
  agent: string;
  /** `running` while not ended (or `abandoned` when its run is gone). */
  state: string;
  exit_code: number | null;
  signal: string | null;
  reason: string | null;
  started_at: string;
  ended_at: string | null;
}

export interface AgentView {
  agent: string;
  running: number;
  output_age_s: number | null;
  succeeded: number;
  failed: number;
  interrupted: number;
  recent: string[];
}

export interface AlertView {
  level: 'error' | 'warning';
  task: string | null;
  message: string;
}

export interface RunView {
  id: string;
  state: string;
  level: string;
  score: number | null;
  warnings: string[];
  started_at: string;
  ended_at: string | null;
}

/** One journaled event, summarised for the activity feed. */
export interface FeedEvent {
  seq: number;
  at: string;
  type: string;
  task: string | null;
  text: string;
}

export interface MilestoneHeader {
  id: string;
  title: string;
  branch: string;
  base: string;
  state: string;
  live: boolean;
  run: RunView | null;
  /** The last journal event the view includes. */
  seq: number;
}

export interface MilestoneView {
  header: MilestoneHeader;
  tasks: TaskView[];
  attempts: AttemptView[];
  agents: AgentView[];
  alerts: AlertView[];
  feed: FeedEvent[];
}

/** What changed in a milestone view since the last message: changed rows only. */
export interface MilestonePatch {
  header: MilestoneHeader;
  tasks: TaskView[];
  attempts: AttemptView[];
  agents: AgentView[];
  alerts: AlertView[];
  feed: FeedEvent[];
}

export interface DimensionView {
  value: number | null;
  explanation: string;
}

export interface ProgressView {
  at: string;
  overall: number | null;
  confidence: number;
  dimensions: Record<string, DimensionView>;
  velocity: { per_hour: number | null; trend: string; explanation: string };
  forecast: { p50_at: string | null; p90_at: string | null; explanation: string };
  critical_path: string[];
  recommendations: string[];
  risks: string[];
  burn_up: { at: string; merged_weight: number; scope_weight: number }[];
  /** Overall figure over time, from the journaled snapshots. */
  history: { at: string; overall: number | null }[];
  /** Commits on the milestone branch per hour (non-merge), oldest first. */
  commits: { hour: string; commits: number; merges: number }[];
  frequency: { pattern: string; commits: number; agents: Record<string, string> };
}

export interface MessageView {
  id: number;
  type: string;
  sender: string;
  address: string;
  recipient: string;
  state: string;
  attempts: number;
  sent_at: string;
  /** The payload as JSON text (shown as text). */
  payload: string;
  error: string | null;
}

export interface ContextKeyView {
  key: string;
  /** null: a milestone-wide key. */
  task: string | null;
  version: number;
  value: string;
  conflict: boolean;
  updated_at: string;
}

/** The task's side of the message bus and shared context, read-only. */
export interface MessagesView {
  available: boolean;
  note: string;
  inbox: MessageView[];
  dead: MessageView[];
  context: ContextKeyView[];
}

export interface TaskDetail {
  milestone: string;
  task: TaskView;
  dependents: string[];
  attempts: AttemptView[];
  diff: { ref: string | null; files: { file: string; added: number; deleted: number }[]; note: string };
  messages: MessagesView;
}

export type ActionName = 'retry' | 'skip' | 'unblock' | 'land' | 'run';

export interface ActionResult {
  ok: boolean;
  message: string;
  hint?: string;
  job?: JobView;
}

export interface JobView {
  id: string;
  action: ActionName;
  milestone: string;
  state: 'running' | 'succeeded' | 'failed';
  exit_code: number | null;
  output: string;
}
