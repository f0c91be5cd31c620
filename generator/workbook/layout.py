"""The layout of a unit's Excel workbook: which sheet and column holds which ledger field.

Everything but the Chinese column headers comes from the schema (kind, required, allowed
values, meaning), so the template, the importer and the 字段说明 sheet cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.schema import ARREARS, ITEM

INFO, ITEMS, PAYMENTS, PLAN, CORRECTIONS, FIELDS = "台账", "欠款", "还款", "还款计划", "更正记录", "字段说明"
CONFIRMATIONS, FOLLOWUPS = "确权", "回访核查"
WORDS_SEPARATOR = "、"  # fixed words in one cell (付款条件)
ITEM_REF = "item"  # the first column of the sub-record sheets: which debt the row belongs to

# The info sheet: label in column A, value in column B (found by label, not by row).
INFO_LABELS = {"unit": "单位编号", "as_of": "台账日期"}
UNIT_NAME_LABEL = "单位名称"

ITEM_HEADERS = {
    "id": "欠款编号", "creditor.name": "债权企业名称", "creditor.credit_code": "企业统一社会信用代码",
    "creditor.size": "企业规模", "category": "欠款类别", "contract.number": "合同编号",
    "contract.signed": "合同签订日期", "contract.amount": "合同金额（元）", "due": "约定付款日期",
    "amount": "欠款金额（元）", "disputed": "是否有分歧", "dispute.reason": "分歧原因",
    "dispute.path": "解决途径", "dispute.state": "分歧状态", "origin": "欠款来源", "clue": "投诉线索编号",
    "notes": "备注",
    # the standing rules (DESIGN §3c): filled only for debts under 《保障中小企业款项支付条例》
    "delivered": "交付日", "acceptance.within": "约定验收期限（日）", "acceptance.passed": "验收合格日",
    "settlement": "结算确认日", "pay_within": "约定付款期限（日）", "interest_rate": "约定逾期年利率（%）",
    "conditions": "付款条件",
}
SUB_HEADERS = {
    "payments": {"date": "还款日期", "amount": "还款金额（元）", "method": "支付方式"},
    "plan": {"date": "计划还款日期", "amount": "计划还款金额（元）"},
    "corrections": {"date": "更正日期", "field": "更正的字段", "reason": "更正原因"},
    "confirmations": {"received": "收到确权请求日期", "purpose": "请求用途", "answered": "答复日期",
                      "result": "答复结果", "reason": "不予确认的原因"},
    "followups": {"date": "核查日期", "method": "核查方式", "by": "核查单位编号", "result": "核查结果",
                  "received": "已到账金额（元）", "notes": "核查说明"},
}
SUB_SHEETS = {"payments": PAYMENTS, "plan": PLAN, "corrections": CORRECTIONS,
              "confirmations": CONFIRMATIONS, "followups": FOLLOWUPS}
# Text that must keep its exact characters (leading zeros, 18 digits): kept as text cells.
CODE_FIELDS = {"id", "contract.number", "clue", ITEM_REF}


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # dotted name inside the debt (or inside one payment / plan / correction)
    kind: str  # text | code | credit_code | enum | money | date | flag | days | rate | words
    required: bool  # required whenever its group (creditor, dispute …) is filled in
    allowed: tuple[str, ...]
    regex: str | None
    doc: str
    names: tuple[tuple[str, str], ...] = ()  # (ledger value, Chinese name shown instead)

    def shown(self, value: object) -> object:
        """The value as the workbook shows it: a Chinese name where the ledger has a key."""
        return dict(self.names).get(value, value) if isinstance(value, str) else value

    def stored(self, text: str) -> str | None:
        """The ledger value for what the workbook holds (its Chinese name or the key itself)."""
        if not self.names:
            return text if text in self.allowed else None
        keys = {name: key for key, name in self.names}
        return keys.get(text, text if text in dict(self.names) else None)


@dataclass(frozen=True)
class Sheet:
    name: str
    list_field: str | None  # a list of the debt (payments, plan …); None for the debts themselves
    columns: tuple[Column, ...]

    def index(self, field: str) -> int | None:
        """1-based column number of `field`, or None."""
        for number, column in enumerate(self.columns, 1):
            if column.field == field:
                return number
        return None


def _kind(field: str, rules: dict) -> str:
    if rules["type"] == "list":  # fixed words in one cell (付款条件), separated by 、
        return "words"
    if rules.get("credit_code"):
        return "credit_code"
    if "allowed" in rules:
        return "enum"
    if field in CODE_FIELDS or "regex" in rules:
        return "code"
    return rules["meta"]["kind"]


def _lookup(schema: dict, dotted: str) -> dict:
    rules: dict = {"schema": schema}
    for step in dotted.split("."):
        rules = rules["schema"][step]
    return rules


def column(schema: dict, field: str, header: str) -> Column:
    rules = _lookup(schema, field)
    names = tuple(rules["meta"].get("names", {}).items())
    allowed = tuple(name for _key, name in names) if names else tuple(
        rules.get("allowed", rules.get("schema", {}).get("allowed", ())))
    return Column(header, field, _kind(field, rules), bool(rules.get("required")),
                  allowed, rules.get("regex"), rules["meta"]["doc"], names)


def _ref_column() -> Column:
    doc = "这一行属于哪笔欠款：填写 欠款 表中的欠款编号"
    return Column("欠款编号", ITEM_REF, "code", True, (), ITEM["id"]["regex"], doc)


def _sheets() -> dict[str, Sheet]:
    found = {ITEMS: Sheet(ITEMS, None, tuple(column(ITEM, f, h) for f, h in ITEM_HEADERS.items()))}
    for list_field, headers in SUB_HEADERS.items():
        schema = ITEM[list_field]["schema"]["schema"]
        columns = (_ref_column(), *(column(schema, f, h) for f, h in headers.items()))
        found[SUB_SHEETS[list_field]] = Sheet(SUB_SHEETS[list_field], list_field, columns)
    return found


SHEETS: dict[str, Sheet] = _sheets()
INFO_COLUMNS = {field: column(ARREARS, field, label) for field, label in INFO_LABELS.items()}
