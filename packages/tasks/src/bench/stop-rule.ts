import type { StopRule } from '@ortbench/core';
import { fixedDuration, fixedIterations } from '@ortbench/core';
import type { BenchOptions } from './options';

/** The steady-state rule the options ask for: a fixed count or time, or the precision target with its cap. */
export function stopRuleOf(options: Pick<BenchOptions, 'iterations' | 'duration' | 'ciTarget' | 'maxDuration'>): Partial<StopRule> {
  if (options.iterations !== undefined && options.duration !== undefined) {
    return { minIterations: options.iterations, minDurationMs: options.duration * 1000, maxIterations: Number.POSITIVE_INFINITY, maxDurationMs: Number.POSITIVE_INFINITY, ciTarget: 0 };
  }
  if (options.iterations !== undefined) return fixedIterations(options.iterations);
  if (options.duration !== undefined) return fixedDuration(options.duration * 1000);
  return { ciTarget: options.ciTarget, maxDurationMs: options.maxDuration * 1000 };
}
