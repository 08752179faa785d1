// What the HTML report draws with Apache ECharts, and nothing else: bundled by build.sh into
// echarts.min.js, which sets window.echarts.
import * as echarts from 'echarts/core';
import { LineChart, TreemapChart } from 'echarts/charts';
import {
  AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  LineChart, TreemapChart, AriaComponent, GridComponent, LegendComponent, MarkLineComponent,
  TooltipComponent, SVGRenderer,
]);
window.echarts = echarts;
