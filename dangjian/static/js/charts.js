// Draws the ECharts charts of a page from the JSON that json_script left beside each one.
// The tables next to the charts carry the same figures, so a page stays complete if this
// script or ECharts fails to load.
(function () {
  "use strict";
  function draw() {
    if (typeof window.echarts === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.source);
      if (!source) return;
      var data;
      try { data = JSON.parse(source.textContent); } catch (e) { return; }
      if (!data.length) return;
      var option;
      if (el.dataset.chart === "pie") {
        option = {
          tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
          // Names go in a legend below the ring, never as labels around it (they were
          // clipped at the chart's edge: "离…", "1"); the table beside it has the figures.
          legend: { bottom: 0, left: "center", itemWidth: 10, itemHeight: 10,
                    textStyle: { fontSize: 11 },
                    formatter: function (name) {
                      var d = data.find(function (x) { return x.name === name; });
                      return d ? name + " " + d.value : name;
                    } },
          series: [{ type: "pie", radius: ["30%", "55%"], center: ["50%", "40%"], data: data,
                     label: { show: false }, labelLine: { show: false } }]
        };
      } else {
        option = {
          tooltip: { trigger: "axis" },
          grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
          xAxis: { type: "category", data: data.map(function (d) { return d.name; }),
                   axisLabel: { interval: 0, rotate: data.length > 4 ? 30 : 0, fontSize: 11 } },
          yAxis: { type: "value", minInterval: 1 },
          series: [{ type: "bar", data: data.map(function (d) { return d.value; }),
                     itemStyle: { color: "#c8161d" }, barMaxWidth: 32 }]
        };
      }
      try {
        el.classList.add("drawn");
        var chart = window.echarts.init(el, null, { renderer: "svg" });
        chart.setOption(option);
        window.addEventListener("resize", function () { chart.resize(); });
      } catch (e) {
        el.classList.remove("drawn");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
