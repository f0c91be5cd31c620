"""Signatures of bundle manifests with OpenSSH's own tool (`ssh-keygen -Y sign/verify`): the
keys counties already have for Git, no signing code of our own. A signature is made for the
namespace `qingqian-bundle` only, so a signature made for anything else (a Git commit) does not
pass as one."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from . import NAMESPACE, BundleError

TOOL = "ssh-keygen"


def _run(args: list[str], data: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([TOOL, *args], input=data, capture_output=True, timeout=60)


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    return " ".join(result.stderr.decode("utf-8", "replace").split())[:300]


def sign(data: bytes, key: Path) -> bytes:
    """The armoured signature of `data` with the private key file `key`."""
    if not key.is_file():
        raise BundleError(f"签名私钥“{key}”不存在")
    try:
        result = _run(["-Y", "sign", "-f", str(key), "-n", NAMESPACE, "-q"], data)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BundleError(f"无法运行 {TOOL}（{exc}）：签名需要 OpenSSH 8.1 或更高版本") from None
    if result.returncode or not result.stdout:
        raise BundleError(f"用“{key}”签名失败（有口令的私钥请先用 ssh-agent 加载）：{_said(result)}")
    return result.stdout


def verify(data: bytes, signature: bytes, allowed_signers: Path, principal: str) -> str | None:
    """None when `signature` is a good signature of `data` by a key allowed_signers lists for
    `principal`; otherwise why not (Chinese)."""
    with tempfile.TemporaryDirectory(prefix="qingqian-sig-") as tmp:
        sig = Path(tmp) / "manifest.json.sig"
        sig.write_bytes(signature)
        try:
            result = _run(["-Y", "verify", "-f", str(allowed_signers), "-I", principal, "-n", NAMESPACE,
                           "-s", str(sig)], data)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"无法运行 {TOOL} 核验签名（{exc}）"
    if result.returncode:
        return f"签名核验失败（签名者应为 allowed_signers 中的“{principal}”）"
    return None
