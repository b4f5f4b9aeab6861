// duban supervision pages: charts drawn from data-* JSON (no inline script: the CSP forbids it),
// and the bulk editing of the task decomposition table. Every page works without this file.
(function () {
  "use strict";
  var COLORS = { red: "#d93025", yellow: "#e6a700", blue: "#1a73e8", green: "#188038", unassigned: "#bdc1c6" };
  var FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';

  function data(el) {
    try { return JSON.parse(el.getAttribute("data-series") || "[]"); } catch (e) { return []; }
  }
  function short(s, n) { return s.length > n ? s.slice(0, n) + "…" : s; }
  function go(url) { if (url) { window.location.href = url; } }

  function lightsChart(el, rows) {
    var total = rows.reduce(function (a, r) { return a + r.value; }, 0);
    var counts = {};
    rows.forEach(function (r) { counts[r.name] = r.value; });
    // counts in the legend and the total in the hole: slice labels collide with the legend
    // (a single light makes one full ring whose label lands on the legend)
    return {
      title: { text: "任务灯色分布", left: "center", top: 4, textStyle: { fontSize: 15, fontWeight: 600 } },
      tooltip: { trigger: "item", formatter: "{b}：{c} 项（{d}%）" },
      legend: { bottom: 4, itemWidth: 12, itemHeight: 12, formatter: function (name) { return name + " " + counts[name]; } },
      graphic: [{
        type: "text", left: "center", top: total ? "46%" : "middle",
        style: { text: total ? total + " 项" : "尚未交办任务", fill: total ? "#333" : "#80868b", fontSize: total ? 18 : 14, fontWeight: total ? 600 : 400, textAlign: "center" }
      }],
      series: [{
        type: "pie", radius: ["42%", "66%"], center: ["50%", "50%"], avoidLabelOverlap: true,
        label: { show: false },
        data: rows.filter(function (r) { return r.value > 0; }).map(function (r) {
          return { name: r.name, value: r.value, url: r.url, itemStyle: { color: COLORS[r.code] } };
        })
      }]
    };
  }

  function barsChart(el, rows) {
    var title = el.getAttribute("data-title") || "";
    var names = rows.map(function (r) { return r.name; });
    return {
      title: { text: title, left: "center", top: 4, textStyle: { fontSize: 15, fontWeight: 600 } },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var r = rows[p.dataIndex];
          return r.name + "<br>销号 " + r.closed + "/" + r.tasks + " 项，销号率 " + (r.rate === null ? "—" : r.rate + "%") +
            (r.avg === null ? "" : "<br>平均进度 " + r.avg + "%");
        }
      },
      grid: { left: 8, right: 48, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { lineStyle: { color: "#eee" } } },
      yAxis: { type: "category", inverse: true, data: names, axisLabel: { formatter: function (v) { return short(v, 12); } }, axisTick: { show: false } },
      series: [{
        type: "bar", barMaxWidth: 18, label: { show: true, position: "right", formatter: "{c}%" },
        itemStyle: { color: "#1f3a5f", borderRadius: [0, 3, 3, 0] },
        data: rows.map(function (r) { return { value: r.rate, url: r.url }; })
      }]
    };
  }

  function lineChart(el, s) {
    var periods = s.points.map(function (p) { return p[0]; });
    var series = [{
      type: "line", name: "报送值", symbolSize: 7, label: { show: true, formatter: "{c}" },
      data: s.points.map(function (p) { return p[1]; }), itemStyle: { color: "#1f3a5f" }
    }];
    if (s.target !== null && s.target !== undefined) {
      series[0].markLine = { symbol: "none", lineStyle: { color: "#d93025", type: "dashed" },
        label: { formatter: "目标 " + s.target + s.unit }, data: [{ yAxis: s.target }] };
    }
    return {
      title: { text: short(s.name, 24) + (s.unit ? "（" + s.unit + "）" : ""), left: "center", top: 0, textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: periods },
      yAxis: { type: "value", scale: true },
      series: series
    };
  }

  function drawCharts() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var kind = el.getAttribute("data-chart");
      var rows = data(el);
      if (kind === "bars") { el.style.height = Math.max(180, 60 + rows.length * 30) + "px"; }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      var option = kind === "lights" ? lightsChart(el, rows) : kind === "bars" ? barsChart(el, rows) : lineChart(el, rows);
      option.textStyle = { fontFamily: FONT };
      option.animation = false;
      chart.setOption(option);
      chart.on("click", function (p) { go(p.data && p.data.url); });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function decompose() {
    var form = document.getElementById("decompose-form");
    if (!form) { return; }
    var boxes = function () { return Array.prototype.slice.call(form.querySelectorAll("input.row-sel")); };
    var count = document.getElementById("sel-count");
    var update = function () { if (count) { count.textContent = boxes().filter(function (b) { return b.checked; }).length; } };
    var all = document.getElementById("sel-all");
    if (all) {
      all.addEventListener("change", function () {
        boxes().forEach(function (b) { b.checked = all.checked; });
        update();
      });
    }
    form.addEventListener("change", function (ev) { if (ev.target.classList.contains("row-sel")) { update(); } });
    var apply = document.getElementById("bulk-apply");
    if (apply) {
      apply.addEventListener("click", function (ev) {
        var chosen = boxes().filter(function (b) { return b.checked; });
        if (!chosen.length) { return; } // let the server answer "请先勾选"
        ev.preventDefault();
        var lead = document.getElementById("bulk-lead").value;
        var co = document.getElementById("bulk-co").value.trim();
        var due = document.getElementById("bulk-due").value;
        chosen.forEach(function (b) {
          var row = b.closest("tr");
          if (lead) { row.querySelector("select.lead").value = lead; }
          if (co) { row.querySelector("input.co").value = co; }
          if (due) { row.querySelector("input.due").value = due; }
          row.classList.add("applied");
        });
        var flash = document.getElementById("flash");
        if (flash) {
          flash.textContent = "";
          var p = document.createElement("p");
          p.className = "ok flash-box";
          p.textContent = "已将批量设置应用到 " + chosen.length + " 行（尚未交办，请核对后点“交办选中任务”）";
          flash.appendChild(p);
        }
      });
    }
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    decompose();
  });
})();
