"""Meaning checks that need only one file: what the schema cannot say about a record."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal

from ..core.config import DEFAULT_CAMPAIGN, RESULT_MAX_DAYS, Campaign
from ..core.derive import (
    deadline_class,
    deadline_passed,
    discrepancy,
    needs_plan,
    new_arrears,
    plan_after_deadline,
    plan_shortfall,
)
from ..core.issues import Issue, make
from ..core.load import Map, position
from ..core.model import Case, Clue, ClueLedger, Item, Ledger, MeasureLedger, Unit
from ..core.scalars import MONEY_LIMIT, today
from ..core.schema import SITE_NAMES, file_id
from ..core.vocab import FOUND_VERDICTS, NON_CASH, CaseState, ConfirmResult, FollowupResult, Origin, UnitStatus

ZERO = Decimal(0)
GRACE = timedelta(days=1)  # a unit a time zone ahead may date its ledger tomorrow
RESULT_MAX = timedelta(days=RESULT_MAX_DAYS)  # 条例: a complaint's result within 90 days in all
# Numbers that identify a person: a mobile number, a landline, an 18-digit resident ID.
PERSONAL = re.compile(r"(?<![0-9])(?:(?:\+?86[- ]?)?1[3-9][0-9][- ]?[0-9]{4}[- ]?[0-9]{4}"
                      r"|\(?0[0-9]{2,3}\)?[- ]?[0-9]{7,8}"
                      r"|[1-9][0-9]{5}(?:18|19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx])(?![0-9])")


def check_record(path: str, tree: Map, record, campaign: Campaign = DEFAULT_CAMPAIGN) -> list[Issue]:
    stem = file_id(path)
    if isinstance(record, Ledger):
        return list(_ledger(path, tree, record, stem, campaign))
    checks: dict[type, Callable[..., Iterator[Issue]]] = {ClueLedger: _clues, Case: _case, Unit: _unit,
                                                         MeasureLedger: _measures}
    return list(checks[type(record)](path, tree, record, stem))


def _blank(path: str, where: tuple[int, int], name: str, value: str | None) -> Iterator[Issue]:
    """Text of only spaces says nothing: the same as leaving a required field empty."""
    if value is not None and not value.strip():
        yield make(path, *where, "E213", f"{name} 只有空白字符")


def _name_matches(path, tree, key, value, stem) -> Iterator[Issue]:
    if value != stem:
        yield make(path, *position(tree, (key,)), "E301", f"{key} 为“{value}”，文件名为“{stem}”")


def _unit(path: str, tree: Map, unit: Unit, stem: str) -> Iterator[Issue]:
    yield from _name_matches(path, tree, "id", unit.id, stem)
    if unit.id in SITE_NAMES:
        yield make(path, *position(tree, ("id",)), "E323", f"“{unit.id}”是网站自己的页面或目录名")
    if unit.halted is not None and unit.status != UnitStatus.HALTED:
        yield make(path, *position(tree, ("halted",)), "E318", f"status 为 {unit.status}，却填写了停产日期")
    yield from _disclosed(path, tree)


def _disclosed(path: str, tree: Map) -> Iterator[Issue]:
    """第十八条 disclosures: of a year that has ended, not in the future, each year once."""
    now, seen = today(), set()
    for j, entry in enumerate(tree.get("disclosed") or ()):
        year, published = int(entry["year"]), date.fromisoformat(entry["published"])
        where = position(tree, ("disclosed", j, "published"))
        if published <= date(year, 12, 31):
            yield make(path, *where, "E340", f"{year} 年度的公开日期 {published} 早于该年度结束")
        if published > now:
            yield make(path, *where, "E321", f"公开日期 {published}，今天是 {now}")
        if year in seen:
            yield make(path, *position(tree, ("disclosed", j, "year")), "E302", f"{year} 年度已有一条公开记录")
        seen.add(year)


def _case(path: str, tree: Map, case: Case, stem: str) -> Iterator[Issue]:
    yield from _name_matches(path, tree, "id", case.id, stem)
    if (case.state == CaseState.PUBLISHED) != (case.published is not None):
        where = position(tree, ("published",) if case.published else ("state",))
        yield make(path, *where, "E314", f"state 为 {case.state}，"
                   f"{'却填写了' if case.published else '但没有填写'} published")
    for ref, where in zip(case.items, case.items_at, strict=True):
        if ref.split("/", 1)[0] != case.unit:
            yield make(path, *where, "E411", f"案例涉及单位为 {case.unit}，“{ref}”是另一单位的欠款")
    if case.state == CaseState.PUBLISHED:
        for key in ("title", "summary", "handling"):
            if found := PERSONAL.search(getattr(case, key)):
                yield make(path, *position(tree, (key,)), "E322", f"{key} 中的“{_masked(found.group())}”")


def _masked(number: str) -> str:
    """Enough of a number to find it in the file, not enough to read it from the error."""
    return number[:3] + "****" + number[-4:] if len(number) > 7 else "****"


def _duplicates(path, tree, key, records) -> Iterator[Issue]:
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        if record.id in seen:
            where = position(tree, (key, index, "id"))
            yield make(path, *where, "E302", f"“{record.id}”已在第 {seen[record.id]} 行使用")
        else:
            seen[record.id] = record.line


def _clues(path: str, tree: Map, ledger: ClueLedger, stem: str) -> Iterator[Issue]:
    yield from _name_matches(path, tree, "unit", ledger.unit, stem)
    yield from _duplicates(path, tree, "clues", ledger.clues)
    for clue in ledger.clues:
        if not clue.accepted and not clue.reason:
            yield make(path, clue.line, 1, "E312", f"线索 {clue.id} 未受理")
        if clue.accepted and not clue.transferred_to:
            yield make(path, *clue.at["accepted"], "E319", f"线索 {clue.id} 已受理")
        if clue.accepted and clue.verdict is None:
            yield make(path, *clue.at["accepted"], "E201", f"线索 {clue.id} 已受理，缺少 verdict（核实结论）")
        if not clue.accepted and (clue.transferred_to or clue.item):
            yield make(path, *clue.at.get("transferred_to", clue.at.get("item", (clue.line, 1))), "E312",
                       f"线索 {clue.id} 未受理，却填写了转办单位或欠款")
        if clue.verdict in FOUND_VERDICTS and not clue.item:
            yield make(path, *clue.at["verdict"], "E313", f"线索 {clue.id} 核实为{clue.verdict}")
        if clue.closed and clue.closed < clue.received:
            yield make(path, *clue.at["closed"], "E316",
                       f"办结日期 {clue.closed} 早于收到日期 {clue.received}")
        if clue.deadline and clue.deadline < clue.received:
            yield make(path, *clue.at["deadline"], "E316",
                       f"限期清偿日期 {clue.deadline} 早于收到日期 {clue.received}")
        yield from _clue_clock(path, clue)
        for j, entry in enumerate(clue.progress):
            yield from _blank(path, position(tree, ("clues", clue.index, "progress", j, "note")),
                              f"线索 {clue.id} 的进展情况", entry.note)
            if entry.date < clue.received:
                yield make(path, *position(tree, ("clues", clue.index, "progress", j, "date")), "E316",
                           f"线索 {clue.id} 的进展日期 {entry.date} 早于收到日期 {clue.received}")


def _clue_clock(path: str, clue: Clue) -> Iterator[Issue]:
    """转交、延期、答复 (条例第二十四至二十六条): after receipt, not in the future, and an extension
    of at most 90 days in all from when the handling department received it."""
    now = today()
    for key, name, day in (("forwarded", "转交日", clue.forwarded), ("extended_to", "延期至", clue.extended_to),
                           ("replied", "书面答复日", clue.replied)):
        if day is None:
            continue
        if day < clue.received:
            yield make(path, *clue.at[key], "E340", f"线索 {clue.id} 的{name} {day} 早于收到日期 {clue.received}")
        if key != "extended_to" and day > now:
            yield make(path, *clue.at[key], "E321", f"线索 {clue.id} 的{name} {day}，今天是 {now}")
    base = clue.forwarded or clue.received
    if clue.extended_to is not None and clue.extended_to > base + RESULT_MAX:
        yield make(path, *clue.at["extended_to"], "E342",
                   f"线索 {clue.id} 延期至 {clue.extended_to}，最迟只能到 {base + RESULT_MAX}")


def _measures(path: str, tree: Map, ledger: MeasureLedger, stem: str) -> Iterator[Issue]:
    yield from _duplicates(path, tree, "measures", ledger.measures)
    for measure in ledger.measures:
        yield from _blank(path, measure.at["basis"], f"措施 {measure.id} 的 basis", measure.basis)
        if measure.follow_up and measure.follow_up < measure.date:
            yield make(path, *measure.at["follow_up"], "E316",
                       f"措施 {measure.id} 的检查日期 {measure.follow_up} 早于措施日期 {measure.date}")


def _ledger(path: str, tree: Map, ledger: Ledger, stem: str, campaign: Campaign) -> Iterator[Issue]:
    yield from _name_matches(path, tree, "unit", ledger.unit, stem)
    yield from _duplicates(path, tree, "items", ledger.items)
    as_of, now = ledger.as_of, today()
    if as_of > now + GRACE:
        yield make(path, *position(tree, ("as_of",)), "E321", f"as_of 为 {as_of}，今天是 {now}")
    # each amount is below the cap; so must be their sum, or enough such ledgers together would
    # pass the largest total the 分-integers of every summary can hold
    total = sum((item.amount for item in ledger.items), Decimal(0))
    if total >= MONEY_LIMIT:
        yield make(path, *position(tree, ("items",)), "E216", f"{len(ledger.items)} 笔欠款合计 {total} 元")
    for item in ledger.items:
        def at(*steps: str | int, item: Item = item) -> tuple[int, int]:
            return position(tree, ("items", item.index, *steps))

        if item.due >= as_of:
            yield make(path, *at("due"), "E315", f"{item.id} 到期日 {item.due}，台账日期 {as_of}")
        if item.contract_signed > item.due:
            yield make(path, *at("contract", "signed"), "E316",
                       f"{item.id} 合同签订日期 {item.contract_signed} 晚于到期日 {item.due}")
        if item.contract_amount < item.amount:
            yield make(path, *at("contract", "amount"), "E311",
                       f"{item.id} 合同金额 {item.contract_amount}，欠款金额 {item.amount}")
        remaining = item.remaining
        if remaining < 0:
            yield make(path, *at("amount"), "E303",
                       f"{item.id} 欠款 {item.amount}，已还合计 {item.repaid}")
        for j, payment in enumerate(item.payments):
            if payment.date > as_of:
                yield make(path, *at("payments", j, "date"), "E304",
                           f"{item.id} 还款日期 {payment.date}，台账日期 {as_of}")
            elif payment.date > now:
                yield make(path, *at("payments", j, "date"), "E321",
                           f"{item.id} 还款日期 {payment.date}，今天是 {now}")
            if payment.date < item.contract_signed:
                yield make(path, *at("payments", j, "date"), "E305",
                           f"{item.id} 还款日期 {payment.date}，合同签订 {item.contract_signed}")
            if payment.method in NON_CASH:
                yield make(path, *at("payments", j, "method"), "W504",
                           f"{item.id} 于 {payment.date} 以{payment.method}支付 {payment.amount} 元")
        for j, correction in enumerate(item.corrections):
            if correction.date > as_of:
                yield make(path, *at("corrections", j, "date"), "E317",
                           f"{item.id} 更正日期 {correction.date}，台账日期 {as_of}")
        if item.disputed and item.dispute_reason is None:
            yield make(path, *at("disputed"), "E308", f"{item.id}")
        if not item.disputed and "dispute" in item.at:
            yield make(path, *at("dispute"), "E309", f"{item.id}")
        if (item.origin == Origin.COMPLAINT) != (item.clue is not None):
            yield make(path, *at("clue" if item.clue else "origin"), "E310",
                       f"{item.id} 来源为{item.origin}")
        if remaining > 0 and new_arrears(item, campaign):
            yield make(path, *at("due"), "W506",
                       f"{item.id} 到期日 {item.due} 晚于清欠行动开始（{campaign.start}），尚欠 {remaining} 元")
        yield from _plan(path, item, at, as_of, remaining)
        yield from _plan_deadline(path, item, at, as_of, campaign)
        yield from _confirmations(path, item, at, as_of)
        yield from _followups(path, item, at, as_of)
        yield from _terms(path, item, at, as_of)


STANDING_KEYS = ("acceptance", "settlement", "pay_within", "interest_rate", "conditions")


def _terms(path: str, item: Item, at: Callable[..., tuple[int, int]], as_of: date) -> Iterator[Issue]:
    """The standing rules' keys (DESIGN §3c): only with a delivery date, in an order that can
    have happened, and none after the ledger's date."""
    terms = item.terms
    if terms is None:
        given = [key for key in STANDING_KEYS if key in item.at]
        if given:
            yield make(path, *at(given[0]), "E343", f"{item.id} 填写了 {'、'.join(given)}")
        return
    if "acceptance" in item.at and terms.acceptance_within is None and terms.accepted is None:
        yield make(path, *at("acceptance"), "E213", f"{item.id} 的 acceptance 没有填写 within 或 passed")
    dates = [(("delivered",), "交付日", terms.delivered), (("acceptance", "passed"), "验收合格日", terms.accepted),
             (("settlement",), "结算确认日", terms.settlement)]
    for steps, name, day in dates:
        if day is None:
            continue
        if day > as_of:
            yield make(path, *at(*steps), "E341", f"{item.id} {name} {day}，台账日期 {as_of}")
        if steps != ("delivered",) and day < terms.delivered:
            yield make(path, *at(*steps), "E340", f"{item.id} {name} {day} 早于交付日 {terms.delivered}")
    if terms.delivered < item.contract_signed:
        yield make(path, *at("delivered"), "E340",
                   f"{item.id} 交付日 {terms.delivered} 早于合同签订日期 {item.contract_signed}")


def _plan_deadline(path: str, item: Item, at: Callable[..., tuple[int, int]], as_of: date,
                   campaign: Campaign) -> Iterator[Issue]:
    """A plan that cannot meet the debt's campaign deadline, at the first such plan line:
    a warning while the deadline is ahead, an error once it has passed at `as_of`."""
    late = plan_after_deadline(item, campaign)
    if not late:
        return
    klass, deadline = deadline_class(item, campaign)
    assert deadline is not None  # plan_after_deadline is empty for debts without a date
    code = "E320" if deadline_passed(deadline, as_of) else "W505"
    entry = item.plan[late[0]]
    yield make(path, *at("plan", late[0], "date"), code,
               f"{item.id} 属{klass}，应于 {deadline} 前清偿，计划日期 {entry.date}")


def _confirmations(path: str, item: Item, at: Callable[..., tuple[int, int]], as_of: date) -> Iterator[Issue]:
    for j, request in enumerate(item.confirmations):
        yield from _blank(path, at("confirmations", j, "reason"), f"{item.id} 确权记录的 reason", request.reason)
        if request.received > as_of:
            yield make(path, *at("confirmations", j, "received"), "E331",
                       f"{item.id} 确权请求收到日期 {request.received}，台账日期 {as_of}")
        if request.answered is not None and request.answered > as_of:
            yield make(path, *at("confirmations", j, "answered"), "E331",
                       f"{item.id} 确权答复日期 {request.answered}，台账日期 {as_of}")
        if request.received < item.contract_signed:
            yield make(path, *at("confirmations", j, "received"), "E316",
                       f"{item.id} 确权请求收到日期 {request.received} 早于合同签订日期 {item.contract_signed}")
        if request.answered is not None and request.answered < request.received:
            yield make(path, *at("confirmations", j, "answered"), "E316",
                       f"{item.id} 确权答复日期 {request.answered} 早于收到日期 {request.received}")
        if (request.answered is None) != (request.result is None):
            missing = "result" if request.result is None else "answered"
            yield make(path, *at("confirmations", j), "E330", f"{item.id} 第 {j + 1} 条确权记录缺少 {missing}")
        if request.result == ConfirmResult.REFUSED and request.reason is None:
            yield make(path, *at("confirmations", j, "result"), "E330",
                       f"{item.id} 第 {j + 1} 条确权记录不予确认，但没有写明原因")
        if request.result != ConfirmResult.REFUSED and request.reason is not None:
            yield make(path, *at("confirmations", j, "reason"), "E330",
                       f"{item.id} 第 {j + 1} 条确权记录{request.result or '尚未答复'}，却填写了 reason")


def _followups(path: str, item: Item, at: Callable[..., tuple[int, int]], as_of: date) -> Iterator[Issue]:
    for j, check in enumerate(item.followups):
        yield from _blank(path, at("followups", j, "notes"), f"{item.id} 核查记录的 notes", check.notes)
        if check.date > as_of:
            yield make(path, *at("followups", j, "date"), "E331",
                       f"{item.id} 核查日期 {check.date}，台账日期 {as_of}")
        if check.date < item.contract_signed:
            yield make(path, *at("followups", j, "date"), "E316",
                       f"{item.id} 核查日期 {check.date} 早于合同签订日期 {item.contract_signed}")
        if check.received is not None and check.result != FollowupResult.PARTIAL:
            yield make(path, *at("followups", j, "received"), "E332",
                       f"{item.id} 于 {check.date} 核查结果为{check.result}，却填写了已到账金额 {check.received}")
        elif check.received is None and check.result == FollowupResult.PARTIAL:
            yield make(path, *at("followups", j, "result"), "W532", f"{item.id} 于 {check.date} 核查结果为部分到账")
    if (found := discrepancy(item)) is not None:
        index = item.followups.index(found)
        yield make(path, *at("followups", index, "result"), "W531",
                   f"{item.id} 于 {found.date} {found.method}结果为{found.result}，台账报送已还 {item.repaid} 元")


def _plan(path: str, item: Item, at: Callable[..., tuple[int, int]], as_of: date,
          remaining: Decimal) -> Iterator[Issue]:
    if not needs_plan(item):
        return
    planned = sum((e.amount for e in item.plan), ZERO)
    if not item.plan:
        yield make(path, *at("id"), "E306", f"{item.id} 尚欠 {remaining} 元")
        return
    if planned < remaining:
        yield make(path, *at("plan"), "E307",
                   f"{item.id} 剩余 {remaining} 元，计划合计 {planned} 元")
    future = sum((e.amount for e in item.plan if e.date > as_of), ZERO)
    if future > remaining:
        yield make(path, *at("plan"), "W502",
                   f"{item.id} 剩余 {remaining} 元，{as_of} 之后计划 {future} 元")
    if shortfall := plan_shortfall(item, as_of):
        index = next(i for i, e in enumerate(item.plan) if e.date == shortfall[0])
        yield make(path, *at("plan", index, "date"), "W501",
                   f"{item.id} 按计划 {shortfall[0]} 前应再还 {shortfall[1]} 元")
    if item.due < as_of - timedelta(days=365) and not item.payments:
        yield make(path, *at("due"), "W503", f"{item.id} 到期日 {item.due}，至今未还款")
