/** What a pipelined run measured. */
export interface PipelineResult {
  items: number;
  wallMs: number;
  itemsPerSecond: number;
}

/**
 * Runs `consume` over `count` stages while `produce` prepares the next ones (up to `depth`
 * ahead), so, for example, decoding batch k+1 overlaps inference of batch k.
 */
export async function pipelined<T>(
  count: number,
  produce: (index: number) => Promise<T>,
  consume: (item: T, index: number) => Promise<void>,
  options: { depth?: number; itemsPerStage?: (index: number) => number } = {},
): Promise<PipelineResult> {
  const depth = Math.max(1, options.depth ?? 1);
  const start = performance.now();
  const ahead: Promise<T>[] = [];
  let next = 0;
  const fill = () => {
    while (next < count && ahead.length < depth) {
      const item = produce(next++);
      // Awaited in turn below; until then a rejection must not count as unhandled (it ended the process).
      item.catch(() => {});
      ahead.push(item);
    }
  };
  fill();
  let items = 0;
  for (let index = 0; index < count; index++) {
    const item = await (ahead.shift() as Promise<T>);
    fill();
    await consume(item, index);
    items += options.itemsPerStage?.(index) ?? 1;
  }
  const wallMs = performance.now() - start;
  return { items, wallMs, itemsPerSecond: wallMs > 0 ? (items / wallMs) * 1000 : 0 };
}
