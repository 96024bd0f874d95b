import { createRequire } from 'node:module';
import type * as ECharts from 'echarts';
import type { ChartSpec } from './chart-options';

let echarts: typeof ECharts | undefined;

// ECharts is loaded on the first chart, not on import: its ES modules are about 600 files
// (0.8 s here) that a console table or a comparison never needs. Its single-file CommonJS
// bundle loads in a quarter of that, and synchronously, so rendering stays synchronous.
function loadECharts(): typeof ECharts {
  echarts ??= createRequire(import.meta.url)('echarts') as typeof ECharts;
  return echarts;
}

/** Renders a chart to a standalone SVG string with ECharts' server-side renderer (it escapes text). */
export function renderChartSvg(spec: ChartSpec): string {
  const chart = loadECharts().init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  try {
    chart.setOption({ backgroundColor: '#ffffff', ...spec.option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
