"""Validation problems as the report files other forges' CI widgets read.

GitLab shows a Code Quality report (a subset of the Code Climate issue format: description,
check_name, fingerprint, severity, location.path, location.lines.begin) in the merge request,
and any CI server reads JUnit XML. Both carry the same Issues the text format prints; the job
log keeps the plain `PATH:LINE:COL: CODE message` lines as well (see cli.main), because a
widget that is not set up, or an older forge, shows nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from ..core.issues import Issue, sort_key

# Code Climate severities are info | minor | major | critical | blocker.
SEVERITY = {"error": "major", "warning": "minor"}
SUITE = "清欠台账校验"
# XML 1.0 cannot hold most control characters even escaped; show them as \uXXXX instead.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def fingerprint(issue: Issue) -> str:
    """Stable across runs for the same problem at the same place, distinct between problems
    (GitLab keeps one finding per fingerprint)."""
    key = "\0".join((issue.path, str(issue.line), str(issue.col), issue.code, issue.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def codequality(issues: Iterable[Issue]) -> str:
    findings = [{
        "description": f"{issue.code} {issue.message}",
        "check_name": issue.code,
        "fingerprint": fingerprint(issue),
        "severity": SEVERITY[issue.severity],
        "location": {"path": issue.path, "lines": {"begin": issue.line}},
    } for issue in sorted(issues, key=sort_key)]
    return json.dumps(findings, ensure_ascii=False, indent=1)


def junit(issues: Iterable[Issue]) -> str:
    """One test case per problem (classname = the file, as GitLab shows it as the suite; name
    = line, column and code, unique because GitLab keeps only the first of equal names).
    Errors fail; warnings pass with their message in system-out. With no problems at all, one
    passing case says the data was checked."""
    ordered = sorted(issues, key=sort_key)
    errors = sum(issue.severity == "error" for issue in ordered)
    suites = ET.Element("testsuites", name=SUITE, tests=str(max(len(ordered), 1)), failures=str(errors))
    suite = ET.SubElement(suites, "testsuite", name=SUITE, tests=str(max(len(ordered), 1)),
                          failures=str(errors), errors="0", skipped="0")
    seen: dict[tuple[str, str], int] = {}
    for issue in ordered:
        name = f"{issue.line}:{issue.col} {issue.code}"
        seen[issue.path, name] = seen.get((issue.path, name), 0) + 1
        if seen[issue.path, name] > 1:
            name += f" ({seen[issue.path, name]})"
        case = ET.SubElement(suite, "testcase", classname=_xml(issue.path), name=name, file=_xml(issue.path))
        if issue.severity == "error":
            failure = ET.SubElement(case, "failure", message=_xml(issue.message), type=issue.code)
            failure.text = _xml(issue.text())
        else:
            ET.SubElement(case, "system-out").text = _xml(issue.text())
    if not ordered:
        ET.SubElement(suite, "testcase", classname="qingqian", name="全部数据文件通过校验")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


FORMATS = {"codequality": codequality, "junit": junit}
