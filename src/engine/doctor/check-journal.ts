import path from 'node:path';
import type { Store } from '../../store/types.js';
import type { MilestonesInGit } from './milestones.js';
import { syncEvents } from './sync-events.js';
import { finding, type Finding } from './types.js';

/**
 * Does the journal know what git shows? A milestone branch with Cairn merges that the journal
 * lacks means lost state (a removed log, a replaced file); merges it has not recorded yet are
 * what a crash between merge and journal leaves, and what `cairn run` reconciles on start.
 */
export function checkJournal(store: Store, inGit: MilestonesInGit, liveMilestones: Set<string>): Finding[] {
  const findings: Finding[] = inGit.unreadable.map(({ file, reason }) =>
    finding(
      'journal',
      'warn',
      `cannot read ${path.basename(file)} (${reason}); its milestone is not compared with git`,
      'Fix the spec; `cairn validate` lists the problems.',
    ),
  );
  let inStep = 0;
  for (const milestone of inGit.milestones) {
    const history = milestone.history;
    if (!history) continue;
    const row = store.milestone(milestone.id);
    if (row && row.branch !== history.branch) continue;
    if (liveMilestones.has(milestone.id)) {
      inStep++;
      continue;
    }
    const plan = syncEvents(milestone, { row, tasks: row ? store.tasks(milestone.id) : [] });
    const repair = { kind: 'sync-milestone', milestone: milestone.id } as const;
    if (!row) {
      findings.push(
        finding(
          'journal',
          history.merges.length > 0 || history.landed ? 'error' : 'warn',
          `the journal does not know milestone ${milestone.id}, but git has its branch ${history.branch} with ${history.merges.length} merged task(s): state was lost`,
          '`cairn doctor --repair` adds it from git: merged tasks done, the others pending.',
          repair,
        ),
      );
    } else if (plan.merged.length > 0 || plan.landed) {
      const parts = [
        ...(plan.merged.length > 0 ? [`task(s) ${plan.merged.join(', ')} merged on ${history.branch}`] : []),
        ...(plan.landed ? [`the landing on ${milestone.base}`] : []),
      ];
      findings.push(
        finding(
          'journal',
          'warn',
          `the journal of milestone ${milestone.id} is behind git: it lacks ${parts.join(' and ')}`,
          `\`cairn run ${milestone.id}\` reconciles this when it starts; \`cairn doctor --repair\` records it now.`,
          repair,
        ),
      );
    } else inStep++;
  }
  if (inStep > 0 || findings.length === 0) {
    findings.unshift(
      finding('journal', 'ok', `the journal agrees with git for ${inStep} milestone(s) that have a branch`),
    );
  }
  return findings;
}

/** Do the projections (the tables status and run read) equal a replay of the journal? */
export function checkProjections(store: Store): Finding[] {
  const diffs = store.projectionDiff();
  if (diffs.length === 0) return [finding('journal', 'ok', 'the projections equal a replay of the journal')];
  const shown = diffs.slice(0, 3).join('; ');
  return [
    finding(
      'journal',
      'error',
      `the projections differ from a replay of the journal in ${diffs.length} place(s): ${shown}${diffs.length > 3 ? '; …' : ''}`,
      '`cairn doctor --repair` rebuilds them from the journal, which is the record of truth.',
      { kind: 'rebuild-projections' },
    ),
  ];
}
