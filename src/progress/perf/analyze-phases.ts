import type { StoredEvent } from '../../store/events.js';

export const PHASES = ['queue', 'setup', 'agent', 'commit', 'acceptance', 'merge wait', 'merge'] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseFigures {
  phase: Phase;
  total_s: number;
  mean_s: number;
  p90_s: number;
  /** Share of all measured task time. */
  share: number;
  samples: number;
}

export interface ProfileFigures {
  agent: string;
  attempts: number;
  failed: number;
  /** Mean seconds per attempt in each phase the profile's attempts reached. */
  mean_s: Partial<Record<Phase, number>>;
}

export interface PerfRecommendation {
  rule: string;
  message: string;
  numbers: Record<string, number | string>;
}

export interface PerfReport {
  milestone: string;
  attempts: number;
  merges: number;
  phases: PhaseFigures[];
  profiles: ProfileFigures[];
  bottleneck: { phase: Phase; share: number; evidence: string } | null;
  recommendations: PerfRecommendation[];
}

const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

function p90(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))] ?? 0;
}

/** Thresholds of the recommendation rules (docs/perf.md). */
export const RULES = {
  queue: 0.3,
  setup: 0.25,
  acceptance: 0.35,
  mergeWait: 0.2,
  slowProfile: 1.5,
} as const;

/**
 * Where a milestone's time went, from the phase times its journal holds: `attempt.started`
 * (queue wait), `attempt.ended` (setup, agent, commit, acceptance) and `task.merged` (merge wait,
 * merge). Pure, so each rule is tested on hand-made journals.
 */
export function analyzePhases(milestone: string, events: StoredEvent[], concurrency: number): PerfReport {
  const samples = new Map<Phase, number[]>(PHASES.map((phase) => [phase, []]));
  const add = (phase: Phase, ms: number | undefined) => {
    if (ms !== undefined && Number.isFinite(ms) && ms >= 0) samples.get(phase)!.push(ms / 1000);
  };
  const agentOf = new Map<string, string>();
  const profiles = new Map<string, { attempts: number; failed: number; sums: Map<Phase, number[]> }>();
  const profile = (agent: string) => {
    let entry = profiles.get(agent);
    if (!entry) profiles.set(agent, (entry = { attempts: 0, failed: 0, sums: new Map() }));
    return entry;
  };
  let attempts = 0;
  let merges = 0;
  for (const event of events) {
    if (event.type === 'attempt.started') {
      agentOf.set(`${event.task}#${event.attempt}`, event.agent);
      add('queue', event.queuedMs);
    } else if (event.type === 'attempt.ended' && event.phases) {
      attempts++;
      const agent = agentOf.get(`${event.task}#${event.attempt}`) ?? 'unknown';
      const entry = profile(agent);
      entry.attempts++;
      if (event.outcome === 'failed') entry.failed++;
      for (const phase of ['setup', 'agent', 'commit', 'acceptance'] as const) {
        const ms = event.phases[phase];
        add(phase, ms);
        if (ms !== undefined) entry.sums.set(phase, [...(entry.sums.get(phase) ?? []), ms / 1000]);
      }
    } else if (event.type === 'task.merged') {
      merges++;
      add('merge wait', event.mergeWaitMs);
      add('merge', event.mergeMs);
    }
  }
  const total = PHASES.reduce((sum, phase) => sum + samples.get(phase)!.reduce((a, b) => a + b, 0), 0);
  const phases: PhaseFigures[] = PHASES.map((phase) => {
    const values = samples.get(phase)!;
    const sum = values.reduce((a, b) => a + b, 0);
    return {
      phase,
      total_s: round(sum),
      mean_s: values.length ? round(sum / values.length, 3) : 0,
      p90_s: round(p90(values), 3),
      share: total > 0 ? round(sum / total, 3) : 0,
      samples: values.length,
    };
  });
  const top = [...phases].sort((a, b) => b.share - a.share)[0];
  const bottleneck =
    top && top.share > 0
      ? {
          phase: top.phase,
          share: top.share,
          evidence: `${top.phase} is ${Math.round(top.share * 100)}% of task time (${top.total_s} s over ${top.samples} samples, p90 ${top.p90_s} s)`,
        }
      : null;
  const profileFigures: ProfileFigures[] = [...profiles].map(([agent, entry]) => ({
    agent,
    attempts: entry.attempts,
    failed: entry.failed,
    mean_s: Object.fromEntries(
      [...entry.sums].map(([phase, values]) => [
        phase,
        round(values.reduce((a, b) => a + b, 0) / values.length, 3),
      ]),
    ),
  }));
  return {
    milestone,
    attempts,
    merges,
    phases,
    profiles: profileFigures.sort((a, b) => a.agent.localeCompare(b.agent)),
    bottleneck,
    recommendations: recommend(phases, profileFigures, concurrency),
  };
}

function recommend(
  phases: PhaseFigures[],
  profiles: ProfileFigures[],
  concurrency: number,
): PerfRecommendation[] {
  const share = (phase: Phase) => phases.find((p) => p.phase === phase)?.share ?? 0;
  const out: PerfRecommendation[] = [];
  const pct = (value: number) => `${Math.round(value * 100)}%`;
  if (share('queue') > RULES.queue) {
    out.push({
      rule: 'queue-wait',
      message: `tasks wait for a free agent slot ${pct(share('queue'))} of task time (rule: > ${pct(RULES.queue)}): raise --concurrency above ${concurrency} if CPU and memory allow, or let cairn run --auto-tune find it`,
      numbers: { queue_share: share('queue'), concurrency },
    });
  }
  if (share('setup') > RULES.setup) {
    out.push({
      rule: 'setup',
      message: `worktree setup is ${pct(share('setup'))} of task time (rule: > ${pct(RULES.setup)}): cache what setup builds (workspace.cache) or copy it in instead`,
      numbers: { setup_share: share('setup') },
    });
  }
  if (share('acceptance') > RULES.acceptance) {
    out.push({
      rule: 'acceptance',
      message: `acceptance checks are ${pct(share('acceptance'))} of task time (rule: > ${pct(RULES.acceptance)}): narrow each task's acceptance to its scope and leave the full suite to integration`,
      numbers: { acceptance_share: share('acceptance') },
    });
  }
  const mergeShare = share('merge wait') + share('merge');
  if (mergeShare > RULES.mergeWait) {
    out.push({
      rule: 'merge-queue',
      message: `the merge queue (waiting and merging, rebases and re-checks included) is ${pct(mergeShare)} of task time (rule: > ${pct(RULES.mergeWait)}): merges run one at a time, so tasks whose files overlap conflict and re-check there; keep scopes apart (cairn plan shows overlaps)`,
      numbers: { merge_wait_share: share('merge wait'), merge_share: share('merge') },
    });
  }
  const withAgent = profiles.filter((p) => p.mean_s.agent !== undefined && p.attempts >= 2);
  if (withAgent.length >= 2) {
    const sorted = [...withAgent].sort((a, b) => a.mean_s.agent! - b.mean_s.agent!);
    const fast = sorted[0]!;
    const slow = sorted[sorted.length - 1]!;
    if (fast.mean_s.agent! > 0 && slow.mean_s.agent! / fast.mean_s.agent! > RULES.slowProfile) {
      out.push({
        rule: 'slow-profile',
        message: `agent profile ${slow.agent} takes ${round(slow.mean_s.agent! / fast.mean_s.agent!, 1)}x as long per attempt as ${fast.agent} (rule: > ${RULES.slowProfile}x): give it fewer or smaller tasks`,
        numbers: {
          slow: slow.agent,
          slow_mean_s: slow.mean_s.agent!,
          fast: fast.agent,
          fast_mean_s: fast.mean_s.agent!,
        },
      });
    }
  }
  return out;
}
