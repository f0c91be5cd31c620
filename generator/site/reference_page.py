"""The 填报说明 reference page, generated from the schema and the error-code table."""

from __future__ import annotations

import html

from ..core.issues import CODES, Code
from ..core.scalars import DAYS_LIMIT
from ..core.schema import CODE_ID, ITEM_REF, KINDS, UNIT_ID, YEAR, walk_fields
from ..rollup import CODES as ROLLUP_CODES

KIND_NAMES = {"text": "文本", "money": "金额（元，最多两位小数，不加引号）", "date": "日期 YYYY-MM-DD",
              "flag": "true / false（是 / 否）", "days": f"天数（0 到 {DAYS_LIMIT} 的整数，不加引号）",
              "rate": "年利率（%，如 3.10，不加引号）", "list": "列表", "dict": "映射"}


def _cell(text: str) -> str:
    # Our own Markdown (code spans, regexes), not data: only the table syntax needs care.
    return text.replace("|", "\\|").replace("\n", "<br>")


# What a clerk reads instead of a field's regular expression: the rule in words and an example.
# A pattern missing here fails `qingqian docs` (and the drift test), so none reaches the page.
PATTERNS = {
    UNIT_ID: "小写字母、数字和 -，如 `lx-jtj`",
    CODE_ID: "字母、数字和 _ . -，如 `A001`",
    ITEM_REF: "单位编号/欠款编号，如 `lx-jtj/A003`",
    r"[0-9]{6}": "6 位数字，如 `990121`",
    YEAR: "4 位年份，如 `2025`",
    r"[0-9+() -]{5,20}": "如 `0358-1234567` 或 `13800000000`",
    r"[^@\s]+@[^@\s]+\.[^@\s]+": "如 `li@example.cn`",
}
NAMED = {"maintainers": "Git 账号，如 `lisi`"}  # where a field's own words say it better


def _pattern(regex: str, name: str) -> str:
    try:
        return NAMED.get(name.rpartition(".")[2]) or PATTERNS[regex]
    except KeyError:
        raise KeyError(f"reference_page.PATTERNS has no example for the pattern {regex!r}") from None


def _allowed(rules: dict, name: str) -> str:
    parts = []
    if "allowed" in rules:
        parts.append("、".join(rules["allowed"]))
    if rules.get("credit_code"):
        parts.append("18 位统一社会信用代码，校验位正确")
    if "regex" in rules:
        parts.append(_pattern(rules["regex"], name))
    inner = rules.get("schema", {})
    if inner.get("type") == "string" and "allowed" in inner:
        parts.append(f"每项：{'、'.join(inner['allowed'])}")
    if inner.get("type") == "string" and "regex" in inner:
        parts.append(f"每项：{_pattern(inner['regex'], name)}")
    return "；".join(parts)


def field_table(schema: dict) -> list[str]:
    lines = ["| 字段 | 必填 | 类型 | 含义 | 允许的值 |", "|---|---|---|---|---|"]
    for name, rules in walk_fields(schema):
        meta = rules["meta"]
        required = "是" if rules.get("required") else "否"
        lines.append(f'| <code class="qq-field">{name}</code> | {required} | '
                     f"{KIND_NAMES[meta['kind']]} | {_cell(meta['doc'])} | {_cell(_allowed(rules, name))} |")
    return lines


def code_table(codes: dict[str, Code] = CODES) -> list[str]:
    lines = ["| 代码 | 级别 | 问题 | 示例 | 怎么改 |", "|---|---|---|---|---|"]
    for code, entry in codes.items():
        level = "警告" if code.startswith("W") else "错误"
        example = "<code>" + _cell(html.escape(entry.example)).replace("<br>", "</code><br><code>") + "</code>"
        lines.append(f"| {code} | {level} | {entry.title} | {example} | {_cell(entry.fix)} |")
    return lines


def reference_page() -> str:
    lines = [
        "# 填报说明：字段与错误代码",
        "",
        "<!-- 本页由 `qingqian docs` 根据字段定义和错误代码表生成，请勿手工修改。 -->",
        "",
        "日期一律写成 `YYYY-MM-DD`；金额以元为单位，写成不带引号的数字，最多两位小数；"
        "布尔值写 `true` / `false`（也可写 `是` / `否`）。文件使用 UTF-8 编码、空格缩进。",
        "",
    ]
    for _folder, schema, title in KINDS.values():
        name, _, where = title.partition(" ")
        lines += [f"## {name} `{where}`", "", *field_table(schema), ""]
    lines += [
        "## 错误代码",
        "",
        "`qingqian validate` 报告的每个问题形如 `文件:行:列: 代码 说明`。"
        "错误必须修正后才能合并；警告提示需要有人关注的情况，不阻止合并。",
        "",
        *code_table(),
        "",
        "## 逐级汇总的代码",
        "",
        "上级汇总下级的数据包时（`qingqian rollup`、上级的网站和调度报告）报告的问题，"
        "形如 `错误：代码 说明` 或 `注意：代码 说明`，说明中写明是哪个下级。"
        "E8xx：该下级的数据包被拒绝，不计入汇总；W8xx：照常汇总，在“需要注意”中列出。",
        "",
        *code_table(ROLLUP_CODES),
        "",
    ]
    return "\n".join(lines)
