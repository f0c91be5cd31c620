"""Commit a built site to the pages branch as one version, with mike, in a child process.

mike's functions run git in the current directory and take no repository argument, so they
run here, in a process started in the repository (`python -m generator.publish.pages_branch`
with cwd=root, the request as JSON on stdin): the library never changes the working directory
of the process that calls it.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, dataclass

PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
LATEST = "latest"


@dataclass(frozen=True)
class Request:
    site: str  # the built site folder
    version: str
    title: str
    aliases: list[str]
    branch: str
    message: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


def newer_periods(version: str, branch: str) -> list[str]:
    """Reporting periods already on the branch that are later than `version`."""
    from mike import commands as mike

    published = [str(info.version) for info in mike.list_versions(branch)]
    return sorted(v for v in published if PERIOD.fullmatch(v) and v > version)


class NameTaken(Exception):
    """A version or alias that is already the other on the branch; the message is Chinese."""


def check_taken(version: str, aliases: list[str], branch: str) -> None:
    """mike refuses an alias that is already a version with a traceback, and would turn an
    alias into a version of the same name: both are refused here, in Chinese."""
    from mike import commands as mike

    listed = mike.list_versions(branch)
    versions = {str(info.version) for info in listed}
    taken = {alias: str(info.version) for info in listed for alias in info.aliases}
    if version in taken:
        raise NameTaken(f"“{version}”已是版本 {taken[version]} 的别名，不能再作为版本发布")
    if clash := [alias for alias in aliases if alias in versions and alias != version]:
        raise NameTaken(f"别名“{clash[0]}”已是分支 {branch} 上的一个版本，不能再作为别名")


def commit(request: Request) -> list[str]:
    """Commit the site as `request.version`; `latest` only moves forward. Gives notes for the user."""
    from mike import commands as mike

    check_taken(request.version, request.aliases, request.branch)
    notes, aliases = [], request.aliases
    newer = newer_periods(request.version, request.branch)
    if LATEST in aliases and newer:
        aliases = [a for a in aliases if a != LATEST]
        notes.append(f"已有更新的报送期 {newer[-1]}，{LATEST} 仍指向它，不改为 {request.version}")
    config = {"site_dir": request.site, "use_directory_urls": False}
    # allow_empty: publishing the same site again still makes a commit to push
    with mike.deploy(config, request.version, request.title, aliases, update_aliases=True, branch=request.branch,
                     message=request.message, allow_empty=True):
        pass  # the site is already built
    if aliases:  # the branch's front page leads to the newest period
        mike.set_default(aliases[0], branch=request.branch, message=f"默认版本设为 {aliases[0]}", allow_empty=True)
    return notes


def main() -> int:
    from mike import git_utils

    request = Request(**json.loads(sys.stdin.read()))
    try:
        notes = commit(request)
    except git_utils.GitError as exc:
        print(f"写入分支 {request.branch} 失败：{exc}", file=sys.stderr)
        return 1
    except NameTaken as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except ValueError as exc:  # mike's own refusal of a name (what check_taken did not foresee)
        print(f"mike 拒绝写入分支 {request.branch}：{exc}", file=sys.stderr)
        return 1
    print(json.dumps(notes, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
