"""The example city under the standing rules (《保障中小企业款项支付条例》, 2025–2026): the history
that tools/synth_history.py writes after the 2022 campaign.

Three units registered in June 2025 — an organ, a hospital and a state-owned group — report the
debts of their new contracts month by month until 2026-11-30: deliveries, acceptances (one late:
拖延验收), settlements, part payments that bear interest, one payment on the last day of a term moved
off a weekend, a contract signed the day before 802号 took effect beside one signed the day it
did, a 背靠背 clause, an audit clause with a rate below the LPR and a term over 60 days. The
complaint-handling unit records complaints with their clocks (one forwarded late, one past its
extended result date, one not yet forwarded), and two units record their yearly disclosure (one on
time, one late). Hand-written, not random: each case is one the rules must get right, and the
figures are worked out in the tests (tests/test_demo_history.py)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from synth import Clue, Debt, Firm, Ledger, Region, Unit, render_ledger, render_unit

from generator.core.config import Rules
from generator.core.scalars import credit_code_check_char
from generator.rules.calendar import WorkCalendar

CITY = Region("990100", "云岭市（示例）", "云岭市", "云岭", "yl")
REGISTERED = date(2025, 6, 3)
LAST = date(2026, 11, 30)  # the last submission: every ledger's as_of


def _code(head: str, org: str) -> str:
    body = head + CITY.code + org
    return body + credit_code_check_char(body)


def _d(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def _unit(uid: str, name: str, utype: str, supervisor: str, org: str, people: tuple, login: str) -> Unit:
    head = {"事业单位": "12", "国有企业": "91"}.get(utype, "11")
    leader, liaison = people
    return Unit(uid, name, utype, CITY, "yl", supervisor, _code(head, org), leader, (*liaison, f"{login}@example.org"),
                [f"{uid}-bot", login])


UNITS = [
    _unit("yl-sjglj", "云岭市数据管理局", "机关", "yl-czj", "MB2025RJ1",
          (("邹某明", "副局长", "0999-6120518"), ("韩某琳", "财务科科长", "13900002517")), "hanlin"),
    _unit("yl-rmyy", "云岭市人民医院", "事业单位", "yl-czj", "MB2025YY2",
          (("罗某华", "副院长", "0999-6231047"), ("邓某婷", "财务处副处长", "13800006081")), "dengting"),
    _unit("yl-csfz", "云岭市城市发展集团有限公司", "国有企业", "yl-gzw", "MA2025CF3",
          (("袁某军", "副总经理", "0999-6340962"), ("蒋某磊", "财务部经理", "13700003395")), "jianglei"),
]
DISCLOSED = {"yl-sjglj": [(2025, _d("2026-03-20"))], "yl-rmyy": [(2025, _d("2026-04-15"))]}  # one late


def _firm(name: str, org: str, size: str) -> Firm:
    return Firm(name, _code("91", "MA" + org), size, "")


@dataclass(frozen=True)
class Contract:
    """A debt of the standing era with the dates its keys take effect (None: not in the file)."""

    unit: str
    debt: Debt  # as on the last day
    delivered: str
    within: int | None = None
    passed: str | None = None
    settlement: str | None = None
    pay_within: int | None = None
    rate: str | None = None
    conditions: tuple[str, ...] = ()
    events: dict[str, str] = field(default_factory=dict)

    def at(self, day: int) -> Debt:
        """The debt as its ledger showed it at the end of `day`: keys, payments and plan then."""
        lines = [f"    delivered: {self.delivered}"]
        parts = [f"within: {self.within}"] if self.within is not None else []
        parts += [f"passed: {self.passed}"] if self.passed and _d(self.passed) <= day else []
        lines += [f"    acceptance: {{{', '.join(parts)}}}"] if parts else []
        lines += [f"    settlement: {self.settlement}"] if self.settlement and _d(self.settlement) <= day else []
        lines += [f"    pay_within: {self.pay_within}"] if self.pay_within is not None else []
        lines += [f"    interest_rate: {self.rate}"] if self.rate else []
        lines += [f"    conditions: [{', '.join(self.conditions)}]"] if self.conditions else []
        paid = [p for p in self.debt.payments if p[0] <= day]
        later = [(p[0], p[1]) for p in self.debt.payments if p[0] > day]
        return replace(self.debt, payments=paid, plan=sorted([*later, *self.debt.plan]), standing=lines)


def _debt(did: str, firm: Firm, category: str, number: str, signed: str, contract: int, due: str, amount: int,
          payments: tuple[tuple[str, int], ...] = (), plan: tuple[tuple[str, int], ...] = (), notes: str = "") -> Debt:
    return Debt(did, firm, category, number, _d(signed), contract, _d(due), amount, None,
                [(_d(day), cents, "银行转账") for day, cents in payments], [(_d(day), cents) for day, cents in plan],
                [], notes or None)


CONTRACTS = [
    # 机关, 802号: acceptance agreed within 10 days, passed 14 days late (拖延验收): the term runs from
    # 09-11; 30 days end on 10-11, a Saturday worked for National Day; 40,000.00 paid 11-20
    Contract("yl-sjglj", _debt("G001", _firm("云岭某信息技术有限公司", "0K8RT41", "小型"), "货物", "SJ-2025-012",
                               "2025-07-10", 8_600_000, "2025-10-11", 8_600_000, (("2025-11-20", 4_000_000),),
                               (("2026-12-31", 4_600_000),), "服务器设备，验收延误"),
             "2025-09-01", within=10, passed="2025-09-25"),
    # 机关, signed under 728号: 90 days agreed after settlement (over 60: capped, 05-01 falls in the
    # Labour Day holiday, so 05-06), 2.80% agreed below the LPR of 3.10%, the audit result as basis
    Contract("yl-sjglj", _debt("G002", _firm("云岭某建设工程有限公司", "0K8RT52", "中型"), "工程", "SJ-2025-003",
                               "2025-03-15", 138_000_000, "2026-05-31", 125_000_000,
                               (("2026-06-30", 50_000_000), ("2026-09-30", 30_000_000)), (("2026-12-31", 45_000_000),),
                               "数据中心机房改造工程"),
             "2025-12-15", within=30, passed="2026-01-10", settlement="2026-03-02", pay_within=90, rate="2.80",
             conditions=("审计结算",)),
    # 事业单位: acceptance within 5 days ends on 10-09 (National Day); the term ends on Monday 11-10
    # (Saturday 11-08 moved), paid that day: no interest
    Contract("yl-rmyy", _debt("R001", _firm("云岭某医疗器械有限公司", "0K8RT63", "小型"), "货物", "RM-2025-031",
                               "2025-08-01", 6_480_000, "2025-11-08", 6_480_000, (("2025-11-10", 6_480_000),),
                               notes="合同约定验收合格后 30 日内付款，末日为周六，顺延至 11 月 10 日支付"),
             "2025-09-26", within=5, passed="2025-10-09"),
    # 事业单位: 45 days agreed, paid only after the health insurance fund pays (背靠背)
    Contract("yl-rmyy", _debt("R002", _firm("云岭某后勤服务有限公司", "0K8RT74", "微型"), "服务", "RM-2025-047",
                               "2025-09-01", 26_000_000, "2026-01-14", 23_000_000, (("2026-03-02", 10_000_000),),
                               (("2026-12-31", 13_000_000),), "合同约定医保基金拨付后支付"),
             "2025-11-30", pay_within=45, conditions=("背靠背",)),
    # 国有企业 signed the day before 802号: 728号 sets no term for enterprises, the contract's due stands
    Contract("yl-csfz", _debt("C001", _firm("云岭某路桥工程有限公司", "0K8RT85", "中型"), "工程", "CF-2025-008",
                               "2025-05-31", 360_000_000, "2025-12-31", 300_000_000, (("2026-02-10", 180_000_000),),
                               (("2026-12-31", 120_000_000),), "合同签订于第802号令施行前一日"),
             "2025-10-31", settlement="2025-11-20"),
    # 国有企业 signed the day 802号 took effect: 60 days from settlement, 01-19; 3.00% agreed, at the LPR
    Contract("yl-csfz", _debt("C002", _firm("云岭某交通设施有限公司", "0K8RT96", "小型"), "工程", "CF-2025-015",
                               "2025-06-01", 200_000_000, "2026-01-19", 200_000_000, (("2026-04-30", 200_000_000),),
                               notes="合同签订于第802号令施行当日"),
             "2025-10-31", settlement="2025-11-20", rate="3.00"),
]


@dataclass(frozen=True)
class Complaint:
    """A complaint of the standing era and the days its clock keys are written."""

    clue: Clue  # as on the last day
    extended_on: str | None = None  # the day `extended_to` was granted

    def at(self, day: int) -> Clue | None:
        found = self.clue
        if found.received > day:
            return None
        extended = found.extended_to if self.extended_on and _d(self.extended_on) <= day else None
        return replace(found, forwarded=found.forwarded if (found.forwarded or 0) <= day else None,
                       replied=found.replied if (found.replied or 0) <= day else None,
                       closed=found.closed if (found.closed or 0) <= day else None,
                       verdict=found.verdict if (found.closed or 0) <= day else "核查中", extended_to=extended)


def _clue(cid: str, received: str, respondent: str, amount: int, firm: Firm, verdict: str = "核查中",
          forwarded: str | None = None, replied: str | None = None, extended_to: str | None = None) -> Clue:
    return Clue(_d(received), "企业投诉", firm, respondent, amount, transferred_to=respondent, verdict=verdict,
                closed=_d(replied) if replied and verdict != "核查中" else None, id=cid,
                forwarded=_d(forwarded) if forwarded else None, replied=_d(replied) if replied else None,
                extended_to=_d(extended_to) if extended_to else None)


COMPLAINTS = [
    # received Friday 09-26: 10 working days end 10-16 (National Day off, 09-28 and 10-11 worked);
    # forwarded 10-17: 转交超时; the unit showed it had paid on time: 不属实, answered 10-24
    Complaint(_clue("TS2025-001", "2025-09-26", "yl-sjglj", 12_000_000, _firm("云岭某软件有限公司", "0K8RTA7", "小型"),
                    "不属实", forwarded="2025-10-17", replied="2025-10-24")),
    # forwarded in time, extended to 05-20 and still unanswered: 办理超时
    Complaint(_clue("TS2026-001", "2026-03-02", "yl-rmyy", 13_000_000,
                    _firm("云岭某后勤服务有限公司", "0K8RT74", "微型"), forwarded="2026-03-10",
                    extended_to="2026-05-20"), extended_on="2026-04-08"),
    # received Friday 11-06, due to be forwarded by 11-20, not forwarded by 11-30: 转交超时
    Complaint(_clue("TS2026-002", "2026-11-06", "yl-csfz", 120_000_000,
                    _firm("云岭某路桥工程有限公司", "0K8RT85", "中型"))),
]


def submission_days() -> list[date]:
    """The last working day of each month from July 2025, and LAST."""
    calendar, days = WorkCalendar(Rules()), []
    month = date(2025, 7, 1)
    while month <= LAST:
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        day = following - timedelta(days=1)
        while not calendar.is_workday(day):
            day -= timedelta(days=1)
        days.append(min(day, LAST))
        month = following
    return days


def ledger_at(unit: Unit, day: date) -> Ledger | None:
    """A unit's ledger at a submission day: its debts overdue by then (the contract's due passed)."""
    items = [c.at(day.toordinal()) for c in CONTRACTS if c.unit == unit.id and c.debt.due < day.toordinal()]
    return Ledger(unit, day.toordinal(), items) if items else None


def clues_at(day: date) -> list[Clue]:
    return [clue for c in COMPLAINTS if (clue := c.at(day.toordinal())) is not None]


def units_at(day: date) -> dict[str, str]:
    """The new units' files at `day`: their disclosures once recorded."""
    return {f"units/{u.id}.yaml": render_unit(replace(u, disclosed=[d for d in DISCLOSED.get(u.id, [])
                                                                     if d[1] <= day.toordinal()]))
            for u in UNITS}


def change_days() -> list[date]:
    """Every day a file of the standing era changes: submissions, complaints' dates, disclosures."""
    days = set(submission_days())
    for c in COMPLAINTS:
        clue = c.clue
        days |= {date.fromordinal(d) for d in (clue.received, clue.forwarded, clue.replied, clue.closed) if d}
        days |= {date.fromisoformat(c.extended_on)} if c.extended_on else set()
    days |= {date.fromordinal(d) for found in DISCLOSED.values() for _year, d in found}
    return sorted(days)


def render_ledger_at(unit: Unit, day: date) -> str | None:
    ledger = ledger_at(unit, day)
    return render_ledger(ledger) if ledger else None
