/* 清欠台账的站内搜索：包装 mkdocs-material 的搜索 worker，只改“查询怎样切分、怎样组合”。
 *
 * Material 的索引由 Python 端用 jieba 切分中文（词间插入 \u200b），浏览器端再按索引里已有的词
 * 贪心切分查询。它有两处不合办事员的用法：查询的最后一个字永远不参与匹配（整串名称从不被当作一个词），
 * 各词之间是“或”：搜一个企业全称会列出所有含“有限公司”的页面。这里改为：
 *   - 查询按索引词表做最长匹配切分，包括整串：单位、企业全称和单位编号在索引里是整词（页面的 tags），
 *     输入全称即命中那一个词；
 *   - 每个词都必须出现（“与”），最后一个词按前缀匹配（边输入边搜）；
 *   - 标题正好是查询的页面排在最前；结果里不再标“缺少”。
 * 其余（索引、打分、高亮、分组、界面）都是 Material 自己的。
 */
(function () {
  "use strict";

  var QUERY = 2, RESULT = 3;  // Material's SearchMessageType
  var HAN = /\p{sc=Han}+|[^\p{sc=Han}]+/gu;
  var WORD = /[\p{L}\p{N}]/u;
  var material = new URL(self.location.href).searchParams.get("material");
  var query = "";

  function words(text, separator, index) {
    var terms = [];
    text.toLowerCase().split(separator).forEach(function (part) {
      (part.match(HAN) || []).forEach(function (run) {
        if (!/\p{sc=Han}/u.test(run)) {
          if (WORD.test(run)) terms.push(run);
          return;
        }
        for (var i = 0; i < run.length;) {
          var j = run.length;
          while (j > i && !Object.prototype.hasOwnProperty.call(index, run.slice(i, j))) j--;
          if (j === i) {  // no indexed word starts here: the rest is a prefix the user is typing
            terms.push(run.slice(i));
            break;
          }
          terms.push(run.slice(i, j));
          i = j;
        }
      });
    });
    return terms;
  }

  function patch(lunr) {
    lunr.Index.prototype.search = function () {
      var terms = words(query, lunr.tokenizer.separator, this.invertedIndex);
      return this.query(function (q) {
        terms.forEach(function (term, n) {
          q.term(term, {
            presence: lunr.Query.presence.REQUIRED,
            wildcard: n === terms.length - 1 ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE
          });
        });
      });
    };
  }

  function plain(html) {
    return String(html).replace(/<[^>]*>/g, "").replace(/\u200b/g, "").trim().toLowerCase();
  }

  var listen = self.addEventListener;
  self.addEventListener = function (type, handler, options) {
    if (type !== "message") return listen.call(self, type, handler, options);
    return listen.call(self, type, function (event) {
      if (event.data && event.data.type === QUERY) query = String(event.data.data);
      return handler(event);
    }, options);
  };
  var post = self.postMessage;
  self.postMessage = function (message) {
    if (message && message.type === RESULT && message.data && message.data.items) {
      var wanted = plain(query);
      var groups = message.data.items;
      groups.forEach(function (group) {
        group.forEach(function (item) { item.terms = {}; });
      });
      // stable: the page titled or tagged exactly as the query first, the rest in Material's order
      var exact = groups.filter(function (group) {
        return group.some(function (item) {
          return item.location.indexOf("#") === -1 && (plain(item.title) === wanted ||
            (item.tags || []).some(function (tag) { return plain(tag) === wanted; }));
        });
      });
      message.data.items = exact.concat(groups.filter(function (g) { return exact.indexOf(g) === -1; }));
    }
    return post.apply(self, arguments);
  };

  importScripts(material);
  patch(self.lunr);
})();
