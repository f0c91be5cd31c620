"""The history stage; what the command line names before a command runs (the periods, the
archive branch and its error) is here, so naming them does not load pandas; and the one row of a
report that the roll-up fills (rollup.periods), with nothing of the report's types in it."""

from dataclasses import dataclass

PERIODS = {"day": "日报", "week": "周报", "month": "月调度", "quarter": "季通报", "year": "年度公开"}
ARCHIVE_BRANCH = "reports-archive"  # where the publish workflow keeps the reports it issued


class ArchiveError(Exception):
    """The archive of issued reports cannot be read; the message is Chinese."""


@dataclass(frozen=True)
class MemberProblem:
    """A problem of an upper level's member in a period report: E8xx its bundle refused (not
    counted), W8xx listed (rollup.CODES); the message names the member."""
    code: str
    message: str
