import type { StoredEvent } from '../../store/events.js';

const short = (commit: string) => commit.slice(0, 8);

/** One line per event worth a timeline row; null for the ones that are noise there. */
export function describeEvent(event: StoredEvent): string | null {
  switch (event.type) {
    case 'milestone.planned':
      return `planned ${event.tasks.length} tasks`;
    case 'run.started':
      return `run ${event.run} started (concurrency ${event.concurrency})`;
    case 'run.ended':
      return `run ${event.run} ended: ${event.state}`;
    case 'run.health':
      return `run level ${event.level}, health ${event.score}${event.reason ? ` (${event.reason})` : ''}`;
    case 'task.state':
      return `${event.task} ${event.state}${event.reason ? `: ${event.reason}` : ''}`;
    case 'task.requeued':
      return `${event.task} requeued: ${event.reason}`;
    case 'attempt.started':
      return `${event.task} attempt ${event.attempt} started (${event.agent})`;
    case 'attempt.checking':
      return `${event.task} committed ${short(event.head)}, checking`;
    case 'attempt.ended':
      return `${event.task} attempt ${event.attempt} ${event.outcome}${event.reason ? `: ${event.reason}` : ''}`;
    case 'phase.started':
      return `${event.task} phase ${event.phase}${event.round > 1 ? ` (round ${event.round})` : ''} started (${event.agent})`;
    case 'phase.ended':
      return `${event.task} phase ${event.phase} ${event.outcome}${event.reason ? `: ${event.reason.split('\n')[0]}` : ''}`;
    case 'task.merged':
      return `${event.task} merged (${short(event.commit)})`;
    case 'milestone.landed':
      return `landed (${short(event.commit)})`;
    case 'commit.recorded':
      return `commit ${short(event.commit)} on ${event.branch}`;
    case 'task.activity':
      // Routine activity is noise on the timeline; a write outside the scope is not.
      return event.outOfScope
        ? `${event.task} wrote outside its scope: ${event.outOfScope.join(', ')}`
        : null;
    default:
      return null;
  }
}
