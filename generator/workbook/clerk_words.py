"""How to fix a ledger problem, said in the workbook's words for `qingqian import`.

The validator's fixes name the ledger file's keys (`plan`, `corrections`, `as_of`): right for
whoever edits the YAML, a puzzle for the clerk who filled the template. For the problems a
filled template can have, the import says the same fix with the template's sheets and column
headings (layout.py); every other message stays as the validator wrote it.
"""

from __future__ import annotations

from ..core.issues import CODES

FIXES = {
    "E303": "核对“还款”表中这笔欠款的各笔还款；多付或录错的，在“更正记录”表追加一行说明。",
    "E304": "还款日期不能晚于“台账”表的台账日期；已发生的还款请同时把台账日期改为最新。",
    "E306": "无分歧欠款应“发现一起清偿一起”；确有困难的，请在“还款计划”表列出还款日期和金额。",
    "E307": "“还款计划”表中这笔欠款各期金额之和应不少于剩余未还金额。",
    "E308": "“是否有分歧”为“是”时须填写分歧原因、解决途径和分歧状态。",
    "E309": "“是否有分歧”为“否”时不填分歧原因、解决途径和分歧状态，或把“是否有分歧”改为“是”。",
    "E310": "“欠款来源”为“投诉”时须填写投诉线索编号，为其他来源时不填。",
    "E315": "约定付款日期应早于“台账”表的台账日期；未到期的款项不是逾期欠款，不列入台账。",
    "E317": "更正日期不能晚于“台账”表的台账日期。",
    "E320": "该类欠款的清偿时限在台账日期前已过，计划还款日期不能再晚于时限：请立即清偿，或如实登记分歧"
            "（是否有分歧），并向清欠办说明原因。",
    "E330": "答复后须同时填写答复日期和答复结果；答复结果为“不予确认”的须填写不予确认的原因，“已确认”的不填。",
    "E603": "已登记的还款、更正、确权和核查记录不能改动或删除，只能追加新行；确需更正还款时，在“更正记录”表"
            "追加一行，“更正的字段”选“还款记录”，写明原因。",
    "E604": "修改已登记的欠款金额、约定付款日期、债权企业、合同、欠款类别或是否有分歧时，在“更正记录”表追加一行"
            "（更正日期、更正的字段、更正原因），更正日期不早于上次报送的台账日期。",
    "E605": "“台账”表的台账日期只能保持不变或向后推进。",
}


def in_clerk_words(code: str, message: str) -> str:
    """`message` (title, detail, the validator's fix) with the workbook's fix instead."""
    fix = FIXES.get(code)
    if fix is None or code not in CODES or not message.endswith(CODES[code].fix):
        return message
    return message[:len(message) - len(CODES[code].fix)] + fix
