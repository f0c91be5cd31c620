"""Campaign dates and report cut-offs; every date and time is configuration with the 2022
plans' defaults. A data repository may override them in `qingqian.yaml` at its root:

    campaign:
      start: 2022-05-25           # the campaign's start: debts due after it are new arrears
      cutoff: 2020-01-01          # debts due on or after it count as formed since then
      since_deadline: 2022-11-30  # when those must be fully paid
      before_deadline: 2022-12-31 # when undisputed debts formed before the cut-off must be paid
      confirm_days: 30            # a 确权 request unanswered longer than this is a warning
      followup_sample: 10         # percent of each region's unchecked settled debts to call
    schedule:
      daily: "17:00"              # 日报: the day's cut-off (沁水: 每日 17:00 前)
      weekly_day: 4               # 周报: ISO weekday of the cut-off (4 = Thursday)
      weekly: "12:00"
      utc_offset: "+08:00"
    supervision:
      bottom_percent: 20          # 约谈/督办: clearance rate in the bottom 20 percent of those owing
      slipped_periods: 2          # ... or a plan behind on this many plan dates running
    forge: github                 # github | gitea | gitlab: where the repository is hosted, which
                                  # decides the CODEOWNERS file `qingqian codeowners` writes
    complaint:                    # where an enterprise complains (公开网站的“关于本站”)
      office: 市中小企业服务中心
      phone: "0000-12345678"
      address: 某市某路 1 号
      hours: 工作日 9:00—17:00
      platform: http://www.sme-service.org.cn   # 违约拖欠中小企业款项登记（投诉）平台
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, time, timedelta, timezone
from pathlib import Path

import yaml

from .vocab import DISPUTED_CLASS

CONFIG_FILE = "qingqian.yaml"
FORGES = ("github", "gitea", "gitlab")


@dataclass(frozen=True)
class Campaign:
    start: date = date(2022, 5, 25)
    cutoff: date = date(2020, 1, 1)
    since_deadline: date = date(2022, 11, 30)
    before_deadline: date = date(2022, 12, 31)
    confirm_days: int = 30
    followup_sample: int = 10

    @property
    def class_since(self) -> str:
        return f"{self.cutoff.year}年以来形成"

    @property
    def class_before(self) -> str:
        return f"{self.cutoff.year}年以前无分歧"

    class_disputed = DISPUTED_CLASS


DEFAULT_CAMPAIGN = Campaign()


@dataclass(frozen=True)
class Schedule:
    daily: str = "17:00"
    weekly_day: int = 4
    weekly: str = "12:00"
    utc_offset: str = "+08:00"

    @property
    def tz(self) -> timezone:
        sign = -1 if self.utc_offset.startswith("-") else 1
        hours, minutes = self.utc_offset.lstrip("+-").split(":")
        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))

    def at(self, text: str) -> time:
        return time.fromisoformat(text).replace(tzinfo=self.tz)


@dataclass(frozen=True)
class Supervision:
    """Who is named for 约谈/督办 (analysis.supervision applies it)."""
    bottom_percent: int = 20
    slipped_periods: int = 2


@dataclass(frozen=True)
class Complaint:
    """Where an enterprise owed money complains: the office's own channel (empty until the
    office fills it in) and the national 违约拖欠中小企业款项登记（投诉）平台, reached through the
    国家中小企业政策信息互联网发布平台."""
    office: str = ""
    phone: str = ""
    address: str = ""
    hours: str = ""
    platform: str = "http://www.sme-service.org.cn"


@dataclass(frozen=True)
class Config:
    campaign: Campaign = Campaign()
    schedule: Schedule = Schedule()
    supervision: Supervision = Supervision()
    forge: str = "github"
    complaint: Complaint = Complaint()


class ConfigError(Exception):
    """The configuration file is unusable; the message is Chinese and names the file."""


def _section(cls, given: dict):
    types = {f.name: f.type for f in fields(cls)}
    unknown = set(given) - set(types)
    if unknown:
        raise ConfigError(f"{CONFIG_FILE}: 有未知设置 {', '.join(sorted(unknown))}")
    values: dict[str, object] = {}
    for key, value in given.items():
        if types[key] == "date":
            values[key] = value if isinstance(value, date) else date.fromisoformat(str(value))
        elif types[key] == "int":
            values[key] = int(value)
        else:
            values[key] = str(value)
    result = replace(cls(), **values)
    if isinstance(result, Schedule):  # fail now, not in the middle of a report
        result.at(result.daily), result.at(result.weekly), result.tz
    return result


def load_config(root: Path) -> Config:
    path = root / CONFIG_FILE
    if not path.exists():
        return Config()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        forge = str(data.get("forge", "github"))
        if forge not in FORGES:
            raise ConfigError(f"{CONFIG_FILE}: forge 只能是 {' | '.join(FORGES)}，而不是“{forge}”")
        complaint = _section(Complaint, data.get("complaint") or {})
        if not complaint.platform.startswith(("http://", "https://")):
            raise ConfigError(f"{CONFIG_FILE}: complaint.platform 应是 http:// 或 https:// 开头的网址")
        return Config(_section(Campaign, data.get("campaign") or {}),
                      _section(Schedule, data.get("schedule") or {}),
                      _section(Supervision, data.get("supervision") or {}), forge, complaint)
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{CONFIG_FILE}: 无法读取设置（{exc}）") from exc


def load_campaign(root: Path) -> Campaign:
    return load_config(root).campaign
