// The ECharts build the pages load (dangjian/static/vendor/echarts.min.js), bundled by
// esbuild in `make assets` from echarts' own modules with only what
// dangjian/static/js/charts.js draws: bar and pie charts, the SVG renderer, grid, tooltip and
// legend. (The full build is 1.1 MB, 350 KB compressed; this one about half of that.) A page
// that draws another kind of chart adds its module here.
import { init, use } from "echarts/core";
import { BarChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

// charts.js needs only echarts.init; exposing the whole namespace would keep every export.
window.echarts = { init: init };
