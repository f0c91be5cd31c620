"""The publish stage: a built site committed as one version per reporting period on a pages
branch (versions.py, with mike in a child process: pages_branch.py), and a case withdrawn from
every version already published (retract.py). What the command line needs before a command
runs is here, so catching the stage's error does not load mike."""


class PublishError(Exception):
    """Publishing failed; the message is Chinese."""
