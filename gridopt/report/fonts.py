"""The CJK font of the reports: found on this machine, and embedded as a subset in HTML pages.

The font file is found in this order: the file named by the environment variable
``GRIDOPT_CJK_FONT``; Noto Sans CJK of the PyPI package ``noto-cjk-sans-otc`` (a dependency of
gridopt: Google's Noto Sans CJK OpenType collection, SIL Open Font License 1.1, which allows
embedding and subsetting); Debian's fonts-noto-cjk and fonts-wqy-microhei. In a collection
(``.ttc``) the Simplified Chinese face is used: the first whose family name ends in " SC"
("Noto Sans CJK SC"), else the first face.

A Chinese HTML page embeds the glyphs it draws (a few hundred characters, about 60 kB) as a
``@font-face`` in its own style sheet, so it shows Chinese on any computer, with or without
Chinese fonts installed, and offline. The characters are those of the page's own text and of
every string of its plotly figures (:func:`figure_text`), read from the figure objects and not
from the page: plotly writes its JSON with ``orjson`` when that is installed and otherwise with
``json.dumps``, which escapes Chinese as ``\\uXXXX``, so the page's literal characters miss
the charts' titles, axes and buttons. Characters outside the subset (none, unless the page is
edited) fall back to the browser's fonts.
"""

from __future__ import annotations

import base64
import functools
import importlib.util
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FONT_ENV = "GRIDOPT_CJK_FONT"
FONT_PACKAGE = "noto_cjk_sans_otc"
"""Import name of the PyPI package ``noto-cjk-sans-otc`` that ships the font file."""
FONT_PACKAGE_FILE = "NotoSansCJK-Regular.ttc"
SYSTEM_CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
EMBEDDED_FAMILY = "gridopt CJK"
"""``font-family`` name of the embedded subset; put it first in a page's font stack."""


@dataclass(frozen=True)
class CjkFont:
    """One face of a font file: ``path``, ``index`` of the face in a collection (0 for a
    single font) and its ``family`` name (what matplotlib and fontconfig call it)."""

    path: Path
    index: int
    family: str


def _package_font() -> Path | None:
    """The font file of ``noto-cjk-sans-otc``, located without importing anything."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        p = Path(folder) / FONT_PACKAGE_FILE
        if p.is_file():
            return p
    return None


def cjk_font_path() -> Path | None:
    """The CJK font file to use, or None (search order in the module docstring)."""
    env = os.environ.get(FONT_ENV)
    if env:
        return Path(env) if Path(env).is_file() else None
    p = _package_font()
    if p is not None:
        return p
    for s in SYSTEM_CJK_FONTS:
        if Path(s).is_file():
            return Path(s)
    return None


@functools.lru_cache(maxsize=8)
def _face(path: str) -> tuple[int, str]:
    """(index, family) of the Simplified Chinese face of the font file ``path``."""
    from fontTools.ttLib import TTCollection, TTFont

    with open(path, "rb") as f:
        is_collection = f.read(4) == b"ttcf"
    if not is_collection:
        font = TTFont(path, lazy=True)
        return 0, str(font["name"].getBestFamilyName())
    faces = [str(f["name"].getBestFamilyName()) for f in TTCollection(path, lazy=True).fonts]
    sc = [i for i, name in enumerate(faces) if name.endswith(" SC")]
    i = sc[0] if sc else 0
    return i, faces[i]


def cjk_font() -> CjkFont | None:
    """The CJK face to use (file, face index, family name), or None when no font is found."""
    p = cjk_font_path()
    if p is None:
        return None
    index, family = _face(str(p))
    return CjkFont(p, index, family)


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


def _strings(obj: Any) -> Iterator[str]:
    """Every string inside ``obj`` (dicts, lists, tuples and numpy arrays of text)."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _strings(v)
    elif getattr(obj, "dtype", None) is not None and obj.dtype.kind in "OUS":
        for v in obj.ravel().tolist():
            yield from _strings(v if not isinstance(v, bytes) else v.decode("utf-8", "replace"))


def figure_text(fig: Any) -> str:
    """Every string of a plotly figure (trace names, titles, axis titles, tick and hover texts,
    annotations, menu and range-selector buttons), one per line, as the figure holds them, so
    whichever JSON writer plotly uses for the page."""
    return "\n".join(_strings(fig.to_plotly_json()))


def font_face_css(text: str) -> str:
    """A ``@font-face`` rule embedding the glyphs of the CJK characters in ``text`` (base64
    OpenType), or '' when ``text`` has none or no CJK font is installed. ``text`` is what the
    page draws: its own text and the :func:`figure_text` of each of its figures."""
    chars = "".join(sorted({c for c in text if _wide(c)}))
    face = cjk_font()
    if not chars or face is None:
        return ""
    from fontTools import subset  # a dependency of matplotlib
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True  # the CID-keyed CFF of Noto CJK keeps subroutines per font dict; inlined, every glyph draws
    options.layout_features = []
    options.name_IDs = ["*"]  # keep the font's names and its licence notice
    font = TTFont(str(face.path), lazy=True, fontNumber=face.index)
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
