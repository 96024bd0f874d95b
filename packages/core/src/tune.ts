/** A point of the tuning search. */
export interface TunePoint {
  batch: number;
  threads: number;
  concurrency: number;
}

/** What one point measured: throughput with its 95 % interval, and the latency percentile judged against the budget. */
export interface TuneEvaluation {
  itemsPerSecond: number;
  itemsPerSecondLower: number;
  itemsPerSecondUpper: number;
  /** The judged latency percentile (ms). */
  latencyMs: number;
  /** The most memory the point needed, bytes (judged against a memory budget when there is one). */
  peakBytes?: number;
}

/** A measured point. */
export interface TuneMeasurement extends TunePoint, TuneEvaluation {
  withinBudget: boolean;
  /** Why it is not within budget: the latency, the memory, or memory not measured under a memory budget. */
  overBudget?: 'latency' | 'memory' | 'memory not measured';
}

/** What {@link tune} recommends, and how sure it is. */
export interface TuneOutcome {
  /**
   * The recommendation: the highest throughput within the budget — or, when other points'
   * intervals overlap its own (a tie), the simplest of the tied ones (fewest runs in flight,
   * then fewest threads, then the smallest batch).
   */
  best: TuneMeasurement | undefined;
  /** Points within the budget whose throughput cannot be told apart from the best's. */
  ties: TuneMeasurement[];
  evidence: TuneMeasurement[];
}

/** What a point breaks, if anything: a memory budget is met only by a point whose memory was measured. */
function judge(measured: TuneEvaluation, space: { latencyBudgetMs: number; memoryBudgetBytes?: number }): TuneMeasurement['overBudget'] {
  if (measured.latencyMs > space.latencyBudgetMs) return 'latency';
  if (space.memoryBudgetBytes === undefined) return undefined;
  if (measured.peakBytes === undefined) return 'memory not measured';
  return measured.peakBytes > space.memoryBudgetBytes ? 'memory' : undefined;
}

/**
 * Searches batch × threads × concurrency for the highest throughput whose latency percentile
 * meets the budget. For each threads × concurrency, batch sizes are tried in increasing order
 * until one breaks the budget (latency grows with batch, so larger ones would too). A point is
 * recommended over another only when it beats it beyond both intervals; otherwise they tie.
 */
export async function tune(
  evaluate: (point: TunePoint) => Promise<TuneEvaluation>,
  space: { batches: readonly number[]; threads: readonly number[]; concurrencies: readonly number[]; latencyBudgetMs: number; memoryBudgetBytes?: number },
): Promise<TuneOutcome> {
  const evidence: TuneMeasurement[] = [];
  const batches = [...space.batches].sort((a, b) => a - b);
  for (const threads of space.threads) {
    for (const concurrency of space.concurrencies) {
      for (const batch of batches) {
        const measured = await evaluate({ batch, threads, concurrency });
        const overBudget = judge(measured, space);
        const row: TuneMeasurement = { batch, threads, concurrency, ...measured, withinBudget: overBudget === undefined, ...(overBudget ? { overBudget } : {}) };
        evidence.push(row);
        // Latency and memory both grow with the batch: a larger one would break the budget too.
        if (!row.withinBudget) break;
      }
    }
  }
  const within = evidence.filter((row) => row.withinBudget).sort((a, b) => b.itemsPerSecond - a.itemsPerSecond);
  const top = within[0];
  if (!top) return { best: undefined, ties: [], evidence };
  const tied = within.filter((row) => row.itemsPerSecondUpper >= top.itemsPerSecondLower);
  const simplest = [...tied].sort((a, b) => a.concurrency - b.concurrency || a.threads - b.threads || a.batch - b.batch)[0]!;
  return { best: simplest, ties: tied.filter((row) => row !== simplest), evidence };
}
