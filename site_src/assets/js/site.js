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
      new Chart(canvas, {
        type: spec.type,
        data: {
          labels: spec.labels,
          datasets: spec.series.map(function (s, i) {
            var color = COLORS[i % COLORS.length];  // lines are drawn with the border colour
            return { label: s.label, data: s.data, backgroundColor: color, borderColor: color, spanGaps: true };
          })
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: { tooltip: { callbacks: { label: function (ctx) {
            return ctx.dataset.label + "：" + ctx.formattedValue + " " + spec.unit;
          } } } },
          scales: stacked ? { x: { stacked: true }, y: { stacked: true, title: { display: true, text: spec.unit } } }
            : { y: { title: { display: true, text: spec.unit } } }
        }
      });
      canvas.setAttribute("data-chart-ready", "");
    });
  }

  function addFilter(wrapper, table) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "qq-filter";
    input.placeholder = "筛选本表（输入单位、企业、编号等）";
    input.setAttribute("aria-label", "筛选本表");
    wrapper.insertBefore(input, wrapper.firstChild);
    var rows = Array.prototype.slice.call(table.tBodies[0] ? table.tBodies[0].rows : []);
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
  }

  function enhanceTables() {
    document.querySelectorAll(".qq-table").forEach(function (wrapper) {
      var table = wrapper.querySelector("table");
      if (!table || !table.tHead) return;
      if (typeof Tablesort !== "undefined") new Tablesort(table);
      if (table.tBodies[0] && table.tBodies[0].rows.length > 5) addFilter(wrapper, table);
      table.setAttribute("data-table-ready", "");
    });
  }

  function init() {
    drawCharts();
    enhanceTables();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
