"""Minimal valid OFD packages (GB/T 33190) for the tests: OFD.xml -> Document.xml -> pages.

Each text is one TextObject (Boundary in mm, y downwards) holding one TextCode with a DeltaX
per glyph, as OFD writers emit them; `images` pages hold only an ImageObject (a scan).
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


def make_ofd(pages: list[list[Text]], *, size: float = 3.5, images: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0f1e2d3c</ofd:DocID><ofd:Title>test</ofd:Title>"
            "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        page_refs = "".join(
            f'<ofd:Page ID="{k + 1}" BaseLoc="Pages/Page_{k}/Content.xml"/>' for k in range(len(pages))
        )
        zf.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
            "<ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
            "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
            f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>",
        )
        zf.writestr(
            "Doc_0/PublicRes.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>'
            '<ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>',
        )
        for k, texts in enumerate(pages):
            objects = "".join(_text_object(100 + i, x, y, t, size) for i, (x, y, t) in enumerate(texts))
            if images:
                objects = (
                    '<ofd:ImageObject ID="90" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="5"/>'
                )
            zf.writestr(
                f"Doc_0/Pages/Page_{k}/Content.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
                f'<ofd:Layer ID="{k + 10}">{objects}</ofd:Layer></ofd:Content></ofd:Page>',
            )
    return buf.getvalue()
