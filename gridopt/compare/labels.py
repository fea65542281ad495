"""Labels of the comparison's rows, units, energy items and folders, in the page's language
(shared by the workbook and the page)."""

from __future__ import annotations

from gridopt.compare.data import CompareData, Row
from gridopt.compare.texts import Texts


def row_label(row: Row, t: Texts, items: dict[str, str]) -> str:
    """A row's label in ``t``'s language (price components and energy items by name)."""
    key, fields = row.label
    f = dict(fields)
    if "component" in f:
        f["component"] = t.report(f"comp_{f['component']}")
    if "item" in f:
        f["item"] = items.get(f["item"], f["item"].replace("_", " "))
    if "row" in f:
        f["label"] = row_label(Row(row.section, row.key, f.pop("row"), row.unit, []), t, items)
    return t(key, **f)


def unit_text(unit: str, t: Texts) -> str:
    """A unit key in ``t``'s language (the comparison's own, else the report's)."""
    return t(unit) if unit in t.texts else t.report(unit)


def item_labels(d: CompareData, t: Texts) -> dict[str, str]:
    """Label of each energy-balance key, from the declarations
    (:class:`gridopt.model.family.Energy`): an item grouped ``by`` an input is named by the
    group's technology (``thermal_coal``: coal), another by its text (``item_<key>``), else
    by its key with spaces."""
    from gridopt.model import BALANCE

    labels: dict[str, str] = {}
    for fam in BALANCE:
        for e in fam.energy:
            if e.by is None:
                text = t.texts.get(f"item_{e.key}")
                labels[e.key] = text or e.key.replace("_", " ")
                continue
            for f in d.folders:
                if fam.dim in f.results.sizes:
                    for v in f.results[f"{fam.dim}_{e.by}"].values:
                        labels[e.key.format(v)] = t.report.tech(str(v))
    return labels


def mode_text(folder, t: Texts) -> str:
    return (
        t(folder.mode, names=", ".join(str(x.get("name")) for x in folder.tenants))
        if folder.mode == "mode_tenant"
        else t(folder.mode)
    )
