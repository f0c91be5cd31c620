"""A report as Markdown (for the site), JSON (for machines) or XLSX (for circulation)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..analysis.disclosure import COLUMNS as DISCLOSURE_COLUMNS
from ..core.money import grouped, percent, percent_shown, yuan_decimal
from ..core.text import escape, table
from ..core.vocab import UNREPORTED
from ..core.xlsx import FIXED_TIME, HEADER_FILL, HEADER_FONT, NUMBER_FORMATS, literal, reproducible, width
from .followthrough_report import SECTIONS as FOLLOWTHROUGH
from .report_data import Issued, PeriodReport, RankedUnit, Scope
from .report_json import json_form

# How the remaining amount moved (report_data.Movement), in the order of its identity.
MOVEMENT = [("opening", "期初剩余"), ("added", "本期新增"), ("repaid", "本期还款"), ("corrected", "更正"),
            ("left_scope", "移出"), ("closing", "期末剩余")]
MOVEMENT_COLUMNS = [(f"movement.{key}", label) for key, label in MOVEMENT]
MOVEMENT_RULE = ("期末剩余 = 期初剩余 + 本期新增 − 本期还款 + 更正 − 移出。本期还款只计期初、期末都在清理范围内的欠款"
                 "本期录入的还款；本期新增为本期进入范围的欠款（新录入或本期到期）在期末的剩余；更正为金额或还款的更正、"
                 "回访核实未到账等其他变化（可正可负）；移出为本期停产（自停产日期起）、删除的单位或欠款在期初的剩余。")
MEMBER_COLUMNS = [("region_name", "下级"), ("items", "笔数"), ("amount", "欠款"),
                  ("repaid", "已还"), ("unverified", "待核实"), ("remaining", "剩余"), ("clearance_rate", "清偿率"),
                  ("movement.repaid", "本期还款")]
TOTALS = [("items", "欠款笔数"), ("amount", "欠款金额（元）"), ("repaid", "已还金额（元）"),
          ("remaining", "剩余欠款（元）"), ("unverified", "待核实（元）"), ("clearance_rate", "清偿率")]
# (key, title, [(column, header)]) in the order a reader wants them.
SECTIONS = [
    ("invalid", "未通过校验的文件（未按其内容计入）", [("path", "文件"), ("errors", "问题（行:列 代码 说明）"),
                                          ("used", "本报告的处理")]),
    ("by_region", "分地区", [("region_name", "地区"), ("items", "笔数"), ("amount", "欠款"), ("repaid", "已还"),
                           ("unverified", "待核实"), ("remaining", "剩余"), ("clearance_rate", "清偿率"),
                           ("movement.repaid", "本期还款")]),
    ("by_region", "剩余欠款变动（分地区）", [("region_name", "地区"), *MOVEMENT_COLUMNS]),
    ("by_unit", "分单位", [("unit", "单位编号"), ("unit_name", "单位"), ("items", "笔数"), ("amount", "欠款"),
                         ("repaid", "已还"), ("unverified", "待核实"), ("remaining", "剩余"),
                         ("clearance_rate", "清偿率"), ("movement.repaid", "本期还款")]),
    ("by_unit", "剩余欠款变动（分单位）", [("unit", "单位编号"), ("unit_name", "单位"), *MOVEMENT_COLUMNS]),
    ("members_total", "各下级合计（据本级仓库中的下级数据包）", MEMBER_COLUMNS),
    ("members", "各下级", MEMBER_COLUMNS),
    ("members", "剩余欠款变动（各下级）", [("region_name", "下级"), *MOVEMENT_COLUMNS]),
    ("member_problems", "下级数据包的问题", [("code", "代码"), ("message", "说明")]),
    ("late_units", "未按时报送", [("unit", "单位编号"), ("unit_name", "单位"), ("reason", "情况"),
                              ("last", "最近一次提交时间"), ("as_of", "台账日期")]),
    ("late_merged", "按单位提交时间计为按时（截止后合并）", [("unit", "单位编号"), ("unit_name", "单位"),
                                                ("committed", "单位提交时间")]),
    ("removed_units", "本期删除的单位", [("unit", "单位编号"), ("unit_name", "单位")]),
    ("removed_debts", "本期移出的欠款（停产、删除）", [("unit", "单位编号"), ("id", "欠款编号"),
                                           ("unit_name", "单位"), ("creditor_name", "债权企业"),
                                           ("reason", "移出原因"), ("amount", "金额"), ("remaining", "移出前剩余")]),
    ("new_arrears", "新增拖欠", [("unit", "单位编号"), ("id", "欠款编号"), ("unit_name", "单位"),
                             ("creditor_name", "债权企业"), ("due", "约定付款日期"), ("amount", "金额")]),
    ("deadline_missed", "超过清偿时限仍未还清", [("unit", "单位编号"), ("id", "欠款编号"), ("unit_name", "单位"),
                                        ("creditor_name", "债权企业"), ("deadline_class", "时限类别"),
                                        ("deadline", "时限"), ("remaining", "剩余")]),
    ("plan_late", "还款计划晚于清偿时限", [("unit", "单位编号"), ("id", "欠款编号"), ("unit_name", "单位"),
                                     ("creditor_name", "债权企业"), ("deadline_class", "时限类别"),
                                     ("deadline", "时限"), ("remaining", "剩余")]),
    ("plan_slipped", "还款计划逾期", [("unit", "单位编号"), ("id", "欠款编号"), ("unit_name", "单位"),
                                ("creditor_name", "债权企业"), ("plan_shortfall", "按计划欠还")]),
    ("clues_opened", "新收投诉线索", [("id", "线索编号"), ("respondent", "被投诉单位编号"),
                                ("respondent_name", "被投诉单位"), ("verdict", "结论"),
                                ("amount", "金额")]),
    ("clues_closed", "办结投诉线索", [("id", "线索编号"), ("respondent", "被投诉单位编号"),
                                ("respondent_name", "被投诉单位"), ("verdict", "结论"),
                                ("amount", "金额")]),
    ("cases_published", "公开的典型案例", [("id", "编号"), ("title", "标题"), ("unit", "单位编号"),
                                    ("unit_name", "单位"), ("published", "公开日期")]),
    ("ranking", "单位排名（按剩余欠款）", [("rank", "名次"), ("unit", "单位编号"), ("unit_name", "单位"),
                                    ("remaining", "剩余"), ("clearance_rate", "清偿率")]),
    ("supervision", "约谈/督办名单（单位）", [("unit", "单位编号"), ("unit_name", "单位"), ("reasons", "列入原因"),
                                     ("clearance_rate", "清偿率"), ("deadline_missed", "超时限笔数"),
                                     ("slipped_running", "计划连续逾期期数"), ("remaining", "剩余")]),
    ("supervision_regions", "约谈/督办名单（县区）", [("region_code", "区划代码"), ("region_name", "县区"),
                                             ("reasons", "列入原因"), ("clearance_rate", "清偿率"),
                                             ("deadline_missed", "超时限笔数"),
                                             ("slipped_running", "计划连续逾期期数"), ("remaining", "剩余")]),
    ("groups", "汇总单位合计", [("group_name", "汇总单位"), ("kind", "类别"), ("units", "单位数"),
                           ("remaining", "剩余"), ("clearance_rate", "清偿率"), ("late_units", "未报送单位数"),
                           ("missed_units", "超时限单位数"),
                           ("slipped_units", "计划逾期单位数")]),
    ("disclosure", "年度逾期未支付合同公开（机关、事业单位）", DISCLOSURE_COLUMNS),
    ("standing", "条例执行（按《保障中小企业款项支付条例》计算）", [
        ("debts", "按条例计算笔数"), ("overdue", "逾期未付笔数"), ("overdue_remaining", "逾期未付金额"),
        ("interest", "应付逾期利息"), ("late_clues", "投诉办理超时条数")]),
    ("violations", "违反条例的欠款", [("unit", "单位编号"), ("id", "欠款编号"), ("unit_name", "单位"),
                               ("creditor_name", "债权企业"), ("violations", "违反条例情形"),
                               ("statutory_due", "条例规定的付款期限"), ("remaining", "剩余"),
                               ("interest", "应付逾期利息")]),
    *FOLLOWTHROUGH,
]


REPORTED = "已报送"
RATE_FORMAT = "0.0%"  # the one decimal of a percent every output shows (money.percent_shown)
NO_DATA = "截止时间之前主线上还没有任何提交：该时点没有数据，以下数字均为零，不能作为报告使用。"


def invalid_notice(report: PeriodReport) -> str:
    count = len(report.invalid)
    return (f"截止时间的数据中有 {count} 个文件未通过校验：其错误内容未计入，改用该文件最后一个有效版本"
            f"（没有有效版本的未计入），见“未通过校验的文件”。")


def local_time(moment: datetime) -> str:
    """A cut-off as people write it: 2022-11-30T17:00:00+08:00 -> 2022-11-30 17:00 (the
    reports' times are in the schedule's time zone, so the offset says nothing to a reader)."""
    return moment.strftime("%Y-%m-%d %H:%M")


# sections whose rule is printed under their heading
NOTES: dict[str, Callable[[PeriodReport], str | None]] = {
    "late_units": lambda report: report.late_rule, "supervision": lambda report: report.supervision_rule,
    "members_total": lambda report: MEMBERS_RULE}
MEMBERS_RULE = ("各下级的数字取自本级仓库在截止时间已提交的下级数据包（文件的 SHA-256 和签名均已核验）；数据包的"
                "数据日期为截止日时，与该下级自己同期报告的数字相同。本期还款为期初、期末都在的欠款已还金额的增加"
                "（同一期内撤回或改动了已登记的还款时，本级只见净额，下级自己的报告把撤回的部分列为更正）；上期截止时"
                "没有计入的下级整体计为本期新增，上期计入、本期没有计入的（缺少或被拒绝）在合计中计为移出。被拒绝的数据包"
                "不计入，与过期、缺少的一并列在“下级数据包的问题”中。")




def scope_text(report: PeriodReport) -> str:
    """Why the count differs from the ledgers' (the validation summary counts every debt)."""
    return scope_sentence(report.scope, report.totals.items)


def scope_sentence(scope: Scope, counted: int, counter: str = "本报告计入", when: str = "截止时") -> str:
    """台账中共有 N 笔欠款，<counter> M 笔（停产单位的 … 笔、<when>尚未到期的 … 笔不计入）。"""
    left = [f"停产单位的 {scope.halted} 笔" if scope.halted else "", f"{when}尚未到期的 {scope.not_due} 笔"
            if scope.not_due else ""]
    rest = "、".join(part for part in left if part)
    return f"台账中共有 {scope.ledger_items} 笔欠款，{counter} {counted} 笔" + (f"（{rest}不计入）。" if rest else "。")


def day_end(moment: datetime) -> str:
    """A moment as people write it, midnight as the day before's 24:00 (数据截至 2022-11-15 24:00)."""
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        return f"{(moment - timedelta(days=1)).date().isoformat()} 24:00"
    return local_time(moment)


def title(report: PeriodReport) -> str:
    """A final report says its cut-off; one whose period was not over when it was made says so."""
    if report.final or report.data_until is None:
        return f"{report.period_name}（截至 {local_time(report.cutoff)}）"
    made = report.data_until.astimezone(report.cutoff.tzinfo)
    return f"{report.period_name}·未截止（数据截至 {day_end(made)}，本期截止 {local_time(report.cutoff)}）"


MONEY = {"amount", "repaid", "reported_paid", "remaining", "unverified", "plan_shortfall", "overdue_remaining",
         "interest", *(key for key, _label in MOVEMENT_COLUMNS)}
COUNTS = {"items", "contracts", "deadline_missed", "plan_slipped", "rank", "debts", "overdue", "late_clues"}


def _value(row: object, column: str) -> Any:
    """A row's value in `column`: a ranked unit's columns besides its rank are its unit row's."""
    if isinstance(row, RankedUnit) and column != "rank":
        return _value(row.row, column)
    for name in column.split("."):  # movement.repaid: a field of the row's movement
        row = getattr(row, name)
    return row


def _shown(column: str, value: Any) -> object:
    """A report value as the Markdown table shows it: money grouped, rates as percentages,
    times as the JSON writes them."""
    if column == "clearance_rate":
        return percent(value)
    if column == "reported":
        return REPORTED if value else UNREPORTED
    if value is None:
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if column in MONEY:
        return grouped(value)
    return value


def header_of(key: str, label: str) -> str:
    """A column's header as every output writes it: money says its unit, （元）."""
    return f"{label}（元）" if _kind(key) == "money" and "元" not in label else label


def _md_table(columns: list[tuple[str, str]], rows: Sequence[object]) -> list[str]:
    """A section as a Markdown table: numbers right-aligned, money headers in 元, and no unit
    id column where the unit's name is there (the JSON keeps the ids)."""
    keys = [c for c in columns if not any(k == f"{c[0]}_name" for k, _ in columns)]  # unit, respondent
    header = [header_of(key, label) for key, label in keys]
    right = [key in MONEY or key in COUNTS or key == "clearance_rate" for key, _ in keys]
    return table(header, [[_cell_text(row, key) for key, _ in keys] for row in rows], right)


def _cell_text(row: object, key: str) -> object:
    value = _value(row, key)
    return _unknown(row) if value is None and key in FIGURES else _shown(key, value)


FIGURES = {"contracts", "remaining"}  # what a unit that never reported has none of


def _unknown(row: object) -> object:
    """What a missing figure reads as: 未报送 for a unit that never submitted a ledger."""
    return UNREPORTED if getattr(row, "reported", True) is False else None


def to_markdown(report: PeriodReport) -> str:
    totals, change = report.totals, report.change
    lines = [f"# {title(report)}", "",
             f"上期截止：{local_time(report.previous_cutoff)}；数据版本 {(report.commit or '无')[:10]}", ""]
    if report.no_data:
        lines += [f"**{NO_DATA}**", ""]
    if report.invalid:
        lines += [f"**{invalid_notice(report)}**", ""]
    if report.issued is not None:
        lines += _issued(report.issued, report.commit)
    lines += [scope_text(report), ""]
    header, right = [label for _, label in TOTALS + CHANGE], [True] * (len(TOTALS) + len(CHANGE))
    lines += table(header, [[totals.items, grouped(totals.amount), grouped(totals.repaid), grouped(totals.remaining),
                             grouped(totals.unverified), percent(totals.clearance_rate), change.items,
                             grouped(change.repaid), grouped(change.remaining)]], right)
    lines += ["", "## 剩余欠款变动", "", escape(MOVEMENT_RULE), ""]
    lines += table([f"{label}（元）" for _, label in MOVEMENT],
                   [[grouped(getattr(report.movement, key)) for key, _ in MOVEMENT]], [True] * len(MOVEMENT))
    for key, heading, columns in SECTIONS:
        rows = report.section(key)
        if rows is None:
            continue
        lines += ["", f"## {heading}", ""]
        if key in NOTES:
            lines += [escape(NOTES[key](report)), ""]
        lines += _md_table(columns, rows) if rows else ["无。"]
    return "\n".join(lines) + "\n"


CORRECTION_COLUMNS = [("figure", "项目"), ("issued", "已发布"), ("now", "现在重新计算")]


def _version(commit: object) -> str:
    """A commit id for the text of a page; anything else read from the archive is not shown."""
    return commit[:10] if isinstance(commit, str) and re.fullmatch(r"[0-9a-f]{7,64}", commit) else "无"


def _issued(issued: Issued, commit: str | None) -> list[str]:
    """The comparison with the report as it was issued (history.archive)."""
    version = _version(issued.commit)
    if not issued.corrections:
        same = "" if issued.commit == commit else f"；现在读取的数据版本 {_version(commit)}"
        return [f"本报告已发布并存档（数据版本 {version}）{same}，重新计算的数字与已发布的一致。", ""]
    return [f"**更正：本报告已发布并存档（数据版本 {version}），之后主线的历史有变化，重新计算的结果与已发布的不同。"
            f"两者都列在下面，以已发布的为准核对。**", "",
            *table([label for _, label in CORRECTION_COLUMNS],
                   [[row.figure, row.issued, row.now] for row in issued.corrections]), ""]


def to_json(report: PeriodReport) -> str:
    return json.dumps(json_form(report), ensure_ascii=False, indent=1) + "\n"


def to_xlsx(report: PeriodReport, only: str | None = None) -> bytes:
    """The report as a workbook; with `only`, that one section's table and nothing else (the
    annual disclosure goes out so: it must not carry per-debt sheets with creditor names)."""
    workbook = Workbook()
    workbook.properties.created = FIXED_TIME
    sheet = workbook.worksheets[0]
    if only is None:
        sheet.title = "总体"
        totals: list[tuple[str, str, object]] = [("报告", "text", title(report)),
                                                 ("计入范围", "text", scope_text(report))]
        totals += [(label, _kind(key), getattr(report.totals, key)) for key, label in TOTALS]
        totals += [(label, _kind(key), getattr(report.change, key)) for key, label in CHANGE]
        totals += [(f"{label}（元）", "money", getattr(report.movement, key)) for key, label in MOVEMENT]
        sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 16, 40
        for number, (label, kind, value) in enumerate(totals, 1):
            _cell(sheet, number, 1, "text", label).font = HEADER_FONT
            _cell(sheet, number, 2, kind, value)
        if report.issued and report.issued.corrections:  # a recomputation that differs from the issued one
            sheet = workbook.create_sheet("更正")
            for col, (_key, label) in enumerate(CORRECTION_COLUMNS, 1):
                _cell(sheet, 1, col, "text", label).font = HEADER_FONT
            for number, row in enumerate(report.issued.corrections, 2):
                for col, text in enumerate((row.figure, row.issued, row.now), 1):
                    _cell(sheet, number, col, "text", text)
    else:
        workbook.remove(sheet)
    for key, heading, columns in SECTIONS:
        rows = report.section(key)
        if rows is None or only not in (None, key):
            continue
        # Excel's limits on sheet names: 31 characters, none of []:*?/\
        sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", "、", heading)[:31])
        _table(sheet, [(c, header_of(c, label), _kind(c)) for c, label in columns], rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return reproducible(buffer.getvalue())


CHANGE = [("items", "笔数变化"), ("repaid", "本期还款（元）"), ("remaining", "剩余变化（元）")]
KINDS = {**dict.fromkeys(("amount", "repaid", "remaining", "plan_shortfall", *MONEY), "money"),
         **dict.fromkeys(("as_of", "due", "deadline", "published", "date", "last_followup", "statutory_due"), "date"),
         **dict.fromkeys(("items", "rank", "contracts", "deadline_missed", "plan_slipped", "measures", "units",
                          "late_units", "missed_units", "slipped_units", "slipped_running",
                          "requests_received", "requests_answered", "requests_overdue", "followups",
                          "discrepancies", "clues_past_deadline", "debts", "overdue", "late_clues"), "count"),
         "clearance_rate": "rate"}


def _kind(key: str) -> str:
    return KINDS.get(key, "text")


def _table(sheet, columns: list[tuple[str, str, str]], rows: Sequence[object]) -> None:
    """A header row (frozen, with filter buttons) over typed cells, every column sized."""
    for number, (_key, label, kind) in enumerate(columns, 1):
        cell = _cell(sheet, 1, number, "text", label)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        sheet.column_dimensions[get_column_letter(number)].width = width(label, kind)
    for row_number, row in enumerate(rows, 2):
        for number, (key, _label, kind) in enumerate(columns, 1):
            value = _value(row, key)
            if key == "reported":
                value = REPORTED if value else UNREPORTED
            _cell(sheet, row_number, number, kind, value)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


def _cell(sheet, row: int, col: int, kind: str, value: Any):
    """Excel gets numbers it can sum (fen as exact decimal yuan, the rate's four decimals),
    real dates and percentages; ids, names and times stay text."""
    if kind == "rate":  # the shown percentage itself, so that Excel shows the same digit; blank: no rate
        value = percent_shown(value)
    elif value in ("", None):
        value = None
    elif kind == "money":
        value = yuan_decimal(value)
    elif kind == "count":
        value = int(value)
    elif kind == "text" and isinstance(value, date):  # a time of a commit
        value = value.isoformat()
    cell = literal(sheet.cell(row, col, value))
    if kind == "rate":
        cell.number_format = RATE_FORMAT
    elif kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]
    return cell


def write(report: PeriodReport, fmt: str, out: Path | None) -> str | None:
    """Write to `out`; without it, return the text (md/json) for standard output."""
    if fmt == "xlsx":
        if out is None:
            raise ValueError("xlsx 报告需要 --out 文件")
        out.write_bytes(to_xlsx(report))
        return None
    text = to_markdown(report) if fmt == "md" else to_json(report)
    if out is None:
        return text
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return None
