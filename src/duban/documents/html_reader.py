"""HTML pages saved from a government site or a forum: the main text only (trafilatura).

One paragraph per line; `<br>` inside a paragraph is a line break; tables become "cell | cell" rows.
"""

from __future__ import annotations

import contextlib
import re

from lxml import etree
from lxml import html as lxml_html

from duban.documents.cleaning import clean_text
from duban.documents.encoding import Decoded
from duban.documents.errors import DocumentError, EmptyDocument
from duban.documents.source import SourceText
from duban.documents.webcruft import strip_web_cruft

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030"}
_BLOCKS = {"p", "head", "quote", "item", "list", "table", "row", "cell", "code", "div", "section"}
_TITLE_SUFFIX = re.compile(r"\s*[-_|–—]+\s*[^-_|–—]{2,30}$")


def _decode_declared(data: bytes, decoded: Decoded) -> tuple[str, str]:
    """Honour a <meta charset> that decodes cleanly (a Big5 page may also decode as GB18030)."""
    m = _META_CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii", "ignore").lower()
        declared = _CHARSET_ALIASES.get(declared, declared)
        if decoded.encoding not in ("utf-8", "utf-8-sig") and declared != decoded.encoding:
            try:
                return data.decode(declared), declared
            except (LookupError, UnicodeDecodeError):
                pass
    return decoded.text, decoded.encoding


def _inline_text(el: etree._Element) -> str:
    """Text of an element with <lb/> as a newline."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag in _BLOCKS:
            parts.append("\n" + _inline_text(child) + "\n")
        else:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _is_layout_table(table: etree._Element) -> bool:
    """A table used for page layout (old government sites): an article-sized cell in a narrow row."""
    for row in table.iter("row"):
        cells = [c for c in row if c.tag == "cell"]
        for cell in cells:
            size = len("".join(cell.itertext()).strip())
            blocks = sum(1 for sub in cell if sub.tag in ("p", "lb", "list", "head", "table"))
            article_like = size > 200 or (blocks >= 3 and size > 80)
            if size > 1000 or (article_like and len(cells) <= 2):
                return True
    return False


def _cell_text(cell: etree._Element) -> str:
    return " ".join(part.strip() for part in _inline_text(cell).split("\n") if part.strip())


def _render(el: etree._Element, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag == "table":
            if _is_layout_table(child):
                for cell in child.iter("cell"):
                    out.extend(_inline_text(cell).split("\n"))
                continue
            for row in child.iter("row"):
                cells = [_cell_text(c) for c in row if c.tag == "cell"]
                if any(cells):
                    out.append(" | ".join(cells))
        elif tag in ("list",):
            _render(child, out)
        elif tag in ("p", "head", "item", "quote", "code"):
            if any(sub.tag in ("list", "table") for sub in child):
                out.append(_inline_text_without_blocks(child))
                _render(child, out)
            else:
                out.extend(_inline_text(child).split("\n"))
        elif tag in ("graphic", "comments", "lb"):
            continue
        else:
            text = _inline_text(child)
            if text.strip():
                out.extend(text.split("\n"))


def _inline_text_without_blocks(el: etree._Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.tag not in ("list", "table"):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def _fallback_text(markup: str) -> str:
    """Plain block extraction when trafilatura finds no main text (very short pages)."""
    try:
        doc = lxml_html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return ""
    for bad in doc.xpath("//script|//style|//noscript|//nav|//header|//footer|//aside|//form|//iframe"):
        bad.drop_tree()
    for br in doc.xpath("//br"):
        br.tail = "\n" + (br.tail or "")
    lines: list[str] = []
    for row in doc.xpath("//tr"):
        cells = [" ".join(c.text_content().split()) for c in row.xpath("./td|./th")]
        row.clear()
        row.text = " | ".join(cells)
        row.tail = "\n" + (row.tail or "")
    for block in doc.xpath("//p|//div|//li|//h1|//h2|//h3|//h4|//h5|//h6|//tr|//table"):
        block.tail = "\n" + (block.tail or "")
    body = doc.find("body")
    text = (body if body is not None else doc).text_content()
    lines.extend(text.split("\n"))
    return "\n".join(lines)


def _page_title(markup: str) -> str | None:
    """The page's title as trafilatura's metadata reads it (meta tags, JSON-LD, then <title>/<h1>),
    without its date search: htmldate + dateparser took up to a minute on some pages, for a date
    this reader never uses."""
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title
    from trafilatura.utils import load_html

    tree = load_html(markup)
    if tree is None:
        return None
    meta = examine_meta(tree)
    with contextlib.suppress(Exception):  # trafilatura's own guard: its JSON-LD reader has bugs on odd pages
        meta = extract_meta_json(tree, meta)
    return meta.title or extract_title(tree)


def html_to_text(markup: str) -> str:
    """The main text of an HTML page, one block per line, tables as pipe rows, title first."""
    import trafilatura

    xml = trafilatura.extract(
        markup,
        output_format="xml",
        include_tables=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        favor_recall=True,
        deduplicate=False,
    )
    lines: list[str] = []
    if xml:
        root = etree.fromstring(xml.encode("utf-8"))
        main = root.find("main")
        _render(main if main is not None else root, lines)
    text = "\n".join(lines)
    if not text.strip():
        return _fallback_text(markup)
    title = (_page_title(markup) or "").strip()
    if title:
        title = title.split("\n")[0].strip()
        head = "".join(text[:600].split())
        if "".join(title.split()) not in head:
            short = _TITLE_SUFFIX.sub("", title)
            if "".join(short.split()) not in head:
                text = short + "\n" + text
    return text


# Refused before lxml and trafilatura see them: a page larger than any bureau's notice, or
# nested deeper than any real page (their tree walks recurse per level).
MAX_HTML_CHARS = 16 * 1024 * 1024
MAX_HTML_DEPTH = 1000
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]{0,30})\b[^<>]*?(/?)>")
# void elements and those HTML closes by itself: they do not deepen the tree
_FLAT = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "p",
        "li",
        "td",
        "th",
        "tr",
        "dt",
        "dd",
        "option",
    ]
)


def check_markup(markup: str, name: str) -> None:
    """Refuse markup too large or too deeply nested to parse safely (one linear scan of its tags)."""
    if len(markup) > MAX_HTML_CHARS:
        raise DocumentError(
            f"网页文件过大（{len(markup) // (1024 * 1024)} MB，上限 {MAX_HTML_CHARS // (1024 * 1024)} MB），无法读取：{name}",
            f"{name}: {len(markup)} chars of markup > {MAX_HTML_CHARS}",
        )
    depth = 0
    for m in _TAG.finditer(markup):
        closing, tag, self_closing = m.groups()
        if self_closing or tag.lower() in _FLAT:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > MAX_HTML_DEPTH:
            raise DocumentError(
                f"网页结构嵌套过深（超过 {MAX_HTML_DEPTH} 层），无法读取：{name}",
                f"{name}: tag depth > {MAX_HTML_DEPTH} at offset {m.start()}",
            )


def read_html(data: bytes, decoded: Decoded, name: str) -> SourceText:
    markup, encoding = _decode_declared(data, decoded)
    check_markup(markup, name)
    text = clean_text(html_to_text(markup))
    text = "\n".join(line for line in text.split("\n") if line)  # one paragraph per line
    text, _dropped = strip_web_cruft(text)
    if not text.strip():
        raise EmptyDocument(f"网页中没有找到正文：{name}", f"{name}: trafilatura and fallback found no text")
    return SourceText(name=name, text=text, format="html", encoding=encoding, warnings=list(decoded.warnings))


def read_mhtml(data: bytes, name: str) -> SourceText:
    """A page saved as .mht/.mhtml: read its first text/html part."""
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True) or b""
        charset = (part.get_content_charset() or "").lower()
        charset = _CHARSET_ALIASES.get(charset, charset)
        decoded = None
        if charset:
            try:
                decoded = Decoded(payload.decode(charset), charset)
            except (LookupError, UnicodeDecodeError):
                decoded = None
        if decoded is None:
            from duban.documents.encoding import decode_bytes

            decoded = decode_bytes(payload, name)
        src = read_html(payload, decoded, name)
        return src
    raise EmptyDocument(f"网页存档中没有找到 HTML 正文：{name}", f"{name}: no text/html part in MHTML")
