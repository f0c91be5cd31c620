"""Roll-up across levels (DESIGN §3d): a level hands its figures up as a bundle of Parquet
files with a manifest of their SHA-256 (bundle.py); the level above verifies its members'
bundles (members.py, signing.py) and sums them with DuckDB (aggregate.py) without merging
their repositories; its history gives the period reports across members (periods.py).

The roll-up's own codes (E8xx a bundle refused, W8xx a problem listed) are a part of the one
code table's reference page (site.reference_page), as core.issues.CODES are of validation's."""

from ..core.issues import Code

NAMESPACE = "qingqian-bundle"  # ssh-keygen -Y sign/verify -n: a signature made for nothing else
MANIFEST, SIGNATURE = "manifest.json", "manifest.json.sig"
TABLES = ("debts", "units", "clues")  # each as <name>.parquet and its JSON copy <name>.json

BUNDLE = "members/990121/"  # where the examples' member keeps its bundle in the upper repository
CODES: dict[str, Code] = {
    "E801": Code("数据包的文件与清单不符", "文件在生成之后被改动或在传递中损坏：请下级重新运行 qingqian bundle，"
                 "把整个数据包目录原样交来；不要手工修改数据包中的任何文件。",
                 "# debts.parquet 的 SHA-256 与 manifest.json 的 files 中记录的不同"),
    "E802": Code("数据包的签名核验失败", "签名须由 allowed_signers 中该下级区划代码对应的密钥对 manifest.json 作出"
                 "（qingqian bundle --sign KEY）：请下级用登记的密钥重新签名，或由上级核实后更新 allowed_signers。",
                 "# manifest.json.sig 不是 990121 的密钥所签，或 manifest.json 签名后被改动"),
    "E803": Code("数据包缺少必需的签名", "qingqian.yaml 设置了 rollup.require_signatures：请下级用登记的密钥签名"
                 "（qingqian bundle --sign KEY）后重新交来。", f"{BUNDLE} 中没有 manifest.json.sig"),
    "E804": Code("数据包的清单无效", "manifest.json 应由 qingqian bundle 写出（region、as_of、totals、files，"
                 "金额为精确到分的文本，每个文件的 SHA-256）：请下级重新生成，不要手工编辑。",
                 "\"totals\": {\"items\": 3, \"amount\": 38.5}"),
    "E805": Code("清单列出了数据包目录之外的文件", "数据包只能包含其目录中的普通文件：不能有 ../、/、绝对路径、"
                 "符号链接或其他特殊文件。请下级重新生成数据包。", "\"files\": {\"../990122/debts.parquet\": \"…\"}"),
    "E806": Code("数据包的文件无法读取", "文件截断、损坏、超过大小上限，或网址中途断开：请下级重新生成并完整交来；"
                 "网址上的数据包请检查网络后重试。", "# debts.parquet 只有前 100 字节"),
    "E807": Code("数据包的表缺少列或类型不对", "数据包须由同一版本的 qingqian bundle 写出：请下级升级后重新生成。",
                 "# debts.parquet 的 amount 是浮点数而不是 decimal(18,2)"),
    "E808": Code("数据包的合计与清单不符", "debts.parquet 各笔之和须等于 manifest.json 的 totals（签名的是清单）："
                 "请下级重新生成数据包，核实为何两者不同。", "\"totals\": {\"amount\": \"100.00\"} 而各笔合计 90.00"),
    "E809": Code("数据包的区划代码与配置不符", "manifest.json 的 region.code 须等于 qingqian.yaml 中该下级的 region："
                 "核对是否把另一个下级的数据包放进了这个目录。",
                 "# qingqian.yaml：{region: \"990121\", ……}，数据包：\"region\": {\"code\": \"990122\"}"),
    "W801": Code("下级数据包已过期", "数据日期早于汇总日期超过 rollup.stale_days 天（默认 7 天）：请下级用最新的台账"
                 "重新运行 qingqian bundle 并交来。", "\"as_of\": \"2022-10-31\"  # 汇总日期 2022-11-15"),
    "W802": Code("下级数据日期晚于汇总日期", "核对汇总日期（--date）或下级的数据日期（qingqian bundle --as-of）。",
                 "\"as_of\": \"2099-01-01\""),
    "W803": Code("下级没有数据包", "qingqian.yaml 列出的目录或网址没有 manifest.json：请下级交来数据包，"
                 "或核对 rollup.members 中的 path。", f"{BUNDLE} 不存在"),
    "W804": Code("同一单位出现在两个下级的数据包中", "一个单位只由一个下级报送（属地管理）：请两个下级核对该单位"
                 "归属，从不该报送的一方的 units/ 中删除。", "# lx-jtj 同时在 990121 和 990122 的 units.parquet 中"),
    "W805": Code("区划代码不在本级区划之内", "核对 qingqian.yaml 中下级的 region，以及下级单位登记的区划代码。",
                 "{region: \"140100\", path: ……}  # 本级为 990100"),
}


class RollupError(Exception):
    """A member's bundle is refused (tampered, unsigned, unreadable): `code` is one of CODES,
    the message is Chinese and names the member, `region` is the member's configured code."""

    def __init__(self, code: str, message: str, region: str = "") -> None:
        assert code in CODES, code  # a code cannot be used without being documented
        super().__init__(message)
        self.code, self.region = code, region

    @property
    def line(self) -> str:
        """The refusal as printed: its code, then its message."""
        return f"{self.code} {self}"


class BundleError(Exception):
    """A bundle cannot be written as asked (signing key, output folder); Chinese message."""
