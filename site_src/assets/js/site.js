/* 清欠台账站点脚本：图表（Chart.js）与表格排序、筛选（tablesort）。
 * 数据都在页面里：图表读 canvas 的 data-chart 属性（JSON），不请求任何外部资源。 */
(function () {
  "use strict";

  var COLORS = ["#2e7d32", "#c62828", "#1565c0", "#ef6c00", "#6a1b9a", "#00838f"];

  function drawCharts() {
    if (typeof Chart === "undefined") return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = JSON.parse(canvas.getAttribute("data-chart"));
      var stacked = spec.type === "bar";
      var days = spec.days;  // a time axis: points at their dates (day numbers), uneven dates spaced as they are
      function day(n) { return new Date(n * 86400000).toISOString().slice(0, 10); }
      var scales = stacked ? { x: { stacked: true }, y: { stacked: true, title: { display: true, text: spec.unit } } }
        : { y: { title: { display: true, text: spec.unit } } };
      var callbacks = { label: function (ctx) {
        return ctx.dataset.label + "：" + ctx.formattedValue + " " + spec.unit;
      } };
      if (days) {
        callbacks.title = function (items) { return items.length ? day(items[0].parsed.x) : ""; };
        scales.x = { type: "linear", min: days[0], max: days[days.length - 1],
                     ticks: { callback: function (value) { return day(value); } } };
      }
      new Chart(canvas, {
        type: spec.type,
        data: {
          labels: spec.labels,
          datasets: spec.series.map(function (s, i) {
            var color = COLORS[i % COLORS.length];  // lines are drawn with the border colour
            var data = days ? s.data.map(function (y, j) { return { x: days[j], y: y }; }) : s.data;
            return { label: s.label, data: data, backgroundColor: color, borderColor: color, spanGaps: true };
          })
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: { tooltip: { callbacks: callbacks } },
          scales: scales
        }
      });
      canvas.setAttribute("data-chart-ready", "");
    });
  }

  var FILTER_FROM = 15;  // shorter tables are read at a glance: no filter box

  function addFilter(wrapper, table) {
    var bar = document.createElement("div");
    var input = document.createElement("input");
    var count = document.createElement("span");
    input.type = "search";
    input.className = "qq-filter";
    input.placeholder = "筛选本表（输入单位、企业、编号等）";
    input.setAttribute("aria-label", "筛选本表");
    count.className = "qq-count";
    bar.appendChild(input);
    bar.appendChild(count);
    wrapper.insertBefore(bar, wrapper.firstChild);
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var noun = table.getAttribute("data-rows") || "行";  // 笔 for debts
    function show(shown) { count.textContent = "显示 " + shown + " / " + rows.length + " " + noun; }
    show(rows.length);
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
        if (!row.hidden) shown++;
      });
      show(shown);
    });
  }

  /* A column with no value in any row says nothing: hide it (计划执行 when no plan slipped). */
  function hideEmptyColumns(table) {
    var head = table.tHead.rows[0];
    var body = table.tBodies[0] ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
    if (!body.length) return;
    for (var i = head.cells.length - 1; i >= 0; i--) {
      var empty = body.every(function (row) { return !row.cells[i] || !row.cells[i].textContent.trim(); });
      if (!empty) continue;
      head.cells[i].hidden = true;
      body.forEach(function (row) { if (row.cells[i]) row.cells[i].hidden = true; });
    }
  }

  function enhanceTables() {
    document.querySelectorAll(".qq-table").forEach(function (wrapper) {
      var table = wrapper.querySelector("table");
      if (!table || !table.tHead) return;
      hideEmptyColumns(table);
      if (typeof Tablesort !== "undefined") new Tablesort(table);
      if (table.tBodies[0] && table.tBodies[0].rows.length > FILTER_FROM) addFilter(wrapper, table);
      table.setAttribute("data-table-ready", "");
    });
  }

  /* Only while `qingqian serve` serves the site (its live-reload script defines `livereload`):
   * /qingqian-status.json says which pages are being rebuilt; a stale page says so in a banner
   * and reloads itself once it is up to date. A published site never polls. */
  var STATUS = "/qingqian-status.json";

  function isStale(stale, page) {
    if (stale === null) return true;  // every page may be
    return stale.some(function (p) { return p === page || (p.slice(-1) === "/" && page.indexOf(p) === 0); });
  }

  function watchStatus() {
    if (typeof window.livereload !== "function" || !window.fetch) return;
    var page = decodeURIComponent(location.pathname.replace(/^\//, "")) || "index.html";
    var banner = document.createElement("div");
    banner.className = "qq-status";
    banner.setAttribute("role", "status");
    banner.hidden = true;
    document.body.insertBefore(banner, document.body.firstChild);
    var wasStale = false;
    function poll() {
      fetch(STATUS + "?" + Date.now(), { cache: "no-store" }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (status) {
        if (!status) return;
        var stale = status.updating && isStale(status.stale, page);
        if (wasStale && !stale && !status.error) { location.reload(); return; }
        wasStale = stale;
        banner.textContent = status.error || (stale ? "网站正在更新" + (status.note ? "（" + status.note + "）" : "")
          + "：本页显示的是旧内容，更新完成后会自动刷新" : "");
        banner.hidden = !banner.textContent;
      }).catch(function () {}).then(function () { setTimeout(poll, 1500); });
    }
    poll();
  }

  function init() {
    drawCharts();
    enhanceTables();
  }

  window.addEventListener("load", watchStatus);  // after the live-reload script, which ends the page

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
