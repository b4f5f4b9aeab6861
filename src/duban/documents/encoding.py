"""Decode the bytes of a text file: UTF-8, UTF-8 BOM, GB18030/GBK, UTF-16 (with or without BOM).

Order: BOM; UTF-16 without BOM by its NUL pattern; UTF-8 strict (or UTF-8 with a handful of
damaged bytes, which GB18030 would otherwise turn into plausible-looking nonsense); Big5 when its
byte pattern shows (Big5 is mostly valid GBK too); GB18030 strict (a superset of GBK/GB2312);
then charset-normalizer. Binary content (NULs that UTF-16 does not explain, control bytes) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from duban.documents.errors import BinaryContent, EmptyDocument, Undecodable

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Control characters that never occur in a text document (tab, LF, VT, FF, CR and ESC excluded).
_CONTROL = (
    frozenset(range(0x00, 0x09)) | frozenset((0x0E, 0x0F)) | frozenset(range(0x10, 0x1B)) | {0x1C, 0x1D}
)
_CONTROL_CHARS = frozenset(chr(c) for c in _CONTROL) | {"\x7f"}

_SAMPLE = 64 * 1024


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def _plausible_ratio(text: str) -> float:
    """Share of characters a Chinese document is made of: CJK, ASCII printable, CJK punctuation."""
    sample = text[:4096]
    if not sample:
        return 0.0
    good = 0
    for ch in sample:
        o = ord(ch)
        if (
            0x20 <= o < 0x7F
            or ch in "\t\r\n"
            or 0x4E00 <= o <= 0x9FFF
            or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF
            or 0x2000 <= o <= 0x206F
            or 0x2460 <= o <= 0x24FF
            or 0x3200 <= o <= 0x32FF
            or 0x3400 <= o <= 0x4DBF
        ):
            good += 1
    return good / len(sample)


def _utf16_by_nul_pattern(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without BOM: NUL bytes mostly on one side (ASCII 'x' is 'x\\0' in LE) and a plausible decode."""
    sample = data[: _SAMPLE - (_SAMPLE % 2)]
    if len(sample) < 2:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if even + odd < 2:
        return None
    candidates = []
    if odd > even:
        candidates.append("utf-16-le")
    if even > odd:
        candidates.append("utf-16-be")
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible_ratio(text) >= 0.9:
            return enc, text
    return None


def _control_ratio(text: str) -> float:
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ch in _CONTROL_CHARS)
    return bad / len(sample)


def _check_text(text: str, encoding: str, name: str) -> None:
    ratio = _control_ratio(text)
    if ratio > 0.01 or "\x00" in text[:_SAMPLE]:
        raise BinaryContent(
            f"文件内容是二进制数据，不是文本：{name}",
            f"{name}: decoded as {encoding} but {ratio:.1%} of characters are control characters",
        )


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a truncated or damaged file): decode with replacement."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    if bad and multibyte >= 20 and bad <= max(3, multibyte // 1000):
        return text
    return None


def _looks_big5(data: bytes) -> bool:
    """Big5 bytes are mostly valid GBK too, but read as GBK half of their characters fall outside
    GB2312 (trail byte below 0xA1, which GB2312 never uses). Chinese GBK text has almost none."""
    sample = data[:_SAMPLE]
    pairs = low_trail = 0
    i = 0
    n = len(sample) - 1
    while i < n:
        b = sample[i]
        if b < 0x80:
            i += 1
            continue
        if 0x81 <= b <= 0xFE:
            t = sample[i + 1]
            if 0x30 <= t <= 0x39:  # a GB18030 four-byte sequence: not Big5
                return False
            pairs += 1
            if t < 0xA1:
                low_trail += 1
            i += 2
        else:
            i += 1
    return pairs >= 10 and low_trail / pairs > 0.25


def decode_bytes(data: bytes, name: str = "") -> Decoded:
    """Decode a text file's bytes or raise EmptyDocument / BinaryContent / Undecodable."""
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise EmptyDocument(f"文件是空的：{name}", f"{name}: {len(data)} bytes, no text")

    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(enc.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise Undecodable(
                    f"无法识别文件的文字编码：{name}", f"{name}: BOM says {enc} but decoding failed: {exc}"
                ) from exc
            _check_text(text, enc, name)
            return Decoded(text, "utf-8-sig" if enc == "utf-8-sig" else enc)

    utf16 = _utf16_by_nul_pattern(data)
    if utf16 and _control_ratio(utf16[1]) <= 0.01:
        return Decoded(utf16[1], utf16[0])

    warnings: list[str] = []
    nuls = data.count(0)
    if nuls:
        if nuls > 3:
            raise BinaryContent(
                f"文件内容是二进制数据，不是文本：{name}", f"{name}: {nuls} NUL bytes not explained by UTF-16"
            )
        data = data.replace(b"\x00", b"")  # a stray NUL or two (padding) in a text file
        warnings.append("文件中有个别空字符（NUL），已忽略")

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _check_text(text, "utf-8", name)
        return Decoded(text, "utf-8", warnings)

    text = _mostly_utf8(data)
    if text is not None:
        _check_text(text, "utf-8", name)
        return Decoded(text, "utf-8", [*warnings, "文件中有少量损坏的字节，已用替代符号（�）代替"])

    if _looks_big5(data):
        try:
            text = data.decode("cp950")
        except UnicodeDecodeError:
            pass
        else:
            _check_text(text, "big5", name)
            return Decoded(text, "big5", warnings)

    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        _check_text(text, "gb18030", name)
        return Decoded(text, "gb18030", warnings)

    from charset_normalizer import from_bytes

    best = from_bytes(data[: 4 * _SAMPLE]).best()
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None:
            _check_text(text, best.encoding, name)
            return Decoded(
                text, best.encoding, [*warnings, f"文字编码不常见，按 {best.encoding} 读取，请核对内容"]
            )

    raise Undecodable(
        f"无法识别文件的文字编码：{name}（请另存为 UTF-8 编码的文本后重试）",
        f"{name}: not UTF-8, not GB18030, charset-normalizer found no encoding",
    )
