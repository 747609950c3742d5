export type {
  AgentProfileSpec,
  CairnConfig,
  LoadResult,
  MilestoneSpec,
  Problem,
  SourcePosition,
  TaskSpec,
  WorkspaceSpec,
} from './types.js';
export { parseMilestoneSpec } from './parse-milestone.js';
export type { ParseMilestoneOptions } from './parse-milestone.js';
export { parseConfig } from './parse-config.js';
export { milestoneJsonSchema } from './json-schema.js';
export { scaffoldMilestone } from './scaffold.js';
export type { ScaffoldOptions } from './scaffold.js';
export { criticalPath, dependentsOf, planWaves, rankByCriticality } from './dag.js';
export type { CostFn, DagNode } from './dag.js';
export { findCycles, formatCycle } from './cycles.js';
export { matchesAnyGlob } from './glob.js';
export { keptApart, scopesOverlap } from './overlap.js';
export { hotFiles, keptApartWithHistory, type ApartPair, type HotFile } from './hot-dirs.js';
export { closestName } from './names.js';
export { parseDuration } from './duration.js';
export { parseSize } from './size.js';
export { hasWorkspaceWork, resolveWorkspace } from './workspace.js';
export type { Workspace } from './workspace.js';
export { repoPathProblem } from './repo-path.js';
export { isSafeMilestoneId, isSafeTaskId, slugify } from './ids.js';
export {
  COMMIT_STRATEGIES,
  CONFIG_DEFAULTS,
  DEFAULT_COMMIT_EVERY_MS,
  DEFAULT_MAX_REVIEW_ROUNDS,
  TASK_TYPES,
} from './keys.js';
