/* The livestream pages' small behaviours (htmx does the round trips):
   - flash-sale countdowns tick every second between two polls of the console;
   - the review's charts are drawn with ECharts (served by the project) from the figures
     the page embeds as JSON. */
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(seconds) {
    return Math.floor(seconds / 60) + ":" + pad(seconds % 60);
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-flash-start]").forEach(function (el) {
      var start = Date.parse(el.dataset.flashStart), end = Date.parse(el.dataset.flashEnd);
      if (now < start) {
        el.textContent = el.dataset.waitingLabel + " " + clock(Math.ceil((start - now) / 1000));
      } else if (now < end) {
        el.textContent = el.dataset.runningLabel + " " + clock(Math.ceil((end - now) / 1000));
      } else {
        el.textContent = el.dataset.overLabel;
      }
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);

  function data(el) {
    var source = document.getElementById(el.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }
  var GREEN = "#2a7a3f", ORANGE = "#d35400";
  function draw(el) {
    if (!window.echarts) return;
    var figures = data(el);
    if (!figures) return;
    var chart = window.echarts.init(el, null, {renderer: "svg"});
    var base = {grid: {left: 48, right: 16, top: 32, bottom: 40}, tooltip: {trigger: "axis"},
                animation: false};
    if (el.dataset.chart === "timeline") {
      chart.setOption(Object.assign(base, {
        legend: {top: 0},
        xAxis: {type: "category", data: figures.labels},
        yAxis: {type: "value", name: "¥"},
        series: [
          {name: el.dataset.amountLabel, type: "bar", data: figures.amounts, itemStyle: {color: GREEN}},
          {name: el.dataset.totalLabel, type: "line", data: figures.cumulative, smooth: true,
           itemStyle: {color: ORANGE}}
        ]
      }));
    } else {
      chart.setOption(Object.assign(base, {
        grid: {left: 96, right: 16, top: 16, bottom: 24},
        xAxis: {type: "value", name: "¥"},
        yAxis: {type: "category", data: figures.names, axisLabel: {width: 88, overflow: "truncate"}},
        series: [{name: el.dataset.amountLabel, type: "bar", data: figures.amounts,
                  itemStyle: {color: GREEN}}]
      }));
    }
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.drawn = "1";
  }
  window.addEventListener("load", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
