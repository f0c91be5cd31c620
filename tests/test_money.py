"""Totals are exact to the fen whatever amounts are written."""

import json
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.analysis.frame import items_frame
from generator.core.config import Campaign
from generator.core.money import yuan
from generator.validate.pipeline import validate_repo
from generator.workbook.export import write_json

cents = st.integers(min_value=1, max_value=10**12)  # up to ten billion yuan, in fen


def amount_text(fen: int) -> str:
    return f"{Decimal(fen).scaleb(-2):.2f}"


def write_ledger(root: Path, debts: list[tuple[int, list[int]]]) -> None:
    lines = ["unit: sl-czj", "as_of: 2022-10-31", "items:"]
    for n, (amount, payments) in enumerate(debts):
        lines += [
            f"  - id: A{n:03d}",
            "    creditor: {name: 某公司, credit_code: 91990100MA00000073, size: 小型}",
            "    category: 货物",
            f"    contract: {{number: C{n}, signed: 2021-01-01, amount: {amount_text(amount)}}}",
            "    due: 2021-06-30",
            f"    amount: {amount_text(amount)}",
            "    disputed: true",
            "    dispute: {reason: 有争议, path: 协商, state: 进行中}",
            "    origin: 排查",
        ]
        if payments:
            lines.append("    payments:")
            lines += [f"      - {{date: 2022-01-01, amount: {amount_text(p)}, method: 银行转账}}"
                      for p in payments]
    (root / "ledgers/arrears/sl-czj.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


debts = st.lists(
    cents.flatmap(lambda a: st.tuples(st.just(a), st.lists(st.integers(1, a), max_size=3))
                  .filter(lambda t: sum(t[1]) <= t[0])),
    min_size=1, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(debts)
def test_totals_reconcile_to_the_fen(mini, tmp_path_factory, debts):
    write_ledger(mini, debts)
    report = validate_repo(mini, jobs=1)
    assert report.valid, [i.text() for i in report.errors]
    frame = items_frame(report.records, Campaign())
    frame = frame[frame["unit"] == "sl-czj"]
    assert int(frame["amount"].sum()) == sum(a for a, _ in debts)
    assert int(frame["repaid"].sum()) == sum(sum(p) for _, p in debts)
    assert int(frame["remaining"].sum()) == sum(a - sum(p) for a, p in debts)
    out = tmp_path_factory.mktemp("export") / "all.json"
    write_json(frame, out)
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal(yuan(sum(a for a, _ in debts)))
    assert sum(Decimal(r["remaining"]) for r in rows) == sum(
        Decimal(a - sum(p)).scaleb(-2) for a, p in debts)
