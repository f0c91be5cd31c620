"""Which days are working days in China: the national holidays and the 调休 working weekends of
the `chinese-calendar` package, amended by the configuration (one-off days off it lacks, such as
2025-09-03, and 调休 days announced after its release).

A year the package does not know yet is counted by weekends only, and remembered in `unknown`
so that the command can say so: a deadline in such a year may move once the State Council
announces that year's holidays."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from ..core.config import Rules

ONE_DAY = timedelta(days=1)


class WorkCalendar:
    """Working days by the national calendar and the configured amendments."""

    def __init__(self, rules: Rules) -> None:
        self.days_off = rules.days_off
        self.workdays = rules.workdays
        self.unknown: set[int] = set()  # years counted by weekends only
        self._memo: dict[date, bool] = {}

    def is_workday(self, day: date) -> bool:
        known = self._memo.get(day)
        if known is None:
            known = self._memo[day] = self._workday(day)
        return known

    def _workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.days_off:
            return False
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:  # a year the package has no data for
            self.unknown.add(day.year)
            return day.weekday() < 5

    def on_or_after(self, day: date) -> date:
        """`day` if it is a working day, else the next one: where a period's last day that falls
        on a day off moves to (民法典第二百零三条)."""
        while not self.is_workday(day):
            day += ONE_DAY
        return day

    def period_end(self, start: date, days: int) -> date:
        """The last day of a period of `days` days from the event on `start`: the start day is not
        counted (民法典第二百零一条), and a last day off work moves to the next working day."""
        return self.on_or_after(start + timedelta(days=days))

    def add_workdays(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (the start day not counted)."""
        day = start
        for _ in range(days):
            day += ONE_DAY
            while not self.is_workday(day):
                day += ONE_DAY
        return day

    def warning(self) -> str | None:
        """The Chinese line a command prints when it counted a year by weekends only."""
        if not self.unknown:
            return None
        years = "、".join(str(y) for y in sorted(self.unknown))
        return (f"注意：节假日日历尚未收录 {years} 年的法定节假日和调休安排，这些年份只按周末计算工作日；"
                f"国务院公布后请升级 chinese-calendar，或在 qingqian.yaml 的 rules.days_off、rules.workdays 中补充")
