import type { StoredEvent } from '../../store/events.js';

const short = (commit: string) => commit.slice(0, 10);

/** One line of plain text per journaled event, for the activity feed (rendered as text, never HTML). */
export function describeEvent(event: StoredEvent): string {
  switch (event.type) {
    case 'milestone.planned':
      return `planned ${event.tasks.length} tasks: ${event.title}`;
    case 'milestone.branched':
      return `branch ${event.branch} created at ${short(event.start)}`;
    case 'run.started':
      return `run ${event.run} started (pid ${event.pid}, concurrency ${event.concurrency})`;
    case 'run.ended':
      return `run ${event.run} ended: ${event.state}`;
    case 'run.health':
      return `run health: level ${event.level}, score ${event.score}${event.reason ? ` (${event.reason})` : ''}`;
    case 'task.state':
      return `${event.task} is ${event.state}${event.reason ? `: ${event.reason}` : ''}`;
    case 'task.requeued':
      return `${event.task} requeued (${event.start}): ${event.reason}`;
    case 'task.rebalanced':
      return `${event.task} moved from ${event.from} to ${event.to} (${event.from} ${event.why === 'circuit-open' ? 'circuit open' : 'at its limit'})`;
    case 'attempt.started':
      return `${event.task} attempt ${event.attempt} started with ${event.agent}`;
    case 'attempt.pid':
      return `${event.task} attempt ${event.attempt} runs as pid ${event.pid}`;
    case 'attempt.checking':
      return `${event.task} attempt ${event.attempt} committed ${short(event.head)}; checking`;
    case 'attempt.ended': {
      const how = event.exitCode !== null ? `exit ${event.exitCode}` : (event.signal ?? 'no exit code');
      return `${event.task} attempt ${event.attempt} ${event.outcome} (${how})${event.reason ? `: ${event.reason}` : ''}`;
    }
    case 'phase.started':
      return `${event.task} attempt ${event.attempt} phase ${event.phase}${event.round > 1 ? ` (round ${event.round})` : ''} started with ${event.agent}`;
    case 'phase.ended':
      return `${event.task} attempt ${event.attempt} phase ${event.phase} ${event.outcome}${event.reason ? `: ${event.reason.split('\n')[0]}` : ''}`;
    case 'task.merged':
      return `${event.task} merged as ${short(event.commit)}`;
    case 'milestone.landed':
      return `landed as ${short(event.commit)}`;
    case 'commit.recorded':
      return `commit ${short(event.commit)} on ${event.branch}${event.task ? ` (${event.task})` : ''}`;
    case 'task.activity': {
      const outside = event.outOfScope ? `; outside its scope: ${event.outOfScope.join(', ')}` : '';
      const into = (event.intrusions ?? [])
        .map((i) => `; in ${i.task}'s scope: ${i.paths.join(', ')}`)
        .join('');
      return `${event.task} attempt ${event.attempt}: ${event.files} files changed, significance ${event.significance}${outside}${into}`;
    }
    case 'progress.snapshot':
      return `progress ${event.overall === null ? 'no data' : `${Math.round(event.overall * 100)}%`}`;
    default: {
      // Events a newer Cairn journals: show their type rather than failing.
      const unknown = event as { type: string };
      return unknown.type;
    }
  }
}
