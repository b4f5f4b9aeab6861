"""Minimal valid OFD packages (GB/T 33190) for the tests: OFD.xml -> Document.xml -> pages.

Each text is one TextObject (Boundary in mm, y downwards) holding one TextCode with a DeltaX
per glyph, as OFD writers emit them; `images` pages hold only an ImageObject (a scan). A page
may be turned (90, 180, 270 degrees): its texts, given as on a landscape (90/270) or upright
page, are set on the portrait page by each TextObject's CTM, as a rotated page is written.
`make_package` writes several documents (one DocBody each) into one package; `turns` gives the
turn of each page by its index in its document.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"
Text = tuple[float, float, str]  # x, y of the top of the line (mm), text


def _text_object(obj_id: int, x: float, y: float, text: str, size: float) -> str:
    width = len(text) * size
    delta = f"g {len(text) - 1} {size}" if len(text) > 1 else ""
    return (
        f'<ofd:TextObject ID="{obj_id}" Boundary="{x} {y} {width + 1} {size * 1.4}" Font="3" Size="{size}">'
        f'<ofd:TextCode X="0" Y="{size}" DeltaX="{delta}">{escape(text)}</ofd:TextCode></ofd:TextObject>'
    )


WIDTH, HEIGHT = 210.0, 297.0
# turn -> (linear part a b c d of the CTM, the physical point of a logical one)
_TURNED = {
    90: ("0 1 -1 0", lambda x, y: (WIDTH - y, x)),  # reading down the page, lines right to left
    180: ("-1 0 0 -1", lambda x, y: (WIDTH - x, HEIGHT - y)),
    270: ("0 -1 1 0", lambda x, y: (y, HEIGHT - x)),  # reading up the page
}


def _turned_object(obj_id: int, x: float, y: float, text: str, size: float, turn: int) -> str:
    linear, place = _TURNED[turn]
    e, f = place(x, y + size)  # the baseline's start
    delta = f"g {len(text) - 1} {size}" if len(text) > 1 else ""
    return (
        f'<ofd:TextObject ID="{obj_id}" Boundary="0 0 {WIDTH} {HEIGHT}" CTM="{linear} {e} {f}" Font="3" '
        f'Size="{size}"><ofd:TextCode X="0" Y="0" DeltaX="{delta}">{escape(text)}</ofd:TextCode></ofd:TextObject>'
    )


def make_ofd(
    pages: list[list[Text]], *, size: float = 3.5, images: bool = False, turns: list[int] | None = None
) -> bytes:
    return make_package([pages], size=size, images=images, turns=turns)


def make_package(
    documents: list[list[list[Text]]],
    *,
    size: float = 3.5,
    images: bool = False,
    turns: list[int] | None = None,
) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        bodies = "".join(
            f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>0f1e2d3c{n}</ofd:DocID><ofd:Title>test</ofd:Title>"
            f"</ofd:DocInfo><ofd:DocRoot>Doc_{n}/Document.xml</ofd:DocRoot></ofd:DocBody>"
            for n in range(len(documents))
        )
        zf.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
            f"{bodies}</ofd:OFD>",
        )
        for n, pages in enumerate(documents):
            _document(zf, f"Doc_{n}", pages, size, images, turns or [0] * len(pages))
    return buf.getvalue()


def _document(
    zf: zipfile.ZipFile, root: str, pages: list[list[Text]], size: float, images: bool, turns: list[int]
) -> None:
    page_refs = "".join(
        f'<ofd:Page ID="{k + 1}" BaseLoc="Pages/Page_{k}/Content.xml"/>' for k in range(len(pages))
    )
    zf.writestr(
        f"{root}/Document.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        "<ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
        "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
        f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>",
    )
    zf.writestr(
        f"{root}/PublicRes.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>',
    )
    for k, texts in enumerate(pages):
        objects = "".join(
            _turned_object(100 + i, x, y, t, size, turns[k])
            if turns[k]
            else _text_object(100 + i, x, y, t, size)
            for i, (x, y, t) in enumerate(texts)
        )
        if images:
            objects = '<ofd:ImageObject ID="90" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="5"/>'
        zf.writestr(
            f"{root}/Pages/Page_{k}/Content.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
            f'<ofd:Layer ID="{k + 10}">{objects}</ofd:Layer></ofd:Content></ofd:Page>',
        )
