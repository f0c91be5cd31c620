/* 清欠台账的站内搜索：包装 mkdocs-material 的搜索 worker，只改“查询怎样切分、怎样组合”。
 *
 * Material 的索引由 Python 端用 jieba 切分中文（词间插入 \u200b），浏览器端再按索引里已有的词
 * 贪心切分查询。它有两处不合办事员的用法：查询的最后一个字永远不参与匹配（整串名称从不被当作一个词），
 * 各词之间是“或”：搜一个企业全称会列出所有含“有限公司”的页面。这里改为：
 *   - 查询按索引词表做最长匹配切分，包括整串：单位、企业全称和单位编号在索引里是整词（页面的 tags），
 *     输入全称即命中那一个词；
 *   - 每个词都必须出现（“与”），最后一个词按前缀匹配（边输入边搜）；
 *   - 标题正好是查询的页面排在最前；结果里不再标“缺少”。
 * 单位、债权人的名称和编号、统一社会信用代码、合同编号不靠 Material 的索引：search/lookup.json
 * （generator/site/lookup.py 生成）逐项列出单位页、债权人页和每笔欠款所在的行，以及能找到它们的词；
 * 查询与其中某个词相同、是其开头或其中一段的，按这个顺序排在 Material 的结果前面（单位页和债权人页
 * 不在 Material 的索引中）。名称是数据，显示前转义。
 * 其余（索引、打分、高亮、分组、界面）都是 Material 自己的。
 */
(function () {
  "use strict";

  var QUERY = 2, RESULT = 3;  // Material's SearchMessageType
  var HAN = /\p{sc=Han}+|[^\p{sc=Han}]+/gu;
  var WORD = /[\p{L}\p{N}]/u;
  var material = new URL(self.location.href).searchParams.get("material");
  var query = "";
  var lookup = null;  // [[title, location, kind, [words]]], read on the first query
  var MOST = 30;  // lookup results shown at most

  function pages() {
    if (lookup !== null) return lookup;
    lookup = [];
    try {  // beside Material's index: <site>/search/lookup.json; this script is <site>/assets/js/
      var request = new XMLHttpRequest();
      request.open("GET", new URL("../../search/lookup.json", self.location.href).href, false);
      request.send();
      if (request.status === 200 || request.status === 0) {
        lookup = JSON.parse(request.responseText).pages.map(function (page) {
          return page.concat([page[3].map(function (word) { return String(word).toLowerCase(); })]);
        });
      }
    } catch (error) {
      lookup = [];  // no table (the public site): Material's results alone
    }
    return lookup;
  }

  function html(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  // the table's pages that a word of theirs is, begins with or holds the query, best first
  function found(text) {
    var wanted = text.replace(/\s+/g, "").toLowerCase();
    if (!wanted) return [];
    var hits = [];
    pages().forEach(function (page, order) {
      var best = 0, word = "";
      page[4].forEach(function (each, n) {
        var rank = each === wanted ? 6 : each.indexOf(wanted) === 0 ? 4 : each.indexOf(wanted) > 0 ? 2 : 0;
        if (rank && n === 0) rank += 1;  // by its own name (a firm's page before the units owing it)
        if (rank > best) { best = rank; word = page[3][n]; }
      });
      if (best) hits.push({rank: best, order: order, page: page, word: word});
    });
    hits.sort(function (a, b) { return b.rank - a.rank || a.order - b.order; });
    return hits.slice(0, MOST).map(function (hit, n) {
      var page = hit.page;
      var text = page[2] + (String(hit.word) === String(page[0]) ? "" : "：" + hit.word);
      return [{location: page[1], title: html(page[0]), text: html(text), score: 1e6 - n, terms: {}}];
    });
  }

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
      var ours = found(query);
      var mine = {};
      ours.forEach(function (group) { mine[group[0].location] = true; });
      message.data.items = ours.concat(exact, groups.filter(function (g) {
        return exact.indexOf(g) === -1;
      })).filter(function (group, n) { return n < ours.length || !mine[group[0].location]; });
    }
    return post.apply(self, arguments);
  };

  importScripts(material);
  patch(self.lunr);
})();
