"""The domain's words, each written once: every value a unit may write in a ledger field that
takes a fixed word (the schema's `allowed` lists), the states the tool derives from them, and
the groups of unit types the standing rules (《保障中小企业款项支付条例》) treat alike.

Each vocabulary is a class of plain `str` constants, in the schema's order, and `ALL` holds
its words in that order: the schema, the rules, the pages and the reports name
`UnitStatus.HALTED` instead of writing "停产". Plain strings, not enum members, because the
words travel as data — into frames, pickles for the workers, YAML a tool writes, workbooks —
exactly as the text loaded from a ledger does.
"""

from __future__ import annotations

from typing import ClassVar, Final


class Vocabulary:
    """A closed set of words: its upper-case class attributes, collected into `ALL` in order."""

    ALL: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.ALL = tuple(value for name, value in vars(cls).items() if name.isupper() and name != "ALL")


class UnitType(Vocabulary):
    """单位类型 (units/<id>.yaml `type`)."""

    ORGAN: Final = "机关"
    INSTITUTION: Final = "事业单位"
    SOE: Final = "国有企业"
    TOWNSHIP: Final = "乡镇政府"
    DEV_ZONE: Final = "开发区管委会"
    COUNTY: Final = "县级政府"
    OFFICE: Final = "清欠办"  # the clearing office itself: owes nothing, reports nothing


# The unit types the standing regulation treats as 机关、事业单位, and those it treats as
# (large) enterprises: the standing rules and the disclosure duty are written per group.
GOVERNMENT_TYPES: tuple[str, ...] = (UnitType.ORGAN, UnitType.INSTITUTION, UnitType.TOWNSHIP,
                                          UnitType.COUNTY, UnitType.DEV_ZONE)
ENTERPRISE_TYPES: tuple[str, ...] = (UnitType.SOE,)
# The types that owe and report, in schema order (every type but the office).
OWING_TYPES: tuple[str, ...] = tuple(t for t in UnitType.ALL if t != UnitType.OFFICE)


class UnitStatus(Vocabulary):
    """经营状态 (units/<id>.yaml `status`); a 停产 unit is out of the clearing's scope."""

    ACTIVE: Final = "正常"
    HALTED: Final = "停产"


class CreditorSize(Vocabulary):
    """企业规模 of a creditor."""

    MEDIUM: Final = "中型"
    SMALL: Final = "小型"
    MICRO: Final = "微型"


class Category(Vocabulary):
    """欠款类别."""

    GOODS: Final = "货物"
    WORKS: Final = "工程"
    SERVICES: Final = "服务"
    DIVIDEND: Final = "分红"


class DisputePath(Vocabulary):
    """分歧的解决途径."""

    MEDIATION: Final = "调解"
    NEGOTIATION: Final = "协商"
    LITIGATION: Final = "诉讼"
    ARBITRATION: Final = "仲裁"


class DisputeState(Vocabulary):
    """分歧的解决状态; a 已解决 dispute makes the debt undisputed again."""

    ONGOING: Final = "进行中"
    RESOLVED: Final = "已解决"


class Origin(Vocabulary):
    """欠款来源."""

    SURVEY: Final = "排查"
    COMPLAINT: Final = "投诉"  # then the debt names the clue it came from
    LEGACY: Final = "前期遗留"


class PaymentMethod(Vocabulary):
    """还款的支付方式."""

    TRANSFER: Final = "银行转账"
    CASH: Final = "现金"
    BILL: Final = "商业汇票"
    OTHER: Final = "其他"


# Payments not made in cash or by transfer: flagged on pages and in checks (变相拖欠).
NON_CASH: tuple[str, ...] = (PaymentMethod.BILL, PaymentMethod.OTHER)


class ClueSource(Vocabulary):
    """投诉线索的来源."""

    COMPLAINT: Final = "企业投诉"
    REFERRAL: Final = "上级转办"


class Verdict(Vocabulary):
    """投诉线索的核实结论."""

    CHECKING: Final = "核查中"
    UNDISPUTED: Final = "无分歧"
    DISPUTED: Final = "有分歧"
    UNFOUNDED: Final = "不属实"


# Verdicts that found a debt: the clue must name the ledger item it became.
FOUND_VERDICTS: tuple[str, ...] = (Verdict.UNDISPUTED, Verdict.DISPUTED)
# How a clue that was not accepted reads where a verdict would stand.
NOT_ACCEPTED = "不予受理"


class CaseState(Vocabulary):
    """典型案例的状态; only 已公开 cases reach the public site."""

    DRAFT: Final = "草稿"
    REVIEWED: Final = "已审核"
    PUBLISHED: Final = "已公开"


class Purpose(Vocabulary):
    """确权请求的用途."""

    FINANCING: Final = "融资"
    OTHER: Final = "其他"


class ConfirmResult(Vocabulary):
    """确权的答复结果."""

    CONFIRMED: Final = "已确认"
    REFUSED: Final = "不予确认"


class FollowupMethod(Vocabulary):
    """回访核查的方式."""

    PHONE: Final = "电话回访"
    ONLINE: Final = "在线调查"
    ON_SITE: Final = "实地核查"


class FollowupResult(Vocabulary):
    """回访核查的结果."""

    ARRIVED: Final = "已到账"
    PARTIAL: Final = "部分到账"
    MISSING: Final = "未到账"
    CONTESTED: Final = "企业有异议"


class Condition(Vocabulary):
    """合同的付款条件中《保障中小企业款项支付条例》禁止的条款 (DESIGN §3c)."""

    BACK_TO_BACK: Final = "背靠背"  # 以第三方支付作为付款条件，或按第三方支付比例付款
    AUDIT: Final = "审计结算"  # 强制以审计结果作为结算依据


class Violation(Vocabulary):
    """违规情形 the standing rules find in a debt (DESIGN §3c), in the order lists show them."""

    OVERDUE: Final = "逾期未付"  # past the last day to pay with money unpaid
    TERM_TOO_LONG: Final = "付款期限超过60日"  # a government type agreed a longer term
    LATE_ACCEPTANCE: Final = "拖延验收"
    BACK_TO_BACK: Final = "背靠背条款"
    AUDIT: Final = "审计结算条款"
    RATE_BELOW_LPR: Final = "约定利率低于LPR"


# The violation each forbidden payment condition is.
CONDITION_VIOLATIONS: dict[str, str] = {Condition.BACK_TO_BACK: Violation.BACK_TO_BACK,
                                        Condition.AUDIT: Violation.AUDIT}


class ClueLate(Vocabulary):
    """How a complaint missed the clocks of 802号 (DESIGN §3c)."""

    FORWARD: Final = "转交超时"
    RESULT: Final = "办理超时"


class DisclosureState(Vocabulary):
    """Whether an organ or institution disclosed a year by March 31 (条例第十八条)."""

    ON_TIME: Final = "按时公开"
    LATE: Final = "逾期公开"
    MISSING: Final = "逾期未公开"
    PENDING: Final = "尚未公开"  # March 31 has not come yet


# The deadline class of a debt due after the 2022 campaign ended: judged by the standing rules.
STANDING_CLASS = "按条例"


class MeasureKind(Vocabulary):
    """督办、限制和惩戒措施的类别 (ledgers/measures.yaml)."""

    TALK: Final = "约谈"
    SUPERVISE: Final = "重点督办"
    INSPECT: Final = "实地督导"
    CUT_SPENDING: Final = "压减一般性支付"
    CUT_TRAVEL: Final = "降低出行标准"
    LIMIT_ABROAD: Final = "严格出国出境"
    CREDIT_PENALTY: Final = "信用惩戒"
    ACCOUNTABILITY: Final = "问责"
    AUDIT: Final = "审计"


class DebtStatus(Vocabulary):
    """A debt's repayment state, derived from its payments (never typed in)."""

    UNPAID: Final = "未清偿"
    PARTIAL: Final = "部分清偿"
    SETTLED: Final = "已清偿"


class GroupKind(Vocabulary):
    """What heads a consolidated group (analysis.consolidation)."""

    SUPERVISOR: Final = "汇总单位"  # a 财政局、国资委 or 国资运营公司 named as `supervisor`
    SOE_GROUP: Final = "企业集团"  # a 国有企业 with the 国有企业 below it


class SupervisorKind(Vocabulary):
    """The kind of 汇总单位 a unit reports through, derived for the roll-up (rollup.bundle)."""

    FINANCE: Final = "财政局"  # for 机关、事业单位
    SASAC: Final = "国资委"  # for 国有企业
    STATE_CAPITAL: Final = "国资运营公司"  # for 国有企业
    OTHER: Final = "其他"
    NONE: Final = "未指定"  # no registered supervisor
    UNREGISTERED: Final = "未登记"  # debts of a unit its bundle does not register


class RegionType(Vocabulary):
    """The kind of region a 行政区划代码 names (GB/T 2260: the last digits), for the roll-up."""

    PROVINCE: Final = "省级"
    PREFECTURE: Final = "地市级"
    DISTRICT: Final = "市辖区"  # county digits 01–20
    COUNTY: Final = "县"  # 21–80
    COUNTY_CITY: Final = "县级市"  # 81–99
    OTHER: Final = "其他"


# The deadline class of a debt under an open dispute (no campaign date).
DISPUTED_CLASS = "有分歧"
# A unit that owed a ledger and has none for the period.
UNREPORTED = "未报送"
