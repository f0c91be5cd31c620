"""Pure-Python wheels written by hand, for tests that install packages with no index and no
build backend (only the standard library here: the stand-in project's backend imports it too)."""

import base64
import hashlib
import zipfile
from pathlib import Path


def wheel_file(directory: Path, name: str, files: dict[str, str], requires: tuple[str, ...] = ()) -> Path:
    """A pure-Python wheel written by hand (a zip with METADATA, WHEEL and RECORD), so that the
    test needs neither a build backend nor the network to make one."""
    dist = f"{name}-1.0.dist-info"
    files = {**files, f"{dist}/METADATA": "Metadata-Version: 2.1\nName: " + name + "\nVersion: 1.0\n"
             + "".join(f"Requires-Dist: {r}\n" for r in requires)
             + ("Provides-Extra: test\n" if any("extra" in r for r in requires) else ""),
             f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    lines = []
    for path, text in files.items():
        data = text.encode("utf-8")
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{path},sha256={digest},{len(data)}")
    out = directory / f"{name}-1.0-py3-none-any.whl"
    directory.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
        archive.writestr(f"{dist}/RECORD", "\n".join([*lines, f"{dist}/RECORD,,"]) + "\n")
    return out
