"""What every figure shares: the pyplot import, saving without dates, and label placement."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from types import ModuleType
    from typing import IO

    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.text import Text

DPI = 110
#: Bytes XML 1.0 forbids (C0 controls but tab, newline and carriage return).
_XML_INVALID = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FONT = "DejaVu Sans"


def pyplot() -> ModuleType:
    """matplotlib.pyplot on the Agg backend (no display needed), imported on first use."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches at the shared DPI, not kept by pyplot's registry."""
    from matplotlib.figure import Figure

    pyplot()
    figure = Figure(figsize=(width, height), dpi=DPI)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    return figure


def save_figure(figure: Figure, path: Path | str | IO[bytes], fmt: str | None = None) -> None:
    """Save ``figure`` as PNG or SVG with no date or version in the file (same figure, same bytes)."""
    import matplotlib

    fmt = fmt or str(path).rsplit(".", 1)[-1]
    metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None} if fmt == "svg" else {}
    with matplotlib.rc_context({"svg.hashsalt": "discourse", "svg.fonttype": "path"}):
        figure.savefig(path, format=fmt, metadata=metadata, dpi=DPI, facecolor="white")
    if fmt == "svg" and isinstance(path, (str, Path)):  # matplotlib copies each text into an XML comment, controls and all
        data = Path(path).read_bytes()
        clean = _XML_INVALID.sub(b"", data)
        if clean != data:
            Path(path).write_bytes(clean)


def header(figure: Figure, title: str, subtitle: str | None = None) -> float:
    """Title and a grey subtitle (wrapped to the figure's width) at the top left of ``figure``.

    Placed in inches from the top edge, whatever the figure's height; returns the inches they take.
    """
    import textwrap

    height, width = figure.get_figheight(), figure.get_figwidth()
    title = shorten(title, int(width * 9))  # what fits at 14pt bold
    figure.text(0.012, 1 - 0.12 / height, title, fontsize=14, fontweight="bold", va="top", ha="left")
    used = 0.45
    if subtitle:
        lines = textwrap.wrap(printable(subtitle), width=max(40, int(width * 12)))
        figure.text(0.012, 1 - 0.48 / height, "\n".join(lines), fontsize=9.5, color="#555555", va="top",
                    ha="left", linespacing=1.3)
        used = 0.5 + 0.19 * len(lines) + 0.06
    return used


def printable(text: object) -> str:
    """``text`` without control characters (no font has a glyph for them, nor XML a place)."""
    return _CONTROL.sub("", str(text))


def shorten(text: object, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (control characters dropped)."""
    text = " ".join(printable(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


class LabelPlacer:
    """Put text labels beside points without overlapping each other, the points' discs or the lines.

    Works in display pixels on an axes whose limits and position are final.  For each label the
    candidate spots are tried in order (right, left, the four diagonals, above, below; first clear
    of the drawn lines too, then over them; then rings further out, joined to the point by a thin
    leader line); the first free spot inside the axes wins.  A label beside its point must have
    that point as its nearest one, so it is never read as another's.  A label with no free spot is
    left out, never drawn over another.  :attr:`anchors` holds, per placed label, the point where
    it is tied to its node (the rim facing the label, or the leader's start), the node's centre
    and radius: the anchor lies within the node's disc.
    """

    def __init__(self, ax: Axes, discs: Sequence[tuple[float, float, float]], *, pad: float = 2.5, rings: int = 10,
                 lines: Iterable[tuple[tuple[float, float], tuple[float, float]]] = ()) -> None:
        self.ax = ax
        self.renderer = ax.figure.canvas.get_renderer()
        self.bounds = ax.get_window_extent(self.renderer)
        centres = np.array([(x, y) for x, y, _ in discs], dtype=float).reshape(-1, 2)
        self.discs = np.column_stack([centres, [r for *_, r in discs]]) if len(discs) else np.zeros((0, 3))
        self.boxes = np.zeros((0, 4))
        self.pad, self.rings = pad, rings
        self.placed, self.anchors = [], []
        self.line_points = _sample_lines(lines)

    def reserve(self, artist: Artist) -> None:
        """Keep labels off ``artist`` (a text already drawn on the axes)."""
        extent = artist.get_window_extent(self.renderer)
        self.boxes = np.vstack([self.boxes, [extent.x0, extent.y0, extent.x1, extent.y1]])

    def add(self, x: float, y: float, radius: float, text: str, *, important: bool = False,
            **style: Any) -> Text | None:
        """Place ``text`` for the point at data (x, y) drawn with ``radius`` pixels; return the Text or None.

        An ``important`` label may cover points smaller than its own rather than move away from it.
        """
        ax = self.ax
        label = ax.text(0, 0, text, ha="center", va="center", zorder=6, **style)
        extent = label.get_window_extent(self.renderer)
        width, height = extent.width + 2 * self.pad, extent.height + 2 * self.pad
        px, py = ax.transData.transform((x, y))
        for cx, cy, far, cover, strict in self._candidates(px, py, radius, width, height, important):
            box = np.array([cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2])
            if not self._free(box, below=radius if cover else 0, lines=strict):
                continue
            if not far and not self._nearest_is(box, px, py, radius):
                continue
            label.set_position(ax.transData.inverted().transform((cx, cy)))
            self.boxes = np.vstack([self.boxes, box])
            edge = self._nearest(box, px, py)
            direction = np.array(edge) - (px, py)
            length = float(np.hypot(*direction)) or 1.0
            rim = (px + direction[0] / length * radius * 0.9, py + direction[1] / length * radius * 0.9)
            if far:
                # dark over the grey links, with a dot on the node: the label is read as that node's
                ax.plot(*ax.transData.inverted().transform([rim, edge]).T, color="#222222",
                        linewidth=0.9, zorder=5)
                ax.plot(*ax.transData.inverted().transform([rim]).T, marker="o", markersize=2.2,
                        color="#222222", zorder=5)
            self.placed.append(label)
            self.anchors.append((rim, (px, py), radius))
            return label
        label.remove()
        return None

    def _candidates(self, px: float, py: float, radius: float, width: float, height: float,
                    important: bool = False) -> Iterator[tuple[float, float, bool, bool, bool]]:
        gap = radius + self.pad + 1
        diagonal = radius * 0.72 + self.pad
        if len(self.line_points):
            for cx, cy in self._near(px, py, gap, diagonal, width, height):
                yield cx, cy, False, False, True
        for cover in (False, True) if important else (False,):  # important: again, covering smaller points
            for cx, cy in self._near(px, py, gap, diagonal, width, height):
                yield cx, cy, False, cover, False
        for ring in range(1, self.rings + 1):
            distance = gap + ring * height * 0.9
            for step in range(16):
                angle = 2 * math.pi * step / 16
                yield (px + math.cos(angle) * (distance + width / 2),
                       py + math.sin(angle) * (distance + height / 2), True, False, ring <= 3)

    @staticmethod
    def _near(px: float, py: float, gap: float, diagonal: float, width: float,
              height: float) -> Iterator[tuple[float, float]]:
        yield px + gap + width / 2, py
        yield px - gap - width / 2, py
        for sx, sy in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
            yield px + sx * (diagonal + width / 2), py + sy * (diagonal + height / 2)
        yield px, py + gap + height / 2
        yield px, py - gap - height / 2

    def _free(self, box: np.ndarray, below: float = 0.0, lines: bool = False) -> bool:
        """Inside the axes, clear of placed labels and of every disc (discs smaller than ``below``
        excepted) and, with ``lines``, of the drawn lines."""
        b = self.bounds
        if box[0] < b.x0 or box[1] < b.y0 or box[2] > b.x1 or box[3] > b.y1:
            return False
        if len(self.boxes):
            hit = ((self.boxes[:, 0] < box[2]) & (self.boxes[:, 2] > box[0])
                   & (self.boxes[:, 1] < box[3]) & (self.boxes[:, 3] > box[1]))
            if hit.any():
                return False
        if len(self.discs):
            nearest_x = np.clip(self.discs[:, 0], box[0], box[2])
            nearest_y = np.clip(self.discs[:, 1], box[1], box[3])
            inside = (nearest_x - self.discs[:, 0]) ** 2 + (nearest_y - self.discs[:, 1]) ** 2 < self.discs[:, 2] ** 2
            inside &= self.discs[:, 2] >= below
            if inside.any():
                return False
        if lines and len(self.line_points):
            points = self.line_points
            crossed = ((points[:, 0] > box[0]) & (points[:, 0] < box[2])
                       & (points[:, 1] > box[1]) & (points[:, 1] < box[3]))
            if crossed.any():
                return False
        return True

    def _nearest_is(self, box: np.ndarray, px: float, py: float, radius: float) -> bool:
        """Whether the node at (px, py) is the disc nearest to ``box`` (rim to box)."""
        if len(self.discs) < 2:
            return True
        gaps = np.hypot(np.clip(self.discs[:, 0], box[0], box[2]) - self.discs[:, 0],
                        np.clip(self.discs[:, 1], box[1], box[3]) - self.discs[:, 1]) - self.discs[:, 2]
        own = math.hypot(float(np.clip(px, box[0], box[2])) - px, float(np.clip(py, box[1], box[3])) - py) - radius
        return own <= gaps.min() + 0.5

    @staticmethod
    def _nearest(box: np.ndarray, px: float, py: float) -> tuple[float, float]:
        return float(np.clip(px, box[0], box[2])), float(np.clip(py, box[1], box[3]))


def _sample_lines(lines: Iterable[tuple[tuple[float, float], tuple[float, float]]], step: float = 4.0) -> np.ndarray:
    """Points every ``step`` pixels along each ((x0, y0), (x1, y1)) segment, for the label test."""
    points = []
    for (x0, y0), (x1, y1) in lines:
        count = max(2, int(math.hypot(x1 - x0, y1 - y0) / step))
        t = np.linspace(0.08, 0.92, count)  # the ends lie under the discs anyway
        points.append(np.column_stack([x0 + (x1 - x0) * t, y0 + (y1 - y0) * t]))
    return np.vstack(points) if points else np.zeros((0, 2))


def boxes_overlap(artists: Sequence[Artist], renderer: RendererBase) -> list[tuple[int, int]]:
    """Pairs of artists (by index) whose window extents overlap; for tests and checks."""
    extents = [artist.get_window_extent(renderer) for artist in artists]
    return [(i, j) for i in range(len(extents)) for j in range(i + 1, len(extents))
            if extents[i].overlaps(extents[j])]
