"""The 填报说明 reference page, generated from the schema and the error-code table."""

from __future__ import annotations

import html

from ..core.issues import CODES
from ..core.schema import KINDS, walk_fields

KIND_NAMES = {"text": "文本", "money": "金额（元，最多两位小数，不加引号）", "date": "日期 YYYY-MM-DD",
              "flag": "true / false（是 / 否）", "list": "列表", "dict": "映射"}


def _cell(text: str) -> str:
    # Our own Markdown (code spans, regexes), not data: only the table syntax needs care.
    return text.replace("|", "\\|").replace("\n", "<br>")


def _allowed(rules: dict) -> str:
    parts = []
    if "allowed" in rules:
        parts.append("、".join(rules["allowed"]))
    if rules.get("credit_code"):
        parts.append("18 位统一社会信用代码，校验位正确")
    if "regex" in rules:
        parts.append(f"格式 `{rules['regex']}`")
    inner = rules.get("schema", {})
    if inner.get("type") == "string" and "regex" in inner:
        parts.append(f"每项格式 `{inner['regex']}`")
    return "；".join(parts)


def field_table(schema: dict) -> list[str]:
    lines = ["| 字段 | 必填 | 类型 | 含义 | 允许的值 |", "|---|---|---|---|---|"]
    for name, rules in walk_fields(schema):
        meta = rules["meta"]
        lines.append(f"| `{name}` | {'是' if rules.get('required') else '否'} | "
                     f"{KIND_NAMES[meta['kind']]} | {_cell(meta['doc'])} | {_cell(_allowed(rules))} |")
    return lines


def code_table() -> list[str]:
    lines = ["| 代码 | 级别 | 问题 | 示例 | 怎么改 |", "|---|---|---|---|---|"]
    for code, entry in CODES.items():
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
    ]
    return "\n".join(lines)
