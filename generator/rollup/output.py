"""The roll-up as JSON for machines (DESIGN §3d's shape) or Markdown for people. Money is
exact yuan text in JSON and grouped yuan in Markdown; every text a bundle carried is escaped
in Markdown (core.text), and JSON escapes by its nature."""

from __future__ import annotations

import json

from ..analysis.stats import Totals
from ..core.money import grouped, percent, yuan
from ..core.text import escape, table
from ..history.report_data import rate_text
from .aggregate import Result


def _sums(sums: Totals) -> dict[str, object]:
    return {"items": sums.count, "amount": yuan(sums.amount), "repaid": yuan(sums.repaid),
            "remaining": yuan(sums.remaining), "rate": rate_text(sums.rate)}


def as_json(result: Result) -> dict[str, object]:
    return {
        "region": {"code": result.region.code, "name": result.region.name},
        "date": result.date.isoformat(),
        "totals": _sums(result.totals),
        "members": [{"region_code": m.region_code, "region_name": m.region_name, "as_of": m.as_of.isoformat(),
                     **_sums(m.totals), "stale": m.stale, "signed": m.signed, "commit": m.commit}
                    for m in result.members],
        "by_region_type": [{"type": key, **_sums(sums)} for key, sums in result.by_region_type],
        "by_supervisor_kind": [{"kind": key, **_sums(sums)} for key, sums in result.by_supervisor_kind],
        "problems": [{"code": p.code, "kind": p.kind, "region_code": p.region_code, "message": p.message}
                     for p in result.problems],
    }


def _row(sums: Totals) -> list[object]:
    return [sums.count, grouped(sums.amount), grouped(sums.repaid), grouped(sums.remaining), percent(sums.rate)]


HEAD = ["笔数", "欠款金额（元）", "已还金额（元）", "剩余欠款（元）", "清偿率"]
RIGHT = [False, True, True, True, True, True, True]


def as_markdown(result: Result) -> str:
    lines = [f"# {escape(result.region.name)}汇总（{result.date}）", "",
             f"共 {len(result.members)} 个下级报送了数据包。", "",
             *table(["", *HEAD], [["合计", *_row(result.totals)]], RIGHT), "", "## 各下级", "",
             *table(["区划", "代码", "数据日期", "过期", *HEAD],
                    [[m.region_name, m.region_code, m.as_of, m.stale, *_row(m.totals)] for m in result.members],
                    [False, False, False, False, *RIGHT[1:]])]
    for title, rows in (("按区划类型", result.by_region_type), ("按汇总单位类别", result.by_supervisor_kind)):
        lines += ["", f"## {title}", "", *table(["", *HEAD], [[key, *_row(sums)] for key, sums in rows], RIGHT)]
    if result.problems:
        lines += ["", "## 问题", "", *table(["代码", "类别", "区划代码", "说明"],
                                          [[p.code, p.label, p.region_code, p.message] for p in result.problems])]
    return "\n".join(str(line) for line in lines) + "\n"


def render(result: Result, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_json(result), ensure_ascii=False, indent=1) + "\n"
    return as_markdown(result)
