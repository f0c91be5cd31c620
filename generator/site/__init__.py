"""The site stage. What the command line needs before a command runs is here, so naming the
audiences or catching the stage's errors does not load mkdocs."""

AUDIENCES = ("office", "public")


class SiteError(Exception):
    """The site cannot be built; the message is Chinese."""


class OutputError(SiteError):
    """The output folder may not be emptied (not made by a build, not empty); nothing was deleted."""
