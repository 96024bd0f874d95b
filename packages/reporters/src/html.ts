import type { ResultsDocument } from '@ortbench/core';
import { chartSpecs } from './chart-options';
import { renderChartSvg } from './charts';
import { escapeHtml } from './escape';
import type { TableOptions } from './figures';
import { CELL_LEGEND, detailLines, formatPercentile, precisionLabel } from './figures';
import { fleetHeading, workerLines } from './fleet';
import { inputLines, modelNames } from './inputs-fed';
import { alternationLines } from './paired';
import { variantLines } from './variants';
import { buildSummaryTable } from './summary-table';

/**
 * One self-contained HTML file that opens offline: environment, summary table, per-configuration
 * details and the charts as inline SVG (rendered here, so the page needs no script). Every
 * string that comes from a model, a file name, a label or an error is escaped.
 */
export function renderHtml(document: ResultsDocument, title = `ortbench report${modelNames(document).length ? `: ${modelNames(document).join(', ')}` : ''}`, options: TableOptions = {}): string {
  const env = document.environment;
  const summary = buildSummaryTable(document, options);
  const charts = chartSpecs(document).map(
    (spec) => `<figure><figcaption>${escapeHtml(spec.title)}</figcaption>${renderChartSvg(spec)}</figure>`,
  );
  const rows = document.results.map((r) => {
    const notes = detailLines(r).map((line) => `<div${/^unstable/.test(line) ? ' class="warn"' : ''}>${escapeHtml(line)}</div>`).join('');
    const cells =
      r.status === 'completed'
        ? [
            r.measurement.session.executionProvider,
            `${fixed(r.measurement.latencyMs.median)} ${precisionLabel(r.measurement)}`,
            formatPercentile(r.measurement.latencyMs, 'p90'),
            formatPercentile(r.measurement.latencyMs, 'p99'),
            fixed(r.measurement.latencyMs.cv, 1),
            `${fixed(r.measurement.throughput.itemsPerSecond, 1)} (${r.measurement.throughput.basis === 'median latency' ? 'median' : 'wall'})`,
            fixed(r.measurement.throughput.wallItemsPerSecond, 1),
            `${r.measurement.phases.iterations}${r.measurement.rounds ? ` / ${r.measurement.rounds.count}` : ''}`,
            r.measurement.phases.loadMs === undefined ? '' : fixed(r.measurement.phases.loadMs, 0),
          ]
        : ['', '', '', '', '', '', '', '', ''];
    const unstable = r.status === 'completed' && r.measurement.stability.unstable ? ' unstable' : '';
    return `<tr class="${r.status}${unstable}"><td>${escapeHtml(r.configuration.id)}</td>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}<td>${notes}</td></tr>`;
  });
  const packages = Object.entries(env.packages).map(([name, version]) => `${escapeHtml(name)} ${escapeHtml(version)}`).join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1000px; color: #1b1b1b; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; font-size: 1.2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f5f7; } tr.errored td { color: #a40000; } tr.skipped td { color: #777; } tr.unstable td:nth-child(3), .warn { color: #a45a00; }
figure { margin: 1.5rem 0; } figcaption { font-weight: 600; margin-bottom: .4rem; } svg { max-width: 100%; height: auto; }
.partial { background: #fff3cd; padding: .5rem .8rem; border-radius: 4px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; } dt { color: #555; }
td:last-child { min-width: 22rem; } td:first-child { min-width: 12rem; } .note { color: #444; } .answer { font-weight: 600; }
body { max-width: 1400px; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(document.createdAt)}${document.command ? ` · <code>${escapeHtml(document.command)}</code>` : ''}</p>
${document.partial ? '<p class="partial">Partial results: the run was interrupted before every configuration finished.</p>' : ''}
${variantLines(document).map((line) => `<p class="answer">${escapeHtml(line)}</p>`).join('\n')}
${alternationLines(document).map((line) => `<p class="note">${escapeHtml(line)}</p>`).join('\n')}
${inputLines(document).length ? `<h2>Inputs fed</h2>\n<ul>${inputLines(document).map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>` : ''}
${fleetHeading(document) ? `<h2>Workers</h2>\n<p>${escapeHtml(fleetHeading(document)!)}</p>\n<ul>${workerLines(document).map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>` : ''}
<h2>Environment</h2>
<dl>
<dt>CPU</dt><dd>${escapeHtml(env.cpu.model)} (${env.cpu.physicalCores} physical / ${env.cpu.logicalCores} logical cores)</dd>
<dt>Memory</dt><dd>${(env.memoryBytes / 2 ** 30).toFixed(1)} GiB</dd>
<dt>OS</dt><dd>${escapeHtml(`${env.os.platform} ${env.os.release} ${env.os.arch}`)}</dd>
<dt>Node</dt><dd>${escapeHtml(env.node)}</dd>
<dt>Packages</dt><dd>${packages || '—'}</dd>
${env.machine ? `<dt>Machine load</dt><dd>load average ${escapeHtml(env.machine.loadAverageStart.join(' '))} → ${escapeHtml(env.machine.loadAverageEnd.join(' '))}${env.machine.otherCpuCores === undefined ? '' : `; other processes ${env.machine.otherCpuCores.toFixed(2)} cores`}${env.machine.referenceMs ? `; reference workload ${env.machine.referenceMs.start} → ${env.machine.referenceMs.end} ms` : ''}${env.machine.governor ? `; governor ${escapeHtml(env.machine.governor)}` : ''}</dd>` : ''}
</dl>
${env.machine?.warning ? `<p class="partial">Warning: ${escapeHtml(env.machine.warning)}</p>` : ''}
<h2>Summary</h2>
<p>${escapeHtml(CELL_LEGEND)}</p>
<table><thead><tr>${summary.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>${summary.rows.map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')}</tbody></table>
<h2>Charts</h2>
${charts.join('\n') || '<p>No completed configuration to chart.</p>'}
<h2>Configurations</h2>
<p>Tail percentiles show — when the runs are too few for them (p90 needs 29, p99 299). Runs / rounds: timed runs, and the interleaved rounds they came in.</p>
<table><thead><tr><th>configuration</th><th>provider</th><th>median ms ± 95 % CI</th><th>p90 ms</th><th>p99 ms</th><th>CV %</th><th>items/s (basis)</th><th>wall items/s</th><th>runs / rounds</th><th>load ms</th><th>notes and further figures</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</body>
</html>
`;
}

function fixed(value: number, digits = 3): string {
  return value.toFixed(digits);
}
