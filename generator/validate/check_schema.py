"""Schema validation with cerberus, its errors turned into Chinese Issues at their positions."""

from __future__ import annotations

import difflib

import cerberus
from cerberus import errors as cerr

from ..core.issues import Issue, make
from ..core.load import Map, Num, position
from ..core.scalars import credit_code_problem, date_problem, days_problem, money_problem, rate_problem
from ..core.schema import CELL_LIMIT, KINDS
from .fastcheck import compile_mapping


class LedgerValidator(cerberus.Validator):
    types_mapping = cerberus.Validator.types_mapping.copy()
    types_mapping["money"] = cerberus.TypeDefinition("money", (Num,), ())
    types_mapping["ymd"] = cerberus.TypeDefinition("ymd", (str,), (Num,))
    types_mapping["flag"] = cerberus.TypeDefinition("flag", (bool, str), ())
    types_mapping["days"] = cerberus.TypeDefinition("days", (Num,), ())
    types_mapping["rate"] = cerberus.TypeDefinition("rate", (Num,), ())

    def _problem(self, field, code: str, detail: str) -> None:
        """A problem of our own rules: cerberus' custom error, carrying the code and the
        detail as two fields of its `info` (read back in `_issue`)."""
        self._error(field, cerr.CUSTOM, code, detail)

    def _validate_money(self, constraint, field, value):
        """{'type': 'boolean'}"""
        if constraint and isinstance(value, Num) and (found := money_problem(value)):
            self._problem(field, *found)

    def _validate_real_date(self, constraint, field, value):
        """{'type': 'boolean'}"""
        if constraint and isinstance(value, str) and (found := date_problem(value)):
            self._problem(field, *found)

    def _validate_day_count(self, constraint, field, value):
        """{'type': 'boolean'}"""
        if constraint and isinstance(value, Num) and (found := days_problem(value)):
            self._problem(field, *found)

    def _validate_percent(self, constraint, field, value):
        """{'type': 'boolean'}"""
        if constraint and isinstance(value, Num) and (found := rate_problem(value)):
            self._problem(field, *found)

    def _validate_credit_code(self, constraint, field, value):
        """{'type': 'boolean'}"""
        if constraint and isinstance(value, str) and (found := credit_code_problem(value)):
            self._problem(field, "E210", f"“{value}”{found}")

    def _validate_filled(self, constraint, field, value):
        """{'type': 'boolean'}"""
        if constraint and isinstance(value, str) and not value.strip():
            self._problem(field, "E213", f"{field} 只有空白")

    def _validate_fits_cell(self, constraint, field, value):
        """{'type': 'boolean'}"""
        if constraint and isinstance(value, str) and len(value) > CELL_LIMIT:
            self._problem(field, "E219", f"有 {len(value)} 个字符，超过 {CELL_LIMIT} 个")

    def _validate_yes_no(self, constraint, field, value):
        """{'type': 'boolean'}"""
        if constraint and isinstance(value, str) and value not in ("是", "否"):
            self._problem(field, "E212", f"{field} 为“{value}”")


_VALIDATORS: dict[str, LedgerValidator] = {}
_FAST = {kind: compile_mapping(schema) for kind, (_folder, schema, _title) in KINDS.items()}


def validator(kind: str) -> LedgerValidator:
    # One instance per kind: cerberus checks a schema once per validator, not per document.
    if kind not in _VALIDATORS:
        _VALIDATORS[kind] = LedgerValidator(KINDS[kind][1], allow_unknown=False)
    return _VALIDATORS[kind]


def check_schema(path: str, kind: str, tree: Map) -> list[Issue]:
    if _FAST[kind](tree):
        return []
    v = validator(kind)
    if v.validate(tree, normalize=False):
        return []
    return [_issue(path, tree, v, error) for error in _leaves(v._errors)]


def _leaves(errors):
    for error in errors:
        if error.is_group_error:
            yield from _leaves(error.child_errors)
        else:
            yield error


def _issue(path: str, tree: Map, v: LedgerValidator, error: cerr.ValidationError) -> Issue:
    doc_path = error.document_path
    name = ".".join(str(step) for step in doc_path)
    where = position(tree, doc_path)
    if error.code == cerr.CUSTOM.code:
        code, detail = error.info
        return make(path, *where, code, f"{name} {detail}")
    if error.code == cerr.UNKNOWN_FIELD.code:
        where = position(tree, doc_path, at_key=True)
        known = _known_fields(v, doc_path)
        close = difflib.get_close_matches(str(doc_path[-1]), known, n=1, cutoff=0.6)
        hint = f"，是不是想写 {close[0]}？" if close else f"；此处可用的字段：{'、'.join(known)}"
        return make(path, *where, "E202", f"“{doc_path[-1]}”{hint}")
    if error.code == cerr.REQUIRED_FIELD.code:
        return make(path, *where, "E201", f"缺少 {name}")
    if error.code == cerr.NOT_NULLABLE.code:
        return make(path, *where, "E213", f"{name} 没有填写值")
    if error.code == cerr.UNALLOWED_VALUE.code:
        allowed = "、".join(error.constraint)
        return make(path, *where, "E204", f"{name} 为“{error.value}”，只能是：{allowed}")
    if error.code == cerr.REGEX_MISMATCH.code:
        return make(path, *where, "E211", f"{name} 为“{error.value}”，不符合格式")
    if error.code == cerr.MIN_LENGTH.code:
        return make(path, *where, "E213", f"{name} 至少要有 {error.constraint} 项")
    if error.code == cerr.BAD_TYPE.code:
        return _type_issue(path, where, name, error.constraint, error.value)
    return make(path, *where, "E203", f"{name}：{error.rule}")


def _type_issue(path: str, where: tuple[int, int], name: str, expected, value) -> Issue:
    shown = "true/false" if isinstance(value, bool) else f"“{_short(value)}”"
    if expected == "money":
        why = "是布尔值" if isinstance(value, bool) else "是文本"
        return make(path, *where, "E205", f"{name} 为 {shown}（{why}）")
    if expected == "ymd":
        return make(path, *where, "E208", f"{name} 为 {shown}")
    if expected == "flag":
        return make(path, *where, "E212", f"{name} 为 {shown}")
    if expected == "days":
        return make(path, *where, "E217", f"{name} 为 {shown}，应是不加引号的整数天数")
    if expected == "rate":
        return make(path, *where, "E218", f"{name} 为 {shown}，应是不加引号的百分数，如 3.10")
    wanted = {"string": "文本", "list": "列表（每项以“- ”开头）", "dict": "键值映射"}.get(
        expected, expected)
    return make(path, *where, "E203", f"{name} 应为{wanted}，实际为 {shown}")


def _short(value) -> str:
    text = str(value) if not isinstance(value, dict | list) else type(value).__name__
    return text if len(text) <= 30 else text[:30] + "…"


def _known_fields(v: LedgerValidator, doc_path: tuple) -> list[str]:
    schema = v.schema
    for step in doc_path[:-1]:
        if isinstance(step, int):
            continue
        rules = schema.get(step, {})
        inner = rules.get("schema", {})
        schema = inner.get("schema", inner) if inner.get("type") == "dict" else inner
    return list(schema)
