import type { PairedComparison, ResultsDocument } from '@ortbench/core';
import { describeRatio } from '@ortbench/core';

const AXIS_NAMES: Record<string, string> = { batch: 'batch', seq: 'seq', runner: '', model: '', threads: 'threads' };

/** The baseline in words: `batch 1`, `node-cpu`, `precision fp32`. */
export function baselineName(comparison: Pick<PairedComparison, 'axis' | 'baselineValue'>): string {
  const axis = AXIS_NAMES[comparison.axis] ?? comparison.axis.replace(/^opt\./, '');
  return axis ? `${axis} ${comparison.baselineValue}` : comparison.baselineValue;
}

/** One comparison as a cell shows it: `1.07× faster (1.06–1.08) than batch 1` / `same within ±0.8 % as fp32`. */
export function comparisonText(comparison: PairedComparison): string {
  const words = describeRatio(comparison);
  return `${words} ${words.startsWith('same') ? 'as' : 'than'} ${baselineName(comparison)}`;
}

/** The comparison with what it rests on, for the notes: pairs, pairs left out, and the order effect when it shows. */
export function comparisonDetail(comparison: PairedComparison): string {
  const parts = [`${comparison.pairs} pairs`];
  if (comparison.excluded > 0) parts.push(`${comparison.excluded} left out as a speed change within the pair`);
  if (comparison.orderEffect !== undefined && Math.abs(Math.log(comparison.orderEffect)) > 0.02) {
    parts.push(`order effect ${comparison.orderEffect.toFixed(3)} (the run after a switch is slower: the ratio is the balanced mean of both orders)`);
  }
  return `per item vs ${baselineName(comparison)}: ${comparison.ratio.toFixed(3)}× the time, 95 % CI ${comparison.lower.toFixed(3)}–${comparison.upper.toFixed(3)} (${parts.join(', ')})`;
}

/**
 * What a reader must know about how a document's configurations shared the machine: alternated
 * run by run (and with ORT's spinning off), or in slices; one line, or none.
 */
export function alternationLines(document: ResultsDocument): string[] {
  const measured = document.results.flatMap((r) => (r.status === 'completed' ? [r.measurement] : []));
  const byRuns = measured.filter((m) => m.alternation?.mode === 'runs');
  const lines: string[] = [];
  if (byRuns.length > 0) {
    const spinningOff = byRuns.some((m) => m.session.settings.allowSpinning === false);
    lines.push(
      `${byRuns.length} configurations were alternated run by run, so a change of the machine's speed falls on all alike; ratios are per item, from runs taken in the same rounds (Hodges–Lehmann, 95 % Wilcoxon CI).` +
        (spinningOff ? " ONNX Runtime's thread spinning was off for them (an idle session's spinning pool would slow the next run of another): absolute latencies are those of non-spinning sessions; a session alone with ORT's default spinning can be faster with several threads." : ''),
    );
  }
  const reasons = [...new Set(measured.flatMap((m) => (m.alternation?.reason ? [m.alternation.reason] : [])))];
  for (const reason of reasons) lines.push(`Not alternated run by run: ${reason}.`);
  const shared = measured.filter((m) => m.memory?.shared).length;
  if (shared > 0) {
    lines.push(`Memory is not reported per configuration for ${shared} configuration(s): they shared one process with the sessions alternated with them loaded, so its figures are the group's (kept in results.json with the reason); --isolate measures each alone.`);
  }
  return lines;
}
