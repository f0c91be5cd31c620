"""CODEOWNERS for each forge: read back with that forge's own rules (GitHub: last matching glob
wins; Gitea: Gitea's tokenizer, then anchored Go regexps, every match applies; GitLab: globs in
sections, each section on its own, `!` exclusions), and switched with the `forge:` line only."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.validate import codeowners
from generator.validate.pipeline import validate_repo
from helpers import FIXTURES, REPO

LOGIN = re.compile(r"@[A-Za-z0-9][A-Za-z0-9_.-]*")


@pytest.fixture(scope="module")
def records():
    return validate_repo(REPO, jobs=1).records


def unit_files(records):
    return {f"{folder}/{unit.id}.yaml": unit for unit in records.units.values() for folder in codeowners.UNIT_FOLDERS}


def rules(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def glob(pattern: str) -> re.Pattern:
    """A CODEOWNERS glob as a regexp: `*` never crosses `/`, `**/` any folders; a pattern that
    does not start with `/` matches at any depth (GitHub and GitLab alike)."""
    anchored = pattern.startswith("/")
    body = re.escape(pattern.lstrip("/")).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*")
    return re.compile(("" if anchored else "(?:.*/)?") + body + "(?:/.*)?")


def test_github_last_matching_glob_gives_unit_and_office(records):
    text = codeowners.render(records, "github")
    parsed = []
    for line in rules(text):
        pattern, *owners = line.split()
        assert not pattern.startswith(("!", "\\#")) and "[" not in pattern  # unsupported by GitHub
        assert owners and all(LOGIN.fullmatch(o) for o in owners), line
        parsed.append((glob(pattern), owners))
    office = {f"@{m}" for m in records.office_maintainers()}
    assert office
    for path, unit in unit_files(records).items():
        owners = [o for pattern, o in parsed if pattern.fullmatch(path)][-1]
        assert set(owners) == {f"@{m}" for m in unit.maintainers} | office
    for path in ("units/lx.yaml", "generator/cli/main.py", ".github/workflows/validate.yml", ".gitlab-ci.yml",
                 "ledgers/cases/2022-001.yaml"):
        assert [o for pattern, o in parsed if pattern.fullmatch(path)][-1] == sorted(office)


def gitea_tokens(line: str) -> list[str]:
    """Gitea's TokenizeCodeOwnersLine: a backslash escapes the next character, `#` ends the line."""
    tokens, token, escape = [], "", False
    for char in line.strip().replace("\t", " "):
        if escape:
            token, escape = token + char, False
        elif char == "\\":
            escape = True
        elif char == "#":
            break
        elif char == " ":
            if token:
                tokens.append(token)
            token = ""
        else:
            token += char
    return [*tokens, token] if token else tokens


def test_gitea_regexps_owned_by_every_matching_line(records):
    text = codeowners.render(records, "gitea")
    parsed = []
    for line in text.splitlines():
        tokens = gitea_tokens(line)
        if not tokens:
            continue
        regexp, *owners = tokens
        # Only constructs Go's RE2 and Python agree on: literals, `.`, `.*` and escaped dots.
        assert re.fullmatch(r"(?:[a-z0-9/_-]|\\\.|\.\*)+", regexp), regexp
        assert owners and all(LOGIN.fullmatch(o) for o in owners), line
        parsed.append((re.compile(f"^{regexp}$"), owners))
    office = {f"@{m}" for m in records.office_maintainers()}
    for path, unit in unit_files(records).items():
        owners = {o for pattern, found in parsed if pattern.search(path) for o in found}
        assert owners == {f"@{m}" for m in unit.maintainers} | office
    assert not parsed[1][0].search("ledgers/arrears/lxXyaml")  # the dot is escaped, not "any character"
    assert {o for pattern, found in parsed if pattern.search("units/lx.yaml") for o in found} == office


def test_gitlab_sections_per_supervisor(records):
    text = codeowners.render(records, "gitlab")
    sections: dict[str, list[tuple[re.Pattern, list[str], bool]]] = {"": []}
    current = ""
    for line in rules(text):
        header = re.fullmatch(r"\^?\[([^\]\[]+)\](?:\[\d+\])?((?: @\S+)*)", line)
        if header:
            current = header.group(1)
            assert current.lower() not in {s.lower() for s in sections}, "sections with one name merge"
            sections[current] = []
            continue
        pattern, *owners = line.split()
        excluded = pattern.startswith("!")
        assert excluded == (not owners), line  # exclusions name no owners, rules always do
        assert all(LOGIN.fullmatch(o) for o in owners), line
        sections[current].append((glob(pattern.lstrip("!")), owners, excluded))

    def owners_of(path: str) -> dict[str, set[str]]:
        found = {}
        for name, entries in sections.items():
            matching = [(o, excluded) for pattern, o, excluded in entries if pattern.fullmatch(path)]
            if matching and not any(excluded for _o, excluded in matching):
                found[name] = set(matching[-1][0])
        return found

    office = {f"@{m}" for m in records.office_maintainers()}
    for path, unit in unit_files(records).items():
        supervisor = records.units.get(unit.supervisor or "")
        (section, owners), = owners_of(path).items()  # one section only: the office is not also required
        assert (unit.supervisor or "无主管单位") in section and (supervisor is None or supervisor.name in section)
        assert owners == {f"@{m}" for m in unit.maintainers} | office
    assert owners_of("units/lx.yaml") == {"": office}
    assert owners_of("ledgers/cases/2022-001.yaml") == {"": office}


def test_the_committed_file_is_the_configured_forges():
    assert (REPO / "qingqian.yaml").read_text(encoding="utf-8").count("\nforge: ") == 1
    assert not validate_repo(REPO, jobs=1).errors


def qingqian(*args):
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True)


@pytest.mark.parametrize("forge", ["gitea", "gitlab"])
def test_switching_forge_is_one_line_and_one_command(tmp_path: Path, forge):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", root)
    assert qingqian("codeowners", "--root", root).returncode == 0
    assert (root / ".github/CODEOWNERS").exists()
    (root / "qingqian.yaml").write_text(f"forge: {forge}\n", encoding="utf-8")
    stale = qingqian("validate", "--root", root)
    assert stale.returncode == 1
    assert f"{codeowners.PATHS[forge]}:1:1: E609 " in stale.stdout and ".github/CODEOWNERS" in stale.stdout
    written = qingqian("codeowners", "--root", root)
    assert written.returncode == 0, written.stderr
    assert (root / codeowners.PATHS[forge]).read_text(encoding="utf-8").startswith(codeowners.HEADER)
    assert qingqian("validate", "--root", root).returncode == 0
    edit = (root / "units/sl-jtj.yaml")
    edit.write_text(edit.read_text(encoding="utf-8").replace("maintainers: [jtj-bot, lisi]", "maintainers: [jtj-bot]"),
                    encoding="utf-8")
    assert f"{codeowners.PATHS[forge]}:1:1: E609 " in qingqian("validate", "--root", root).stdout


def test_unknown_forge_is_a_usage_error(mini):
    (mini / "qingqian.yaml").write_text("forge: gitee\n", encoding="utf-8")
    result = qingqian("validate", "--root", mini)
    assert result.returncode == 2 and "forge 只能是 github | gitea | gitlab" in result.stderr
