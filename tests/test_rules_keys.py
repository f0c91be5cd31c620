"""The standing rules' keys in the files (DESIGN §3c): read into the records, and every hostile
value a Chinese error at its line and column, with nothing else lost."""

from datetime import date

import pytest

from generator.validate.pipeline import validate_repo
from helpers import edit, found

LEDGER = "ledgers/arrears/sl-jtj.yaml"
CLUES = "ledgers/clues/sl-zxqy.yaml"
# A001 of the fixture ledger (signed 2021-03-01, as_of 2022-10-31), given the rules' keys on line 11
TERMS = ("    disputed: false\n    origin: 排查\n    payments:\n      - {date: 2022-06-15",
         "    disputed: false\n    origin: 排查\n"
         "    delivered: 2021-06-01\n"
         "    acceptance: {within: 15, passed: 2021-06-20}\n"
         "    settlement: 2021-07-01\n"
         "    pay_within: 45\n"
         "    interest_rate: 3.10\n"
         "    conditions: [背靠背]\n"
         "    payments:\n      - {date: 2022-06-15")


def with_terms(root, old="", new=""):
    """The new problems of the ledger once A001 has the keys (its lines below 11 move down by 6)."""
    before = {(line + 6 if line > 11 else line, code) for path, line, code in found(root) if path == LEDGER}
    edit(root, LEDGER, *TERMS)
    if old:
        edit(root, LEDGER, old, new)
    return {(line, code) for path, line, code in found(root) if path == LEDGER} - before


def test_the_keys_are_read_into_the_debts_terms(mini):
    assert with_terms(mini) == set()
    item = next(i for led in validate_repo(mini, jobs=1).records.ledgers for i in led.items if i.id == "A001")
    terms = item.terms
    assert terms is not None
    assert (terms.delivered, terms.acceptance_within, terms.accepted, terms.settlement, terms.pay_within,
            str(terms.interest_rate), terms.conditions) == (
        date(2021, 6, 1), 15, date(2021, 6, 20), date(2021, 7, 1), 45, "3.10", ("背靠背",))


@pytest.mark.parametrize(("old", "new", "line", "code"), [
    ("pay_within: 45", "pay_within: 4500", 16, "E217"),  # a huge term
    ("pay_within: 45", "pay_within: -5", 16, "E217"),
    ("pay_within: 45", "pay_within: 4.5", 16, "E217"),
    ("pay_within: 45", 'pay_within: "45"', 16, "E217"),  # quoted: text, not a number
    ("within: 15", "within: true", 14, "E217"),
    ("interest_rate: 3.10", "interest_rate: -3.10", 17, "E218"),  # a negative rate
    ("interest_rate: 3.10", "interest_rate: 310", 17, "E218"),
    ("interest_rate: 3.10", 'interest_rate: "3.1%"', 17, "E218"),
    ("conditions: [背靠背]", "conditions: [先款后货]", 18, "E204"),  # an unknown condition
    ("conditions: [背靠背]", "conditions: 背靠背", 18, "E203"),
    ("passed: 2021-06-20", "passed: 2021-05-20", 14, "E340"),  # accepted before delivery
    ("settlement: 2021-07-01", "settlement: 2021-05-01", 15, "E340"),
    ("delivered: 2021-06-01", "delivered: 2021-02-01", 13, "E340"),  # delivered before signing
    ("delivered: 2021-06-01", "delivered: 2022-11-01", 13, "E341"),  # after the ledger's date
    ("settlement: 2021-07-01", "settlement: 2099-07-01", 15, "E341"),  # the future
    ("delivered: 2021-06-01", "delivered: 2021-06-31", 13, "E209"),
    ("acceptance: {within: 15, passed: 2021-06-20}", "acceptance: {}", 14, "E213"),
    ("acceptance: {within: 15, passed: 2021-06-20}", "acceptance: {within: 15, pass: 2021-06-20}", 14, "E202"),
])
def test_a_hostile_value_is_an_error_at_its_place(mini, old, new, line, code):
    assert (line, code) in with_terms(mini, old, new)


def test_the_rules_keys_without_a_delivery_date_are_an_error_not_ignored(mini):
    assert (13, "E343") in with_terms(mini, "    delivered: 2021-06-01\n", "")  # at acceptance


def test_the_hostile_debt_is_reported_and_the_others_kept(mini):
    with_terms(mini, "pay_within: 45", "pay_within: 99999999999999999999")
    records = validate_repo(mini, jobs=1).records
    assert {i.id for led in records.ledgers if led.unit == "sl-jtj" for i in led.items} >= {"A002", "A003"}


CLUE_KEYS = ("    closed: 2022-08-05\n", "    closed: 2022-08-05\n    forwarded: 2022-06-10\n"
             "    extended_to: 2022-08-30\n    replied: 2022-08-04\n")


@pytest.mark.parametrize(("old", "new", "code"), [
    ("forwarded: 2022-06-10", "forwarded: 2022-05-10", "E340"),  # forwarded before receipt
    ("replied: 2022-08-04", "replied: 2022-06-01", "E340"),
    ("replied: 2022-08-04", "replied: 2099-08-04", "E321"),
    ("extended_to: 2022-08-30", "extended_to: 2022-09-09", "E342"),  # 90 days after 06-10 is 09-08
    ("extended_to: 2022-08-30", "extended_to: 2022-30-08", "E209"),
])
def test_the_clue_clock_keys(mini, old, new, code):
    edit(mini, CLUES, *CLUE_KEYS)
    assert not {c for path, _line, c in found(mini) if path == CLUES}
    edit(mini, CLUES, old, new)
    assert code in {c for path, _line, c in found(mini) if path == CLUES}
