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
    rules:                        # 《保障中小企业款项支付条例》(DESIGN §3c); each key amends the defaults
      regulations:                # replaces the list: a contract falls under the one in force when signed
        - {name: 国务院令第728号, in_force: 2020-09-01, government_days: 30, government_max_days: 60}
        - {name: 国务院令第802号, in_force: 2025-06-01, government_days: 30, government_max_days: 60,
           enterprise_days: 60}
      daily_rate: 0.05            # percent a day when the contract agreed no rate (万分之五)
      year_days: 360              # an agreed yearly rate a day: rate / 360 (《人民币利率管理规定》第二十条)
      lpr: {2025-05-20: 3.00}     # 1-year LPR announcements (percent), added to the PBOC table below
      days_off: [2025-09-03]      # days off the holiday package lacks, added to the default list
      workdays: []                # 调休 working days it lacks
      clocks_from: 2025-06-01     # complaints received from this day on run on the clocks below (802号)
      forward_days: 10            # a complaint is forwarded within 10 working days of receipt
      result_days: 30             # ... and answered within 30 days of reaching the handling department
                                  # (extendable to 90 days in all: the law's cap, checked by validate)
    rollup:                       # an upper level (市、省) rolling up its members' bundles (DESIGN §3d)
      members:                    # a folder (relative to this repository) or an http(s) URL
        - {region: "990121", path: ../bundles/lanxi, name: 岚溪县,   # name: shown while it is missing
           site: "http://10.0.0.8/lanxi/"}   # its office site: each unit drills down to its page there
      stale_days: 7               # a bundle whose as_of is older than this is listed as stale
      require_signatures: false   # refuse a bundle without manifest.json.sig
      allowed_signers: rollup/allowed_signers   # ssh-keygen's file: "<region code> ssh-ed25519 AAAA…"
    document:                     # the 公文 the office issues: 通报 (report --format docx) and 督办函 (notice)
      organ: 清理拖欠企业账款工作领导小组办公室   # 发文机关署名 (full name)
      mark: 清理拖欠企业账款工作领导小组办公室文件  # 发文机关标志, printed in red
      number_prefix: 清欠办        # 机关代字 of the 发文字号: 清欠办〔2022〕10号; a 督办函 adds 函
      recipients: 各县（市、区）清欠办，各有关单位  # 主送机关 of the 通报
      printer: 清理拖欠企业账款工作领导小组办公室  # 印发机关 of the 版记
      copy_to: ""                 # 抄送机关 of the 版记 (none when empty)
      reply_days: 15              # a 督办函 asks for a written reply within these days of its date
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .vocab import DISPUTED_CLASS, STANDING_CLASS

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
    class_standing = STANDING_CLASS  # due after the campaign ended: judged by the standing rules alone

    @property
    def end(self) -> date:
        """The campaign's last deadline: a debt due after it is no campaign debt."""
        return max(self.since_deadline, self.before_deadline)


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
class Regulation:
    """One version of 《保障中小企业款项支付条例》: the payment terms of the contracts signed while it
    was in force. `enterprise_days` None: a large enterprise's own contract term stands (728号)."""
    name: str
    in_force: date
    government_days: int = 30  # 机关、事业单位 pay within this many days ...
    government_max_days: int = 60  # ... or as agreed, at most this many
    enterprise_days: int | None = None  # 大型企业 pay within this many days unless agreed


REGULATIONS = (Regulation("国务院令第728号", date(2020, 9, 1)),
               Regulation("国务院令第802号", date(2025, 6, 1), enterprise_days=60))
# The 1-year loan prime rate (贷款市场报价利率) in percent a year, from the day the PBOC announced it.
LPR = {date(2019, 8, 20): Decimal("4.25"), date(2019, 9, 20): Decimal("4.20"), date(2019, 11, 20): Decimal("4.15"),
       date(2020, 2, 20): Decimal("4.05"), date(2020, 4, 20): Decimal("3.85"), date(2021, 12, 20): Decimal("3.80"),
       date(2022, 1, 20): Decimal("3.70"), date(2022, 8, 22): Decimal("3.65"), date(2023, 6, 20): Decimal("3.55"),
       date(2023, 8, 21): Decimal("3.45"), date(2024, 7, 22): Decimal("3.35"), date(2024, 10, 21): Decimal("3.10"),
       date(2025, 5, 20): Decimal("3.00")}
# Days off the holiday package does not know: 2025-09-03, the 80th anniversary of the victory (国务院
# 2025 年 7 月通知).
DAYS_OFF = (date(2025, 9, 3),)


@dataclass(frozen=True)
class Rules:
    """The standing rules' figures (DESIGN §3c); generator.rules applies them."""
    regulations: tuple[Regulation, ...] = REGULATIONS
    daily_rate: Decimal = Decimal("0.05")  # percent a day when no rate was agreed
    year_days: int = 360  # an agreed yearly rate a day (《人民币利率管理规定》: 日利率 = 年利率 ÷ 360)
    lpr: tuple[tuple[date, Decimal], ...] = tuple(sorted(LPR.items()))  # (announced, percent a year)
    days_off: frozenset[date] = frozenset(DAYS_OFF)
    workdays: frozenset[date] = frozenset()
    clocks_from: date = date(2025, 6, 1)  # the complaint clocks bind complaints received from this day
    forward_days: int = 10  # working days
    result_days: int = 30


DEFAULT_RULES = Rules()
# A complaint's result is due within 90 days in all, extensions included (条例第二十六条): a fixed
# figure of the law, since validate checks every extension against it file by file.
RESULT_MAX_DAYS = 90


@dataclass(frozen=True)
class Member:
    """A lower level whose bundle the upper level rolls up."""
    region: str = ""  # the region code its bundle must state
    path: str = ""  # a folder, relative to the repository root, or an http(s) URL
    name: str = ""  # shown when the bundle is missing (otherwise the bundle's own region name)
    signer: str = ""  # its principal in allowed_signers; default the region code
    site: str = ""  # its own office site (http(s)): the member's page links each unit to its page there


@dataclass(frozen=True)
class Rollup:
    """The members an upper level rolls up; its own region is that of its top unit."""
    members: tuple[Member, ...] = ()
    stale_days: int = 7
    require_signatures: bool = False
    allowed_signers: str = ""


@dataclass(frozen=True)
class Document:
    """Who issues the office's 公文 and how they are numbered (document.circular, document.notice)."""
    organ: str = "清理拖欠企业账款工作领导小组办公室"
    mark: str = "清理拖欠企业账款工作领导小组办公室文件"
    number_prefix: str = "清欠办"
    recipients: str = "各县（市、区）清欠办，各有关单位"
    printer: str = "清理拖欠企业账款工作领导小组办公室"
    copy_to: str = ""
    reply_days: int = 15


@dataclass(frozen=True)
class Config:
    campaign: Campaign = Campaign()
    schedule: Schedule = Schedule()
    supervision: Supervision = Supervision()
    forge: str = "github"
    complaint: Complaint = Complaint()
    rules: Rules = Rules()
    rollup: Rollup = Rollup()
    document: Document = Document()


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
        elif types[key] == "bool":
            if not isinstance(value, bool):
                raise ConfigError(f"{CONFIG_FILE}: {key} 只能是 true 或 false")
            values[key] = value
        else:
            values[key] = str(value)
    result = replace(cls(), **values)
    if isinstance(result, Schedule):  # fail now, not in the middle of a report
        result.at(result.daily), result.at(result.weekly), result.tz
    return result


# the words of a 公文 the office configures, and what each is called
DOCUMENT_WORDS = {"organ": "发文机关署名", "mark": "发文机关标志", "number_prefix": "机关代字",
                  "recipients": "主送机关", "printer": "印发机关", "copy_to": "抄送机关"}


def _document_words(given: dict) -> dict:
    """The document section with its words checked: text, and not blank but for 抄送 (a YAML null,
    list or blank would print as None, [...] or nothing on the page)."""
    if not isinstance(given, dict):
        raise ConfigError(f"{CONFIG_FILE}: document 应是一组设置（键: 值）")
    for key, label in DOCUMENT_WORDS.items():
        if key in given:
            value = given[key]
            if value is None and key == "copy_to":
                continue
            if not isinstance(value, str | int) or isinstance(value, bool) or (
                    key != "copy_to" and not str(value).strip()):
                raise ConfigError(f"{CONFIG_FILE}: document.{key}（{label}）应是不为空的文字")
    return {key: ("" if value is None else value) for key, value in given.items()}


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _count(name: str, value: object, least: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= 3650:
        raise ConfigError(f"{CONFIG_FILE}: rules.{name} 应是 {least} 到 3650 之间的整数天数，而不是“{value}”")
    return value


def _percent(name: str, value: object) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal(-1)
    if isinstance(value, bool) or not number.is_finite() or not 0 <= number < 100:
        raise ConfigError(f"{CONFIG_FILE}: {name} 应是 0 到 100 之间的百分数，而不是“{value}”")
    return number


def _regulation(given: dict) -> Regulation:
    unknown = set(given) - {f.name for f in fields(Regulation)}
    if unknown or not {"name", "in_force"} <= set(given):
        raise ConfigError(f"{CONFIG_FILE}: rules.regulations 的每一项须有 name 和 in_force，"
                          f"可有 government_days、government_max_days、enterprise_days")
    enterprise = given.get("enterprise_days")
    return Regulation(str(given["name"]), _day(given["in_force"]),
                      _count("government_days", given.get("government_days", 30), 1),
                      _count("government_max_days", given.get("government_max_days", 60), 1),
                      None if enterprise is None else _count("enterprise_days", enterprise, 1))


def _rules(given: dict) -> Rules:
    """The `rules` section: regulations replace the defaults; LPR announcements and calendar days
    are added to them, so an office writes only what was announced after this release."""
    known = {f.name for f in fields(Rules)}
    if unknown := set(given) - known:
        raise ConfigError(f"{CONFIG_FILE}: rules 有未知设置 {', '.join(sorted(map(str, unknown)))}")
    rules = Rules()
    values: dict[str, Any] = {}
    if "regulations" in given:
        values["regulations"] = tuple(sorted((_regulation(r) for r in given["regulations"] or ()),
                                             key=lambda r: r.in_force))
    if "daily_rate" in given:
        values["daily_rate"] = _percent("rules.daily_rate", given["daily_rate"])
    if "lpr" in given:
        added = {_day(day): _percent(f"rules.lpr {day}", rate) for day, rate in (given["lpr"] or {}).items()}
        values["lpr"] = tuple(sorted({**dict(rules.lpr), **added}.items()))
    if "clocks_from" in given:
        values["clocks_from"] = _day(given["clocks_from"])
    for name in ("days_off", "workdays"):
        if name in given:
            values[name] = getattr(rules, name) | {_day(day) for day in given[name] or ()}
    for name in ("year_days", "forward_days", "result_days"):
        if name in given:
            values[name] = _count(name, given[name], 1)
    return replace(rules, **values)


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
        document = _section(Document, _document_words(data.get("document") or {}))
        if document.reply_days < 1:
            raise ConfigError(f"{CONFIG_FILE}: document.reply_days（督办函要求回复的天数）应是正整数")
        return Config(_section(Campaign, data.get("campaign") or {}),
                      _section(Schedule, data.get("schedule") or {}),
                      _section(Supervision, data.get("supervision") or {}), forge, complaint,
                      _rules(data.get("rules") or {}),
                      _rollup(data.get("rollup") or {}), document)
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{CONFIG_FILE}: 无法读取设置（{exc}）") from exc


def _rollup(given: dict) -> Rollup:
    members = given.get("members") or []
    if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
        raise ConfigError(f"{CONFIG_FILE}: rollup.members 应是列表，每项形如 {{region: \"141102\", path: 目录或网址}}")
    listed = tuple(_section(Member, m) for m in members)
    for member in listed:
        if not (member.region.isdigit() and len(member.region) == 6) or not member.path:
            raise ConfigError(f"{CONFIG_FILE}: rollup.members 的每项须有 6 位数字的 region 和 path"
                              f"（“{member.region}”）")
        if member.site and not member.site.startswith(("http://", "https://")):
            raise ConfigError(f"{CONFIG_FILE}: rollup.members 的 site 应是 http:// 或 https:// 开头的网址"
                              f"（“{member.region}”）")
    regions = [member.region for member in listed]
    if len(set(regions)) != len(regions):
        raise ConfigError(f"{CONFIG_FILE}: rollup.members 中同一区划列了两次")
    rollup = _section(Rollup, {key: value for key, value in given.items() if key != "members"})
    if rollup.stale_days < 0:
        raise ConfigError(f"{CONFIG_FILE}: rollup.stale_days 不能为负数")
    return replace(rollup, members=listed)


def load_campaign(root: Path) -> Campaign:
    return load_config(root).campaign
