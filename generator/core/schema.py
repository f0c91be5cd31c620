"""The file formats (DESIGN §3) as cerberus schemas, each field with its Chinese meaning.

The `meta.doc` of every field feeds the field reference page, so the schema is the one
source of truth for what a unit may write.
"""

from __future__ import annotations

from .vocab import (
    CaseState,
    Category,
    ClueSource,
    Condition,
    ConfirmResult,
    CreditorSize,
    DisputePath,
    DisputeState,
    FollowupMethod,
    FollowupResult,
    MeasureKind,
    Origin,
    PaymentMethod,
    Purpose,
    UnitStatus,
    UnitType,
    Verdict,
)

UNIT_TYPES = list(UnitType.ALL)
UNIT_STATUS = list(UnitStatus.ALL)
SIZES = list(CreditorSize.ALL)
CATEGORIES = list(Category.ALL)
DISPUTE_PATHS = list(DisputePath.ALL)
DISPUTE_STATES = list(DisputeState.ALL)
ORIGINS = list(Origin.ALL)
METHODS = list(PaymentMethod.ALL)
# The fields a correction may name, with the Chinese name a clerk reads (pages, workbooks).
CORRECTABLE = {"amount": "欠款金额", "due": "约定付款日期", "creditor": "债权企业", "contract": "合同",
               "payments": "还款记录", "plan": "还款计划", "category": "欠款类别", "disputed": "是否有分歧",
               "confirmations": "确权记录", "followups": "回访核查记录"}
CLUE_SOURCES = list(ClueSource.ALL)
VERDICTS = list(Verdict.ALL)
CASE_STATES = list(CaseState.ALL)
PURPOSES = list(Purpose.ALL)
CONFIRM_RESULTS = list(ConfirmResult.ALL)
FOLLOWUP_METHODS = list(FollowupMethod.ALL)
FOLLOWUP_RESULTS = list(FollowupResult.ALL)
MEASURE_KINDS = list(MeasureKind.ALL)
CONDITIONS = list(Condition.ALL)  # 付款条件 a contract may record: both forbidden (DESIGN §3c)

# The most characters an Excel cell holds: longer text would be cut off silently in a workbook
# (export, template, import), so validation refuses it in every text field.
CELL_LIMIT = 32_767

UNIT_ID = r"[a-z0-9][a-z0-9-]*"
# Names the site writes itself, where pages and files named after a unit's id also go (the
# top folder, units/, groups/, downloads/): a unit (and the group it heads) with such an id
# would overwrite a page or be overwritten. tests/test_trust_site.py holds the list to what a
# build writes.
SITE_NAMES = frozenset({
    "index", "404", "search", "assets", "sitemap", "reports", "ledgers", "units", "groups", "creditors",
    "downloads", "guide", "overdue", "supervision", "followthrough", "soe", "progress", "changes", "clues",
    "cases", "disclosure", "about", "versions", "violations",
})
YEAR = r"20[0-9]{2}"
CODE_ID = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
ITEM_REF = rf"{UNIT_ID}/{CODE_ID}"


def field(kind: str, doc: str, required: bool = False, names: dict[str, str] | None = None, **rules) -> dict:
    """One field: `kind` is text|money|date|flag|days|rate|list|dict; rules are cerberus rules;
    `names` gives the Chinese name of each allowed (English) value."""
    types = {"text": "string", "money": "money", "date": "ymd", "flag": "flag", "days": "days", "rate": "rate",
             "list": "list", "dict": "dict"}
    meta: dict[str, object] = {"doc": doc, "kind": kind}
    if names:
        meta["names"] = names
    schema: dict = {"type": types[kind], "required": required, "meta": meta}
    if kind == "money":
        schema["money"] = True
    if kind == "date":
        schema["real_date"] = True
    if kind == "flag":
        schema["yes_no"] = True
    if kind == "days":
        schema["day_count"] = True
    if kind == "rate":
        schema["percent"] = True
    if kind == "text" and required and not rules.keys() & {"allowed", "regex", "credit_code"}:
        schema["filled"] = True  # required free text: not empty, not only spaces
    if kind == "text":
        schema["fits_cell"] = True
    schema.update(rules)
    return schema


def record(doc: str, fields: dict, required: bool = False) -> dict:
    return field("dict", doc, required, schema=fields)


def records(doc: str, fields: dict, required: bool = False, **rules) -> dict:
    return field("list", doc, required, schema={"type": "dict", "schema": fields}, **rules)


def credit_code(doc: str, required: bool = True) -> dict:
    return field("text", doc, required, credit_code=True)


def person(doc: str, email: bool = False) -> dict:
    fields = {
        "name": field("text", "姓名", True),
        "title": field("text", "职务", True),
        "phone": field("text", "电话（个人信息，只在清欠办站点显示，从不公开）", True,
                       regex=r"[0-9+() -]{5,20}"),
    }
    if email:
        fields["email"] = field("text", "电子邮箱", regex=r"[^@\s]+@[^@\s]+\.[^@\s]+")
    return record(doc, fields, True)


UNIT = {
    "id": field("text", "单位编号，与文件名相同，只用小写字母、数字和 -", True, regex=UNIT_ID),
    "name": field("text", "单位全称", True),
    "credit_code": credit_code("单位的统一社会信用代码（18 位，GB 32100-2015）"),
    "type": field("text", "单位类型", True, allowed=UNIT_TYPES),
    "region": record("所在行政区划", {
        "code": field("text", "行政区划代码（6 位数字）", True, regex=r"[0-9]{6}"),
        "name": field("text", "行政区划名称", True),
    }, True),
    "parent": field("text", "上级单位编号（属地管理、逐级汇总）；只有顶层单位不填", regex=UNIT_ID),
    "supervisor": field("text", "汇总其台账的主管单位编号（财政局、国资委或国资运营公司）",
                        regex=UNIT_ID),
    "status": field("text", "经营状态；停产企业不在清理范围内，不得报送台账", True,
                    allowed=UNIT_STATUS),
    "halted": field("date", "停产日期（清欠办填写）：自该日起单位不在清理范围，台账保留且只读，"
                    "不计入合计，也不再算未按时报送；status 须为 停产"),
    "disclosed": records("年度公开（条例第十八条）：机关、事业单位每年 3 月 31 日前公开上一年度逾期未支付中小企业款项的"
                         "合同数量和金额，每公开一次记一条", {
        "year": field("text", "公开的是哪一年度的情况，如 2025", True, regex=YEAR),
        "published": field("date", "公开日期", True),
    }),
    "leader": person("分管领导（只在清欠办站点显示）"),
    "liaison": person("联络人（只在清欠办站点显示）", email=True),
    "maintainers": field("list", "可以为本单位提交台账的 Git 账号", True, minlength=1,
                         schema={"type": "string", "regex": r"[A-Za-z0-9][A-Za-z0-9_.-]*"}),
}

ITEM = {
    "id": field("text", "欠款编号，单位内唯一，一经使用不得删除或改作他用", True, regex=CODE_ID),
    "creditor": record("债权企业（中小企业）", {
        "name": field("text", "企业名称", True),
        "credit_code": credit_code("企业的统一社会信用代码"),
        "size": field("text", "企业规模", True, allowed=SIZES),
    }, True),
    "category": field("text", "欠款类别", True, allowed=CATEGORIES),
    "contract": record("合同", {
        "number": field("text", "合同编号（按原样保留，如 0012）", True),
        "signed": field("date", "签订日期", True),
        "amount": field("money", "合同金额（元）", True),
    }, True),
    "due": field("date", "合同约定的付款日期；早于 2020-01-01 的属 2020 年以前形成的欠款", True),
    "amount": field("money", "逾期欠款金额（元，最多两位小数）", True),
    "disputed": field("flag", "是否有分歧：是 或 否（台账文件中写 true / false，也可写 是 / 否）", True),
    "dispute": record("分歧情况，有分歧时必填", {
        "reason": field("text", "分歧原因", True),
        "path": field("text", "解决途径", True, allowed=DISPUTE_PATHS),
        "state": field("text", "解决状态", True, allowed=DISPUTE_STATES),
    }),
    "origin": field("text", "欠款来源：排查发现、投诉线索，或前期遗留（前期摸排出的有分歧欠款、剩余欠款）", True,
                    allowed=ORIGINS),
    "clue": field("text", "来源为 投诉 时的线索编号", regex=CODE_ID),
    "delivered": field("date", "交付日：货物、工程、服务交付之日。填写后这笔欠款按《保障中小企业款项支付条例》"
                       "计算付款期限、逾期利息和违规情形"),
    "acceptance": record("合同约定的检验、验收（按条例，验收合格后起算付款期限）", {
        "within": field("days", "约定的检验或验收期限：交付后多少日内完成"),
        "passed": field("date", "验收合格日；尚未验收合格的不填"),
    }),
    "settlement": field("date", "结算金额确认日：合同约定按结算付款时填写，付款期限从此日起算"),
    "pay_within": field("days", "合同约定的付款期限：起算后多少日内付款；不填按条例（机关、事业单位 30 日，"
                        "大型企业 60 日）"),
    "interest_rate": field("rate", "合同约定的逾期利率（年利率，%，如 3.10）；不填按每日万分之五计算逾期利息"),
    "conditions": field("list", "合同的付款条件中条例禁止的条款：背靠背（第三方付款后才付或按其比例付）、"
                        "审计结算（以审计结果作为结算依据）", schema={"type": "string", "allowed": CONDITIONS}),
    "payments": records("已还款记录，只能追加，不能修改或删除", {
        "date": field("date", "还款日期", True),
        "amount": field("money", "还款金额（元）", True),
        "method": field("text", "支付方式；商业汇票等非现金方式会被标注", True, allowed=METHODS),
    }),
    "plan": records("还款计划，无分歧且未还清时必填", {
        "date": field("date", "计划还款日期", True),
        "amount": field("money", "计划还款金额（元）", True),
    }),
    "corrections": records("更正记录：修改已登记的金额、日期、债权人、合同或还款时必须追加一条", {
        "date": field("date", "更正日期", True),
        "field": field("text", "更正的字段", True, CORRECTABLE, allowed=list(CORRECTABLE)),
        "reason": field("text", "更正原因", True),
    }),
    "confirmations": records("应收账款确权：企业请求确认债权债务关系，每次请求一条，只能追加", {
        "received": field("date", "收到确权请求的日期", True),
        "purpose": field("text", "请求用途：融资（应收账款担保融资）或其他", True, allowed=PURPOSES),
        "answered": field("date", "答复日期；未答复时不填"),
        "result": field("text", "答复结果，答复后必填", allowed=CONFIRM_RESULTS),
        "reason": field("text", "不予确认的原因，答复结果（result）为 不予确认 时必填"),
    }),
    "followups": records("回访、实地核查：核实款项是否到账，每次核查一条，只能追加", {
        "date": field("date", "核查日期", True),
        "method": field("text", "核查方式", True, allowed=FOLLOWUP_METHODS),
        "by": field("text", "核查单位编号（通常是清欠办或中小企业服务中心）", True, regex=UNIT_ID),
        "result": field("text", "核查结果", True, allowed=FOLLOWUP_RESULTS),
        "received": field("money", "已到账金额（元）：核查结果（result）为 部分到账 时填写，"
                                   "核查时企业实际收到的合计金额；报送已还而未到账的部分计为待核实，不计入已还和清偿率"),
        "notes": field("text", "核查说明"),
    }),
    "notes": field("text", "备注"),
}

ARREARS = {
    "unit": field("text", "报送单位编号，与文件名相同", True, regex=UNIT_ID),
    "as_of": field("date", "台账数据截至日期", True),
    "items": records("逾期欠款，每笔一行（一个合同对一家企业）", ITEM, True),
}

CLUE = {
    "id": field("text", "线索编号，全市唯一", True, regex=CODE_ID),
    "received": field("date", "收到日期", True),
    "source": field("text", "线索来源", True, allowed=CLUE_SOURCES),
    "complainant": record("投诉企业", {
        "name": field("text", "企业名称", True),
        "credit_code": credit_code("企业的统一社会信用代码"),
    }, True),
    "respondent": field("text", "被投诉单位编号", True, regex=UNIT_ID),
    "amount": field("money", "投诉金额（元）", True),
    "accepted": field("flag", "是否受理；不受理时须填写 reason", True),
    "reason": field("text", "不予受理的原因（已告知投诉人的内容）"),
    "transferred_to": field("text", "转办的责任单位编号；受理的线索必填", regex=UNIT_ID),
    "verdict": field("text", "核实结论；受理的线索必填，不予受理的不填", allowed=VERDICTS),
    "item": field("text", "核实为 无分歧 或 有分歧 后纳入台账的欠款：单位编号/欠款编号",
                  regex=ITEM_REF),
    "closed": field("date", "办结日期；未办结时不填"),
    "deadline": field("date", "限期清偿日期：无分歧未清偿的，要求责任单位在此日期前清偿"),
    "forwarded": field("date", "转交日：受理投诉部门把投诉转交处理部门的日期（条例：10 个工作日内）"),
    "extended_to": field("date", "延期至：情况复杂、经批准延长的办理期限（自收到之日起最长 90 日）"),
    "replied": field("date", "书面答复日：把处理结果书面答复投诉人的日期"),
    "progress": records("办理进展，按日期追加", {
        "date": field("date", "进展日期", True),
        "note": field("text", "进展情况", True),
    }),
}

CLUES = {
    "unit": field("text", "受理投诉的单位编号，与文件名相同", True, regex=UNIT_ID),
    "clues": records("投诉线索", CLUE, True),
}

CASE = {
    "id": field("text", "案例编号，与文件名相同", True, regex=CODE_ID),
    "title": field("text", "案例标题", True),
    "unit": field("text", "涉及单位编号", True, regex=UNIT_ID),
    "items": field("list", "涉及的欠款：单位编号/欠款编号", True, minlength=1,
                   schema={"type": "string", "regex": ITEM_REF}),
    "state": field("text", "状态；只有 已公开 的案例出现在公众站点", True, allowed=CASE_STATES),
    "published": field("date", "公开日期，state 为 已公开 时必填"),
    "summary": field("text", "案情（Markdown，不允许 HTML）", True),
    "handling": field("text", "处理情况（约谈、通报、限期清偿等）", True),
}

MEASURE = {
    "id": field("text", "措施编号，全文件唯一，一经使用不得删除或改作他用", True, regex=CODE_ID),
    "date": field("date", "采取措施的日期", True),
    "unit": field("text", "措施针对的单位编号", True, regex=UNIT_ID),
    "kind": field("text", "措施类别", True, allowed=MEASURE_KINDS),
    "basis": field("text", "依据（如清偿率排名、超过时限的欠款）", True),
    "follow_up": field("date", "清欠办再次检查的日期"),
}

MEASURES = {
    "measures": records("对单位采取的督办、限制和惩戒措施（只有清欠办可以修改）", MEASURE, True),
}
MEASURES_PATH = "ledgers/measures.yaml"

# kind -> (folder, schema, title used in the reference page); measures is one file, not a folder

KINDS: dict[str, tuple[str, dict, str]] = {
    "unit": ("units", UNIT, "单位登记 units/<单位编号>.yaml"),
    "arrears": ("ledgers/arrears", ARREARS, "欠款台账 ledgers/arrears/<单位编号>.yaml"),
    "clues": ("ledgers/clues", CLUES, "投诉线索台账 ledgers/clues/<受理单位编号>.yaml"),
    "case": ("ledgers/cases", CASE, "典型案例 ledgers/cases/<案例编号>.yaml"),
    "measures": (MEASURES_PATH, MEASURES, f"督办措施 {MEASURES_PATH}（只由清欠办维护）"),
}


def kind_of(relpath: str) -> str | None:
    """Which format a path relative to the root holds, or None if it is not a data file."""
    if relpath == MEASURES_PATH:
        return "measures"
    folder, _, name = relpath.rpartition("/")
    if not name.endswith(".yaml"):
        return None
    for kind, (kind_folder, _schema, _title) in KINDS.items():
        if folder == kind_folder:
            return kind
    return None


def file_id(relpath: str) -> str:
    """The id a data file is named after: `ledgers/arrears/ll-jtj.yaml` -> `ll-jtj`."""
    return relpath.rpartition("/")[2].removesuffix(".yaml")


def ledger_path(unit: str) -> str:
    """Where a unit's debt ledger lives."""
    return f"{KINDS['arrears'][0]}/{unit}.yaml"


def walk_fields(schema: dict, prefix: str = ""):
    """(dotted name, rules) for every field, depth first, in schema order."""
    for name, rules in schema.items():
        dotted = f"{prefix}{name}"
        yield dotted, rules
        inner = rules.get("schema")
        if isinstance(inner, dict) and inner.get("type") == "dict":
            inner = inner["schema"]
            dotted += "[]"
        if isinstance(inner, dict) and "type" not in inner:
            yield from walk_fields(inner, f"{dotted}.")


def short_doc(rules: dict) -> str:
    """The Chinese name of a field for column headers and lists: its doc up to the first
    bracket or clause mark ("逾期欠款金额（元，最多两位小数）" -> "逾期欠款金额")."""
    doc = rules["meta"]["doc"]
    for mark in "（(，；：":
        doc = doc.split(mark, 1)[0]
    return doc.strip()


def item_field_label(name: str) -> str:
    """A debt's field as a clerk reads it (the `field` of a correction): `amount` -> 逾期欠款金额."""
    rules = ITEM.get(name)
    return short_doc(rules) if rules else name
