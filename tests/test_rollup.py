"""Roll-up across levels (issue 26): the example city split into its counties' repositories
(tools/synth_rollup.py), each county's bundle, and the city summing them — to the fen, with
tampered, unsigned, stale, missing, doubly-claimed and out-of-region members caught; and the
city's history of committed bundles giving the 月调度 and 季通报 across its members."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.cli.main import main
from helpers import REPO, commit, git

SYNTH = REPO / "tools" / "synth_rollup.py"
AS_OF = "2022-11-15"
MONTHS = ("2022-06", "2022-09", "2022-10", "2022-11")  # the months the city commits its members' bundles
COUNTIES = {"990102": "栖云区（示例）", "990121": "岚溪县（示例）", "990122": "石砚县（示例）",
            "990123": "雾松县（示例）"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rollup") / "demo"
    result = subprocess.run([sys.executable, str(SYNTH), "--out", str(out), "--history", str(out.parent / "history"),
                             "--months", ",".join(MONTHS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "# 云岭市（示例）汇总" in result.stdout
    return out


@pytest.fixture
def city(demo: Path, tmp_path: Path) -> Path:
    """A copy of the demo's city and bundles, to break one thing at a time."""
    for part in ("city", "bundles"):
        shutil.copytree(demo / part, tmp_path / part, symlinks=True)
    return tmp_path / "city"


def rollup(root: Path, capsys, *extra: str) -> tuple[int, dict | None, str]:
    code = main(["rollup", "--root", str(root), "--date", AS_OF, *extra])
    out, err = capsys.readouterr()
    return code, json.loads(out) if code == 0 and out.startswith("{") else None, err


def export_sums(repo: Path, tmp_path: Path) -> dict[str, Decimal | int]:
    out = tmp_path / f"{repo.name}-export.json"
    assert main(["export", "--root", str(repo), "--format", "json", "--out", str(out), "--as-of", AS_OF]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    return {"items": len(rows), **{key: sum((Decimal(row[key]) for row in rows), Decimal(0))
                                   for key in ("amount", "repaid", "remaining")}}


def configure(city: Path, members: str, extra: str = "") -> None:
    text = (city / "qingqian.yaml").read_text(encoding="utf-8").split("rollup:")[0]
    (city / "qingqian.yaml").write_text(text + "rollup:\n  members:\n" + members + extra, encoding="utf-8")


def rehash(bundle: Path) -> None:
    """Make the manifest fit the files again (a member that writes garbage and signs it)."""
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"] = {name: hashlib.sha256((bundle / name).read_bytes()).hexdigest() for name in manifest["files"]}
    (bundle / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def test_members_roll_up_to_the_fen_of_their_own_exports(demo, city, tmp_path, capsys):
    code, result, err = rollup(city, capsys)
    assert code == 0, err
    assert [m["region_code"] for m in result["members"]] == list(COUNTIES)
    total = {"items": 0, "amount": Decimal(0), "repaid": Decimal(0), "remaining": Decimal(0)}
    for member in result["members"]:
        own = export_sums(demo / "counties" / member["region_code"], tmp_path)
        assert {key: member[key] if key == "items" else Decimal(member[key]) for key in own} == own
        assert member["region_name"] == COUNTIES[member["region_code"]] and not member["stale"]
        total = {key: total[key] + own[key] for key in total}
    assert {key: result["totals"][key] if key == "items" else Decimal(result["totals"][key]) for key in total} == total
    # the counties and the city's own units are the whole example city, to the fen
    whole, city_own = export_sums(REPO, tmp_path), export_sums(demo / "city", tmp_path)
    assert {key: total[key] + city_own[key] for key in total} == whole
    assert sum(row["items"] for row in result["by_region_type"]) == total["items"]
    assert [row["type"] for row in result["by_region_type"]] == ["市辖区", "县"]
    assert sum(Decimal(row["amount"]) for row in result["by_supervisor_kind"]) == total["amount"]
    assert result["problems"] == []


def test_bundle_is_the_same_bytes_for_the_same_data_but_its_generated_time(demo, tmp_path, capsys):
    repo = demo / "counties" / "990121"
    assert main(["bundle", "--root", str(repo), "--out", str(tmp_path / "again"), "--as-of", AS_OF]) == 0
    first, again = demo / "bundles" / "990121", tmp_path / "again"
    assert sorted(p.name for p in first.iterdir()) == sorted(p.name for p in again.iterdir())
    for path in first.iterdir():
        if path.name != "manifest.json":
            assert path.read_bytes() == (again / path.name).read_bytes(), path.name
    one, two = (json.loads((folder / "manifest.json").read_text(encoding="utf-8")) for folder in (first, again))
    assert {**one, "generated": ""} == {**two, "generated": ""}
    assert one["totals"]["amount"] == "34649215.95" and len(one["commit"]) == 40


def test_a_tampered_file_is_refused_naming_the_member(city, capsys):
    bundle = city / "members" / "990122"
    data = bytearray((bundle / "debts.json").read_bytes())
    data[100] ^= 1
    (bundle / "debts.json").write_bytes(bytes(data))
    code, _result, err = rollup(city, capsys)
    assert code == 1
    assert "石砚县（示例）（990122）" in err and "debts.json 与 manifest.json 中的 SHA-256 不符" in err
    assert err.startswith("错误：E801 ")


@pytest.mark.parametrize("name", ["../990121/debts.parquet", "/etc/passwd", "sub/debts.parquet", ".hidden"])
def test_a_manifest_naming_files_outside_its_folder_is_refused(city, capsys, name):
    bundle = city / "members" / "990123"
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][name] = "0" * 64
    (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, _result, err = rollup(city, capsys)
    assert code == 1 and "雾松县（示例）（990123）" in err and "数据包目录之外" in err and "错误：E805 " in err


def test_a_symbolic_link_in_a_bundle_is_refused(city, capsys):
    bundle = city / "members" / "990123"
    (bundle / "clues.json").rename(bundle / "real.json")
    (bundle / "clues.json").symlink_to("real.json")  # the same bytes, through a link
    code, _result, err = rollup(city, capsys)
    assert code == 1 and "雾松县（示例）（990123）" in err and "符号链接" in err and "错误：E805 " in err


def test_a_fifo_in_place_of_a_file_is_refused_without_waiting_for_a_writer(city, capsys):
    bundle = city / "members" / "990123"
    (bundle / "units.json").unlink()
    os.mkfifo(bundle / "units.json")
    code, _result, err = rollup(city, capsys)
    assert code == 1 and "雾松县（示例）（990123）" in err and "不是普通文件" in err


def test_garbage_or_truncated_files_are_refused_without_a_traceback(city, capsys):
    bundle = city / "members" / "990102"
    (bundle / "debts.parquet").write_bytes((bundle / "debts.parquet").read_bytes()[:500])
    rehash(bundle)
    code, _result, err = rollup(city, capsys)
    assert code == 1 and "栖云区（示例）（990102）" in err and "debts.parquet 不是可读的 Parquet 文件" in err
    assert "错误：E806 " in err
    assert "Traceback" not in err
    (bundle / "manifest.json").write_bytes(b'{"region": {"code": "990102"')
    code, _result, err = rollup(city, capsys)
    assert code == 1 and "栖云区（示例）（990102）" in err and "不是有效的清单" in err and "错误：E804 " in err


def test_totals_that_differ_from_the_manifest_are_refused(city, capsys):
    bundle = city / "members" / "990121"
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    manifest["totals"]["amount"] = "1.00"
    (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, _result, err = rollup(city, capsys)
    assert code == 1 and "岚溪县（示例）（990121）" in err and "totals 不符" in err and "错误：E808 " in err


def keys(tmp_path: Path, *names: str) -> dict[str, Path]:
    found = {}
    for name in names:
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(tmp_path / name)],
                       check=True)
        found[name] = tmp_path / name
    return found


def test_signatures_are_checked_and_can_be_required(demo, city, tmp_path, capsys):
    key = keys(tmp_path, "lanxi", "stranger")
    bundles = city.parent / "bundles"
    for code, signer in (("990121", "lanxi"), ("990122", "stranger")):
        assert main(["bundle", "--root", str(demo / "counties" / code), "--out", str(bundles / code),
                     "--as-of", AS_OF, "--sign", str(key[signer])]) == 0
    assert (bundles / "990121" / "manifest.json.sig").is_file()
    public = (tmp_path / "lanxi.pub").read_text().split()
    (city / "allowed_signers").write_text(f"990121 {public[0]} {public[1]}\n", encoding="utf-8")
    lines = "".join(f'    - {{region: "{code}", path: ../bundles/{code}, name: {name}}}\n'
                    for code, name in COUNTIES.items())
    configure(city, lines, "  allowed_signers: allowed_signers\n")
    code, _result, err = rollup(city, capsys)
    assert code == 1 and "石砚县（示例）（990122）" in err and "签名核验失败" in err  # signed by a key not allowed
    assert "错误：E802 " in err

    configure(city, lines.replace("990122", "990199"), "  allowed_signers: allowed_signers\n")
    code, result, err = rollup(city, capsys)
    assert code == 0, err
    signed = {m["region_code"]: m["signed"] for m in result["members"]}
    assert signed == {"990102": False, "990121": True, "990123": False}

    configure(city, lines.replace("990122", "990199"),
              "  allowed_signers: allowed_signers\n  require_signatures: true\n")
    code, _result, err = rollup(city, capsys)
    assert code == 1 and "栖云区（示例）（990102）" in err and "缺少签名" in err and "错误：E803 " in err

    # a signed manifest changed afterwards no longer verifies
    manifest = bundles / "990121" / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"commit"', '"commit" '), encoding="utf-8")
    configure(city, '    - {region: "990121", path: ../bundles/990121}\n',
              "  allowed_signers: allowed_signers\n  require_signatures: true\n")
    code, _result, err = rollup(city, capsys)
    assert code == 1 and "990121" in err and "签名核验失败" in err


def test_stale_missing_doubly_claimed_and_out_of_region_members_are_listed(demo, city, tmp_path, capsys):
    # a second copy of 岚溪县's repository that says it is another region, outside the city
    twin = tmp_path / "twin"
    shutil.copytree(demo / "counties" / "990121", twin)
    for path in (twin / "units").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace('"990121"', '"980121"'), encoding="utf-8")
    assert main(["bundle", "--root", str(twin), "--out", str(city.parent / "bundles" / "980121"),
                 "--as-of", "2022-10-01"]) == 0
    configure(city, '    - {region: "990121", path: ../bundles/990121}\n'
                    '    - {region: "980121", path: ../bundles/980121}\n'
                    '    - {region: "990124", path: ../bundles/nowhere, name: 云台县}\n'
                    '    - {region: "990125", path: "http://127.0.0.1:9/"}\n')
    code, result, err = rollup(city, capsys)
    assert code == 0, err
    problems = {(p["kind"], p["region_code"]) for p in result["problems"]}
    assert problems >= {("stale", "980121"), ("missing", "990124"), ("missing", "990125"),
                        ("duplicate_unit", "990121"), ("outside_region", "980121")}
    codes = {p["kind"]: p["code"] for p in result["problems"]}
    assert codes == {"stale": "W801", "missing": "W803", "duplicate_unit": "W804", "outside_region": "W805"}
    assert "注意：W803 " in err
    assert ("stale", "990121") not in problems
    assert [m["stale"] for m in result["members"]] == [False, True]
    assert any("云台县 没有数据包" in p["message"] for p in result["problems"])
    assert "注意：" in err


def test_a_member_served_over_http_rolls_up_as_its_folder(demo, city, capsys, serve):
    base = serve(city.parent / "bundles")
    configure(city, f'    - {{region: "990121", path: "{base}990121/"}}\n'
                    f'    - {{region: "990122", path: ../bundles/990122}}\n'
                    f'    - {{region: "990123", path: "{base}nothing-here"}}\n')
    code, result, err = rollup(city, capsys)
    assert code == 0, err
    assert [(m["region_code"], m["amount"]) for m in result["members"]] == [
        ("990121", "34649215.95"), ("990122", "30303897.16")]
    assert [(p["kind"], p["region_code"]) for p in result["problems"]] == [("missing", "990123")]
    data = bytearray((city.parent / "bundles" / "990121" / "units.parquet").read_bytes())
    data[-20] ^= 1
    (city.parent / "bundles" / "990121" / "units.parquet").write_bytes(bytes(data))
    code, _result, err = rollup(city, capsys)
    assert code == 1 and "990121" in err and "units.parquet 与 manifest.json 中的 SHA-256 不符" in err


def test_hostile_text_in_a_bundle_is_escaped_where_shown(city, capsys):
    bundle = city / "members" / "990121"
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    manifest["region"]["name"] = "<script>x</script>\u202e\x1b[31m县"
    (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    out = city / "out.md"
    assert main(["rollup", "--root", str(city), "--date", "2023-01-01", "--format", "md", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text and "&#60;script&#62;" in text
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err and "\\u202e" in err


def test_the_city_site_has_a_page_per_member_region_and_lists_stale_and_missing_members(city, tmp_path, capsys):
    bundle = city.parent / "bundles" / "990121"
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    manifest["as_of"], manifest["region"]["name"] = "2022-10-01", "岚溪县<img src=x onerror=alert(1)>"
    (bundle / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    configure(city, "".join(f'    - {{region: "{code}", path: ../bundles/{code}}}\n' for code in COUNTIES).replace(
        "../bundles/990102", '../bundles/990102, site: "http://10.0.0.8/qy"')
              + '    - {region: "990124", path: ../bundles/990124, name: 云台县}\n')
    site = tmp_path / "site"
    assert main(["build", "--root", str(city), "--out", str(site), "--as-of", AS_OF]) == 0, capsys.readouterr().err
    index = (site / "members/index.html").read_text(encoding="utf-8")
    assert all(f'href="{code}.html"' in index for code in COUNTIES)
    assert "云台县 没有数据包" in index and "<img" not in index
    county = (site / "members/990102.html").read_text(encoding="utf-8")
    assert "栖云区人民政府" in county and "3,890.42" in county  # 万元
    assert "10.0.0.8/qy/units/qy.html" in county  # drills down to the unit's page on the county's own site
    assert "units/lx.html" not in (site / "members/990121.html").read_text(encoding="utf-8")  # no site, no link
    dashboard = (site / "index.html").read_text(encoding="utf-8")
    assert "过期或缺少数据包的下级" in dashboard and "云台县 没有数据包" in dashboard
    assert "的数据包已过期" in dashboard and "members/index.html" in dashboard
    # a tampered member stops the build with the same line as qingqian rollup
    (bundle / "units.json").write_bytes(b"[]")
    assert main(["build", "--root", str(city), "--out", str(site), "--as-of", AS_OF]) == 1
    assert "990121" in capsys.readouterr().err


class Redirecting(BaseHTTPRequestHandler):
    """Sends every request to a file:// URL (urllib would follow to ftp:// by default)."""

    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.end_headers()

    def log_message(self, format, *args):
        pass


def test_a_redirect_to_another_scheme_is_not_followed(city, capsys):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        configure(city, f'    - {{region: "990121", path: "http://127.0.0.1:{server.server_port}/b/"}}\n')
        code, result, err = rollup(city, capsys)
    finally:
        server.shutdown()
        server.server_close()
    assert code == 0, err
    assert result["members"] == [] and [p["kind"] for p in result["problems"]] == ["missing"]
    assert "HTTP 302" in result["problems"][0]["message"] and "root:" not in json.dumps(result)


def test_unit_names_from_a_bundle_are_cut_and_their_controls_made_visible(demo, city, tmp_path, capsys):
    import pyarrow as pa
    import pyarrow.parquet as pq

    bundle = city / "members" / "990121"
    units = pq.read_table(bundle / "units.parquet")
    names = units["name"].to_pylist()
    names[0] = "甲\u202e乙<b>" + "长" * 5000
    units = units.set_column(units.column_names.index("name"), "name", pa.array(names))
    pq.write_table(units, bundle / "units.parquet")
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    manifest["commit"] = "<b>not a commit</b>"
    (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    rehash(bundle)
    code, _result, err = rollup(city, capsys)
    assert code == 1 and "commit 不是 Git 提交编号" in err
    manifest["commit"] = None
    (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    rehash(bundle)
    site = tmp_path / "site"
    assert main(["build", "--root", str(city), "--out", str(site), "--as-of", AS_OF]) == 0
    page = (site / "members/990121.html").read_text(encoding="utf-8")
    assert "\u202e" not in page and "甲&#92;u202e乙&#60;b&#62;" in page and "长" * 200 not in page


def report(root: Path, capsys, period: str, day: str, *extra: str) -> tuple[int, dict, str]:
    code = main(["report", "--root", str(root), "--period", period, "--date", day, "--format", "json", *extra])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


@pytest.mark.parametrize("period, day", [("month", "2022-10-31"), ("quarter", "2022-09-30")])
def test_the_city_history_reports_each_member_as_its_own_report_to_the_fen(demo, capsys, period, day):
    """The city committed each county's bundle at the end of the month; its report for the period
    shows, per county, the figures and the movement of the county's own report from its own history."""
    code, city, err = report(demo / "city", capsys, period, day)
    assert code == 0, err
    assert [m["region_name"] for m in city["members"]] == list(COUNTIES.values())
    assert city["member_problems"] == []
    figures = ("items", "amount", "repaid", "remaining", "unverified", "clearance_rate")
    sums: dict[str, Decimal] = {}
    for member in city["members"]:
        code, own, err = report(demo / "counties" / member["region_code"], capsys, period, day)
        assert code == 0, err
        assert {key: member[key] for key in figures} == own["totals"]
        assert member["movement"] == own["movement"]
        for key in ("amount", "repaid", "remaining", "unverified"):
            sums[key] = sums.get(key, Decimal(0)) + Decimal(own["totals"][key])
        sums["repaid_in_period"] = sums.get("repaid_in_period", Decimal(0)) + Decimal(own["movement"]["repaid"])
    total, = city["members_total"]
    assert {key: Decimal(total[key]) for key in ("amount", "repaid", "remaining", "unverified")} == {
        key: sums[key] for key in ("amount", "repaid", "remaining", "unverified")}
    assert Decimal(total["movement"]["repaid"]) == sums["repaid_in_period"]
    moved = total["movement"]
    assert Decimal(moved["closing"]) == (Decimal(moved["opening"]) + Decimal(moved["added"]) - Decimal(moved["repaid"])
                                         + Decimal(moved["corrected"]) - Decimal(moved["left_scope"]))


def test_stale_and_missing_members_are_named_in_the_city_report(demo, city, capsys):
    """At the end of August the city still held June's bundles: each county is stale, named; a
    member the configuration lists but the history never held is missing, named."""
    text = (city / "qingqian.yaml").read_text(encoding="utf-8")
    (city / "qingqian.yaml").write_text(text + '    - {region: "990124", path: members/990124, name: 云台县}\n'
                                        '    - {region: "990125", path: ../elsewhere, name: 云海县}\n',
                                        encoding="utf-8")
    code, result, err = report(city, capsys, "month", "2022-08-31")
    assert code == 0, err
    problems = [(p["code"], p["message"]) for p in result["member_problems"]]
    assert sorted(code for code, _message in problems) == ["W801"] * 4 + ["W803"] * 2
    named = {name: code for name in [*COUNTIES.values(), "云台县", "云海县"]
             for code, message in problems if f"下级 {name}" in message}
    assert named == {**dict.fromkeys(COUNTIES.values(), "W801"), "云台县": "W803", "云海县": "W803"}
    assert all("数据日期 2022-06-30" in message for code, message in problems if code == "W801")
    assert "下级 云台县 没有数据包：members/990124/manifest.json 不存在" in [m for _c, m in problems]  # no temp path
    assert "注意：W801 下级 岚溪县（示例） 的数据包已过期" in err
    markdown = main(["report", "--root", str(city), "--period", "month", "--date", "2022-08-31"])
    out = capsys.readouterr().out
    assert markdown == 0 and "## 下级数据包的问题" in out and "| W803 | 下级 云台县" in out


def test_a_tampered_bundle_in_the_city_history_is_refused_naming_the_member(city, capsys):
    """A commit in December that changes 石砚县's committed debts.json: the December report counts
    the other counties, lists 石砚县 as refused (E801) and exits 1, without a traceback."""
    bundle = city / "members" / "990122"
    data = bytearray((bundle / "debts.json").read_bytes())
    data[100] ^= 1
    (bundle / "debts.json").write_bytes(bytes(data))
    commit(city, "2022-12-20T10:00:00+08:00", "改动了石砚县的数据包")
    _code, november, _err = report(city, capsys, "month", "2022-11-30", "--now", "2023-01-05T00:00:00+08:00")
    code, result, err = report(city, capsys, "month", "2022-12-31", "--now", "2023-01-05T00:00:00+08:00")
    assert code == 1
    assert "错误：E801 下级 石砚县（示例）（990122） 的数据包被拒绝：debts.json 与 manifest.json 中的 SHA-256" in err
    assert "Traceback" not in err
    assert [m["region_code"] for m in result["members"]] == ["990102", "990121", "990123"]
    first = result["member_problems"][0]
    assert first["code"] == "E801" and "石砚县（示例）" in first["message"]
    # the December total: 石砚县's November remaining leaves, the others' stay, and it adds up
    moved, = (row["movement"] for row in result["members_total"])
    assert Decimal(moved["left_scope"]) == sum(Decimal(m["movement"]["closing"]) for m in november["members"]
                                               if m["region_code"] == "990122")
    assert Decimal(moved["closing"]) == (Decimal(moved["opening"]) + Decimal(moved["added"]) - Decimal(moved["repaid"])
                                         + Decimal(moved["corrected"]) - Decimal(moved["left_scope"]))
    code, result, err = report(city, capsys, "month", "2022-10-31")  # before the change: all counted
    assert code == 0 and len(result["members"]) == 4


def test_the_members_go_into_the_circular_and_the_archive(city, tmp_path, capsys):
    """The 季通报 as a 公文 names each member with its figures in an 附件 and the total in its text;
    `qingqian archive` keeps the members as the report showed them."""
    from docx import Document

    from generator.core.money import grouped

    _code, quarter, _err = report(city, capsys, "quarter", "2022-09-30")
    out = tmp_path / "q3.docx"
    assert main(["report", "--root", str(city), "--period", "quarter", "--date", "2022-09-30", "--format", "docx",
                 "--out", str(out)]) == 0
    document = Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    total, = quarter["members_total"]
    remaining = grouped(int(Decimal(total["remaining"]) * 100))
    assert "各下级清欠进展情况" in text and f"尚未清偿{remaining}元" in text
    rows = {row[1]: row for row in cells if row[1] in [*COUNTIES.values(), "合计"]}
    assert set(rows) == {*COUNTIES.values(), "合计"}
    for member in quarter["members"]:
        assert rows[member["region_name"]][5] == grouped(int(Decimal(member["remaining"]) * 100))
    assert rows["合计"][5] == remaining
    assert main(["archive", "--root", str(city), "--now", "2022-12-05T00:00:00+08:00"]) == 0
    capsys.readouterr()
    archived = json.loads(git(city, "show", "reports-archive:quarter/2022-09-30.json"))
    assert archived["members"] == quarter["members"] and archived["members_total"] == quarter["members_total"]


def test_a_hostile_member_name_in_the_city_history_stays_text(city, capsys):
    bundle = city / "members" / "990121"
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    manifest["region"]["name"] = "<script>x</script>\u202e\x1b[31m县"
    (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    commit(city, "2022-12-20T10:00:00+08:00", "岚溪县的数据包改了名称")
    assert main(["report", "--root", str(city), "--period", "month", "--date", "2022-12-31",
                 "--now", "2023-01-05T00:00:00+08:00"]) == 0
    captured = capsys.readouterr()
    assert "<script>" not in captured.out and "&#60;script&#62;" in captured.out and "&#92;u202e" in captured.out
    assert "\x1b" not in captured.out + captured.err and "\u202e" not in captured.out + captured.err
