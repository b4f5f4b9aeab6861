// duban year-end pages: the chart of one indicator across years and bureaus, drawn from the
// data-series JSON (no inline script: the CSP forbids it). The table beside it works without this file.
(function () {
  "use strict";
  var FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';
  var PALETTE = ["#1f3a5f", "#d93025", "#188038", "#e6a700", "#7b1fa2", "#00838f", "#6d4c41", "#1a73e8"];

  function yearsChart(d) {
    var colors = {};
    var issuers = [];
    d.series.forEach(function (s) {
      if (issuers.indexOf(s.issuer) < 0) { issuers.push(s.issuer); }
    });
    issuers.forEach(function (name, i) { colors[name] = PALETTE[i % PALETTE.length]; });
    var series = d.series.map(function (s) {
      var target = s.role === "target";
      return {
        name: s.name, type: "line", connectNulls: true, symbol: target ? "emptyCircle" : "circle", symbolSize: 9,
        lineStyle: { type: target ? "dashed" : "solid", width: 2 },
        itemStyle: { color: colors[s.issuer] },
        label: { show: true, position: "top", formatter: function (p) { return p.value[1] + d.unit; } },
        data: s.points.map(function (p) { return [String(p[0]), p[1]]; })
      };
    });
    var years = d.years.map(String);
    return {
      title: { text: d.indicator + (d.unit ? "（" + d.unit + "）" : ""), subtext: "虚线为目标，实线为实际", left: "center", top: 2, textStyle: { fontSize: 15, fontWeight: 600 } },
      tooltip: { trigger: "item", formatter: function (p) { return p.seriesName + "<br>" + p.value[0] + " 年：" + p.value[1] + d.unit; } },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 16, right: 32, top: 60, bottom: 36, containLabel: true },
      xAxis: { type: "category", data: years, boundaryGap: true },
      yAxis: { type: "value", scale: true, axisLabel: { formatter: "{value}" + d.unit } },
      graphic: series.length ? [] : [{ type: "text", left: "center", top: "middle", style: { text: "没有可画入图中的数值", fill: "#80868b", fontSize: 14 } }],
      series: series
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart=years]").forEach(function (el) {
      var d;
      try { d = JSON.parse(el.getAttribute("data-series") || "{}"); } catch (e) { return; }
      if (!d.series) { return; }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      var option = yearsChart(d);
      option.textStyle = { fontFamily: FONT };
      option.animation = false;
      chart.setOption(option);
      window.addEventListener("resize", function () { chart.resize(); });
    });
  });
})();
