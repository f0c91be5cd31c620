"""The model stage's table: one row per debt with its derived fields, ready for pandas.

Money columns hold exact integer fen (`*_fen`), so sums and group-bys in pandas are exact
and fast; `yuan()` turns them back into the decimal text people read.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd

from ..core.config import Campaign
from ..core.derive import derive, discrepancy, in_scope, is_arrears, latest_followup, pending, snapshot
from ..core.model import Records
from ..core.money import fen
from ..core.vocab import UnitStatus
from ..rules.standing import Judge

FLAGS = ("deadline_missed", "disputed", "plan_slipped", "plan_late", "new_arrears", "followup_discrepancy")
MONEY = ("contract_amount", "amount", "repaid", "remaining", "unverified", "plan_total", "plan_shortfall",
         "non_cash_paid", "overdue_interest")
# The other typed columns, so that every output can show them as what they are.
DATES = ("contract_signed", "due", "settled", "deadline", "last_payment", "next_plan", "as_of", "delivered",
         "accepted", "settlement", "clock_start", "statutory_due")
COUNTS = ("days_overdue", "payments_count", "corrections_count", "acceptance_within", "pay_within")
RATES = ("non_cash_share",)  # a fraction: 0.25 is 25%
AGREED_DAYS = ("acceptance_within", "pay_within")  # whole days, empty where the contract agreed none

# (column, Chinese header) in export order; unit and item id first (DESIGN §4).
COLUMNS: list[tuple[str, str]] = [
    ("unit", "单位编号"), ("id", "欠款编号"), ("unit_name", "单位名称"), ("unit_type", "单位类型"),
    ("region_code", "区划代码"), ("region_name", "区划"), ("supervisor", "汇总单位"),
    ("creditor_name", "债权企业"), ("creditor_credit_code", "企业信用代码"),
    ("creditor_size", "企业规模"), ("category", "类别"), ("contract_number", "合同编号"),
    ("contract_signed", "合同签订日期"), ("contract_amount", "合同金额"), ("due", "约定付款日期"),
    ("amount", "欠款金额"), ("repaid", "已还金额"), ("remaining", "剩余欠款"), ("unverified", "待核实金额"),
    ("status", "清偿状态"),
    ("settled", "清偿完毕日期"), ("days_overdue", "逾期天数"), ("deadline_class", "清偿时限类别"),
    ("deadline", "清偿时限"), ("deadline_missed", "是否超过时限"), ("disputed", "是否有分歧"),
    ("dispute_reason", "分歧原因"), ("dispute_path", "解决途径"), ("dispute_state", "分歧状态"),
    ("origin", "来源"), ("clue", "投诉线索"), ("payments_count", "还款笔数"),
    ("last_payment", "最近还款日期"), ("plan_total", "计划还款合计"), ("next_plan", "下一期计划日期"),
    ("plan_slipped", "计划是否逾期"), ("plan_shortfall", "计划欠还金额"),
    ("slipped_running", "连续逾期计划期数"), ("plan_late", "计划晚于清偿时限"), ("new_arrears", "是否新增拖欠"),
    ("non_cash_paid", "非现金支付金额"), ("non_cash_share", "非现金支付占比"),
    ("corrections_count", "更正次数"), ("confirmations_count", "确权请求次数"),
    ("confirmations_pending", "未答复确权请求"), ("followups_count", "回访核查次数"),
    ("last_followup", "最近核查日期"), ("last_followup_method", "最近核查方式"),
    ("last_followup_by", "最近核查单位编号"), ("last_followup_by_name", "最近核查单位"),
    ("last_followup_result", "最近核查结果"), ("followup_discrepancy", "核查与报送不符"),
    # the standing rules (DESIGN §3c): the contract's terms as written, then what the rules derive
    ("delivered", "交付日"), ("acceptance_within", "约定验收期限（日）"), ("accepted", "验收合格日"),
    ("settlement", "结算确认日"), ("pay_within", "约定付款期限（日）"), ("interest_rate", "约定逾期年利率（%）"),
    ("conditions", "付款条件"), ("regulation", "适用条例"), ("clock_start", "付款期限起算日"),
    ("statutory_due", "条例付款期限"), ("overdue_interest", "逾期利息"), ("violations", "违规情形"),
    ("notes", "备注"), ("as_of", "台账日期"),
]


# money says its unit where people read it: every export's header (CSV, XLSX) says （元）
COLUMNS = [(name, f"{label}（元）" if name in MONEY else label) for name, label in COLUMNS]


def stated_date(records: Records, as_of: date | None) -> date:
    """The one date a frame, a page or an export is true on: `as_of`, else the newest ledger's."""
    return as_of or max((ledger.as_of for ledger in records.ledgers), default=date(1970, 1, 1))


def _name(records: Records, unit_id: str) -> str:
    """A unit's registered name; its id when it is not registered."""
    unit = records.units.get(unit_id)
    return unit.name if unit is not None else unit_id


def items_frame(records: Records, campaign: Campaign, as_of: date | None = None,
                judge: Judge | None = None) -> pd.DataFrame:
    """Every debt in scope at one stated date (`as_of`, default the newest ledger's): days
    overdue and deadlines are counted to it, only payments and corrections dated on or before
    it count, debts not yet due then are left out, and so are the ledgers of units that had
    stopped production (停产) by then. `judge` applies the configured standing rules (the
    defaults when none is given)."""
    rows = []
    when = stated_date(records, as_of)
    judge = judge or Judge()
    for ledger in sorted(records.ledgers, key=lambda led: led.unit):
        unit = records.units.get(ledger.unit)
        if unit is not None and unit.status == UnitStatus.HALTED and not in_scope(unit, when):
            continue
        for item in ledger.items:
            if not is_arrears(item, when):
                continue
            item = snapshot(item, when)
            derived = derive(item, when, campaign)
            future = [e.date for e in item.plan if e.date > when]
            check = latest_followup(item)
            terms, standing = item.terms, judge.debt(item, unit.type if unit else "", when)
            rows.append({
                "unit": item.unit, "id": item.id,
                "unit_name": unit.name if unit else "", "unit_type": unit.type if unit else "",
                "region_code": unit.region_code if unit else "",
                "region_name": unit.region_name if unit else "",
                "supervisor": (unit.supervisor or "") if unit else "",
                "creditor_name": item.creditor_name, "creditor_credit_code": item.creditor_code,
                "creditor_size": item.creditor_size, "category": item.category,
                "contract_number": item.contract_number, "contract_signed": item.contract_signed,
                "contract_amount": fen(item.contract_amount), "due": item.due,
                "amount": fen(item.amount), "repaid": fen(derived.repaid),
                "remaining": fen(derived.remaining), "unverified": fen(derived.unverified),
                "status": derived.status,
                "settled": derived.settled, "days_overdue": derived.days_overdue,
                "deadline_class": derived.deadline_class, "deadline": derived.deadline,
                "deadline_missed": derived.deadline_missed, "disputed": item.disputed,
                "dispute_reason": item.dispute_reason or "", "dispute_path": item.dispute_path or "",
                "dispute_state": item.dispute_state or "", "origin": item.origin,
                "clue": item.clue or "", "payments_count": len(item.payments),
                "last_payment": max((p.date for p in item.payments), default=None),
                "plan_total": fen(sum((e.amount for e in item.plan), Decimal(0))),
                "next_plan": min(future, default=None),
                "plan_slipped": derived.plan_slipped,
                "plan_shortfall": fen(derived.plan_shortfall),
                "slipped_running": derived.slipped_running, "plan_late": derived.plan_late,
                "new_arrears": derived.new_arrears,
                "non_cash_paid": fen(derived.non_cash_paid),
                "non_cash_share": derived.non_cash_share,
                "corrections_count": len(item.corrections),
                "confirmations_count": len(item.confirmations), "confirmations_pending": len(pending(item)),
                "followups_count": len(item.followups), "last_followup": check.date if check else None,
                "last_followup_method": check.method if check else "", "last_followup_by": check.by if check else "",
                "last_followup_by_name": _name(records, check.by) if check else "",
                "last_followup_result": check.result if check else "",
                "followup_discrepancy": discrepancy(item) is not None,
                "delivered": terms.delivered if terms else None,
                "acceptance_within": terms.acceptance_within if terms else None,
                "accepted": terms.accepted if terms else None, "settlement": terms.settlement if terms else None,
                "pay_within": terms.pay_within if terms else None,
                "interest_rate": str(terms.interest_rate) if terms and terms.interest_rate is not None else "",
                "conditions": terms.conditions if terms else (),
                "regulation": (standing.regulation or "") if standing else "",
                "clock_start": standing.clock_start if standing else None,
                "statutory_due": standing.statutory_due if standing else None,
                "overdue_interest": standing.overdue_interest if standing else 0,
                "violations": standing.violations if standing else (),
                "notes": item.notes,
                "as_of": ledger.as_of,
            })
    frame = pd.DataFrame(rows, columns=[name for name, _label in COLUMNS])
    # Typed even when empty, so boolean masks and sums behave the same for no rows.
    counts = ("days_overdue", "slipped_running", "payments_count", "corrections_count")
    frame = frame.astype({**dict.fromkeys(MONEY, "int64"), **dict.fromkeys(FLAGS, "bool"),
                          **dict.fromkeys(counts, "int64"), **dict.fromkeys(AGREED_DAYS, "Int64")})
    return frame


def with_units_replaced(frame: pd.DataFrame, records: Records, units: set[str], campaign: Campaign,
                        as_of: date, judge: Judge | None = None) -> pd.DataFrame:
    """`frame` (items_frame of earlier records at `as_of`) with the rows of `units` derived again
    from `records`: the same frame items_frame(records, campaign, as_of) gives, when only those
    units' ledgers changed, without deriving the other 100,000 debts again (`serve`)."""
    fresh = items_frame(Records(units=records.units, ledgers=[led for led in records.ledgers if led.unit in units]),
                        campaign, as_of, judge)
    kept = frame[~frame["unit"].isin(units)]
    # the frame is in the order of the ledgers' unit ids, each ledger's debts in file order
    merged = pd.concat([kept, fresh], ignore_index=True).sort_values("unit", kind="mergesort")
    return merged.reset_index(drop=True)
