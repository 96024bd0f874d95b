import { readFile } from 'node:fs/promises';
import type { ProfileSummary } from '@ortbench/core';

interface ProfileEvent {
  cat?: string;
  name?: string;
  ts?: number;
  dur?: number;
  args?: { op_name?: string };
}

/**
 * Summarises an ONNX Runtime JSON profile (Chrome trace events) as time per operator type,
 * from the `Node` events of kernel execution, most expensive first. The first run is left out
 * when later ones exist: it is cold (allocations, first-touch pages), timed apart by the engine.
 */
export function summariseOrtProfile(events: readonly ProfileEvent[], top = 10): Omit<ProfileSummary, 'file'> {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run' && typeof e.ts === 'number').sort((a, b) => a.ts! - b.ts!);
  const warmFrom = runs.length > 1 ? runs[0]!.ts! + (runs[0]!.dur ?? 0) : Number.NEGATIVE_INFINITY;
  const byOp = new Map<string, { totalUs: number; calls: number }>();
  let totalUs = 0;
  for (const event of events) {
    if (event.cat !== 'Node' || !event.name?.endsWith('_kernel_time') || typeof event.dur !== 'number') continue;
    if (typeof event.ts === 'number' && event.ts < warmFrom) continue;
    const op = event.args?.op_name ?? 'unknown';
    const entry = byOp.get(op) ?? { totalUs: 0, calls: 0 };
    entry.totalUs += event.dur;
    entry.calls++;
    byOp.set(op, entry);
    totalUs += event.dur;
  }
  const topOps = [...byOp.entries()]
    .sort(([, a], [, b]) => b.totalUs - a.totalUs)
    .slice(0, top)
    .map(([op, { totalUs: us, calls }]) => ({ op, totalMs: us / 1000, percent: totalUs === 0 ? 0 : (us / totalUs) * 100, calls }));
  return { totalMs: totalUs / 1000, topOps };
}

/** Reads and summarises a profile file ORT wrote. */
export async function readOrtProfile(file: string): Promise<ProfileSummary> {
  const events = JSON.parse(await readFile(file, 'utf8')) as ProfileEvent[];
  return { file, ...summariseOrtProfile(events) };
}
