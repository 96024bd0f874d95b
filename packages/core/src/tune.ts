/** A point of the tuning search. */
export interface TunePoint {
  batch: number;
  threads: number;
  concurrency: number;
}

/** A measured point: throughput and p99 latency of one run (ms). */
export interface TuneMeasurement extends TunePoint {
  itemsPerSecond: number;
  p99Ms: number;
  withinBudget: boolean;
}

/**
 * The highest-throughput batch × threads × concurrency whose p99 latency meets the budget. For
 * each threads × concurrency, batch sizes are tried in increasing order until one breaks the
 * budget (latency grows with batch, so larger ones would too). Every measurement is returned
 * as the evidence for the recommendation.
 */
export async function tune(
  evaluate: (point: TunePoint) => Promise<{ itemsPerSecond: number; p99Ms: number }>,
  space: { batches: readonly number[]; threads: readonly number[]; concurrencies: readonly number[]; latencyBudgetMs: number },
): Promise<{ best: TuneMeasurement | undefined; evidence: TuneMeasurement[] }> {
  const evidence: TuneMeasurement[] = [];
  const batches = [...space.batches].sort((a, b) => a - b);
  for (const threads of space.threads) {
    for (const concurrency of space.concurrencies) {
      for (const batch of batches) {
        const measured = await evaluate({ batch, threads, concurrency });
        const row = { batch, threads, concurrency, ...measured, withinBudget: measured.p99Ms <= space.latencyBudgetMs };
        evidence.push(row);
        if (!row.withinBudget) break;
      }
    }
  }
  const best = evidence.filter((row) => row.withinBudget).sort((a, b) => b.itemsPerSecond - a.itemsPerSecond)[0];
  return { best, evidence };
}
