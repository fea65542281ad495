"""What every PNG figure shares: the figure size and resolution (1920 x 1080 px), saving
(atomically, the figure closed afterwards) and the legend under the axes. A leaf module, so
the modules of the figures import it without importing each other."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: render to files only

import matplotlib.pyplot as plt  # noqa: E402

from gridopt.io import atomic_write  # noqa: E402

FIGSIZE = (16, 9)
DPI = 120  # 16 x 9 in at 120 dpi = 1920 x 1080 px


def save(fig, path: Path) -> Path:
    """Write ``fig`` to ``path`` as PNG (atomically) and close it."""
    atomic_write(path, lambda p: fig.savefig(p, format="png", dpi=DPI))
    plt.close(fig)
    return path


def legend(ax, ncol: int = 4) -> None:
    """The legend of ``ax`` under the axes, in ``ncol`` columns, without a frame."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=ncol, frameon=False)
