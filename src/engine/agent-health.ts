import { statSync } from 'node:fs';
import type { AttemptRow } from '../store/types.js';

/** How one agent profile is doing: what runs now, how recently it spoke, how its attempts ended. */
export interface AgentHealth {
  agent: string;
  running: number;
  /** Seconds since the quietest running attempt last wrote to its log; null when none runs. */
  output_age_s: number | null;
  succeeded: number;
  failed: number;
  interrupted: number;
  /** Outcomes of the most recent finished attempts, newest last: `ok`, `failed`, `interrupted`. */
  recent: string[];
}

const RECENT = 10;

function logAgeSeconds(file: string, nowMs: number): number | null {
  try {
    return Math.max(0, Math.round((nowMs - statSync(file).mtimeMs) / 1000));
  } catch {
    return null;
  }
}

/**
 * Per agent profile, from the attempts of a milestone. `live`: a run holds the milestone now, so
 * unfinished attempts are running (otherwise they belong to a run that died, and count as nothing).
 */
export function agentHealth(attempts: AttemptRow[], live: boolean, nowMs = Date.now()): AgentHealth[] {
  const byAgent = new Map<string, AttemptRow[]>();
  for (const attempt of attempts)
    byAgent.set(attempt.agent, [...(byAgent.get(attempt.agent) ?? []), attempt]);
  return [...byAgent]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([agent, rows]) => {
      const running = live ? rows.filter((r) => r.ended_at === null) : [];
      const ages = running.flatMap((r) => {
        const age = logAgeSeconds(r.log_file, nowMs);
        return age === null ? [] : [age];
      });
      const finished = rows
        .filter((r) => r.ended_at !== null)
        .sort((a, b) => a.ended_at!.localeCompare(b.ended_at!));
      const count = (state: string) => finished.filter((r) => r.state === state).length;
      return {
        agent,
        running: running.length,
        output_age_s: ages.length > 0 ? Math.max(...ages) : null,
        succeeded: count('succeeded'),
        failed: count('failed'),
        interrupted: count('interrupted'),
        recent: finished.slice(-RECENT).map((r) => (r.state === 'succeeded' ? 'ok' : r.state)),
      };
    });
}

/** One line per agent for `cairn status`. */
export function agentHealthLine(health: AgentHealth): string {
  const now =
    health.running > 0
      ? `${health.running} running${health.output_age_s === null ? '' : ` (last output ${health.output_age_s} s ago)`}, `
      : '';
  const marks = health.recent.map((r) => (r === 'ok' ? '+' : r === 'failed' ? 'x' : '~')).join('');
  return `agent ${health.agent}: ${now}${health.succeeded} succeeded, ${health.failed} failed, ${health.interrupted} interrupted${marks ? ` · last ${health.recent.length}: ${marks}` : ''}`;
}
