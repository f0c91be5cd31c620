#!/usr/bin/env python3
"""Fictional data in the file formats of DESIGN §3.

    python tools/synth.py example --out DIR
        the example city 云岭市（示例） that the repo ships
    python tools/synth.py province --out DIR --ledgers N --debts M
        a synthetic province for benchmarks: N unit ledgers of M debts each

The example city's 2022 history as a Git repository: `python tools/synth_history.py --out DIR`
(it builds on this module; this one never imports it).

Region codes start with 99 (no real region has them), every credit code passes the
GB 32100-2015 check, and the same seed always gives byte-identical files. The YAML is
written as text (not yaml.dump): faster, and it reads like what a unit would type.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.core.scalars import CREDIT_CODE_ALPHABET as ALPHABET
from generator.core.scalars import credit_code_check_char as check_char

HEADER = "# 虚构示例数据，由 tools/synth.py 生成：地区、单位、企业、人员均不真实存在"


def _day(y: int, m: int, d: int) -> int:
    return date(y, m, d).toordinal()


D2017, D2020, D2022 = _day(2017, 1, 1), _day(2020, 1, 1), _day(2022, 1, 1)
AS_OF_FIRST, AS_OF_LAST = _day(2022, 9, 30), _day(2022, 11, 15)
CAMPAIGN = _day(2022, 5, 1)      # plans, corrections and clues date from the campaign on
YEAR_END, LATE_PLAN = _day(2022, 12, 31), _day(2023, 6, 30)


def _pairs(text: str) -> list[tuple[str, str]]:
    """'jtj交通运输局 zjj住建局' -> [('jtj', '交通运输局'), ...] (ascii head, rest)."""
    out = []
    for tok in text.split():
        i = next(i for i, ch in enumerate(tok) if not ch.isascii())
        out.append((tok[:i], tok[i:]))
    return out


SURNAMES = [(b, a) for a, b in _pairs(
    "wang王 li李 zhang张 liu刘 chen陈 yang杨 zhao赵 huang黄 zhou周 wu吴 xu徐 sun孙 ma马 zhu朱 "
    "hu胡 guo郭 he何 gao高 lin林 luo罗 zheng郑 liang梁 song宋 xie谢 han韩 feng冯 cao曹 "
    "peng彭 tian田 dong董")]
GIVEN = [(b, a) for a, b in _pairs(
    "hua华 ming明 qiang强 jun军 wei伟 fang芳 min敏 jing静 li丽 yong勇 lei磊 yang洋 yan艳 jie杰 "
    "tao涛 chao超 xia霞 ping平 gang刚 peng鹏 bin斌 ting婷 yu宇 xin欣 hao浩 kai凯 lin琳 xue雪")]
ORGANS = _pairs(
    "jtj交通运输局 zjj住房和城乡建设局 slj水利局 jyj教育局 wjj卫生健康局 nyj农业农村局 "
    "zrj自然资源局 hbj生态环境局 wlj文化和旅游局 yjj应急管理局 mzj民政局 rsj人力资源和社会保障局 "
    "scj市场监督管理局 gaj公安局 sfj司法局 swj商务局 cgj城市管理局 sjj审计局 tjj统计局 "
    "ybj医疗保障局 lyj林业局 spj行政审批服务管理局 fgj发展和改革局 tyj体育局")
INSTITUTIONS = [(a, *b.split("/")) for a, b in _pairs(
    "rmyy人民医院/wjj zyyy中医医院/wjj jkzx疾病预防控制中心/wjj yz第一中学/jyj zz职业中学/jyj "
    "slz水利工程管理站/slj gld公路管理段/jtj rmt融媒体中心/ bdc不动产登记中心/zrj "
    "ggzy公共资源交易中心/ hwzx环境卫生服务中心/cgj ntzx农业技术推广中心/nyj lc国有林场/lyj "
    "tsg图书馆/wlj sbzx社会保险中心/rsj jzz救助管理站/mzj")]
TOWNSHIPS = _pairs(
    "cgz城关镇 dpz东坪镇 xcx西岔乡 ngx南沟乡 bbz北堡镇 lwz柳湾镇 smx石门乡 xlz杏林镇 tyx桃园乡 "
    "lhz梨花镇 qsx青石乡 byz白杨镇 hsz黄沙镇 jkx涧口乡 mpx马坪乡 hgz河沟镇")
GROUPS = [  # (id part, name, short name, subsidiaries)
    ("ctjt", "城市建设投资集团有限公司", "城投", _pairs("wy物业管理 js建设工程 zy置业 jc建材")),
    ("jtjt", "交通投资集团有限公司", "交投", _pairs("yh公路养护 ky客运 wl物流")),
    ("swjt", "水务集团有限公司", "水务", _pairs("gs供水 ws污水处理 az管道安装")),
    ("wljt", "文化旅游投资集团有限公司", "文旅", _pairs("jq景区管理 jd酒店管理 cm文化传媒")),
    ("ntjt", "农业发展投资集团有限公司", "农投", _pairs("ls粮食储备 gx供销 ny农业开发")),
    ("nyjt", "能源投资集团有限公司", "能投", _pairs("rq燃气 rl热力 gf光伏发电")),
]
DEPUTY = {"医院": "副院长", "中学": "副校长", "林场": "副场长", "馆": "副馆长", "段": "副段长",
          "站": "副站长", "镇人民政府": "副镇长", "乡人民政府": "副乡长", "县人民政府": "副县长",
          "区人民政府": "副区长", "市人民政府": "副市长", "省人民政府": "副省长", "局": "副局长",
          "公司": "副总经理"}  # leader title by the end of the unit's name
LIAISON_TITLES = {"事业单位": ("财务科科长", "会计", "办公室主任"),
                  "国有企业": ("财务部经理", "会计", "综合部主管")}
OFFICE_TITLES = ("科员", "办公室主任", "财务股股长", "一级科员", "四级主任科员")

CATEGORIES = ("货物", "工程", "服务", "分红")
CATEGORY_WEIGHTS, SOE_CATEGORY_WEIGHTS = (35, 35, 30, 0), (30, 35, 25, 10)
CATEGORY_WORD = {"货物": "货款", "工程": "工程款", "服务": "服务费", "分红": "分红款"}
INDUSTRIES = {  # the firms a category is owed to
    "货物": "建材 机电设备 办公用品 医疗器械 农资 电子科技 五金机电 商贸 钢材贸易 食品 家具",
    "工程": "建筑工程 市政工程 园林绿化 装饰工程 水利水电工程 路桥工程 安装工程 土石方工程",
    "服务": "信息技术 物业管理 工程咨询 广告传媒 劳务 餐饮管理 印务 检测技术 保安服务 测绘",
    "分红": "投资 实业 投资管理 企业管理",
}
TRADES = ("恒信 博远 鑫达 华泰 中诚 宏图 瑞丰 永盛 德润 金桥 丰源 聚鑫 汇通 天成 正和 佳禾 "
          "润泽 安泰 晟世 兴业 鼎盛 鸿运 隆昌 锦程 嘉和 明辉 长青 益民 同创 新锐 腾飞 万通 "
          "福源 卓越 合力 志远 广厦 众邦 昊天 乾元")  # 字号, the distinctive part of a firm name
BRANCHES = ("分公司", "第一分公司", "第二工程处", "项目经理部", "城区营业部", "第三项目部",
            "经营部", "办事处", "分公司第二项目部")
# In a real province almost every debt has its own creditor: province() takes a new firm for this
# share of the debts; a few big firms (BIG_FIRMS per category) are owed by BIG_SHARE of all debts.
DIVERSE, BIG_SHARE, BIG_FIRMS = 0.85, 0.02, 3
FORMS, FORM_WEIGHTS = ("有限公司", "有限责任公司", "股份有限公司"), (75, 20, 5)
SIZES, SIZE_WEIGHTS = ("中型", "小型", "微型"), (20, 50, 30)
AMOUNT_RANGE = {"中型": (50_000, 6_000_000), "小型": (10_000, 1_500_000), "微型": (3_000, 300_000)}
METHODS, METHOD_WEIGHTS = ("银行转账", "现金", "商业汇票", "其他"), (75, 10, 10, 5)
PATHS, PATH_WEIGHTS = ("调解", "协商", "诉讼", "仲裁"), (40, 40, 12, 8)
DISPUTE_REASONS = ("工程量有争议", "质量问题尚未整改到位", "结算审计尚未完成", "对欠款金额有异议",
                   "违约金计算有争议", "合同履行存在争议", "验收结论有争议", "债权转让手续有争议")
CORRECTIONS = {
    "amount": ("合同结算审计调减", "重复登记部分金额，予以更正", "与债权人对账后调整"),
    "due": ("原录入到期日有误，按合同约定更正", "按补充协议约定的付款日更正"),
    "creditor": ("债权人名称录入错误", "统一社会信用代码录入错误"),
    "contract": ("合同编号录入错误", "合同金额按补充协议更正"),
    "payments": ("付款日期按银行回单更正", "付款方式录入错误"),
}
NOTES = ("分两期支付", "已纳入年度预算", "待财政资金到位后支付", "债权人已确认欠款金额",
         "项目已竣工验收", "待审计结算后支付剩余款项", "已与债权人签订还款协议", "涉及上级专项资金")
REJECT_REASONS = (
    "投诉企业经核实为大型企业，不属于本次清欠范围", "合同约定的付款期限尚未届满，不属于逾期欠款",
    "属于企业之间的民间借贷纠纷，不属于清欠范围",
    "投诉事项已进入司法执行程序，请依法通过执行程序解决",
    "投诉材料不全，已告知补充合同及结算凭证后重新提交")
HALTED_REASON = "被投诉单位为停产企业，不在本次清欠范围"
HANDLING = ("约谈单位分管领导，责令限期清偿，纳入季度通报",
            "下发督办函，实行挂牌督办，按周报告清偿进展",
            "开展实地督导，压减该单位一般性支出，清偿前从严控制出行",
            "纳入国有企业负责人经营业绩考核，移交审计部门跟踪审计",
            "专项约谈单位主要负责人，在全市范围内通报")

_TYPED = re.compile(r"[-+.\d_:eE]*|(?i:true|false|yes|no|on|off|null|y|n|~)")


def q(text: str) -> str:
    """`text` as a YAML scalar: plain when it reads back as the same string, quoted otherwise."""
    if (_TYPED.fullmatch(text) or text[0] in "-?:!&*|>'\"%@`#" or text != text.strip()
            or any(ch in text for ch in ",[]{}#\"'") or ": " in text or text.endswith(":")):
        return json.dumps(text, ensure_ascii=False)
    return text


@cache
def iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


@dataclass(frozen=True)
class Region:
    code: str    # 行政区划代码 (fictional: starts with 99)
    name: str    # region.name as written in units/
    short: str   # start of unit names, e.g. 岚溪县
    place: str   # start of firm names, e.g. 岚溪
    prefix: str  # unit id of the region's government, start of its units' ids


@dataclass
class Unit:
    id: str
    name: str
    type: str
    region: Region
    parent: str | None
    supervisor: str
    credit_code: str
    leader: tuple[str, str, str]             # name, title, phone
    liaison: tuple[str, str, str, str]       # name, title, phone, email
    maintainers: list[str]
    status: str = "正常"
    halted: int | None = None                # 停产 since (ordinal), set by the office; the ledger stays
    disclosed: list[tuple[int, int]] = field(default_factory=list)  # (year, published): 条例第十八条


@dataclass(slots=True)
class Firm:
    name: str        # already a YAML scalar
    credit_code: str
    size: str
    industry: str


@dataclass(slots=True)
class Debt:
    id: str
    creditor: Firm
    category: str
    number: str
    signed: int                              # dates are ordinals
    contract_amount: int                     # money is in fen
    due: int
    amount: int
    dispute: tuple[str, str, str] | None     # reason, path, state
    payments: list[tuple[int, int, str]]     # date, amount, method
    plan: list[tuple[int, int]]
    corrections: list[tuple[int, str, str]]  # date, field, reason
    notes: str | None
    clue: str | None = None                  # set once clue ids are known (origin 投诉)
    leftover: bool = False                   # origin 前期遗留
    # received, purpose, answered, result, reason (DESIGN §3b)
    confirmations: list[tuple[int, str, int | None, str | None, str | None]] = field(default_factory=list)
    # date, method, by, result, notes
    followups: list[tuple[int, str, str, str, str | None]] = field(default_factory=list)
    standing: list[str] = field(default_factory=list)  # the standing rules' keys (DESIGN §3c), as YAML lines

    @property
    def remaining(self) -> int:
        return self.amount - sum(p[1] for p in self.payments)


@dataclass
class Ledger:
    unit: Unit
    as_of: int
    items: list[Debt]


@dataclass
class Clue:
    received: int
    source: str
    complainant: Firm
    respondent: str
    amount: int
    accepted: bool = True
    reason: str | None = None
    transferred_to: str | None = None
    verdict: str = "核查中"
    item: str | None = None
    closed: int | None = None
    debt: Debt | None = None
    id: str = ""
    deadline: int | None = None
    progress: list[tuple[int, str]] = field(default_factory=list)
    forwarded: int | None = None             # the complaint clocks of the standing rules (DESIGN §3c)
    extended_to: int | None = None
    replied: int | None = None


@dataclass
class Case:
    id: str
    title: str
    unit: str
    items: list[str]
    state: str
    published: int | None
    summary: list[str]
    handling: str


@dataclass
class Measure:
    id: str
    date: int
    unit: str
    kind: str
    basis: str
    follow_up: int | None


@dataclass
class Dataset:
    units: list[Unit]
    ledgers: list[Ledger]
    clue_unit: str
    clues: list[Clue]
    cases: list[Case]
    measures: list[Measure] = field(default_factory=list)


@dataclass
class Synth:
    """All generation state; one seeded Random, consumed in a fixed order."""

    seed: int
    rng: Random = field(init=False)
    units: list[Unit] = field(default_factory=list)
    linked: list[tuple[Ledger, Debt, str, int]] = field(default_factory=list)
    _codes: set[str] = field(default_factory=set)
    _logins: dict[str, int] = field(default_factory=dict)
    _firm_names: set[str] = field(default_factory=set)
    _firms: dict[tuple[str, str], list[Firm]] = field(default_factory=dict)
    diverse: bool = False  # creditors as in a real province (diverse_firm), not a few per county

    def __post_init__(self) -> None:
        self.rng = Random(self.seed)

    # -- registry ---------------------------------------------------------------------------
    def credit_code(self, head: str, region: str, digits_only: bool = False) -> str:
        rng, pool = self.rng, "0123456789" if digits_only else ALPHABET
        while True:
            org = ("" if digits_only or head != "91" else "MA") + "".join(
                rng.choice(pool) for _ in range(9 if digits_only or head != "91" else 7))
            code = head + region + org + check_char(head + region + org)
            if code not in self._codes and (not digits_only or code[-1].isdigit()):
                self._codes.add(code)
                return code

    def person(self) -> tuple[str, str]:
        (surname, s_py), (given, g_py) = self.rng.choice(SURNAMES), self.rng.choice(GIVEN)
        n = self._logins[s_py + g_py] = self._logins.get(s_py + g_py, 0) + 1
        return f"{surname}某{given}", s_py + g_py + (str(n) if n > 1 else "")

    def add(self, uid: str, name: str, utype: str, region: Region, parent: str | None,
            supervisor: str, maintainers: list[str] | None = None) -> Unit:
        rng = self.rng
        head = {"事业单位": "12", "国有企业": "91"}.get(utype, "11")
        leader_name, _ = self.person()
        liaison_name, login = self.person()
        title = next((t for suffix, t in DEPUTY.items() if name.endswith(suffix)), "副主任")
        unit = Unit(
            uid, name, utype, region, parent, supervisor, self.credit_code(head, region.code),
            (leader_name, title, f"0999-{rng.randint(2000000, 8999999)}"),
            (liaison_name, rng.choice(LIAISON_TITLES.get(utype, OFFICE_TITLES)),
             f"1{rng.choice('3589')}{rng.randint(0, 9)}0000{rng.randint(0, 9999):04d}",
             f"{login}@example.org"),
            [m.replace("$", login) for m in maintainers or [f"{uid}-bot", "$"]])
        self.units.append(unit)
        return unit

    def region_units(self, region: Region, parent: str | None, organs: int, institutions: int,
                     towns: int, groups: int, soe_owner: str = "", halted: float = 0.0
                     ) -> list[Unit]:
        """A region's government, 财政局, 国资委 and units; returns the SOE subsidiaries."""
        rng, p, s = self.rng, region.prefix, region.short
        czj, gzw = f"{p}-czj", f"{p}-gzw"
        owner = soe_owner or gzw
        self.add(p, f"{s}人民政府", "县级政府", region, parent, czj)
        self.add(czj, f"{s}财政局", "机关", region, p, czj)
        self.add(gzw, f"{s}国有资产监督管理委员会", "机关", region, p, czj)
        chosen = rng.sample(ORGANS, organs)
        for abbr, name in chosen:
            self.add(f"{p}-{abbr}", s + name, "机关", region, p, czj)
        organ_ids = [abbr for abbr, _ in chosen]
        for abbr, name, organ in rng.sample(INSTITUTIONS, institutions):
            up = f"{p}-{organ}" if organ in organ_ids else p
            self.add(f"{p}-{abbr}", s + name, "事业单位", region, up, czj)
        for abbr, name in rng.sample(TOWNSHIPS, towns):
            self.add(f"{p}-{abbr}", f"{s}{name}人民政府", "乡镇政府", region, p, czj)
        subsidiaries = []
        for abbr, name, short, subs in rng.sample(GROUPS, groups):
            group = self.add(f"{p}-{abbr}", s + name, "国有企业", region, owner, owner)
            for sub, sub_name in rng.sample(subs, rng.randint(2, len(subs) - 1)):
                unit = self.add(f"{group.id}-{sub}", f"{s}{short}{sub_name}有限公司", "国有企业",
                                region, group.id, owner)
                unit.status = "停产" if rng.random() < halted else "正常"
                subsidiaries.append(unit)
        return subsidiaries

    # -- debts ------------------------------------------------------------------------------
    def firm(self, region: Region, category: str, cap: int = 15) -> Firm:
        rng = self.rng
        pool = self._firms.setdefault((region.code, category), [])
        if pool and rng.random() < len(pool) / cap:
            return rng.choice(pool)
        return self.new_firm(region, category, pool)

    def diverse_firm(self, region: Region, category: str) -> Firm:
        """A creditor as a real province has them: usually a firm owed by this one unit (DIVERSE
        new firms per debt, a fifth of them with long names), sometimes one of its county's
        firms, and now and then one of a few big firms owed by units all over the province."""
        rng, roll = self.rng, self.rng.random()
        if roll < BIG_SHARE:
            pool = self._firms.setdefault(("province", category), [])
            return rng.choice(pool) if len(pool) >= BIG_FIRMS else self.new_firm(region, category, pool)
        pool = self._firms.setdefault((region.code, category), [])
        if pool and roll < 1 - DIVERSE:
            return rng.choice(pool)
        return self.new_firm(region, category, pool, long=rng.random() < 0.2)

    def new_firm(self, region: Region, category: str, pool: list[Firm], long: bool = False) -> Firm:
        rng = self.rng
        industry = rng.choice(INDUSTRIES[category].split())
        for attempt in range(1_000_000):
            trade = rng.choice(TRADES.split())
            name = region.place + trade + industry + rng.choices(FORMS, FORM_WEIGHTS)[0]
            if long:  # a branch of a group, as units copy it from the contract
                name = (f"{region.short}{trade}{rng.choice(TRADES.split())}{industry}集团有限公司"
                        f"{region.place}{rng.choice(BRANCHES)}")
            if attempt > 50:  # the county's short names are used up
                name += f"第{attempt}分公司"
            if name not in self._firm_names:
                break
        self._firm_names.add(name)
        code = self.credit_code("91", region.code, digits_only=rng.random() < 0.12)
        firm = Firm(q(name), code, rng.choices(SIZES, SIZE_WEIGHTS)[0], industry)
        pool.append(firm)
        return firm

    def amount(self, size: str, category: str) -> int:
        low, high = AMOUNT_RANGE[size]
        yuan = low * (high / low) ** self.rng.random() * (1.5 if category == "工程" else 1)
        cents = int(yuan * 100)
        return cents // 10000 * 10000 if self.rng.random() < 0.6 else cents

    def part(self, value: float, cap: int) -> int:
        """`value` fen rounded down to whole hundreds of yuan when large, kept within 1..cap."""
        cents = int(value)
        return max(1, min(cents // 10000 * 10000 if cents >= 10000 else cents, cap))

    def split(self, total: int, count: int) -> list[int]:
        parts = []
        for left in range(min(count, total), 1, -1):
            parts.append(self.part(total / left * self.rng.uniform(0.6, 1.4), total - left + 1))
            total -= parts[-1]
        return [*parts, total]

    def contract_number(self, unit: Unit, signed: int) -> str:
        rng, year, n = self.rng, date.fromordinal(signed).year, self.rng.randint(1, 300)
        tag = unit.id.rsplit("-", 1)[-1].upper()[:4]
        return rng.choice((
            f"{n:04d}",  # leading zeros; written unquoted as units do, the loader keeps the text
            f"{tag}-{year}-{n:03d}", f"{tag}{year}{n:03d}", f"{tag}（{year}）{n}号",
            f"{year}-{tag}-{n:02d}", f"HT-{tag}-{year}-{n:03d}"))

    def debt(self, ledger: Ledger, number: int, verdict: str | None = None) -> Debt:
        """One overdue debt; `verdict` (无分歧/有分歧) makes it the subject of a clue."""
        rng, unit, as_of = self.rng, ledger.unit, ledger.as_of
        weights = SOE_CATEGORY_WEIGHTS if unit.type == "国有企业" else CATEGORY_WEIGHTS
        category = rng.choices(CATEGORIES, weights)[0]
        firm = self.diverse_firm(unit.region, category) if self.diverse else self.firm(unit.region, category)
        pre_2020 = rng.random() < 0.2
        due = rng.randint(D2017, D2020 - 1) if pre_2020 else rng.randint(D2020, as_of - 20)
        signed = due - rng.randint(20, 600)
        amount = self.amount(firm.size, category)
        contract_amount = amount if rng.random() < 0.25 else (
            int(amount * rng.uniform(1.1, 3.0)) // 100_000 + 1) * 100_000
        disputed = verdict == "有分歧" or (verdict is None and rng.random() < 0.15)
        dispute = (rng.choice(DISPUTE_REASONS), rng.choices(PATHS, PATH_WEIGHTS)[0],
                   "已解决" if rng.random() < 0.25 else "进行中") if disputed else None
        received = rng.randint(max(due + 1, CAMPAIGN - 60), as_of) if verdict else 0
        first = max(due + 1, received, D2022)  # repaid during the campaign (after any complaint)
        unpaid, full = (0.6, 0.1) if disputed else (0.35, 0.3)
        roll = rng.random()
        paid = (0 if roll < unpaid else amount if roll < unpaid + full
                else self.part(amount * rng.uniform(0.1, 0.85), amount - 1))
        payments: list[tuple[int, int, str]] = []
        if paid:
            count = min(rng.choice((1, 1, 1, 2, 2, 3)), as_of - first + 1)
            dates = sorted(rng.randint(first, as_of) for _ in range(count))
            methods = rng.choices(METHODS, METHOD_WEIGHTS, k=count)
            payments = list(zip(dates, self.split(paid, count), methods, strict=True))
        remaining = amount - paid
        plan = self.plan(remaining, payments, due, as_of) if remaining and not disputed else []
        if remaining and dispute and dispute[2] == "已解决":  # resolved: undisputed again, a plan is due
            plan = [(min(as_of + 30, YEAR_END), remaining)]
        corrections = []
        if rng.random() < 0.08:
            fields = list(CORRECTIONS)[: 5 if payments else 4]
            what = rng.choice(fields)
            low = max(due + 1, CAMPAIGN, payments[0][0] if what == "payments" else 0)
            corrections.append((rng.randint(min(low, as_of), as_of), what,
                                rng.choice(CORRECTIONS[what])))
        notes = rng.choice(NOTES) if rng.random() < 0.15 else None
        debt = Debt(f"A{number:03d}", firm, category, self.contract_number(unit, signed), signed,
                    contract_amount, due, amount, dispute, payments, plan, corrections, notes)
        if verdict:
            self.linked.append((ledger, debt, verdict, received))
        return debt

    def plan(self, remaining: int, payments: list[tuple[int, int, str]], due: int, as_of: int
             ) -> list[tuple[int, int]]:
        """Covers `remaining`; what is dated after as_of never exceeds it."""
        rng, entries = self.rng, []
        if payments and rng.random() < 0.3:  # an installment that was planned and paid
            entries.append((payments[0][0], sum(p[1] for p in payments)))
        future = remaining
        low = max(due + 1, CAMPAIGN)
        if low < as_of and rng.random() < 0.3:  # slipped: its date passed, money still owed
            slipped = self.part(remaining * rng.uniform(0.2, 1.0), remaining)
            entries.append((rng.randint(low, as_of - 1), slipped))
            future -= slipped
        if future:
            count = rng.choice((1, 1, 2, 2, 3)) if future >= 1_000_000 else 1
            end = YEAR_END if rng.random() < 0.85 else LATE_PLAN
            dates = sorted(rng.sample(range(as_of + 1, end + 1), count))
            entries += zip(dates, self.split(future, count), strict=True)
        return sorted(entries)

    def ledgers(self, units: list[Unit], counts: list[int], links: dict[tuple[int, int], str]
                ) -> list[Ledger]:
        out = []
        for i, (unit, count) in enumerate(zip(units, counts, strict=True)):
            ledger = Ledger(unit, self.rng.randint(AS_OF_FIRST, AS_OF_LAST), [])
            ledger.items = [self.debt(ledger, n + 1, links.get((i, n))) for n in range(count)]
            out.append(ledger)
        return out

    def pick_links(self, counts: list[int], agreed: int, disputed: int
                   ) -> dict[tuple[int, int], str]:
        """Which (ledger, item) pairs come from complaints, with their verdicts."""
        links: dict[tuple[int, int], str] = {}
        verdicts = (["无分歧"] * agreed + ["有分歧"] * disputed)[: sum(counts)]
        while verdicts:
            i = self.rng.randrange(len(counts))
            if counts[i]:
                key = (i, self.rng.randrange(counts[i]))
                if key not in links:
                    links[key] = verdicts.pop()
        return links

    # -- clues and cases --------------------------------------------------------------------
    def clues(self, ledgers: list[Ledger], checking: int, untrue: int, rejected: int,
              halted: Unit | None) -> list[Clue]:
        rng, clues = self.rng, []

        def source() -> str:
            return "上级转办" if rng.random() < 0.2 else "企业投诉"

        for ledger, debt, verdict, received in self.linked:
            uid = ledger.unit.id
            clue = Clue(received, source(), debt.creditor, uid, debt.amount, transferred_to=uid,
                        verdict=verdict, item=f"{uid}/{debt.id}", debt=debt)
            if verdict == "无分歧" and debt.remaining == 0:
                clue.closed = debt.payments[-1][0]
            elif debt.dispute and debt.dispute[2] == "已解决":
                clue.closed = rng.randint(received, ledger.as_of)
            clues.append(clue)
        for verdict in ["核查中"] * checking + ["不属实"] * untrue + [""] * rejected:
            ledger = rng.choice(ledgers)
            unit, category = ledger.unit, rng.choice(CATEGORIES[:3])
            received = rng.randint(CAMPAIGN - 60, ledger.as_of)
            firm = self.firm(unit.region, category)
            clue = Clue(received, source(), firm, unit.id, self.amount(firm.size, category))
            if verdict:  # accepted: transferred to the unit, or to the region it belongs to
                clue.transferred_to = unit.parent if rng.random() < 0.2 else unit.id
                clue.verdict = verdict
            else:
                clue.accepted, clue.reason = False, rng.choice(REJECT_REASONS)
                clue.verdict = ""  # never examined: no verdict
            if verdict != "核查中":
                clue.closed = min(received + rng.randint(5, 40), AS_OF_LAST)
            clues.append(clue)
        if halted:  # a complaint about a halted SOE: out of scope
            firm = self.firm(halted.region, "货物")
            received = rng.randint(CAMPAIGN, AS_OF_FIRST)
            clues.append(Clue(received, "企业投诉", firm, halted.id, self.amount(firm.size, "货物"),
                              False, HALTED_REASON, verdict="", closed=received + 7))
        clues.sort(key=lambda c: (c.received, c.respondent, c.complainant.name))
        for n, clue in enumerate(clues, 1):
            clue.id = f"TS2022-{n:03d}"
            if clue.debt:
                clue.debt.clue = clue.id
        return clues

    def cases(self, ledgers: list[Ledger], count: int) -> list[Case]:
        rng = self.rng
        owing = [(lg, [d for d in lg.items if d.dispute is None and d.remaining and d.due < D2022])
                 for lg in ledgers]  # long-overdue undisputed debts make the cases
        owing = [o for o in owing if o[1]]
        picks = rng.sample(owing, min(count, len(owing)))
        count = len(picks)
        states = [("已公开", "已审核", "草稿")[i % 3] for i in range(count)]
        rng.shuffle(states)
        cases = []
        for n, ((ledger, debts), state) in enumerate(zip(picks, states, strict=True), 1):
            unit, chosen = ledger.unit, rng.sample(debts, min(len(debts), rng.choice((1, 1, 2))))
            summary = []
            for debt in chosen:
                word = CATEGORY_WORD[debt.category]
                summary += [
                    f"**{unit.name}**与{debt.creditor.name}于 {iso(debt.signed)} 签订合同"
                    f"（编号 {debt.number}），合同金额 {money(debt.contract_amount)} 元，"
                    f"约定 {iso(debt.due)} 前支付{word}。",
                    f"截至 {iso(ledger.as_of)}，尚欠 {money(debt.remaining)} 元，"
                    f"已逾期 {ledger.as_of - debt.due} 天。", ""]
                owed = unpaid_plan(debt)
                summary += [f"- 清偿计划：{iso(d)} 支付 {money(a)} 元{'（已逾期未付）' if d <= ledger.as_of else ''}"
                            for d, a in owed]
                summary += [""] if owed else []
            first = chosen[0]
            title = (f"{unit.name}拖欠{first.creditor.industry}企业"
                     f"{CATEGORY_WORD[first.category]}案")
            # published after the figures it quotes, never after the newest data
            published = rng.randint(max(ledger.as_of, _day(2022, 10, 10)), AS_OF_LAST) \
                if state == "已公开" else None
            cases.append(Case(f"2022-{n:03d}", title, unit.id,
                              [f"{unit.id}/{d.id}" for d in chosen], state, published,
                              summary[:-1], rng.choice(HANDLING)))
        return cases


def unpaid_plan(debt: Debt) -> list[tuple[int, int]]:
    """The plan's installments still owed: what was paid covers the earliest first, so a case
    quoting the plan adds up to the 尚欠 it states."""
    paid, owed = debt.amount - debt.remaining, []
    for day, amount in debt.plan:
        covered = min(amount, paid)
        paid -= covered
        if amount > covered:
            owed.append((day, amount - covered))
    return owed


# -- the two datasets -----------------------------------------------------------------------
def _extras(synth: Synth, region: Region) -> str:
    """清欠办 and the complaint-handling unit, seated in the region's 工信局; returns the latter."""
    p, s = region.prefix, region.short
    synth.add(f"{p}-gxj", f"{s}工业和信息化局", "机关", region, p, f"{p}-czj")
    synth.add(f"{p}-qqb", f"{s}清理拖欠中小企业账款工作领导小组办公室", "清欠办", region,
              f"{p}-gxj", f"{p}-czj", ["qqb-admin", "$"])
    synth.add(f"{p}-zxqy", f"{s}中小企业服务中心", "事业单位", region, f"{p}-gxj", f"{p}-czj")
    return f"{p}-zxqy"


def _in_scope(unit: Unit, top: str) -> bool:
    return (unit.status == "正常" and unit.type != "清欠办" and unit.id != top
            and not unit.id.endswith("-zxqy"))


def example(seed: int) -> Dataset:
    synth = Synth(seed)
    rng = synth.rng
    city = Region("990100", "云岭市（示例）", "云岭市", "云岭", "yl")
    subsidiaries = synth.region_units(city, None, 5, 3, 0, 2, soe_owner="yl-gyyy")
    subsidiaries[0].status = "停产"
    clue_unit = _extras(synth, city)
    synth.add("yl-gyyy", "云岭市国有资本投资运营有限公司", "国有企业", city, "yl-gzw", "yl-gzw")
    synth.add("yl-kfq", "云岭经济技术开发区管理委员会", "开发区管委会", city, "yl", "yl-czj")
    synth.add("yl-kfq-tz", "云岭经济技术开发区投资建设有限公司", "国有企业", city, "yl-kfq",
              "yl-gzw")
    for code, short, prefix in (("990102", "栖云区", "qy"), ("990121", "岚溪县", "lx"),
                                ("990122", "石砚县", "sy"), ("990123", "雾松县", "ws")):
        region = Region(code, f"{short}（示例）", short, short[:2], prefix)
        synth.region_units(region, "yl", 5, 3, 2 if short.endswith("区") else 3, 1)
    # most in-scope units have reported; a few have not yet, one reported no arrears
    units = [u for u in synth.units if _in_scope(u, "yl") and rng.random() < 0.93]
    counts = [rng.randint(3, 10) for _ in units]
    counts[rng.randrange(len(counts))] = 0
    while sum(counts) < 520:
        counts[rng.randrange(len(counts))] += 1
    links = synth.pick_links(counts, 14, 6)
    ledgers = synth.ledgers(units, counts, links)
    clues = synth.clues(ledgers, 8, 6, 6, subsidiaries[0])
    data = Dataset(synth.units, ledgers, clue_unit, clues, synth.cases(ledgers, 10))
    seed_records(data, Random(seed + 13), "yl")
    _halt_one(data)
    return data


def _halt_one(data: Dataset) -> None:
    """One SOE that reported stops production a few days after its last submission: the office
    marks it 停产 with the date, its ledger stays as history (read-only) and leaves the totals.
    It is one that no clue, case or measure names, so nothing else has to follow it."""
    named = ({c.respondent for c in data.clues} | {c.unit for c in data.cases}
             | {m.unit for m in data.measures})
    ledger = min((lg for lg in data.ledgers if lg.unit.type == "国有企业" and lg.items
                  and lg.unit.id not in named), key=lambda lg: (lg.as_of, lg.unit.id))
    ledger.unit.status, ledger.unit.halted = "停产", ledger.as_of + 5


REFUSALS = ["尚未完成竣工结算", "合同约定的验收尚未完成", "金额与企业申请不一致，正在核对"]
FOLLOWUP_NOTES = {"部分到账": "企业称只收到部分款项", "未到账": "企业称尚未收到该笔款项",
                  "企业有异议": "企业对扣减的质保金有异议"}
MEASURE_BASES = {"约谈": "超过清偿时限仍未清偿", "重点督办": "还款计划多次逾期",
                 "实地督导": "第三季度清偿进度排名靠后", "压减一般性支付": "有未清偿的无分歧欠款",
                 "降低出行标准": "有未清偿的无分歧欠款", "信用惩戒": "企业投诉核实后仍未清偿"}


def seed_records(data: Dataset, rng: Random, prefix: str) -> None:
    """The records of DESIGN §3b, drawn from their own Random after everything else, so the
    rest of the example stays as it was: 确权 requests, follow-ups, 前期遗留 debts, clue
    deadlines and progress, and the office's measures."""
    office, centre = f"{prefix}-qqb", f"{prefix}-zxqy"
    debts = [(lg, d) for lg in data.ledgers for d in lg.items]
    for _ledger, debt in debts:  # leftovers of the earlier campaign: before 2020, found then
        if debt.due < D2020 and not debt.clue and rng.random() < 0.3:
            debt.leftover = True
    asked = rng.sample(debts, 30)
    for n, (ledger, debt) in enumerate(asked):
        received = rng.randint(min(max(debt.signed + 30, CAMPAIGN), ledger.as_of - 1), ledger.as_of - 1)
        purpose = "融资" if rng.random() < 0.7 else "其他"
        if n < 6:  # still pending: some of them long past the 30 days
            debt.confirmations.append((received, purpose, None, None, None))
            continue
        answered = min(received + rng.randint(2, 45), ledger.as_of)
        refused = n % 5 == 0
        debt.confirmations.append((received, purpose, answered, "不予确认" if refused else "已确认",
                                   rng.choice(REFUSALS) if refused else None))
    settled = [(lg, d) for lg, d in debts if d.payments and d.remaining == 0
               and max(p[0] for p in d.payments) < lg.as_of]
    results = ["未到账"] * 3 + ["部分到账", "企业有异议"] + ["已到账"] * 24
    for n, (ledger, debt) in enumerate(rng.sample(settled, min(len(results) + 1, len(settled)))):
        last_paid = max(p[0] for p in debt.payments)
        day = rng.randint(last_paid, ledger.as_of)
        method = rng.choice(["电话回访", "电话回访", "在线调查", "实地核查"])
        if n == len(results):  # a discrepancy found and then resolved by a second check
            debt.followups.append((day, "电话回访", centre, "未到账", FOLLOWUP_NOTES["未到账"]))
            debt.followups.append((min(day + 7, ledger.as_of), "实地核查", office, "已到账", None))
            continue
        result = results[n]
        debt.followups.append((day, method, office if method == "实地核查" else centre, result,
                               FOLLOWUP_NOTES.get(result)))
    # 限期清偿: accepted clues with an undisputed verdict get a deadline and progress notes
    for clue in data.clues:
        if clue.verdict == "无分歧":
            clue.deadline = clue.received + 30
            clue.progress.append((clue.received + 3, "已转责任单位核实"))
            if clue.closed:
                clue.progress.append((clue.closed, "企业确认款项已到账，办结"))
    data.measures = measures(data, rng, office)


def measures(data: Dataset, rng: Random, office: str) -> list[Measure]:
    """Measures against the units that owe the most, one or two each, dated after the
    campaign's first deadline checks; a few units on the list are left without one."""
    owing = sorted(((sum(d.remaining for d in lg.items), lg.unit.id, lg.as_of) for lg in data.ledgers),
                   reverse=True)[:10]
    found: list[Measure] = []
    kinds = list(MEASURE_BASES)
    for _owed, unit, as_of in owing[:7]:
        for _ in range(1 + (rng.random() < 0.4)):
            day = rng.randint(_day(2022, 7, 1), as_of)
            kind = rng.choice(kinds)
            found.append(Measure("", day, unit, kind, MEASURE_BASES[kind],
                                 day + 30 if rng.random() < 0.8 else None))
    found.sort(key=lambda m: (m.date, m.unit, m.kind))
    for n, measure in enumerate(found, 1):
        measure.id = f"M2022-{n:03d}"
    return found


def province(seed: int, ledger_count: int, debt_count: int) -> Dataset:
    synth = Synth(seed, diverse=True)
    top = Region("990000", "示例省", "示例省", "示例", "sz")
    synth.region_units(top, None, 4, 2, 0, 1)
    clue_unit = _extras(synth, top)
    units, n = [u for u in synth.units if _in_scope(u, "sz")], 0
    while len(units) < ledger_count:
        n, first = n + 1, len(synth.units)
        region = Region(f"99{n // 90 + 1:02d}{n % 90 + 1:02d}", f"示例{n}县", f"示例{n}县",
                        f"示例{n}", f"c{n:04d}")
        synth.region_units(region, "sz", 12, 8, 8, 3, halted=0.03)
        units += [u for u in synth.units[first:] if _in_scope(u, "sz")]
    units = units[:ledger_count]
    counts = [debt_count] * len(units)
    clue_total = max(45, ledger_count // 20) if debt_count else 0
    links = synth.pick_links(counts, clue_total * 3 // 10, clue_total * 15 // 100)
    ledgers = synth.ledgers(units, counts, links)
    halted = next((u for u in synth.units if u.status == "停产"), None)
    clues = synth.clues(ledgers, clue_total // 5, clue_total * 15 // 100, clue_total // 5, halted)
    cases = synth.cases(ledgers, max(8, ledger_count // 500)) if debt_count else []
    return Dataset(synth.units, ledgers, clue_unit, clues, cases)


# -- writing --------------------------------------------------------------------------------
def render_unit(u: Unit) -> str:
    (lname, ltitle, lphone), (cname, ctitle, cphone, email) = u.leader, u.liaison
    lines = [HEADER, f"id: {u.id}", f"name: {q(u.name)}", f"credit_code: {u.credit_code}",
             f"type: {u.type}", f'region: {{code: "{u.region.code}", name: {q(u.region.name)}}}']
    lines += [f"parent: {u.parent}"] if u.parent else []
    lines += [f"supervisor: {u.supervisor}", f"status: {u.status}"]
    lines += [f"halted: {iso(u.halted)}"] if u.halted else []
    if u.disclosed:
        lines.append("disclosed:")
        lines += [f"  - {{year: {year}, published: {iso(day)}}}" for year, day in u.disclosed]
    lines += [f'leader: {{name: {lname}, title: {ltitle}, phone: "{lphone}"}}',
              f'liaison: {{name: {cname}, title: {ctitle}, phone: "{cphone}", email: {email}}}',
              f"maintainers: [{', '.join(u.maintainers)}]"]
    return "\n".join(lines) + "\n"


def render_ledger(ledger: Ledger) -> str:
    out = [HEADER, f"unit: {ledger.unit.id}", f"as_of: {iso(ledger.as_of)}"]
    out.append("items:" if ledger.items else "items: []")
    for d in ledger.items:
        render_debt(d, out)
    return "\n".join(out) + "\n"


def render_debt(d: Debt, out: list[str]) -> None:
    c = d.creditor
    out += [f"  - id: {d.id}",
            f"    creditor: {{name: {c.name}, credit_code: {c.credit_code}, size: {c.size}}}",
            f"    category: {d.category}",
            f"    contract: {{number: {d.number}, signed: {iso(d.signed)}, "
            f"amount: {money(d.contract_amount)}}}",
            f"    due: {iso(d.due)}", f"    amount: {money(d.amount)}",
            f"    disputed: {'true' if d.dispute else 'false'}"]
    if d.dispute:
        out.append(f"    dispute: {{reason: {q(d.dispute[0])}, path: {d.dispute[1]}, "
                   f"state: {d.dispute[2]}}}")
    origin = "前期遗留" if d.leftover else "排查"
    out += [f"    origin: 投诉\n    clue: {d.clue}" if d.clue else f"    origin: {origin}", *d.standing,
            "    payments:" if d.payments else "    payments: []"]
    out += [f"      - {{date: {iso(t)}, amount: {money(a)}, method: {m}}}"
            for t, a, m in d.payments]
    if d.plan:
        out.append("    plan:")
        out += [f"      - {{date: {iso(t)}, amount: {money(a)}}}" for t, a in d.plan]
    if d.corrections:
        out.append("    corrections:")
        out += [f"      - {{date: {iso(t)}, field: {f}, reason: {q(r)}}}"
                for t, f, r in d.corrections]
    if d.confirmations:
        out.append("    confirmations:")
        for received, purpose, answered, result, reason in d.confirmations:
            answer = f", answered: {iso(answered)}, result: {result}" if answered else ""
            answer += f", reason: {q(reason)}" if reason else ""
            out.append(f"      - {{received: {iso(received)}, purpose: {purpose}{answer}}}")
    if d.followups:
        out.append("    followups:")
        for day, method, by, result, notes in d.followups:
            extra = f", notes: {q(notes)}" if notes else ""
            out.append(f"      - {{date: {iso(day)}, method: {method}, by: {by}, result: {result}{extra}}}")
    if d.notes:
        out.append(f"    notes: {q(d.notes)}")


def render_clues(unit: str, clues: list[Clue]) -> str:
    out = [HEADER, f"unit: {unit}", "clues:" if clues else "clues: []"]
    for c in clues:
        out += [f"  - id: {c.id}", f"    received: {iso(c.received)}", f"    source: {c.source}",
                f"    complainant: {{name: {c.complainant.name}, "
                f"credit_code: {c.complainant.credit_code}}}",
                f"    respondent: {c.respondent}", f"    amount: {money(c.amount)}",
                f"    accepted: {'true' if c.accepted else 'false'}"]
        out += [f"    reason: {q(c.reason)}"] if c.reason else []
        out += [f"    transferred_to: {c.transferred_to}"] if c.transferred_to else []
        out += [f"    verdict: {c.verdict}"] if c.verdict else []
        out += [f"    item: {c.item}"] if c.item else []
        out += [f"    closed: {iso(c.closed)}"] if c.closed else []
        out += [f"    deadline: {iso(c.deadline)}"] if c.deadline else []
        out += [f"    {key}: {iso(day)}" for key, day in (("forwarded", c.forwarded), ("extended_to", c.extended_to),
                                                         ("replied", c.replied)) if day]
        if c.progress:
            out.append("    progress:")
            out += [f"      - {{date: {iso(day)}, note: {q(note)}}}" for day, note in c.progress]
    return "\n".join(out) + "\n"


def render_case(case: Case) -> str:
    out = [HEADER, f"id: {case.id}", f"title: {q(case.title)}", f"unit: {case.unit}",
           f"items: [{', '.join(case.items)}]", f"state: {case.state}"]
    out += [f"published: {iso(case.published)}"] if case.published else []
    out.append("summary: |")
    out += [f"  {line}" if line else "" for line in case.summary]
    out.append(f"handling: {q(case.handling)}")
    return "\n".join(out) + "\n"


def render_measures(measures: list[Measure]) -> str:
    out = [HEADER, "measures:" if measures else "measures: []"]
    for m in measures:
        out += [f"  - id: {m.id}", f"    date: {iso(m.date)}", f"    unit: {m.unit}", f"    kind: {m.kind}",
                f"    basis: {q(m.basis)}"]
        out += [f"    follow_up: {iso(m.follow_up)}"] if m.follow_up else []
    return "\n".join(out) + "\n"


def write(data: Dataset, out: Path) -> None:
    for sub in ("units", "ledgers"):
        shutil.rmtree(out / sub, ignore_errors=True)
    folders = [out / "units", out / "ledgers/arrears", out / "ledgers/clues", out / "ledgers/cases"]
    for folder in folders:
        folder.mkdir(parents=True)
    files = [(folders[0] / f"{u.id}.yaml", render_unit(u)) for u in data.units]
    files += [(folders[1] / f"{lg.unit.id}.yaml", render_ledger(lg)) for lg in data.ledgers]
    files.append((folders[2] / f"{data.clue_unit}.yaml", render_clues(data.clue_unit, data.clues)))
    files += [(folders[3] / f"{c.id}.yaml", render_case(c)) for c in data.cases]
    if data.measures:
        files.append((out / "ledgers/measures.yaml", render_measures(data.measures)))
    for path, text in files:
        path.write_text(text, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成虚构的示例清欠数据（units/ 与 ledgers/）")
    sub = parser.add_subparsers(dest="mode", required=True)
    for mode in ("example", "province"):
        p = sub.add_parser(mode)
        p.add_argument("--out", type=Path, required=True,
                       help="数据仓库根目录（会清空其中的 units/ 与 ledgers/）")
        p.add_argument("--seed", type=int, default=2022)
        if mode == "province":
            p.add_argument("--ledgers", type=int, default=1000, help="台账（单位）数")
            p.add_argument("--debts", type=int, default=100, help="每本台账的欠款笔数")
    args = parser.parse_args(argv)
    if args.mode == "province" and (args.ledgers < 1 or args.debts < 0):
        parser.error("--ledgers 至少为 1，--debts 不能为负")
    start = time.perf_counter()
    data = example(args.seed) if args.mode == "example" else province(
        args.seed, args.ledgers, args.debts)
    write(data, args.out)
    debts = sum(len(lg.items) for lg in data.ledgers)
    creditors = len({d.creditor.credit_code for lg in data.ledgers for d in lg.items})
    print(f"{len(data.units)} units, {len(data.ledgers)} ledgers, {debts} debts, {creditors} creditors, "
          f"{len(data.clues)} clues, {len(data.cases)} cases -> {args.out} "
          f"({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
