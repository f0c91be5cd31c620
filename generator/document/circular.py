"""A period report as a 通报: the office's red mark, the period's figures stated in words, the
problem lists as 附件 tables, 署名, 成文日期 and 版记 (layout gives the page).

Every figure is read from the typed PeriodReport that the JSON, Markdown and Excel forms show:
nothing is computed here but counts of the rows a list already holds. Amounts are in 元 with
fen, the report's one convention, and the text says so; units are named by their names.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..core.config import Config, Document
from ..core.money import grouped, percent
from ..history.period_report import local_day
from ..history.report_data import PeriodReport
from ..history.report_files import NO_DATA, invalid_notice
from .layout import Official, document_number, inert, written_date

QUARTERS = "一二三四"
REGULATION = "《保障中小企业款项支付条例》"
VIOLATIONS = f"违反{REGULATION}的欠款"
MEMBERS = "各下级清欠进展情况"
# period -> the 通报's serial within the year: the month, the quarter, the ISO week, the day of the year
SERIALS = {"day": lambda d: d.timetuple().tm_yday, "week": lambda d: d.isocalendar().week,
           "month": lambda d: d.month, "quarter": lambda d: (d.month - 1) // 3 + 1, "year": lambda d: 1}


def period_words(report: PeriodReport, config: Config) -> str:
    """The period as a title names it: 2022年10月, 2022年第三季度, 2022年11月24日至30日."""
    end = local_day(report.cutoff, config)
    start = local_day(report.previous_cutoff, config) + timedelta(days=1)
    if report.period == "month":
        return f"{end.year}年{end.month}月"
    if report.period == "quarter":
        return f"{end.year}年第{QUARTERS[(end.month - 1) // 3]}季度"
    if report.period == "year":
        return f"{end.year}年度"
    if report.period == "day":
        return written_date(end)
    return f"{written_date(start)}至{written_date(end)}"


def money(fen_amount: int) -> str:
    return f"{grouped(fen_amount)}元"


def _change(amount: int, up: str, down: str) -> str:
    if amount == 0:
        return "持平"
    return f"{up if amount > 0 else down}{money(abs(amount))}"


def overall(report: PeriodReport, config: Config) -> list[str]:
    """The period's figures in sentences: the totals at the cut-off (or, while the period is not
    over, at the moment the report was made), and how the remaining amount moved."""
    totals, movement = report.totals, report.movement
    until = report.cutoff if report.final or report.data_until is None else report.data_until
    at = until.astimezone(config.schedule.tz)
    moment = written_date(local_day(until, config)) + ("" if (at.hour, at.minute) == (0, 0) else f"{at.hour}时")
    lines = [] if report.final else [f"本期尚未截止（截止于{written_date(local_day(report.cutoff, config))}），"
                                     f"以下为截至{moment}的数据，本期结束前还会变化。"]
    rate = (f"清偿率（已清偿金额占欠款金额的比例）为{percent(totals.clearance_rate)}"
            if totals.clearance_rate is not None else "没有欠款，不计清偿率")
    # the count says what it leaves out, and the repaid what is not yet counted, as the report does
    scope = report.scope
    left = "、".join(part for part in (f"停产单位的{scope.halted}笔" if scope.halted else "",
                                       f"截止时尚未到期的{scope.not_due}笔" if scope.not_due else "") if part)
    counted = f"共{totals.items}笔" + (f"（台账中共{scope.ledger_items}笔，{left}不计入）" if left else "")
    held = f"（另有{money(totals.unverified)}经回访核查尚未到账，待核实，不计入已清偿）" if totals.unverified else ""
    lines.append(f"截至{moment}，计入统计的拖欠中小企业账款{counted}、金额{money(totals.amount)}，"
                 f"已清偿{money(totals.repaid)}{held}，尚未清偿{money(totals.remaining)}，{rate}。")
    moved = [f"期初尚未清偿{money(movement.opening)}",
             f"本期新增{money(movement.added)}、清偿{money(movement.repaid)}"]
    if movement.corrected:
        moved.append(f"更正{'增加' if movement.corrected > 0 else '减少'}{money(abs(movement.corrected))}")
    if movement.left_scope:
        moved.append(f"移出清理范围{money(movement.left_scope)}")
    lines.append(f"{'，'.join(moved)}，期末尚未清偿{money(movement.closing)}"
                 f"（与期初相比{_change(movement.closing - movement.opening, '增加', '减少')}）。")
    return lines


def regions(report: PeriodReport) -> str | None:
    """Which regions cleared most and least, by the rates the report gives."""
    owing = [row for row in report.by_region if row.amount > 0 and row.clearance_rate is not None]
    if len(owing) < 2:
        return None
    ranked = sorted(owing, key=lambda row: (row.clearance_rate, row.region_name))
    low, high = ranked[0], ranked[-1]
    return (f"分地区看，{len(owing)}个地区中清偿率最高的是{inert(high.region_name)}（{percent(high.clearance_rate)}），"
            f"最低的是{inert(low.region_name)}（{percent(low.clearance_rate)}），各地区情况见附件。")


def members(report: PeriodReport, see: str) -> str | None:
    """At an upper level: its members' figures, from the bundles its history held (rollup.periods)."""
    if not report.members_total or not report.members:
        return None
    [total] = report.members_total
    return (f"各下级（{len(report.members)}个，据报送并经核验的数据包）合计欠款{total.items}笔、{money(total.amount)}，"
            f"已清偿{money(total.repaid)}，尚未清偿{money(total.remaining)}，清偿率{percent(total.clearance_rate)}；"
            f"本期还款{money(total.movement.repaid)}{see}。")


def _units(rows) -> int:
    return len({row.unit for row in rows})


def attachments(report: PeriodReport) -> list[tuple[str, list[str], list[list[object]], set[int], list[float]]]:
    """(title, header, rows, right-aligned columns, column weights) of each 附件 with rows."""
    found = []
    if report.by_region:
        found.append(("各地区清欠进展情况",
                      ["序号", "地区", "笔数", "欠款金额（元）", "已清偿（元）", "尚未清偿（元）", "清偿率"],
                      [[n, r.region_name, r.items, grouped(r.amount), grouped(r.repaid), grouped(r.remaining),
                        percent(r.clearance_rate)] for n, r in enumerate(report.by_region, 1)],
                      {0, 2, 3, 4, 5, 6}, [1.0, 1.9, 0.8, 2.1, 2.1, 2.1, 1.0]))
    if report.members and report.members_total:
        found.append((MEMBERS, ["序号", "下级", "笔数", "欠款金额（元）", "已清偿（元）", "尚未清偿（元）", "清偿率"],
                      [[n or "", inert(r.region_name), r.items, grouped(r.amount), grouped(r.repaid),
                        grouped(r.remaining), percent(r.clearance_rate)]
                       for n, r in [*enumerate(report.members, 1), (0, report.members_total[0])]],
                      {0, 2, 3, 4, 5, 6}, [1.0, 1.9, 0.8, 2.1, 2.1, 2.1, 1.0]))
    if report.deadline_missed:
        found.append(("超过清偿时限仍未还清的欠款", ["序号", "单位", "债权企业", "时限类别", "时限", "尚未清偿（元）"],
                      [[n, r.unit_name, r.creditor_name, r.deadline_class, r.deadline.isoformat() if r.deadline else "",
                        grouped(r.remaining)] for n, r in enumerate(report.deadline_missed, 1)],
                      {0, 5}, [1.0, 2.2, 2.4, 2.1, 1.4, 2.1]))
    if report.plan_slipped:
        found.append(("还款计划逾期的欠款", ["序号", "单位", "债权企业", "按计划应还未还（元）"],
                      [[n, r.unit_name, r.creditor_name, grouped(r.plan_shortfall)]
                       for n, r in enumerate(report.plan_slipped, 1)], {0, 3}, [1.0, 3, 3, 2.1]))
    if report.late_units:
        found.append(("未按时报送台账的单位", ["序号", "单位", "情况", "最近一次提交时间"],
                      [[n, r.unit_name, r.reason, r.last.strftime("%Y-%m-%d %H:%M") if r.last else "无"]
                       for n, r in enumerate(report.late_units, 1)], {0}, [0.6, 4.4, 2.2, 2]))
    if report.supervision:
        found.append(("约谈、督办名单", ["序号", "单位", "列入原因", "清偿率", "超过时限笔数", "尚未清偿（元）"],
                      [[n, r.unit_name, r.reasons, percent(r.clearance_rate), r.deadline_missed, grouped(r.remaining)]
                       for n, r in enumerate(report.supervision, 1)], {0, 3, 4, 5}, [1.0, 2.6, 2.2, 1.0, 1.3, 2.1]))
    if report.violations:
        found.append((VIOLATIONS, ["序号", "单位", "债权企业", "违反条例情形", "条例规定的付款期限", "尚未清偿（元）",
                                   "应付逾期利息（元）"],
                      [[n, r.unit_name, r.creditor_name, r.violations,
                        r.statutory_due.isoformat() if r.statutory_due else "", grouped(r.remaining),
                        grouped(r.interest)] for n, r in enumerate(report.violations, 1)],
                      {0, 5, 6}, [0.8, 2.2, 2.2, 2.4, 1.9, 2.2, 2.1]))
    return found


def problems(report: PeriodReport, numbers: dict[str, int]) -> list[str]:
    """The lists of the report as sentences, each pointing to its 附件."""
    see = {title: f"（见附件{number}）" for title, number in numbers.items()}
    lines = []
    if report.deadline_missed:
        lines.append(f"超过清偿时限仍未还清的欠款{len(report.deadline_missed)}笔，涉及{_units(report.deadline_missed)}个单位"
                     f"{see.get('超过清偿时限仍未还清的欠款', '')}。")
    if report.plan_late:
        lines.append(f"还款计划晚于清偿时限的欠款{len(report.plan_late)}笔，涉及{_units(report.plan_late)}个单位。")
    if report.plan_slipped:
        lines.append(f"未按还款计划还款的欠款{len(report.plan_slipped)}笔，涉及{_units(report.plan_slipped)}个单位"
                     f"{see.get('还款计划逾期的欠款', '')}。")
    if report.new_arrears:
        lines.append(f"本期新增拖欠{len(report.new_arrears)}笔，涉及{_units(report.new_arrears)}个单位。")
    if report.late_units:
        lines.append(f"{len(report.late_units)}个单位未按时报送台账{see.get('未按时报送台账的单位', '')}。")
    if report.supervision:
        lines.append(f"按约谈、督办规则，{len(report.supervision)}个单位列入约谈、督办名单"
                     f"{see.get('约谈、督办名单', '')}。")
    lines.extend(standing(report, see.get(VIOLATIONS, "")))
    if report.member_problems:  # each message names its member
        lines.append(f"下级数据包的问题{len(report.member_problems)}个：" +
                     "；".join(inert(p.message).rstrip("。") for p in report.member_problems) + "。")
    return lines or ["本期没有超过清偿时限、计划逾期、新增拖欠或未按时报送的情况。"]


def standing(report: PeriodReport, see: str) -> list[str]:
    """The standing rules' figures of the report (its 条例执行 section) as a sentence."""
    if not report.standing:
        return []
    [figures] = report.standing
    line = (f"按{REGULATION}计算的欠款{figures.debts}笔，其中逾期未付{figures.overdue}笔、"
            f"尚未支付{money(figures.overdue_remaining)}，应付逾期利息{money(figures.interest)}")
    if report.violations:
        line += f"；违反条例的欠款{len(report.violations)}笔，涉及{_units(report.violations)}个单位{see}"
    if figures.late_clues:
        line += f"；投诉办理超过条例规定时限的{figures.late_clues}条"
    return [line + "。"]


REQUIREMENTS = [
    "各单位要对照附件所列问题逐笔核实，无分歧欠款发现一起、清偿一起；确有困难的，"
    "要制定还款计划并严格按计划清偿。",
    "各单位要按时报送台账，如实登记还款、更正和还款计划，不得漏报、迟报。"
    "超过清偿时限仍未还清和列入约谈、督办名单的单位，要书面说明原因和整改措施。",
]
RULES_REQUIREMENT = (f"附件所列违反{REGULATION}的单位，要按条例规定的期限支付欠款，逾期的依法支付逾期利息；"
                     "合同中背靠背、以审计结果作为结算依据等违规条款要依法修改。")


def circular(report: PeriodReport, config: Config, day: date | None = None, serial: int | None = None) -> bytes:
    """The report as a 通报 (.docx bytes), dated `day` (default: the day its period closes)."""
    settings: Document = config.document
    end = local_day(report.cutoff, config)
    day = day or end
    words = period_words(report, config)
    doc = Official()
    doc.head(settings.mark, document_number(settings.number_prefix, day.year,
                                            serial if serial is not None else SERIALS[report.period](end)))
    doc.title(f"关于{words}清欠工作", "进展情况的通报")
    doc.addressee(settings.recipients)
    doc.body(f"现将{words}清理拖欠中小企业账款工作进展情况通报如下（金额单位：元）。")
    if report.no_data:
        doc.body(NO_DATA)
    if report.invalid:
        doc.body(invalid_notice(report))
    if report.issued is not None and report.issued.corrections:
        doc.body("本通报的数据与已发布的报告不同（主线历史在发布后有变化），以已发布的报告为准核对。")
    doc.heading("一、总体进展")
    for line in overall(report, config):
        doc.body(line)
    listed = attachments(report)
    numbers = {title: number for number, (title, *_rest) in enumerate(listed, 1)}
    if (by_region := regions(report)) is not None:
        doc.body(by_region.replace("见附件", f"见附件{numbers['各地区清欠进展情况']}"))
    if (across := members(report, f"（见附件{numbers.get(MEMBERS)}）")) is not None:
        doc.body(across)
    doc.heading("二、存在的问题")
    for line in problems(report, numbers):
        doc.body(line)
    doc.heading("三、下一步工作要求")
    required = REQUIREMENTS + ([RULES_REQUIREMENT] if report.violations else [])
    for number, line in enumerate(required, 1):
        doc.body(f"（{'一二三四五'[number - 1]}）{line}")
    doc.attachment_note([title for title, *_rest in listed])
    doc.signature(settings.organ, day)
    for number, (title, header, rows, right, weights) in enumerate(listed, 1):
        doc.attachment(number if len(listed) > 1 else None, title, header, rows, right, weights)
    doc.colophon(settings.copy_to, settings.printer, day)
    return doc.to_bytes()
