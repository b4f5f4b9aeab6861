"""Old Word .doc, WPS .wps, RTF and ODT: convert to .docx through LibreOffice headless, then read it."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import tempfile
from pathlib import Path

from duban.documents.errors import ConverterMissing, DocumentError
from duban.documents.source import SourceText

INSTALL_HINT = "请安装 LibreOffice（Debian：apt-get install libreoffice-writer-nogui）"
TIMEOUT_SECONDS = 180

# The OLE2 signature D0 CF 11 E0 read as text (UTF-16 BE/LE, Latin-1): a file LibreOffice failed to parse.
_RAW_OLE_AS_TEXT = ("\ud0cf\u11e0", "\ucfd0\ue011", "ÐÏ")
_SUFFIX = {"doc": ".doc", "rtf": ".rtf", "odt": ".odt", "Word 2003 XML": ".xml"}


def _lift_memory_cap() -> None:
    """An upload's parse worker caps its own address space (plan/worker.py): LibreOffice maps far
    more than it uses and has its own time limit, so it runs without that cap."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH (soffice or libreoffice), or None."""
    for exe in ("soffice", "libreoffice"):
        found = shutil.which(exe)
        if found:
            return found
    return None


def convert_to_docx(data: bytes, name: str, kind: str = "doc") -> bytes:
    """Convert a legacy document's bytes to .docx bytes with `soffice --headless --convert-to docx`."""
    exe = find_soffice()
    if exe is None:
        raise ConverterMissing(
            f"无法读取 {Path(name).suffix or '.doc'} 文件：{name}。{INSTALL_HINT}",
            f"{name}: neither soffice nor libreoffice found on PATH",
        )
    suffix = Path(name).suffix.lower()
    if kind != "doc" or suffix not in (".doc", ".wps", ".dot", ".wpt"):
        suffix = _SUFFIX.get(kind, ".doc")
    with tempfile.TemporaryDirectory(prefix="duban-soffice-") as tmp:
        tmp_path = Path(tmp)
        src = tmp_path / f"input{suffix}"
        src.write_bytes(data)
        out_dir = tmp_path / "out"
        out_dir.mkdir()
        # A private profile: a user's running LibreOffice (or a parallel conversion) would
        # otherwise hold the profile lock and make this call silently do nothing.
        profile = (tmp_path / "profile").as_uri()
        cmd = [
            exe,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out_dir),
            str(src),
        ]
        env = dict(os.environ, HOME=str(tmp_path))
        try:
            proc = subprocess.run(
                cmd,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
                env=env,
                preexec_fn=_lift_memory_cap,
            )
        except subprocess.TimeoutExpired as exc:
            raise DocumentError(
                f"转换文件超时（LibreOffice 超过 {TIMEOUT_SECONDS} 秒未完成）：{name}",
                f"{name}: soffice timed out after {TIMEOUT_SECONDS}s",
            ) from exc
        except OSError as exc:
            raise ConverterMissing(
                f"无法启动 LibreOffice，无法读取：{name}。{INSTALL_HINT}", f"{name}: {exe}: {exc}"
            ) from exc
        produced = out_dir / "input.docx"
        if proc.returncode != 0 or not produced.exists() or produced.stat().st_size == 0:
            detail = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip()[-500:]
            raise DocumentError(
                f"LibreOffice 无法转换此文件（文件可能已损坏）：{name}",
                f"{name}: soffice exit {proc.returncode}: {detail}",
            )
        return produced.read_bytes()


def read_legacy(data: bytes, name: str, kind: str = "doc") -> SourceText:
    from duban.documents.docx_reader import read_docx

    converted = convert_to_docx(data, name, kind)
    src = read_docx(converted, name)
    if src.text.lstrip().startswith(_RAW_OLE_AS_TEXT):
        # LibreOffice could not recognise the file and imported its raw bytes as text.
        raise DocumentError(
            f"文件已损坏，LibreOffice 无法识别其内容：{name}",
            f"{name}: soffice imported the OLE2 bytes as plain text",
        )
    src.format = "doc"
    src.warnings.append("已通过 LibreOffice 转换为 docx 后读取")
    return src
