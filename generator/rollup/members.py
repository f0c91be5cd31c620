"""Fetch a member's bundle (a folder, or an http(s) URL on the intranet) and verify it before
anything reads it: the manifest's shape, every file's SHA-256, the signature.

A bundle is untrusted like any unit data. The manifest may name only plain file names in its
own folder (no `../`, no absolute path, no symbolic link); every read has a size limit; a
redirect may lead only to http(s) on the same host. The verified Parquet files are copied
into a private folder while they are hashed, and only those copies are read afterwards: a
shared folder that changes after the check cannot slip other bytes in.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from ..core.config import Member, Rollup
from ..core.issues import shown
from . import MANIFEST, SIGNATURE, TABLES, RollupError
from .signing import verify

MANIFEST_LIMIT = 1 << 20  # bytes
SIGNATURE_LIMIT = 1 << 16
FILE_LIMIT = 4 << 30  # one file of a bundle (the JSON copy of a province's debts is the largest)
FILES_LIMIT = 64  # files a manifest may list
CHUNK = 1 << 20
TIMEOUT = 30  # seconds per request
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*")
SHA256 = re.compile(r"[0-9a-f]{64}")
COMMIT = re.compile(r"[0-9a-f]{7,64}")
YUAN = re.compile(r"(0|[1-9][0-9]{0,17})\.[0-9]{2}")
REQUIRED = tuple(f"{name}.parquet" for name in TABLES)


@dataclass(frozen=True)
class Manifest:
    region_code: str
    region_name: str
    as_of: date
    commit: str | None
    generated: str
    items: int
    amount: str  # exact yuan text
    repaid: str
    remaining: str
    files: dict[str, str]


@dataclass(frozen=True)
class Bundle:
    """A member's verified bundle: its manifest and the private copies of its Parquet files."""
    member: Member
    manifest: Manifest
    folder: Path
    signed: bool


class Missing(Exception):
    """The member has no bundle where the configuration says (a problem, not a refusal)."""


def label(member: Member) -> str:
    """The member as a refusal names it: its configured name and region code."""
    return shown(f"{member.name}（{member.region}）" if member.name else member.region)


# ---- reading from a folder or a URL -------------------------------------------------------

class _SameHostRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if new.scheme not in ("http", "https") or new.hostname != old.hostname:
            raise urllib.error.HTTPError(newurl, code, "redirect to another host or scheme refused", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_SameHostRedirect())


def is_url(path: str) -> bool:
    return path.startswith(("http://", "https://"))


@contextmanager
def _opened(root: Path, member: Member, name: str) -> Iterator[IO[bytes]]:
    """The stream of the bundle file `name`; Missing when it is not there."""
    if is_url(member.path):
        url = urllib.parse.urljoin(member.path.rstrip("/") + "/", urllib.parse.quote(name))
        try:
            response = _OPENER.open(url, timeout=TIMEOUT)
        except urllib.error.HTTPError as exc:  # a redirect elsewhere too (_SameHostRedirect)
            exc.close()  # it holds the connection
            raise Missing(f"{shown(url)} 无法读取（HTTP {exc.code}）") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise Missing(f"无法连接 {shown(member.path)}（{shown(str(exc))}）") from None
        with response:
            yield response
        return
    path = root / member.path / name
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            raise RollupError("E805", f"下级 {label(member)} 的数据包被拒绝：{shown(name)} 是符号链接，"
                              "数据包只能包含本目录中的普通文件", member.region)
        # O_NONBLOCK: a FIFO put in the bundle's place must not hang the roll-up (regular files ignore it)
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        # named as the configuration names it: no path of the machine (nor a private copy's) on a page
        raise Missing(f"{shown(member.path.rstrip('/'))}/{shown(name)} 不存在") from None
    except NotADirectoryError:
        raise Missing(f"{shown(member.path)} 不是目录") from None
    except OSError as exc:
        raise RollupError("E806", f"下级 {label(member)} 的数据包无法读取：{shown(name)}（{exc.strerror}）",
                          member.region) from None
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise RollupError("E805", f"下级 {label(member)} 的数据包被拒绝：{shown(name)} 不是普通文件", member.region)
        yield stream


def _read_small(root: Path, member: Member, name: str, limit: int) -> bytes:
    with _opened(root, member, name) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise RollupError("E806", f"下级 {label(member)} 的数据包被拒绝：{name} 超过 {limit} 字节", member.region)
    return data


def _copy_hashed(root: Path, member: Member, name: str, to: Path | None) -> str:
    """The SHA-256 of the bundle file `name`, streamed; written to `to` on the way when given."""
    digest, size = hashlib.sha256(), 0
    try:
        with _opened(root, member, name) as stream, (open(to, "wb") if to else open(os.devnull, "wb")) as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > FILE_LIMIT:
                    raise RollupError("E806", f"下级 {label(member)} 的数据包被拒绝：{name} 超过 {FILE_LIMIT} 字节",
                                      member.region)
                digest.update(chunk)
                out.write(chunk)
    except Missing as exc:
        raise RollupError("E806", f"下级 {label(member)} 的数据包被拒绝：{MANIFEST} 列出的 {name} 无法读取（{exc}）",
                          member.region) from None
    except OSError as exc:  # a connection cut in the middle of a file
        raise RollupError("E806", f"下级 {label(member)} 的数据包无法读取：{name}（{exc}）", member.region) from None
    return digest.hexdigest()


# ---- the manifest ---------------------------------------------------------------------------

def _text(value: object, limit: int = 200) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError
    return value


def parse_manifest(data: bytes, member: Member) -> Manifest:
    """The manifest's fields, each checked; RollupError naming the member otherwise."""
    refused = f"下级 {label(member)} 的数据包被拒绝："
    try:
        tree = json.loads(data.decode("utf-8"))
        region, totals, files = tree["region"], tree["totals"], tree["files"]
        commit = tree.get("commit")
        manifest = Manifest(
            _text(region["code"], 12), shown(_text(region["name"])), date.fromisoformat(_text(tree["as_of"], 10)),
            None if commit is None else _text(commit, 64), _text(tree.get("generated", ""), 40),
            totals["items"], _text(totals["amount"], 24), _text(totals["repaid"], 24),
            _text(totals["remaining"], 24), {_text(name, 100): _text(sha, 64) for name, sha in files.items()})
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError):
        raise RollupError("E804", refused + f"{MANIFEST} 不是有效的清单（应有 region、as_of、totals、files）",
                          member.region) from None
    if manifest.commit is not None and not COMMIT.fullmatch(manifest.commit):
        raise RollupError("E804", refused + f"{MANIFEST} 的 commit 不是 Git 提交编号", member.region)
    if type(manifest.items) is not int or manifest.items < 0 or not all(
            YUAN.fullmatch(v) for v in (manifest.amount, manifest.repaid, manifest.remaining)):
        raise RollupError("E804", refused + f"{MANIFEST} 的 totals 应是笔数和精确到分的金额文本", member.region)
    if len(manifest.files) > FILES_LIMIT:
        raise RollupError("E804", refused + f"{MANIFEST} 列出的文件超过 {FILES_LIMIT} 个", member.region)
    for name, sha in manifest.files.items():
        if not FILE_NAME.fullmatch(name) or name in (MANIFEST, SIGNATURE):
            raise RollupError("E805", refused + f"{MANIFEST} 列出了数据包目录之外或不允许的文件“{shown(name)}”"
                              "（只能是本目录中的文件名，不能含 ../、/ 或绝对路径）", member.region)
        if not SHA256.fullmatch(sha):
            raise RollupError("E804", refused + f"{MANIFEST} 中 {name} 的 SHA-256 不是 64 位十六进制数", member.region)
    if missing := [name for name in REQUIRED if name not in manifest.files]:
        raise RollupError("E804", refused + f"{MANIFEST} 缺少 {'、'.join(missing)}", member.region)
    if manifest.region_code != member.region:
        raise RollupError("E809", refused + f"数据包的区划代码“{shown(manifest.region_code)}”与 qingqian.yaml 中的"
                          f"“{member.region}”不符", member.region)
    return manifest


# ---- one member --------------------------------------------------------------------------

def fetch(root: Path, member: Member, rollup: Rollup, into: Path) -> Bundle:
    """The member's verified bundle, its Parquet files copied into `into`. Missing when it has
    no manifest where the configuration says; RollupError (naming it) when it is refused."""
    data = _read_small(root, member, MANIFEST, MANIFEST_LIMIT)
    try:
        signature: bytes | None = _read_small(root, member, SIGNATURE, SIGNATURE_LIMIT)
    except Missing:
        signature = None
    signed = _check_signature(root, member, rollup, data, signature)
    manifest = parse_manifest(data, member)
    into.mkdir(parents=True, exist_ok=True)
    for name, expected in sorted(manifest.files.items()):
        if _copy_hashed(root, member, name, into / name if name in REQUIRED else None) != expected:
            raise RollupError("E801", f"下级 {label(member)} 的数据包被拒绝：{name} 与 {MANIFEST} 中的 SHA-256 不符"
                              "（文件在生成后被改动或损坏）", member.region)
    return Bundle(member, manifest, into, signed)


def _check_signature(root: Path, member: Member, rollup: Rollup, data: bytes, signature: bytes | None) -> bool:
    if signature is None:
        if rollup.require_signatures:
            raise RollupError("E803", f"下级 {label(member)} 的数据包被拒绝：缺少签名 {SIGNATURE}"
                              "（qingqian.yaml 要求签名：rollup.require_signatures）", member.region)
        return False
    if not rollup.allowed_signers:
        return False  # nothing to check it against: the bundle counts as unsigned
    why = verify(data, signature, root / rollup.allowed_signers, member.signer or member.region)
    if why:
        raise RollupError("E802", f"下级 {label(member)} 的数据包被拒绝：{why}", member.region)
    return True
