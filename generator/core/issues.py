"""Problems found in the data: one Issue type, one code table, three renderings.

Every loader and check yields Issues and never raises; the CLI renders them at the edge.
The code table is the source of the error-code reference page (docs.py), so a code
cannot be used without being documented.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from .text import escape


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem at PATH:LINE:COL of a text file, or at a cell of a workbook's sheet.

    In a workbook (`sheet` set) `line` and `col` are the cell's 1-based row and column; 0 when
    the problem concerns a whole sheet or file.
    """

    path: str  # relative to the data root, with forward slashes
    line: int  # 1-based
    col: int  # 1-based
    code: str
    message: str
    severity: str = "error"  # error | warning
    sheet: str = ""  # a workbook's sheet

    @property
    def where(self) -> str:
        if self.sheet:
            return f"{self.path}:{self.sheet}!{_column_letter(self.col or 1)}{self.line}" if self.line \
                else f"{self.path}:{self.sheet}"
        return f"{self.path}:{self.line}:{self.col}" if self.line else self.path

    def text(self) -> str:
        line = f"{shown(self.where)}: {self.code} {shown(self.message)}"
        # A line starting with :: (or ##[) is a command to a CI runner: a file named
        # "::error::..." must not forge an annotation or stop the annotations.
        return "./" + line if line.lstrip().startswith(("::", "##[")) else line

    def __reduce__(self):  # a plain tuple pickles several times faster than dataclass state
        return (Issue, (self.path, self.line, self.col, self.code, self.message, self.severity, self.sheet))


def _column_letter(number: int) -> str:
    """Excel's column name: 1 -> A, 27 -> AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Code:
    title: str
    fix: str
    example: str  # a snippet that triggers it


# The stable codes. E1xx reading the file, E2xx the schema, E3xx meaning within a file,
# E4xx across files, W5xx warnings, E6xx change rules against a base revision.
CODES: dict[str, Code] = {
    "E101": Code("文件不是 UTF-8 编码", "用编辑器“另存为”UTF-8 编码（不要用 GBK/GB2312）。",
                 "（用 GBK 编码保存的文件）"),
    "E102": Code("文件过大", "一个文件不应超过上限；请检查是否误粘贴了大量内容。", "（超过 20 MB 的文件）"),
    "E103": Code("YAML 语法错误", "按提示检查该行的缩进、冒号后的空格和引号是否成对。",
                 "items:\n  - id: A001\n    amount 380000.00"),
    "E104": Code("使用了制表符（Tab）", "YAML 只能用空格缩进，请把 Tab 换成两个空格。",
                 "items:\n\t- id: A001"),
    "E105": Code("重复的键", "同一层级的键只能出现一次，请删除或合并重复的一项。",
                 "amount: 1000.00\namount: 2000.00"),
    "E106": Code("使用了锚点或别名", "台账中不使用 & 锚点和 * 别名，请把内容直接写出来。",
                 "creditor: &c {name: 某公司}\nother: *c"),
    "E107": Code("嵌套层级过深", "台账的层级很浅，请检查是否误写了大量括号。", "a: [[[[[[...]]]]]]"),
    "E108": Code("含有不可见字符或控制字符", "删除零宽空格、方向控制符、控制字符等（常见于从网页或聊天软件复制的"
                 "内容），无论直接写出还是以 \\a、\\0、\\u202e 等转义写出都不允许；建议手工重新输入该值。",
                 "id: A0\u200b01\nnotes: \"甲\\a乙\""),
    "E109": Code("文件内容不是一个映射", "文件应以 `键: 值` 的形式书写，且只包含一个文档。",
                 "- 这是一个列表"),
    "E110": Code("无法识别的文件", "把文件移到约定的目录，扩展名用 .yaml。",
                 "ledgers/arrears/ll-jtj.yml"),
    "E201": Code("缺少必填字段", "按字段说明补上该字段。", "items:\n  - id: A001   # 缺少 creditor 等"),
    "E202": Code("未知字段", "检查拼写；台账只接受字段说明中列出的字段。", "amout: 380000.00"),
    "E203": Code("值的类型不对", "按字段说明填写：文本、列表或键值映射。", "items: A001"),
    "E204": Code("取值不在允许范围内", "只能填写提示中列出的取值之一。", "category: 工程款"),
    "E205": Code("金额不是数字", "金额写成不带引号的数字，如 380000.00。", "amount: \"38万\""),
    "E206": Code("金额超过两位小数", "金额以元为单位，最多两位小数（到分）。", "amount: 100.005"),
    "E207": Code("金额为负数", "金额不能为负；调减金额请改写该值并在 corrections 中说明原因。",
                 "amount: -100.00"),
    "E208": Code("日期格式错误", "日期写成 YYYY-MM-DD，如 2022-06-30。", "due: 2021/12/31"),
    "E209": Code("日期不存在", "检查月份和日期，如 2 月没有 30 日。", "due: 2021-02-30"),
    "E210": Code("统一社会信用代码无效", "核对 18 位代码（GB 32100-2015），可在营业执照上查到。",
                 "credit_code: 91141100MA0K2B3C4E"),
    "E211": Code("编号格式错误", "编号只能使用提示中的字符和格式。", "id: A 001"),
    "E212": Code("布尔值错误", "写 true 或 false（也可写 是 / 否）。", "disputed: 有"),
    "E213": Code("值为空", "填写该值，或删除这个可选字段。", "notes:"),
    "E214": Code("金额超出上限", "金额须小于 1 万亿元（1000000000000 元）；请检查是否多写了数字或把分当成了元。",
                 "amount: 9223372036854775.81"),
    "E215": Code("金额为零", "欠款、还款和计划的金额都应大于零；没有发生的款项请不要登记。", "amount: 0.00"),
    "E216": Code("台账金额合计超出上限", "一本台账的欠款金额合计须小于 1 万亿元：超过它的台账无法与其他台账精确汇总。"
                 "请检查是否多写了数字或把分当成了元。", "items:  # 各笔 amount 合计 ≥ 1000000000000 元"),
    "E217": Code("天数不是整数或超出范围", "约定的验收期限、付款期限写成不加引号的整数天数（0 到 365），"
                 "如 pay_within: 30。", "pay_within: 30天"),
    "E218": Code("利率不是有效的百分数", "约定的逾期利率写年利率的百分数，不加引号、不带 % 号、不能为负，"
                 "如 3.10 表示年利率 3.10%。", "interest_rate: -3.1"),
    "E219": Code("文本过长", "一个单元格最多容纳 32767 个字符（Excel 的上限），更长的文本在导出、填报模板和导入时"
                 "会被截断：请精简该字段，详细材料另行报送。", "notes: ……（超过 32767 个字符）"),
    "E301": Code("文件名与内容不一致", "文件名必须等于其中的 id 或 unit；请改文件名或改内容。",
                 "# 文件 ledgers/arrears/ll-jtj.yaml\nunit: ll-czj"),
    "E302": Code("编号重复", "编号在文件中必须唯一，且一经使用不得改作他用。",
                 "items:\n  - id: A001\n  - id: A001"),
    "E303": Code("还款合计超过欠款金额", "核对各笔还款；多付或录错请通过 corrections 更正。",
                 "amount: 100.00\npayments: [{date: 2022-06-01, amount: 200.00, method: 银行转账}]"),
    "E304": Code("还款日期晚于台账日期", "还款日期不能晚于 as_of；已发生的还款请同时更新 as_of。",
                 "as_of: 2022-06-30 ……  payments: [{date: 2022-07-15, ……}]"),
    "E305": Code("还款日期早于合同签订日期", "核对还款日期和合同签订日期。",
                 "contract: {signed: 2021-03-01} …… payments: [{date: 2020-01-01, ……}]"),
    "E306": Code("未清偿的无分歧欠款缺少还款计划", "无分歧欠款应“发现一起清偿一起”；确有困难的，"
                 "请在 plan 中列出还款日期和金额。", "disputed: false\n# 没有 plan"),
    "E307": Code("还款计划不足以覆盖剩余欠款", "plan 中各期金额之和应不少于剩余未还金额。",
                 "amount: 1000.00\nplan: [{date: 2022-12-31, amount: 500.00}]"),
    "E308": Code("有分歧欠款缺少分歧说明", "disputed 为 true 时须填写 dispute（原因、途径、状态）。",
                 "disputed: true\n# 没有 dispute"),
    "E309": Code("无分歧欠款填写了分歧说明", "disputed 为 false 时删除 dispute，或把 disputed 改为 true。",
                 "disputed: false\ndispute: {reason: ……}"),
    "E310": Code("来源与投诉线索不一致", "origin 为 投诉 时须填写 clue（线索编号），为 排查 时不填 clue。",
                 "origin: 投诉\n# 没有 clue"),
    "E311": Code("合同金额小于欠款金额", "核对合同金额和欠款金额。",
                 "contract: {amount: 1000.00}\namount: 2000.00"),
    "E312": Code("不予受理的线索缺少原因", "accepted 为 false 时须在 reason 中写明告知投诉人的原因，"
                 "且不再填写 transferred_to 和 item。", "accepted: false\n# 没有 reason"),
    "E313": Code("核实的线索未关联台账欠款", "verdict 为 无分歧 或 有分歧 时须在 item 中写明被投诉单位台账中的"
                 "欠款（单位编号/欠款编号）。", "verdict: 无分歧\n# 没有 item"),
    "E314": Code("公开状态与公开日期不一致", "state 为 已公开 时须填写 published，其他状态不填。",
                 "state: 草稿\npublished: 2022-09-01"),
    "E315": Code("欠款尚未到期", "到期日（due）应早于台账日期（as_of）；未到期的款项不是逾期欠款，不列入台账。",
                 "as_of: 2022-06-30\ndue: 2022-12-31"),
    "E316": Code("日期先后顺序不对", "按提示核对两个日期的先后。",
                 "contract: {signed: 2022-03-01}\ndue: 2021-12-31"),
    "E317": Code("更正日期晚于台账日期", "corrections 的日期不能晚于 as_of。",
                 "as_of: 2022-06-30\ncorrections: [{date: 2022-07-02, ……}]"),
    "E318": Code("非停产单位填写了停产日期", "halted 只用于 status 为 停产 的单位；单位恢复生产时把 status "
                 "改为 正常 并删除 halted。", "status: 正常\nhalted: 2022-09-01"),
    "E319": Code("已受理的线索未写明转办单位", "accepted 为 true 时须在 transferred_to 中写明负责处理的单位编号。",
                 "accepted: true\n# 没有 transferred_to"),
    "E320": Code("还款计划晚于已过的清偿时限", "该类欠款的清偿时限在台账日期前已过，计划日期不能再晚于时限："
                 "请立即清偿，或如实登记分歧（disputed），并向清欠办说明原因。",
                 "due: 2021-05-31 …… plan: [{date: 2023-04-18, ……}]  # as_of 2022-12-05"),
    "E321": Code("日期在将来", "台账日期（as_of）最多比今天晚一天，还款日期不能晚于今天（北京时间）；"
                 "请填写已经发生的日期。", "as_of: 2099-12-31"),
    "E322": Code("已公开的案例含有个人信息", "公开案例的标题、案情和处理情况中不能出现手机号、固定电话或身份证号；"
                 "请删除或改写为“某某”，或把 state 改回 已审核。", "summary: 联系人电话 13912344321"),
    "E323": Code("单位编号与网站页面重名", "单位编号不能与网站自己的页面或目录同名（如 index、search、assets、"
                 "reports），否则单位页会覆盖该页面：请改用带地区前缀的编号，如 sl-index。", "id: index"),
    "E330": Code("确权记录不完整", "答复后须同时填写 answered 和 result；result 为 不予确认 时须在 reason 中写明原因，"
                 "已确认 时不填 reason。",
                 "confirmations: [{received: 2022-07-05, purpose: 融资, answered: 2022-07-12}]"),
    "E331": Code("确权或核查日期晚于台账日期", "confirmations 和 followups 的日期不能晚于 as_of；"
                 "已发生的请同时更新 as_of。", "as_of: 2022-06-30 ……  followups: [{date: 2022-07-15, ……}]"),
    "E340": Code("条例相关日期的先后不合理", "交付不能早于合同签订，验收合格和结算确认不能早于交付；"
                 "投诉的转交、答复和延期不能早于收到投诉。请核对日期。",
                 "delivered: 2025-07-01\nacceptance: {within: 15, passed: 2025-06-20}"),
    "E341": Code("条例相关日期晚于台账日期", "交付、验收合格和结算确认日期不能晚于 as_of；"
                 "尚未发生的不填，发生后同时更新 as_of。", "as_of: 2025-06-30\ndelivered: 2025-07-01"),
    "E342": Code("投诉办理延期超过 90 日", "条例规定投诉办理期限自收到之日起最长延至 90 日；"
                 "extended_to 不能晚于收到（或转交）后第 90 日。", "received: 2025-07-01\nextended_to: 2025-12-31"),
    "E343": Code("填写了条例字段却没有交付日", "acceptance、settlement、pay_within、interest_rate、conditions "
                 "只对填写了 delivered（交付日）的欠款生效；请补上交付日，或删除这些字段。",
                 "pay_within: 45\n# 没有 delivered"),
    "E332": Code("已到账金额只用于部分到账", "followups 的 received（已到账金额）只在 result 为 部分到账 时填写："
                 "未到账即为 0，已到账即为全部。",
                 "followups: [{date: 2022-09-15, ……, result: 已到账, received: 5000.00}]"),
    "E401": Code("单位不存在", "引用的单位编号必须在 units/ 中登记；检查拼写或先登记该单位。",
                 "unit: ll-jtjj"),
    "E402": Code("停产企业不应报送台账", "停产企业不在清理范围内；如单位已恢复生产，请先在 units/ 中修改 status。",
                 "# units/ll-gt.yaml 中 status: 停产"),
    "E403": Code("上级单位不存在", "parent 必须是已登记的单位编号。", "parent: ll-xx"),
    "E404": Code("汇总单位不存在", "supervisor 必须是已登记的单位编号（财政局、国资委或国资运营公司）。",
                 "supervisor: ll-czjj"),
    "E405": Code("上级关系形成循环", "parent 关系必须是一棵树，检查循环中的各单位的 parent。",
                 "# a 的 parent 是 b，b 的 parent 是 a"),
    "E406": Code("投诉线索不存在", "clue 必须是线索台账中已登记的线索编号。", "clue: TS2022-999"),
    "E407": Code("投诉线索未指回该欠款", "线索的 item 应为 本单位编号/欠款编号；请与受理投诉的单位核对。",
                 "# 线索 TS2022-001 的 item 是 ll-jtj/A005，而欠款 A003 引用了它"),
    "E408": Code("关联的欠款不存在", "检查 单位编号/欠款编号 是否在该单位的台账中。", "item: ll-jtj/A999"),
    "E409": Code("线索编号重复", "线索编号在全部线索台账中必须唯一。", "id: TS2022-001（两处）"),
    "E410": Code("同一单位有多个顶层单位或顶层缺失", "只有一个顶层单位（通常是市或县政府）不填 parent。",
                 "# 两个单位都没有 parent"),
    "E411": Code("案例列出了其他单位的欠款", "案例的 items 只能是 unit 所填单位的欠款（unit/欠款编号）；"
                 "涉及多个单位的，请分别写案例。", "unit: ll-jtj\nitems: [ll-czj/A001]"),
    "E430": Code("日期晚于今天", "措施、线索的收到和办结、线索进展、案例公开和单位停产记录的都是已经发生的事，"
                 "日期不能晚于今天；请核对年份。",
                 "measures: [{id: M2022-001, date: 2099-09-05, ……}]"),
    "E601": Code("删除了欠款或线索", "欠款和线索一经登记不得删除：已还清的欠款保留并登记还款，"
                 "录错的通过 corrections 更正。",
                 "# 基准版本有 A003，本次改动中没有了"),
    "E602": Code("编号被改作他用", "编号一经使用不得用于另一笔欠款；新欠款请使用新的编号。",
                 "# A003 原为甲公司合同 X-1，现改成乙公司合同 Y-9"),
    "E603": Code("改动了只能追加的记录", "已登记的还款和更正记录只能在末尾追加；确需更正还款时，追加一条 field 为 "
                 "payments 的 corrections 并写明原因。", "payments 中第 1 笔的金额被修改"),
    "E604": Code("修改已登记的内容未附更正记录", "修改金额、到期日、债权人或合同时，在 corrections 末尾追加一条"
                 "（日期、字段、原因），日期不早于上一版的 as_of。",
                 "amount: 380000.00 → 350000.00，corrections 未增加"),
    "E605": Code("台账日期倒退", "as_of 只能保持不变或向后推进。", "as_of: 2022-06-30 → 2022-05-31"),
    "E606": Code("无权修改该文件", "单位只能修改本单位的台账；units/、程序、网站和工作流只能由清欠办修改。"
                 "请确认提交账号已列入本单位的 maintainers。", "# lisi 修改了其他单位的台账"),
    "E607": Code("文件被重命名到另一个单位", "不要在单位之间移动或重命名台账文件；请联系清欠办。",
                 "ledgers/arrears/a.yaml → ledgers/arrears/b.yaml"),
    "E608": Code("添加了符号链接或子模块", "仓库中只能有普通文件。", "ln -s ../x ledgers/arrears/y.yaml"),
    "E609": Code("CODEOWNERS 已过期", "运行 qingqian codeowners 重新生成 CODEOWNERS（按 qingqian.yaml 中的 forge "
                 "写入 .github/、.gitea/ 或 .gitlab/）并一并提交。",
                 "# units/ 中修改了 maintainers，CODEOWNERS 未更新"),
    "E610": Code("停产单位的台账只读", "单位停产后其台账保留为历史记录，不得再修改；如单位恢复生产，"
                 "请清欠办先在 units/ 中把 status 改为 正常 并删除 halted。",
                 "# units/ll-gt.yaml 中 halted: 2022-09-01"),
    "E611": Code("不能核查或认定本单位自己的记录", "回访、实地核查只能由核查单位或清欠办登记，线索的核实结论只能由"
                 "受理单位作出；被核查、被投诉单位（及其维护人）不能为自己登记，已到账的核查记录尤其如此。请由核查单位"
                 "或清欠办提交。", "# sl-jtj 的台账中\nfollowups: [{date: 2022-09-01, method: 电话回访, by: sl-jtj, "
                 "result: 已到账}]"),
    "E630": Code("删除或改写了已登记的措施", "措施一经登记不得删除，编号、日期、单位和类别不得修改；"
                 "录错的请追加一条新措施并在 basis 中说明，需要延后检查的可以修改 follow_up。",
                 "# 基准版本有 M2022-001，本次改动中没有了"),
    "W501": Code("还款计划已逾期", "计划日期已过但未按计划足额还款，请尽快还款或调整计划并说明原因。",
                 "plan: [{date: 2022-09-30, amount: 180000.00}]  # 9 月 30 日后仍未还"),
    "W502": Code("还款计划超出剩余欠款", "未来各期计划之和多于剩余欠款，请核对计划金额。",
                 "# 剩余 1000.00，计划 2000.00"),
    "W503": Code("无分歧欠款逾期一年以上仍分文未还", "无分歧欠款应发现一起清偿一起，请说明原因并尽快清偿。",
                 "due: 2020-06-30  # as_of 2022-06-30 时仍未清偿"),
    "W504": Code("以商业汇票等非现金方式支付", "不得强制中小企业接受商业汇票等非现金支付方式；请确认系企业自愿。",
                 "method: 商业汇票"),
    "W505": Code("还款计划晚于清偿时限", "2020 年以来形成的欠款应于 11 月 30 日前、2020 年以前的无分歧欠款应于"
                 " 12 月 31 日前清偿（日期以 qingqian.yaml 为准）；请把计划提前到时限以内。",
                 "due: 2021-05-31 …… plan: [{date: 2023-04-18, ……}]"),
    "W506": Code("新增拖欠", "清欠行动开始后到期的款项又形成逾期（决不允许增加新的拖欠），请立即清偿并说明原因。",
                 "due: 2022-09-30  # 行动开始于 2022-05-25"),
    "W507": Code("受理了针对停产单位的线索", "停产单位不在清理范围内，请核实被投诉单位，"
                 "或转办给承接其债务的单位。", "respondent: ll-gt  # units/ll-gt.yaml 中 status: 停产"),
    "W530": Code("确权请求超过期限未答复", "企业提出应收账款确权的，单位应及时确认；答复后填写 answered、"
                 "result（不予确认的写明 reason）。期限在 qingqian.yaml 的 campaign.confirm_days 中设置"
                 "（默认 30 天）。",
                 "confirmations: [{received: 2022-05-01, purpose: 融资}]  # 6 月 30 日仍未答复"),
    "W531": Code("回访核查与报送的还款不符", "单位报送已还款，回访或实地核查却发现款项未到账或只部分到账："
                 "请单位核实并补正还款记录；再次核查到账后追加一条 result 为 已到账 的核查记录即告解决。",
                 "payments: [……]\nfollowups: [{date: 2022-09-15, ……, result: 未到账}]"),
    "W532": Code("部分到账未填写已到账金额",
                 "回访核查结果为 部分到账 时，请在 received 中填写核查时企业实际收到的合计金额："
                 "报送已还而未到账的部分才能计为待核实（不计入已还和清偿率）；不填写时全部报送金额仍计为已还。",
                 "followups: [{date: 2022-09-15, method: 电话回访, by: ll-qqb, result: 部分到账}]"),
    # E7xx/W7xx: an Excel workbook given to `qingqian import`, reported as 文件:工作表!单元格.
    "E701": Code("工作簿无法读取", "请用 Excel 或 WPS 另存为 .xlsx 格式后重新导入。", "（.xls 或已损坏的文件）"),
    "E702": Code("工作表或列与模板不符", "请使用 qingqian template 生成的模板，不要删除或改名工作表和列，也不要增加列"
                 "（其他内容请写在“备注”中）。", "欠款 表中没有“欠款金额（元）”列"),
    "E703": Code("必填单元格为空", "填写该单元格。", "欠款!B5 债权企业名称为空"),
    "E704": Code("金额有误", "金额以元为单位，填数字，最多两位小数，不能为负。", "欠款!J5 填写了“38万”"),
    "E705": Code("日期有误", "把单元格设为日期格式，或写成 2022-06-30 的形式。", "还款!B3 填写了“2022/6/30”"),
    "E706": Code("取值不在下拉列表中", "从单元格的下拉列表中选择。", "欠款!E5 填写了“工程款”"),
    "E707": Code("统一社会信用代码无效", "核对营业执照上的 18 位代码（GB 32100-2015），单元格设为文本格式。",
                 "欠款!C5 填写了 91141100MA0K2B3C4E"),
    "E708": Code("编号格式不对", "编号只能使用字母、数字和 _ . -，不能有空格。", "欠款!A5 填写了“A 001”"),
    "E709": Code("欠款编号重复或不存在", "每个欠款编号在 欠款 表中只能出现一次；还款、还款计划、更正记录 表中的"
                 "欠款编号必须是 欠款 表中已有的编号。", "还款!A7 填写了 欠款 表中没有的 A099"),
    "E710": Code("已登记的欠款被删除", "已登记的欠款不得删除：已还清的保留并登记还款，录错的在 更正记录 中说明。"
                 "请把该行恢复到 欠款 表中。", "台账中有 A003，工作簿中没有"),
    "E711": Code("工作簿不属于该单位", "请使用本单位的模板（qingqian template --unit 本单位编号）；"
                 "单位须已在 units/ 中登记、未停产，导入账号须在其 maintainers 中。",
                 "台账!B3 为 ll-czj，导入时指定了 ll-jtj"),
    "E712": Code("单元格类型不对", "Excel 会把以 0 开头的数字、18 位代码和形如日期的编号自动改掉：请把这类单元格设为"
                 "“文本”格式后重新输入；金额和日期单元格不要填写文字说明。", "欠款!F5 合同编号被 Excel 改成了日期"),
    "E713": Code("公式没有保存计算结果", "该单元格是公式，但文件中没有它的计算结果（常见于由程序生成、未在 Excel 中"
                 "打开保存过的文件），导入会把它读成空值：请在 Excel 或 WPS 中打开并保存，或把公式改为数值或文字。",
                 "欠款!P2 为 =CONCAT(\"分两期\", \"支付\")，没有计算结果"),
    "E714": Code("天数或利率有误", "约定的验收期限、付款期限填整数天数（0 到 365）；约定逾期利率填年利率的百分数，"
                 "如 3.10，不能为负。", "欠款!AB5 填写了“三十天”"),
    "W701": Code("金额已按分四舍五入", "单元格中的数是 Excel 计算产生的二进制误差，已四舍五入到分；请核对该金额，"
                 "最好直接填写数字而不是公式。", "欠款!J5 为 0.30000000000000004，按 0.30 读取"),
    "W702": Code("数字单元格已按文本读取", "编号单元格是数字格式，已按其数字读取；如编号以 0 开头，请把单元格设为"
                 "文本格式后重新输入。", "欠款!F5 合同编号为数字 12"),
    "W703": Code("原台账中的注释不会保留", "导入会按统一格式重写台账文件，只保留文件开头的注释；"
                 "其他说明请写在“备注”中。",
                 "    amount: 380000.00  # 含税"),
    "W704": Code("工作表中有隐藏的行", "隐藏的行同样会被导入：请取消隐藏，核对这些行后再导入。",
                 "欠款!A3 所在行被隐藏"),
}


def make(path: str, line: int, col: int, code: str, detail: str = "", sheet: str = "") -> Issue:
    """An Issue whose message is the code's title, the detail and the fix."""
    entry = CODES[code]
    if detail and detail[-1] not in "。？！":
        detail += "。"
    message = f"{entry.title}：{detail}{entry.fix}" if detail else f"{entry.title}。{entry.fix}"
    severity = "warning" if code.startswith("W") else "error"
    return Issue(path, line, col, code, message, severity, sheet)


def sort_key(issue: Issue) -> tuple:
    """Errors first (they block the merge), then by position."""
    return (issue.severity != "error", issue.path, issue.line, issue.col, issue.code, issue.message)


# Characters a terminal or log viewer acts on or hides: C0/C1 controls (ANSI escapes start
# with ESC or CSI), DEL, direction controls and invisible marks, and the stand-ins Python
# uses for the bytes of a file name that is not UTF-8.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def readable_name(path: str) -> bool:
    """Whether a file name is UTF-8 text without control or direction characters."""
    return _UNSHOWABLE.search(path) is None


def shown(text: str) -> str:
    """Text as printed in a terminal or CI log: every such character as a visible escape."""
    def visible(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"

    return _UNSHOWABLE.sub(visible, text)


def render(issues: Iterable[Issue], fmt: str) -> str:
    issues = sorted(issues, key=sort_key)
    if fmt == "json":
        return json.dumps([_fields(i) for i in issues], ensure_ascii=False, indent=1)
    if fmt == "github":
        return "\n".join(_github(i) for i in issues)
    return "\n".join(i.text() for i in issues)


def _fields(issue: Issue) -> dict[str, object]:
    """The JSON object of a problem; `sheet` only for a workbook's."""
    fields = asdict(issue)
    if not issue.sheet:
        del fields["sheet"]
    return fields


def _github(issue: Issue) -> str:
    # Workflow commands need %, CR and LF escaped in the message and also , and : in properties.
    def esc(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    return (f"::{issue.severity} file={shown(esc(issue.path, True))},line={issue.line},col={issue.col},"
            f"title={esc(issue.code, True)}::{shown(esc(issue.message))}")


def tally(issues: Iterable[Issue], severity: str = "warning") -> str:
    """How many problems of `severity` there are per code, with the code's title, most first:
    "W531 回访核查与报送的还款不符 12 个；W520 … 3 个" (empty when there are none)."""
    counts = Counter(issue.code for issue in issues if issue.severity == severity)
    return "；".join(f"{code} {CODES[code].title if code in CODES else ''} {count} 个".replace("  ", " ")
                    for code, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


def summary_table(issues: Iterable[Issue]) -> str:
    """A Markdown table of every problem, for a pull request's job summary."""
    issues = sorted(issues, key=sort_key)
    errors = sum(i.severity == "error" for i in issues)
    lines = [f"### 清欠台账校验：{errors} 个错误，{len(issues) - errors} 个警告", ""]
    if len(issues) > errors:
        lines += [f"警告按类别：{escape(tally(issues))}", ""]
    if issues:
        lines += ["| 文件 | 行 | 列 | 代码 | 级别 | 说明 |", "|---|---|---|---|---|---|"]
        for i in issues:  # paths and messages carry data: Markdown and HTML in them stay text
            level = "错误" if i.severity == "error" else "警告"
            lines.append(f"| {escape(shown(i.path))} | {i.line} | {i.col} | {i.code} | {level} | "
                         f"{escape(shown(i.message))} |")
    return "\n".join(lines) + "\n"
