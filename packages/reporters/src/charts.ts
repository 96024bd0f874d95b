import * as echarts from 'echarts';
import type { ChartSpec } from './chart-options';

/** Renders a chart to a standalone SVG string with ECharts' server-side renderer (it escapes text). */
export function renderChartSvg(spec: ChartSpec): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  try {
    chart.setOption({ backgroundColor: '#ffffff', ...spec.option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
