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
DOCS = {"arrears": LEDGER, "clues": CLUES, "unit": UNIT, "case": CASE}

VALUES = [None, True, False, "", "x", "工程款", "工程", "是", "否", "有", "A 1", "sl-jtj", "sl-jtj/A001",
          "2021-02-30", "2021/12/31", "2022-06-30", "91990100MA00000073", "91990100MA00000074",
          Num("1.005"), Num("-1"), Num("100"), Num(".nan"), Num("0012"), Num("380000.00"),
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
    assert _FAST[kind](doc) == validator(kind).validate(doc, normalize=False)


def test_unmutated_documents_pass_both():
    for kind, doc in DOCS.items():
        assert _FAST[kind](doc) and validator(kind).validate(doc, normalize=False)
