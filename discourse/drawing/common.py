"""What every figure shares: the pyplot import, saving without dates, and label placement."""

import math

import numpy as np

DPI = 110
FONT = "DejaVu Sans"


def pyplot():
    """matplotlib.pyplot on the Agg backend (no display needed), imported on first use."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def new_figure(width, height):
    """A figure of ``width`` x ``height`` inches at the shared DPI, not kept by pyplot's registry."""
    from matplotlib.figure import Figure

    pyplot()
    figure = Figure(figsize=(width, height), dpi=DPI)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    return figure


def save_figure(figure, path, fmt=None):
    """Save ``figure`` as PNG or SVG with no date or version in the file (same figure, same bytes)."""
    import matplotlib

    fmt = fmt or str(path).rsplit(".", 1)[-1]
    metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None} if fmt == "svg" else {}
    with matplotlib.rc_context({"svg.hashsalt": "discourse", "svg.fonttype": "path"}):
        figure.savefig(path, format=fmt, metadata=metadata, dpi=DPI, facecolor="white")


def header(figure, title, subtitle=None):
    """Title and a grey subtitle (wrapped to the figure's width) at the top left of ``figure``.

    Placed in inches from the top edge, whatever the figure's height; returns the inches they take.
    """
    import textwrap

    height, width = figure.get_figheight(), figure.get_figwidth()
    title = shorten(title, int(width * 9))  # what fits at 14pt bold
    figure.text(0.012, 1 - 0.12 / height, title, fontsize=14, fontweight="bold", va="top", ha="left")
    used = 0.45
    if subtitle:
        lines = textwrap.wrap(subtitle, width=max(40, int(width * 12)))
        figure.text(0.012, 1 - 0.48 / height, "\n".join(lines), fontsize=9.5, color="#555555", va="top",
                    ha="left", linespacing=1.3)
        used = 0.5 + 0.19 * len(lines) + 0.06
    return used


def shorten(text, limit):
    """``text`` cut to ``limit`` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


class LabelPlacer:
    """Put text labels beside points without overlapping each other or the points' discs.

    Works in display pixels on an axes whose limits and position are final.  For each label the
    candidate spots are tried in order (right, left, the four diagonals, above, below, then
    rings further out, joined to the point by a thin leader line); the first free spot inside the
    axes wins.  A label with no free spot is left out, never drawn over another.
    """

    def __init__(self, ax, discs, *, pad=2.5, rings=10):
        self.ax = ax
        self.renderer = ax.figure.canvas.get_renderer()
        self.bounds = ax.get_window_extent(self.renderer)
        centres = np.array([(x, y) for x, y, _ in discs], dtype=float).reshape(-1, 2)
        self.discs = np.column_stack([centres, [r for *_, r in discs]]) if len(discs) else np.zeros((0, 3))
        self.boxes = np.zeros((0, 4))
        self.pad, self.rings = pad, rings
        self.placed = []

    def add(self, x, y, radius, text, *, important=False, **style):
        """Place ``text`` for the point at data (x, y) drawn with ``radius`` pixels; return the Text or None.

        An ``important`` label may cover points smaller than its own rather than move away from it.
        """
        ax = self.ax
        label = ax.text(0, 0, text, ha="center", va="center", zorder=6, **style)
        extent = label.get_window_extent(self.renderer)
        width, height = extent.width + 2 * self.pad, extent.height + 2 * self.pad
        px, py = ax.transData.transform((x, y))
        for cx, cy, far, cover in self._candidates(px, py, radius, width, height, important):
            box = np.array([cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2])
            if self._free(box, below=radius if cover else 0):
                label.set_position(ax.transData.inverted().transform((cx, cy)))
                self.boxes = np.vstack([self.boxes, box])
                if far:
                    edge = self._nearest(box, px, py)
                    ax.plot(*ax.transData.inverted().transform([(px, py), edge]).T, color="#777777",
                            linewidth=0.6, zorder=5)
                self.placed.append(label)
                return label
        label.remove()
        return None

    def _candidates(self, px, py, radius, width, height, important=False):
        gap = radius + self.pad + 1
        diagonal = radius * 0.72 + self.pad
        for cover in (False, True) if important else (False,):  # important: again, covering smaller points
            for cx, cy in self._near(px, py, gap, diagonal, width, height):
                yield cx, cy, False, cover
        for ring in range(1, self.rings + 1):
            distance = gap + ring * height * 0.9
            for step in range(16):
                angle = 2 * math.pi * step / 16
                yield (px + math.cos(angle) * (distance + width / 2),
                       py + math.sin(angle) * (distance + height / 2), True, False)

    @staticmethod
    def _near(px, py, gap, diagonal, width, height):
        yield px + gap + width / 2, py
        yield px - gap - width / 2, py
        for sx, sy in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
            yield px + sx * (diagonal + width / 2), py + sy * (diagonal + height / 2)
        yield px, py + gap + height / 2
        yield px, py - gap - height / 2

    def _free(self, box, below=0.0):
        """Inside the axes, clear of placed labels and of every disc (discs smaller than ``below`` excepted)."""
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
        return True

    @staticmethod
    def _nearest(box, px, py):
        return float(np.clip(px, box[0], box[2])), float(np.clip(py, box[1], box[3]))


def boxes_overlap(artists, renderer):
    """Pairs of artists (by index) whose window extents overlap; for tests and checks."""
    extents = [artist.get_window_extent(renderer) for artist in artists]
    return [(i, j) for i in range(len(extents)) for j in range(i + 1, len(extents))
            if extents[i].overlaps(extents[j])]
