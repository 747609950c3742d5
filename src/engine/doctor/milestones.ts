import path from 'node:path';
import { definitionOf } from '../definition.js';
import { checkConfig, listSpecFiles, readSpecFile } from '../load.js';
import { agentNameOf } from '../run-context.js';
import { readMilestoneHistory, type BranchHistory } from './git-history.js';

/** A milestone as its spec plans it and as git records it: what a rebuild needs. */
export interface MilestoneInGit {
  id: string;
  title: string;
  base: string;
  specFile: string;
  tasks: { id: string; title: string; agent: string; definition?: string }[];
  /** Undefined when no milestone branch exists: the milestone never ran. */
  history: BranchHistory | undefined;
  /** Other `milestone/<id>-*` branches with merges of this milestone (a renamed title). */
  otherBranches: string[];
}

export interface MilestonesInGit {
  milestones: MilestoneInGit[];
  /** Specs that could not be read; those milestones cannot be rebuilt until they are fixed. */
  unreadable: { file: string; reason: string }[];
}

/** Reads every spec in `.milestones/` and what git holds for it. */
export async function readMilestonesInGit(root: string): Promise<MilestonesInGit> {
  const files = listSpecFiles(root);
  const { config, problems } = checkConfig(root);
  if (!config) {
    const reason = `.cairn/config.yaml has ${problems.length} problem(s); run \`cairn validate\``;
    return { milestones: [], unreadable: files.map((file) => ({ file, reason })) };
  }
  const milestones: MilestoneInGit[] = [];
  const unreadable: MilestonesInGit['unreadable'] = [];
  for (const file of files) {
    let result;
    try {
      result = readSpecFile(file, config);
    } catch (error) {
      unreadable.push({ file, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    if (!result.ok) {
      const reason = `${result.problems.length} problem(s); run \`cairn validate ${path.basename(file)}\``;
      unreadable.push({ file, reason });
      continue;
    }
    const spec = result.value;
    const { history, others } = await readMilestoneHistory(root, spec);
    milestones.push({
      id: spec.id,
      title: spec.title,
      base: spec.base,
      specFile: spec.file,
      tasks: spec.tasks.map((task) => ({
        id: task.id,
        title: task.title,
        agent: agentNameOf({ config }, task),
        // A rebuilt task keeps the definition it is judged by, so later spec edits still show.
        definition: definitionOf(task),
      })),
      history,
      otherBranches: others,
    });
  }
  return { milestones, unreadable };
}
