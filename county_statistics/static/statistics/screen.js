/* The big-data screen: fetches the county's figures as JSON, draws them with ECharts
   (served by the project), and fetches again every few seconds. Each chart's element
   gets data-points (how many values it drew) so a test can tell it is not empty.
   Every panel is drawn on its own: a panel whose figures are missing or malformed (or
   whose drawing throws) shows "数据暂不可用" and data-unavailable, and the others still
   draw; it draws again on the next fetch that brings good figures. */
(function () {
  "use strict";
  var script = document.getElementById("screen-script");
  var url = script.dataset.url;
  var refresh = Math.max(parseInt(script.dataset.refresh, 10) || 60, 10) * 1000;
  var L = JSON.parse(document.getElementById("screen-labels").textContent);
  var charts = {};
  var TEXT = "#d8e6ff", AXIS = "#2b4f86", PALETTE = ["#2b8cff", "#3ddc97", "#ffd166",
    "#ff6b6b", "#a78bfa", "#5fd0ff", "#f78c40", "#e879f9", "#94a3b8", "#22d3ee"];

  function chart(id) {
    var el = document.getElementById(id);
    if (el.dataset.unavailable) {
      el.textContent = "";
      delete el.dataset.unavailable;
    }
    if (!charts[id]) {
      charts[id] = echarts.init(el, null, {renderer: "canvas"});
    }
    return charts[id];
  }

  // A panel that could not be drawn: its chart (if any) gives way to the notice.
  function unavailable(id, error) {
    var el = document.getElementById(id);
    if (charts[id]) {
      charts[id].dispose();
      delete charts[id];
    }
    el.textContent = "";
    var notice = document.createElement("p");
    notice.className = "unavailable";
    notice.setAttribute("role", "status");
    notice.textContent = L.unavailable;
    el.appendChild(notice);
    el.dataset.unavailable = "1";
    delete el.dataset.rendered;
    delete el.dataset.points;
    if (window.console) console.warn(id, error);
  }

  // Draws one panel; what goes wrong in it stays in it.
  function panel(id, drawIt) {
    try {
      drawIt();
    } catch (e) {
      unavailable(id, e);
    }
  }

  // A figure's list as it must arrive: an array (anything else is malformed data).
  function list(v) {
    if (!Array.isArray(v)) throw new TypeError("not a list");
    return v;
  }

  // The text figures beside the charts: a malformed one reads "-", the others stay.
  function text(id, value) {
    var shown;
    try { shown = value(); } catch (e) { shown = "-"; }
    document.getElementById(id).textContent = shown;
  }

  function draw(id, option, points) {
    option.color = option.color || PALETTE;
    option.textStyle = {color: TEXT, fontSize: 16};
    option.animation = false;
    chart(id).setOption(option, true);
    var el = document.getElementById(id);
    el.dataset.points = String(points);
    el.dataset.rendered = "1";
  }

  function num(v, digits) {
    if (v === null || v === undefined) return "-";
    return Number(v).toLocaleString("zh-CN", {maximumFractionDigits: digits || 0});
  }

  // The phone layout of screen.css (one column of panels).
  function narrow() { return window.matchMedia("(max-width: 1000px)").matches; }

  function pct(v) { return v === null || v === undefined ? "-" : (v * 100).toFixed(1) + "%"; }

  function nonZero(items) { return items.filter(function (i) { return i.value > 0; }); }

  function axis(extra) {
    return Object.assign({axisLine: {lineStyle: {color: AXIS}}, axisLabel: {color: TEXT, fontSize: 14},
      splitLine: {lineStyle: {color: "rgba(43,79,134,0.4)"}}}, extra || {});
  }

  function pie(id, items, ring) {
    items = nonZero(list(items));
    draw(id, {tooltip: {trigger: "item"},
      legend: {type: "scroll", orient: "vertical", right: 0, top: "middle", textStyle: {color: TEXT, fontSize: 14}},
      series: [{type: "pie", radius: ring ? ["45%", "75%"] : "72%", center: ["35%", "52%"],
        label: {show: false}, data: items}]}, items.length);
  }

  function bars(id, items, horizontal, formatter) {
    list(items);
    var names = items.map(function (i) { return i.name; });
    var values = items.map(function (i) { return i.value; });
    var cat = axis({type: "category", data: names, inverse: horizontal,
      axisLabel: {color: TEXT, fontSize: horizontal && names.length > 5 ? 12 : 14, width: 120,
        overflow: "truncate", interval: 0}});
    var val = axis({type: "value", splitNumber: horizontal ? 3 : 5});
    draw(id, {tooltip: {trigger: "axis", valueFormatter: formatter},
      grid: {left: horizontal ? 130 : 48, right: 24, top: 12, bottom: 28},
      xAxis: horizontal ? val : cat, yAxis: horizontal ? cat : val,
      series: [{type: "bar", data: values, barMaxWidth: 26,
        itemStyle: {borderRadius: horizontal ? [0, 4, 4, 0] : [4, 4, 0, 0]}}]},
      nonZero(items).length);
  }

  function kpis(head) {
    document.querySelectorAll(".kpi").forEach(function (el) {
      var f = head[el.dataset.kpi];
      el.querySelector("b").textContent = num(f.value, el.dataset.kpi === "aov" ? 2 : 0);
      var small = el.querySelector("small");
      small.className = f.change > 0 ? "up" : (f.change < 0 ? "down" : "");
      small.textContent = L.vsPrevious + " " + (f.change === null ? "-" :
        (f.change > 0 ? "▲" : (f.change < 0 ? "▼" : "")) + pct(Math.abs(f.change)));
    });
  }

  function render(d) {
    // The title and period the page was rendered with stay unless good ones came.
    if (typeof d.title === "string") document.getElementById("screen-title").textContent = d.title;
    if (d.period && typeof d.period.label === "string") {
      document.getElementById("period-label").textContent = d.period.label;
    }
    try { kpis(d.headline); } catch (e) { if (window.console) console.warn("kpis", e); }
    panel("chart-market", function () {
      var values = list(d.market.values);
      bars("chart-market", list(d.market.labels).map(function (n, i) {
        return {name: n, value: values[i]}; }), false);
    });
    panel("chart-categories", function () { pie("chart-categories", d.categories, true); });
    panel("chart-brand", function () { pie("chart-brand", d.brand.states, false); });
    text("brand-expiring", function () { return num(d.brand.expiring); });
    text("brand-quota", function () { return num(d.brand.quota_used) + " / " + num(d.brand.quota); });
    panel("chart-grades", function () { pie("chart-grades", d.trace.grades, true); });
    text("trace-rate", function () { return pct(d.trace.first_scan_rate); });
    text("trace-flagged", function () { return num(d.trace.flagged.value); });
    panel("chart-map", function () {
      var buyers = list(d.map.buyers), scans = list(d.map.scans);
      var maxMap = Math.max.apply(null, [1].concat(buyers.map(function (i) { return i.value; }),
        scans.map(function (i) { return i.value; })));
      draw("chart-map", {tooltip: {trigger: "item"},
        legend: {data: [L.buyers, L.scans], selectedMode: "single", left: 10, top: 0,
          textStyle: {color: TEXT, fontSize: 16}},
        visualMap: {min: 0, max: maxMap, left: 10, bottom: 10, calculable: true,
          text: [L.more, L.less], textStyle: {color: TEXT},
          inRange: {color: ["#1d4f94", "#2b8cff", "#5fd0ff", "#ffd166"]}},
        series: [
          {name: L.buyers, type: "map", map: "china", roam: false, zoom: 1.15, top: 40,
            showLegendSymbol: false,
            itemStyle: {areaColor: "#0b2a5b", borderColor: "#2b8cff"},
            emphasis: {itemStyle: {areaColor: "#ffd166"}, label: {color: "#000"}},
            label: {show: false}, data: buyers},
          {name: L.scans, type: "map", map: "china", roam: false, zoom: 1.15, top: 40,
            showLegendSymbol: false,
            itemStyle: {areaColor: "#0b2a5b", borderColor: "#2b8cff"},
            label: {show: false}, data: scans}]},
        buyers.length + scans.length);
    });
    panel("chart-trend", function () {
      var amount = list(d.series.amount);
      draw("chart-trend", {tooltip: {trigger: "axis"},
        legend: {data: [L.sales, L.orders], textStyle: {color: TEXT, fontSize: 14}, top: 0,
          left: "center"},
        grid: {left: 70, right: 60, top: 34, bottom: 30},
        xAxis: axis({type: "category", data: list(d.series.labels)}),
        // On a phone the legend above names the two axes; their own names would overlap it.
        yAxis: [axis({type: "value", name: narrow() ? "" : L.sales}),
                axis({type: "value", name: narrow() ? "" : L.orders, splitLine: {show: false}})],
        series: [{name: L.sales, type: "line", smooth: true, areaStyle: {opacity: 0.25}, data: amount},
                 {name: L.orders, type: "bar", yAxisIndex: 1, barMaxWidth: 14, data: list(d.series.orders)}]},
        amount.filter(function (v) { return v > 0; }).length);
    });
    panel("chart-products", function () {
      bars("chart-products", list(d.products).slice(0, 6), true, function (v) { return num(v, 2); });
    });
    panel("chart-sources", function () { pie("chart-sources", d.sources, true); });
    panel("chart-carriers", function () { bars("chart-carriers", d.logistics.carriers, true); });
    text("ship-share", function () { return pct(d.logistics.in_time_share); });
    text("ship-hours", function () { return num(d.logistics.average_delivery_hours, 1); });
    panel("chart-weeks", function () {
      var perWeek = list(d.livestream.per_week);
      draw("chart-weeks", {tooltip: {trigger: "axis"},
        grid: {left: 40, right: 20, top: 16, bottom: 28},
        xAxis: axis({type: "category", data: list(d.livestream.weeks)}),
        yAxis: axis({type: "value", minInterval: 1}),
        series: [{type: "bar", data: perWeek, barMaxWidth: 22,
          markLine: {symbol: "none", lineStyle: {color: "#ff6b6b", type: "dashed"},
            label: {color: "#ff6b6b", formatter: L.weeklyRule, position: "insideEndTop"},
            data: [{yAxis: d.livestream.rule}]}}]},
        perWeek.filter(function (v) { return v > 0; }).length);
    });
    text("live-hosts", function () { return d.livestream.hosts + " / " + d.livestream.hosts_rule; });
    panel("chart-poverty", function () {
      bars("chart-poverty", list(d.poverty.households).slice(0, 6), true, function (v) { return num(v, 2); });
    });
    document.body.dataset.loaded = String(Date.now());
  }

  function load() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(render)
      .catch(function (e) {
        document.body.dataset.error = String(e);
        // Nothing came (or nothing readable): a panel never drawn says so; one drawn
        // before keeps its last figures until the next fetch.
        document.querySelectorAll(".chart").forEach(function (el) {
          if (!el.dataset.rendered) unavailable(el.id, e);
        });
      });
  }

  function tick() {
    var now = new Date();
    document.getElementById("clock").textContent = now.toLocaleString("zh-CN", {hour12: false});
  }

  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
  tick();
  setInterval(tick, 1000);
  load();
  setInterval(load, refresh);
})();
