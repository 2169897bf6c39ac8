// ECharts for the 大屏 only: bars, one funnel and rings (pie), on canvas;
// imported lazily by views/Screen.vue, never by the phone's screens.
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, FunnelChart, PieChart, GridComponent, LegendComponent, CanvasRenderer]);
export { echarts };
