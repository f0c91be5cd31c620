"""The compiled fast path and cerberus give the same verdict on mutated documents."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.load import Map, Num, Seq, load_file
from generator.validate.check_schema import _FAST, validator
from helpers import FIXTURES

LEDGER = load_file("x.yaml", (FIXTURES / "mini/ledgers/arrears/sl-jtj.yaml").read_bytes()).tree
CLUES = load_file("x.yaml", (FIXTURES / "mini/ledgers/clues/sl-zxqy.yaml").read_bytes()).tree
UNIT = load_file("x.yaml", (FIXTURES / "mini/units/sl-jtj.yaml").read_bytes()).tree
CASE = load_file("x.yaml", (FIXTURES / "mini/ledgers/cases/2022-001.yaml").read_bytes()).tree
# the fixture ledger's first debt and first clue with the standing rules' keys (DESIGN §3c)
_TEXT = (FIXTURES / "mini/ledgers/arrears/sl-jtj.yaml").read_text(encoding="utf-8").replace(
    "    origin: 排查\n", "    origin: 排查\n    delivered: 2021-06-01\n"
    "    acceptance: {within: 15, passed: 2021-06-20}\n    settlement: 2021-07-01\n    pay_within: 45\n"
    "    interest_rate: 3.10\n    conditions: [背靠背, 审计结算]\n", 1)
RULES_LEDGER = load_file("x.yaml", _TEXT.encode()).tree
RULES_CLUES = load_file("x.yaml", (FIXTURES / "mini/ledgers/clues/sl-zxqy.yaml").read_text(encoding="utf-8").replace(
    "    closed: 2022-08-05\n", "    closed: 2022-08-05\n    forwarded: 2022-06-10\n    extended_to: 2022-08-30\n"
    "    replied: 2022-08-04\n", 1).encode()).tree
DOCS = {"arrears": LEDGER, "clues": CLUES, "unit": UNIT, "case": CASE, "arrears/rules": RULES_LEDGER,
        "clues/rules": RULES_CLUES}

VALUES = [None, True, False, "", "x", "工程款", "工程", "是", "否", "有", "A 1", "sl-jtj", "sl-jtj/A001",
          "2021-02-30", "2021/12/31", "2022-06-30", "91990100MA00000073", "91990100MA00000074",
          Num("1.005"), Num("-1"), Num("100"), Num("45"), Num("4500"), Num("3.10"), Num("-3.1"), Num("3.12345"),
          "背靠背", "审计结算", ["背靠背"], ["先款后货"], Num(".nan"), Num("0012"), Num("380000.00"),
          Seq(1, 1), Map(1, 1)]


def paths(node, prefix=()):
    """Every (container path, key) in a tree, to pick a place to mutate."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix, key
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield prefix, index
            yield from paths(value, (*prefix, index))


def mutate(doc, data):
    doc = copy.deepcopy(doc)
    for _ in range(data.draw(st.integers(1, 3))):
        places = list(paths(doc))
        if not places:  # everything deleted already
            break
        where, key = data.draw(st.sampled_from(places))
        parent = doc
        for step in where:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "delete", "unknown"]))
        if action == "replace":
            parent[key] = copy.deepcopy(data.draw(st.sampled_from(VALUES)))
        elif action == "delete" and isinstance(parent, dict):
            del parent[key]
        elif isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["amout", "extra", "备注"]))] = "x"
    return doc


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted(DOCS)), st.data())
def test_fast_path_agrees_with_cerberus(kind, data):
    doc = mutate(DOCS[kind], data)
    kind = kind.partition("/")[0]
    assert _FAST[kind](doc) == validator(kind).validate(doc, normalize=False)


def test_unmutated_documents_pass_both():
    for name, doc in DOCS.items():
        kind = name.partition("/")[0]
        assert _FAST[kind](doc) and validator(kind).validate(doc, normalize=False)
