import { frequencyOf } from './analyze/frequency.js';
import { allDimensions } from './dimensions.js';
import { bottlenecksOf } from './insights/bottlenecks.js';
import { forecastOf } from './insights/forecast.js';
import { recommendationsOf } from './insights/recommendations.js';
import { velocityOf } from './insights/velocity.js';
import { confidenceOf, overallOf } from './overall.js';
import type { ProgressInput, ProgressReport } from './types.js';

/** Every figure of `cairn progress` from its inputs; pure, so each formula is tested on hand-made data. */
export function computeProgress(input: ProgressInput): ProgressReport {
  const dimensions = allDimensions(input);
  const { confidence, inputs } = confidenceOf(input, dimensions);
  const velocity = velocityOf(input);
  const forecast = forecastOf(input);
  const bottlenecks = bottlenecksOf(input);
  const taskCommits = input.commits.filter((c) => !c.merge);
  const agents: Record<string, number[]> = {};
  for (const commit of taskCommits) if (commit.agent) (agents[commit.agent] ??= []).push(commit.time);
  return {
    milestone: input.milestone,
    at: new Date(input.nowMs).toISOString(),
    overall: overallOf(dimensions),
    confidence,
    confidence_inputs: inputs,
    dimensions,
    insights: {
      velocity,
      forecast,
      bottlenecks,
      recommendations: recommendationsOf(input, dimensions, velocity, forecast, bottlenecks),
    },
    frequency: {
      milestone: frequencyOf(taskCommits.map((c) => c.time)),
      agents: Object.fromEntries(Object.entries(agents).map(([agent, times]) => [agent, frequencyOf(times)])),
    },
  };
}
