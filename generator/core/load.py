"""Load one YAML file into a tree that remembers where everything was written.

PyYAML's C composer gives nodes with positions and the exact scalar text; we never run its
constructor, so `0012` stays `0012`, an 18-digit code keeps its digits, and a date that does
not exist is reported by the schema instead of crashing the load. Everything a ledger has no
use for (aliases, tabs, other encodings, deep nesting) is refused before composing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from .issues import Issue, make

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 32

# Characters that hide, reorder or disguise text (zero-width, direction controls, fillers,
# variation selectors, tag characters, non-characters): no ledger value needs one.
_HIDDEN = ("\u00ad\u034f\u061c\u115f\u1160\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u2064"
           "\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\ufffe\uffff\U000e0000-\U000e007f")
# In the raw text: those, and every C0/C1 control and DEL except the line breaks and the tab
# (reported as E104). In a loaded value, where a double-quoted "\a" or "\0" has become the
# character itself, only the line feed of multi-line text may remain.
_IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_HIDDEN}]")
_IN_VALUE = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_HIDDEN}]")
_BRACKETS = re.compile(r"[\[\]{}]")
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_BOOL, _NULL = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
_STANDARD = {_INT, _FLOAT, _BOOL, _NULL, "tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp",
             "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


class _Composer(yaml.CSafeLoader):
    """The C composer asks this Python method for the tag of every scalar, a third of a
    file's load time; a plain scalar's implicit tag depends on its text alone (SafeLoader has
    no path resolvers), and ledgers repeat the same dates, categories and methods, so the
    answer is remembered by text."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                if len(_PLAIN_TAGS) >= 100_000:  # bounded: a province has more distinct texts
                    _PLAIN_TAGS.clear()
                tag = _PLAIN_TAGS[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)


_PLAIN_TAGS: dict[str, str] = {}


class Num(str):
    """An unquoted scalar that YAML reads as a number, kept as the text written."""

    __slots__ = ()


class Map(dict):
    """A mapping with the 1-based position of itself and of each key and value."""

    __slots__ = ("col", "keys_at", "line", "values_at")

    def __init__(self, line: int, col: int) -> None:
        super().__init__()
        self.line, self.col = line, col
        self.keys_at: dict[str, tuple[int, int]] = {}
        self.values_at: dict[str, tuple[int, int]] = {}


class Seq(list):
    """A sequence with the 1-based position of itself and of each element."""

    __slots__ = ("col", "items_at", "line")

    def __init__(self, line: int, col: int) -> None:
        super().__init__()
        self.line, self.col = line, col
        self.items_at: list[tuple[int, int]] = []


@dataclass
class Loaded:
    path: str
    tree: Map | None
    issues: list[Issue] = field(default_factory=list)


def position(tree: Map, path: tuple, at_key: bool = False) -> tuple[int, int]:
    """Where the value (or key) at `path` was written; for a missing key, its parent."""
    node: object = tree
    for step in path[:-1]:
        try:
            node = node[step]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            break
    if not path or not isinstance(node, Map | Seq):
        return (getattr(node, "line", 1), getattr(node, "col", 1))
    last = path[-1]
    if isinstance(node, Map):
        table = node.keys_at if at_key else node.values_at
        return table.get(last, (node.line, node.col))
    if isinstance(last, int) and 0 <= last < len(node.items_at):
        return node.items_at[last]
    return (node.line, node.col)


def decode(path: str, data: bytes) -> tuple[str | None, list[Issue]]:
    if len(data) > MAX_BYTES:
        return None, [make(path, 1, 1, "E102", f"{len(data) // 1024 // 1024} MB，"
                                               f"上限 {MAX_BYTES // 1024 // 1024} MB")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            hint = "看起来是 GBK/GB18030 编码"
        except UnicodeDecodeError:
            hint = f"第 {exc.start + 1} 个字节无法按 UTF-8 读取"
        return None, [make(path, line, 1, "E101", hint)]
    return text.removeprefix("\ufeff"), []


def load_text(path: str, text: str) -> Loaded:
    issues = list(_prechecks(path, text))
    if issues:
        return Loaded(path, None, issues)
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if (exc.context or "").startswith("while scanning a simple key") and exc.context_mark:
            mark = exc.context_mark  # where the line without its colon starts
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if (exc.context or "").startswith("expected a single document"):
            return Loaded(path, None, [make(path, line, col, "E109", "文件中有第二个文档（---）")])
        return Loaded(path, None, [make(path, line, col, "E103", _yaml_problem(exc))])
    except yaml.YAMLError as exc:  # the reader's errors carry no mark; the prechecks catch their causes
        return Loaded(path, None, [make(path, 1, 1, "E103", f"无法解析（{exc}）")])
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node else 1
        return Loaded(path, None, [make(path, line, 1, "E109")])
    issues = []
    tree = _convert(node, path, issues)
    return Loaded(path, tree, issues)


def load_file(path: str, data: bytes) -> Loaded:
    text, issues = decode(path, data)
    if text is None:
        return Loaded(path, None, issues)
    return load_text(path, text)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _prechecks(path: str, text: str):
    tab = text.find("\t")
    if tab >= 0:
        yield make(path, *_line_col(text, tab), "E104")
    for match in _IN_TEXT.finditer(text):
        yield make(path, *_line_col(text, match.start()), "E108", _named(match.group()))
    if tab >= 0:
        return
    if ("&" in text or "*" in text) and (found := _first_alias(text)):
        yield make(path, found[0], found[1], "E106")
    if _looks_deep(text) and (found := _too_deep(text)):
        yield make(path, found[0], found[1], "E107", f"超过 {MAX_DEPTH} 层")


def _where(mark: yaml.Mark | yaml._yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _named(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def _hidden_in(path: str, node: yaml.ScalarNode, issues: list[Issue]) -> None:
    """A double-quoted scalar can spell any character as an escape; the raw text showed none."""
    if node.style == '"' and (match := _IN_VALUE.search(node.value)):
        issues.append(make(path, *_where(node.start_mark), "E108", f"{_named(match.group())}（以转义写出）"))


def _tagged(path: str, node: yaml.Node, issues: list[Issue]) -> bool:
    """Report an explicit tag other than YAML's standard ones (`!!python/object`, `!!set`)."""
    if node.tag in _STANDARD:
        return False
    issues.append(make(path, *_where(node.start_mark), "E103", f"不支持的标签 {node.tag}，请删除它"))
    return True


def _first_alias(text: str) -> tuple[int, int] | None:
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return _where(event.start_mark)
    except yaml.YAMLError:
        pass  # the composer reports the syntax error with its position
    return None


def _looks_deep(text: str) -> bool:
    """A cheap upper bound on nesting: brackets (ignoring quotes) and indentation."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    indent = max((len(m.group()) for m in re.finditer(r"(?m)^ +", text)), default=0)
    return deepest > MAX_DEPTH or indent > 2 * MAX_DEPTH


def _too_deep(text: str) -> tuple[int, int] | None:
    # The C composer recurses per level and would overflow the stack on a bracket bomb;
    # the event parser does not, and we stop at the first level past the limit.
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return _where(event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return None


def _convert(node: yaml.Node, path: str, issues: list[Issue]):
    if _tagged(path, node, issues):
        return node.value if isinstance(node, yaml.ScalarNode) else None
    if isinstance(node, yaml.ScalarNode):
        tag, value = node.tag, node.value
        _hidden_in(path, node, issues)
        if node.style:  # quoted or block text is always text
            return value
        if tag in (_INT, _FLOAT):
            return Num(value)
        if tag == _BOOL and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if tag == _NULL:
            return None
        return value
    mark = node.start_mark
    if isinstance(node, yaml.SequenceNode):
        seq = Seq(mark.line + 1, mark.column + 1)
        for child in node.value:
            seq.items_at.append((child.start_mark.line + 1, child.start_mark.column + 1))
            seq.append(_convert(child, path, issues))
        return seq
    mapping = Map(mark.line + 1, mark.column + 1)
    for key_node, value_node in node.value:
        key_at = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key_node, yaml.ScalarNode):
            issues.append(make(path, *key_at, "E203", "键必须是简单的文本"))
            continue
        if _tagged(path, key_node, issues):
            continue
        _hidden_in(path, key_node, issues)
        key = key_node.value
        if key in mapping:
            first = mapping.keys_at[key]
            issues.append(make(path, *key_at, "E105", f"“{key}”已在第 {first[0]} 行出现"))
            continue
        mapping.keys_at[key] = key_at
        mapping.values_at[key] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
        mapping[key] = _convert(value_node, path, issues)
    return mapping


_PROBLEMS = {
    "mapping values are not allowed here": "这里不能出现“冒号+空格”，可能是上一行缩进不对，"
                                           "或文本中含冒号需加引号",
    "could not find expected ':'": "缺少冒号，或缩进不对",
    "found character that cannot start any token": "出现了不能开头的字符，文本请加引号",
    "did not find expected key": "缩进不对或少了“- ”",
    "did not find expected '-' indicator": "列表项缩进不一致",
    "found unexpected end of stream": "文件意外结束，检查引号或括号是否成对",
    "found unknown escape character": "双引号中的反斜杠需要写成 \\\\",
    "did not find expected ',' or ']'": "方括号列表没有正确结束",
    "did not find expected ',' or '}'": "花括号映射没有正确结束",
    "found undefined tag handle": "使用了未定义的标签",
    "control characters are not allowed": "含有控制字符，请删除",
}


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    for english, chinese in _PROBLEMS.items():
        if problem.startswith(english):
            return chinese
    return f"无法解析（{problem or exc}）"
