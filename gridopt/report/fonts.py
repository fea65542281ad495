"""The CJK font of the reports: found on this machine, and embedded as a subset in HTML pages.

The font file is found in this order: the file named by the environment variable
``GRIDOPT_CJK_FONT``, Noto Sans CJK SC of the PyPI package ``mplfonts`` (a dependency of
gridopt; SIL Open Font License, which allows embedding), Debian's fonts-noto-cjk and
fonts-wqy-microhei.

A Chinese HTML page embeds the glyphs it uses (a few hundred characters, about 60 kB) as a
``@font-face`` in its own style sheet, so it shows Chinese on any computer, with or without
Chinese fonts installed, and offline. Characters outside the subset (none, unless the page is
edited) fall back to the browser's fonts.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import os
from pathlib import Path

FONT_ENV = "GRIDOPT_CJK_FONT"
SYSTEM_CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
EMBEDDED_FAMILY = "gridopt CJK"
"""``font-family`` name of the embedded subset; put it first in a page's font stack."""


def cjk_font_path() -> Path | None:
    """The CJK font file to use, or None (search order in the module docstring)."""
    env = os.environ.get(FONT_ENV)
    if env:
        return Path(env) if Path(env).is_file() else None
    spec = importlib.util.find_spec(
        "mplfonts"
    )  # located, not imported: it changes matplotlib's rc settings
    if spec is not None and spec.origin:
        p = Path(spec.origin).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
        if p.is_file():
            return p
    for s in SYSTEM_CJK_FONTS:
        if Path(s).is_file():
            return Path(s)
    return None


UNICODE_RANGE = "U+2E80-9FFF,U+F900-FAFF,U+FE30-FE4F,U+FF00-FFEF"
"""What the embedded subset may draw (``_wide``); other characters never wait for it."""


def _wide(c: str) -> bool:
    """CJK ideographs and punctuation, full-width forms: the characters Latin fonts lack."""
    o = ord(c)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
    )


def font_face_css(text: str) -> str:
    """A ``@font-face`` rule embedding the glyphs of the CJK characters in ``text`` (base64
    OpenType), or '' when ``text`` has none or no CJK font is installed."""
    chars = "".join(sorted({c for c in text if _wide(c)}))
    path = cjk_font_path()
    if not chars or path is None:
        return ""
    from fontTools import subset  # a dependency of matplotlib
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True  # the CID-keyed CFF of Noto CJK keeps subroutines per font dict; inlined, every glyph draws
    options.layout_features = []
    options.name_IDs = ["*"]  # keep the font's names and its licence notice
    font = TTFont(str(path), lazy=True, fontNumber=0)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    kind = "opentype" if font.sfntVersion == "OTTO" else "truetype"
    mime = "otf" if kind == "opentype" else "ttf"
    return (
        f'@font-face{{font-family:"{EMBEDDED_FAMILY}";font-display:block;unicode-range:{UNICODE_RANGE};'
        f'src:url(data:font/{mime};base64,{data}) format("{kind}");}}'
    )
