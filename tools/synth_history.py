"""The example city's 2022 campaign and its standing duty since as a Git history:
`python tools/synth_history.py --out DIR`.

The committed example data is where the campaign ended (mid-November 2022). This replays how it
got there, so that the history pages have something to show: the units registered at the end of
May; from June each unit submits its ledger every few days (a few start late, in July), each
submission a commit dated with that day's time (+08:00) by one of the unit's maintainers; debts
appear when they were found (most in the first submission, some later, those from complaints
after the complaint), payments when they were made, corrections when they were filed (an
amount corrected in September was higher before it); the complaint-handling unit records clues
as they arrive and closes them; cases are filed in October. The last submission of every file is
the committed file byte for byte, and each month's last commit is tagged with the reporting
period (2022-06 … 2022-11).

Then the standing rules (tools/synth_standing.py): from June 2025 three new units report the
debts of their new contracts under 《保障中小企业款项支付条例》 month by month to 2026-11-30, the
complaint-handling unit records complaints with their clocks, and the months 2025-06 … 2026-11 are
tagged too. The 2022 part is unchanged: the tag 2022-11 is the committed data.

The whole history goes through one `git fast-import` (a few seconds for thousands of commits);
the result is kept until the generator or its seed changes.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from random import Random

import synth_standing as standing
from synth import (
    YEAR_END,
    Case,
    Clue,
    Dataset,
    Debt,
    Ledger,
    example,
    render_case,
    render_clues,
    render_ledger,
    render_measures,
    render_unit,
)

REGISTERED = date(2022, 5, 31)
FIRST_DAY, LATE_START = date(2022, 6, 1), date(2022, 7, 1)
CASES_FILED = date(2022, 10, 10)
BEIJING = timezone(timedelta(hours=8))
STAMP = "qingqian-demo-stamp"  # kept inside .git: which generator and seed made this history
OFFICE = ("qqb-admin", "清欠办")
MEASURES = "ledgers/measures.yaml"


class DemoError(Exception):
    pass


def stamp(seed: int) -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(str(seed).encode())
    for name in ("synth.py", "synth_history.py", "synth_standing.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def up_to_date(out: Path, seed: int) -> bool:
    found = out / ".git" / STAMP
    return found.is_file() and found.read_text(encoding="utf-8") == stamp(seed)


def _submission_days(rng: Random, final: date) -> list[date]:
    """Workdays a unit submits on: from June (some late units from July) every few days, the
    last on the day its final ledger is dated."""
    late = rng.random() < 0.15
    day = (LATE_START if late else FIRST_DAY) + timedelta(days=rng.randint(0, 19 if late else 12))
    gap = rng.choice((2, 3, 4, 5, 7))
    days = []
    while day < final:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=max(1, gap + rng.randint(-1, 1)))
    return [*days, final]


def _debt_at(debt: Debt, day: int, before: dict[str, int]) -> Debt:
    """The debt as its ledger showed it on `day` (an ordinal): payments and corrections made by
    then; an amount corrected later still at its earlier value; what was still to be paid
    (later payments, the part corrected away) planned, as an undisputed debt must be."""
    corrections = [c for c in debt.corrections if c[0] <= day]
    amount = before.get(debt.id, debt.amount) if len(corrections) < len(debt.corrections) else debt.amount
    plan = debt.plan
    if debt.dispute is None or debt.dispute[2] == "已解决":
        later = [(p[0], p[1]) for p in debt.payments if p[0] > day]
        extra = [(YEAR_END, amount - debt.amount)] if amount > debt.amount else []
        plan = sorted([*debt.plan, *later, *extra])
    asked = [c if c[2] is None or c[2] <= day else (c[0], c[1], None, None, None)  # not yet answered
             for c in debt.confirmations if c[0] <= day]
    return replace(debt, payments=[p for p in debt.payments if p[0] <= day], corrections=corrections,
                   amount=amount, plan=plan, confirmations=asked,
                   followups=[f for f in debt.followups if f[0] <= day])


def _appearances(rng: Random, ledger: Ledger, days: list[date], received: dict[str, int]) -> dict[str, date]:
    """The submission each debt first appears in: most in the first, some found later, those from
    complaints not before the complaint."""
    found = {}
    for debt in ledger.items:
        due = [d for d in days if d.toordinal() > debt.due]  # overdue by the ledger's date
        after = received.get(debt.id)
        if after is not None:
            found[debt.id] = next(d for d in due if d.toordinal() >= after)
        elif rng.random() < 0.12 and len(due) > 2:
            found[debt.id] = rng.choice(due[1:-1])
        else:
            found[debt.id] = due[0]
    return found


def _earlier_amounts(rng: Random, ledger: Ledger) -> dict[str, int]:
    """What an amount stood at before its correction: somewhat higher, within the contract."""
    out = {}
    for debt in ledger.items:
        if any(c[1] == "amount" for c in debt.corrections):
            higher = min(debt.contract_amount, debt.amount + debt.amount // 100 * rng.randint(5, 20))
            out[debt.id] = max(higher, debt.amount)
    return out


def _clues_at(clues: list[Clue], day: date, found: dict[str, date]) -> list[Clue]:
    """Clues received by `day`; checked (with their debt) once that debt is in the ledger, closed
    once their closing day has come."""
    shown = []
    for clue in clues:
        if clue.received > day.toordinal():
            continue
        progress = [p for p in clue.progress if p[0] <= day.toordinal()]
        if clue.item and found.get(clue.item, date.max) > day:
            clue = replace(clue, verdict="核查中", item=None, closed=None, deadline=None, progress=progress)
        elif clue.closed and clue.closed > day.toordinal():
            clue = replace(clue, closed=None, progress=progress)
        else:
            clue = replace(clue, progress=progress)
        shown.append(clue)
    return shown


class Stream:
    """A `git fast-import` stream: commits of whole files, then tags."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.mark = 0

    def commit(self, when: datetime, who: tuple[str, str], message: str, files: dict[str, str]) -> int:
        self.mark += 1
        login, name = who
        stamp = f"{int(when.timestamp())} +0800"
        text = message.encode()
        head = (f"commit refs/heads/main\nmark :{self.mark}\n"
                f"author {name} <{login}@example.org> {stamp}\ncommitter {name} <{login}@example.org> {stamp}\n"
                f"data {len(text)}\n").encode() + text + b"\n"
        if self.mark > 1:
            head += f"from :{self.mark - 1}\n".encode()
        self.parts.append(head)
        for path, content in sorted(files.items()):
            data = content.encode()
            self.parts.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
        self.parts.append(b"\n")
        return self.mark

    def tag(self, name: str, mark: int) -> None:
        self.parts.append(f"reset refs/tags/{name}\nfrom :{mark}\n\n".encode())

    def bytes(self) -> bytes:
        return b"".join(self.parts)


def _at(day: date, minutes: int) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=BEIJING) + timedelta(minutes=minutes)


def _events(data: Dataset, seed: int) -> list:
    rng = Random(seed * 7 + 12)  # its own random numbers: the dataset itself stays as committed
    debt_of = {id(debt): f"{lg.unit.id}/{debt.id}" for lg in data.ledgers for debt in lg.items}
    received = {}
    for clue in data.clues:
        if clue.debt is not None:
            received[debt_of[id(clue.debt)]] = clue.received
    events: list[tuple[datetime, tuple[str, str], str, dict[str, str]]] = []
    found: dict[str, date] = {}
    for ledger in data.ledgers:
        unit = ledger.unit
        days = _submission_days(rng, date.fromordinal(ledger.as_of))
        mine = {key.split("/")[1]: day for key, day in received.items() if key.startswith(unit.id + "/")}
        appear = _appearances(rng, ledger, days, mine)
        found.update({f"{unit.id}/{debt_id}": day for debt_id, day in appear.items()})
        before = _earlier_amounts(rng, ledger)
        who = (unit.maintainers[-1], unit.liaison[0])
        path = f"ledgers/arrears/{unit.id}.yaml"
        for n, day in enumerate(days):
            if n == len(days) - 1:
                text = render_ledger(ledger)  # the committed file, exactly
            else:
                items = [_debt_at(d, day.toordinal(), before) for d in ledger.items if appear[d.id] <= day]
                text = render_ledger(Ledger(unit, day.toordinal(), items))
            events.append((_at(day, rng.randint(0, 450)), who, f"{unit.name}报送 {day} 台账", {path: text}))
    last = max(date.fromordinal(lg.as_of) for lg in data.ledgers)
    handler = (f"{data.clue_unit}-bot", "中小企业服务中心")
    day = FIRST_DAY
    while day <= last:  # the handling unit's day: clues received and closed
        events.append((_at(day, 460), handler, f"投诉线索台账更新 {day}", {}))
        day += timedelta(days=1)
    for case in data.cases:
        events.append(_case_event(case, found, last))
    for unit in (u for u in data.units if u.halted):  # after its last submission (synth._halt_one)
        events.append((_at(date.fromordinal(unit.halted), 480), OFFICE, f"{unit.name}停产",
                       {f"units/{unit.id}.yaml": render_unit(unit)}))
    for day in sorted({date.fromordinal(m.date) for m in data.measures}):  # the office's measures
        taken = [m for m in data.measures if m.date <= day.toordinal()]
        events.append((_at(day, 475), OFFICE, f"督办措施 {day}", {MEASURES: render_measures(taken)}))
    events.sort(key=lambda e: (e[0], sorted(e[3])))
    return _with_clues(data, events, found, last)


def _with_clues(data: Dataset, events: list, found: dict[str, date], last: date) -> list:
    """Each commit carries the clue file when it changed: a debt from a complaint enters its
    ledger in the same commit as the clue starts to point at it (each side checks the other)."""
    clue_path = f"ledgers/clues/{data.clue_unit}.yaml"
    present: dict[str, date] = {}
    shown, out = "", []
    for when, who, message, files in events:
        day = when.date()
        for path in files:
            if path.startswith("ledgers/arrears/"):
                unit = path.removeprefix("ledgers/arrears/").removesuffix(".yaml")
                present.update({ref: d for ref, d in found.items() if ref.startswith(unit + "/") and d <= day})
        clues = data.clues if day == last and not files else _clues_at(data.clues, day, present)
        text = render_clues(data.clue_unit, clues)
        if text != shown:
            files = {**files, clue_path: text}
            shown = text
        if files:
            out.append((when, who, message, files))
    return out


def _standing_events(data: Dataset) -> list:
    """The standing era: the new units registered, their monthly submissions, the complaints'
    clock dates and the disclosures recorded, each day's changes as commits (DESIGN §3c)."""
    units = standing.units_at(standing.REGISTERED)
    events = [(_at(standing.REGISTERED, 60), OFFICE, "登记条例施行后新增的报送单位", units)]
    clue_path = f"ledgers/clues/{data.clue_unit}.yaml"
    shown = render_clues(data.clue_unit, data.clues)
    submissions = set(standing.submission_days())
    for day in standing.change_days():
        for unit in standing.UNITS if day in submissions else ():
            text = standing.render_ledger_at(unit, day)
            if text is not None:
                events.append((_at(day, 90), (unit.maintainers[-1], unit.liaison[0]), f"{unit.name}报送 {day} 台账",
                               {f"ledgers/arrears/{unit.id}.yaml": text}))
        now = standing.units_at(day)
        changed = {path: text for path, text in now.items() if units[path] != text}
        if changed:
            events.append((_at(day, 400), OFFICE, f"登记年度公开情况 {day}", changed))
            units = now
        text = render_clues(data.clue_unit, [*data.clues, *standing.clues_at(day)])
        if text != shown:
            events.append((_at(day, 460), (f"{data.clue_unit}-bot", "中小企业服务中心"), f"投诉线索台账更新 {day}",
                           {clue_path: text}))
            shown = text
    return events


def history_stream(data: Dataset, seed: int) -> Stream:
    stream = Stream()
    # a unit halted later was registered as producing: the office marks it on the day (_events)
    units = {f"units/{u.id}.yaml": render_unit(replace(u, status="正常", halted=None) if u.halted else u)
             for u in data.units}
    stream.commit(_at(REGISTERED, 60), OFFICE, "建立报送单位登记", units)
    month_marks = {}
    for when, who, message, files in [*_events(data, seed), *_standing_events(data)]:
        month_marks[f"{when:%Y-%m}"] = stream.commit(when, who, message, files)
    for name, tagged in sorted(month_marks.items()):
        stream.tag(name, tagged)
    return stream


def _case_event(case: Case, found: dict[str, date], last: date) -> tuple:
    """A case is filed once its debts are in the ledgers, from October on."""
    day = max([CASES_FILED, *(found.get(item, CASES_FILED) for item in case.items)])
    if case.published:
        day = max(day, min(date.fromordinal(case.published), last))
    day = min(day, last)
    return (_at(day, 470), OFFICE, f"典型案例 {case.id}", {f"ledgers/cases/{case.id}.yaml": render_case(case)})


def write_history(data: Dataset, out: Path, seed: int) -> int:
    """Replace `out` (a demo history made before, or a new folder) by the history; returns the
    number of commits."""
    if out.exists() and any(out.iterdir()) and not (out / ".git" / STAMP).is_file():
        raise DemoError(f"{out} 已存在且不是示例历史仓库，不会覆盖")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    stream = history_stream(data, seed)

    def git(*args: str, feed: bytes | None = None) -> None:
        subprocess.run(["git", *args], cwd=out, input=feed, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("fast-import", "--quiet", feed=stream.bytes())
    git("checkout", "-q", "-f", "main")
    (out / ".git" / STAMP).write_text(stamp(seed), encoding="utf-8")
    return stream.mark


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="生成示例城市 2022 年清欠活动及 2025—2026 年按条例履约的 Git 历史（虚构数据）")
    parser.add_argument("--out", type=Path, required=True, help="仓库目录（会整个重建；只覆盖以前生成的示例历史）")
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if up_to_date(args.out, args.seed):
        print(f"示例历史已是最新：{args.out}")
        return 0
    try:
        commits = write_history(example(args.seed), args.out, args.seed)
    except DemoError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"示例城市 2022 年清欠及 2025—2026 年条例履约历史：{commits} 次提交 -> {args.out} "
          f"({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
