/* 在 Material 读取页面配置之前，把搜索 worker 换成 search-worker.js（它再载入 Material 的 worker）。 */
(function () {
  "use strict";
  var element = document.getElementById("__config");
  var script = document.currentScript;
  if (!element || !script) return;
  var config = JSON.parse(element.textContent);
  var worker = new URL("search-worker.js", script.src);
  worker.searchParams.set("material", new URL(config.search, location.href).href);
  config.search = worker.href;
  element.textContent = JSON.stringify(config);
})();
