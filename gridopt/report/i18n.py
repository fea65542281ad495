"""Every label, title and table header of the reports, in Chinese (``zh``) and English (``en``).

Both languages have exactly the same keys (a test checks it, and that no text is empty).
Texts may hold ``str.format`` fields (``{hours}``); both languages use the same fields.
Names the planner gave (buses, assets, loads) are shown as written in the scenario.
The texts themselves are in :mod:`gridopt.report.texts_en` and :mod:`gridopt.report.texts_zh`;
this module is the one table of both (:data:`TEXTS`) and the :class:`Translator` that reads it.
"""

from __future__ import annotations

from gridopt.report.texts_en import EN
from gridopt.report.texts_zh import ZH

LANGUAGES = ("zh", "en")

TEXTS: dict[str, dict[str, str]] = {"en": EN, "zh": ZH}

#: money shown in the key-figure table: CNY per display unit (million CNY; 万元 = 10,000 CNY)
MONEY_SCALE: dict[str, float] = {"en": 1e6, "zh": 1e4}


class Translator:
    """``tr('key', **fields)``: the text of ``key`` in one language, formatted with ``fields``."""

    def __init__(self, lang: str):
        if lang not in TEXTS:
            raise KeyError(lang)
        self.lang = lang
        self.texts = TEXTS[lang]

    def __call__(self, key: str, **fields) -> str:
        text = self.texts[key]
        return text.format(**fields) if fields else text

    def tech(self, label: str) -> str:
        """Technology or price-setter label in this language; asset names are kept as written
        (a ``<kind>:<name>`` label such as ``storage:<name>`` keeps the name after the kind,
        translated as a family (``fam_<kind>``) or technology (``tech_<kind>``), else written
        with spaces for underscores)."""
        kind, sep, name = label.partition(":")
        if sep:
            text = self.texts.get(f"fam_{kind}") or self.texts.get(f"tech_{kind}")
            return f"{text or kind.replace('_', ' ')}: {name}"
        return self.texts.get(f"tech_{label}", label)

    def money(self, cny: float) -> float:
        """An amount of CNY in the display unit of ``u_money`` (million CNY or 万元)."""
        return cny / MONEY_SCALE[self.lang]
