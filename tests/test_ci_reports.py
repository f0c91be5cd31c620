"""`validate --format codequality|junit`: the fields GitLab's Code Quality widget and JUnit
readers document, checked on a real run of the command."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

from helpers import REPO, edit

LEDGER = "ledgers/arrears/sl-jtj.yaml"
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def validate(*args):
    result = subprocess.run([sys.executable, "-m", "generator", "validate", *map(str, args)],
                            cwd=REPO, capture_output=True, text=True)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def broken(mini):
    edit(mini, LEDGER, "amount: 380000.00", "amount: 38万")
    edit(mini, LEDGER, "category: 工程", "category: 工程款")
    return mini


def test_codequality_has_every_documented_field(mini):
    result = validate("--root", broken(mini), "--format", "codequality")
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert isinstance(findings, list) and findings
    for finding in findings:
        assert isinstance(finding["description"], str) and finding["description"]
        assert isinstance(finding["check_name"], str)
        assert isinstance(finding["fingerprint"], str) and finding["fingerprint"]
        assert finding["severity"] in SEVERITIES
        assert isinstance(finding["location"]["path"], str)
        assert isinstance(finding["location"]["lines"]["begin"], int) and finding["location"]["lines"]["begin"] >= 1
    amount = next(f for f in findings if f["check_name"] == "E205")
    assert amount["location"] == {"path": LEDGER, "lines": {"begin": 10}}
    assert amount["severity"] == "major" and "金额" in amount["description"]
    assert len({f["fingerprint"] for f in findings}) == len(findings)  # GitLab keeps one per fingerprint
    assert {f["severity"] for f in findings if f["check_name"].startswith("W")} <= {"minor"}


def test_codequality_of_valid_data_holds_only_its_warnings(mini):
    result = validate("--root", mini, "--format", "codequality")
    assert result.returncode == 0
    assert [(f["check_name"], f["severity"]) for f in json.loads(result.stdout)] == [("W504", "minor")]


def test_junit_parses_and_fails_one_case_per_error(mini):
    result = validate("--root", broken(mini), "--format", "junit")
    assert result.returncode == 1
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    assert int(suite.get("tests")) == len(cases) and int(suite.get("failures")) == len(failed) == 2
    assert {(c.get("classname"), c.get("name")) for c in failed} == {(LEDGER, "7:15 E204"), (LEDGER, "10:13 E205")}
    assert len({(c.get("classname"), c.get("name")) for c in cases}) == len(cases)
    failure = next(c for c in failed if c.get("name").endswith("E205")).find("failure")
    assert failure.get("type") == "E205" and failure.text.startswith(f"{LEDGER}:10:13: E205 ")
    for case in cases:
        if case.find("failure") is None:
            assert case.find("system-out").text.split(": ")[1].startswith("W")


def test_junit_of_valid_data_has_one_passing_case(mini):
    result = validate("--root", mini, "--format", "junit")
    assert result.returncode == 0
    (suite,) = ET.fromstring(result.stdout.encode("utf-8")).findall("testsuite")
    assert suite.get("failures") == "0" and len(suite.findall("testcase")) >= 1


def test_out_writes_the_report_and_the_log_keeps_plain_lines(mini, tmp_path):
    out = tmp_path / "reports" / "gl-code-quality-report.json"
    result = validate("--root", broken(mini), "--format", "codequality", "--out", out)
    assert result.returncode == 1
    assert {f["check_name"] for f in json.loads(out.read_text(encoding="utf-8"))} >= {"E204", "E205"}
    assert f"{LEDGER}:10:13: E205 " in result.stdout and not result.stdout.lstrip().startswith("[")


def test_control_characters_in_a_message_keep_the_xml_valid():
    from generator.core.issues import Issue
    from generator.validate.ci_reports import junit

    text = junit([Issue("ledgers/arrears/x.yaml", 1, 1, "E205", "值“a\x07b\x00”不对")])
    failure = ET.fromstring(text.encode("utf-8")).find("testsuite/testcase/failure")
    assert "\\u0007" in failure.get("message") and "\\u0000" in failure.text


def test_the_command_line_names_every_report_format():
    """The command line lists the formats without importing the writers (see cli.main)."""
    from generator.cli.main import CI_REPORTS
    from generator.validate.ci_reports import FORMATS

    assert set(CI_REPORTS) == set(FORMATS)
