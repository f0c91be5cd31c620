"""The standing rules in qingqian.yaml: amendments add to the defaults; bad values are a Chinese error."""

import pytest

from generator.core.config import ConfigError, load_config


def config_of(tmp_path, text):
    (tmp_path / "qingqian.yaml").write_text(text, encoding="utf-8")
    return load_config(tmp_path).rules


def test_amendments_add_to_the_lpr_table_and_the_calendar(tmp_path):
    rules = config_of(tmp_path, "rules:\n  lpr: {2026-01-20: 2.95}\n  days_off: [2026-05-06]\n"
                                "  workdays: [2026-05-09]\n  year_days: 365\n")
    assert str(rules.lpr[-1][0]) == "2026-01-20" and str(rules.lpr[-1][1]) == "2.95" and len(rules.lpr) == 14
    assert {str(d) for d in rules.days_off} == {"2025-09-03", "2026-05-06"}
    assert {str(d) for d in rules.workdays} == {"2026-05-09"}
    assert rules.year_days == 365


def test_regulations_replace_the_defaults(tmp_path):
    rules = config_of(tmp_path, "rules:\n  regulations:\n"
                                "    - {name: 新条例, in_force: 2027-01-01, government_days: 20, enterprise_days: 45}\n"
                                "    - {name: 旧条例, in_force: 2020-09-01}\n")
    assert [(r.name, r.government_days, r.government_max_days, r.enterprise_days) for r in rules.regulations] == [
        ("旧条例", 30, 60, None), ("新条例", 20, 60, 45)]


@pytest.mark.parametrize(("text", "says"), [
    ("rules:\n  daily_rate: -0.05\n", "daily_rate"),
    ("rules:\n  lpr: {2026-01-20: abc}\n", "lpr"),
    ("rules:\n  forward_days: 100000\n", "forward_days"),
    ("rules:\n  year_days: true\n", "year_days"),
    ("rules:\n  colour: red\n", "colour"),
    ("rules:\n  regulations:\n    - {name: 某条例}\n", "in_force"),
    ("rules:\n  days_off: [2025-13-01]\n", "无法读取"),
])
def test_a_bad_rule_setting_is_a_chinese_error_naming_it(tmp_path, text, says):
    with pytest.raises(ConfigError, match=says):
        config_of(tmp_path, text)
