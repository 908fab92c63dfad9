"""Fonts for every script: the families figures draw with, and the labels no font here can draw.

Matplotlib (3.6 and later) falls back glyph by glyph along a list of families, so figures draw
with DejaVu Sans first (Latin, Greek, Cyrillic) and then, where the system has them, fonts for
Chinese, Japanese and Korean (Noto Sans CJK, Source Han Sans, WenQuanYi, Droid Sans Fallback)
and other scripts (Noto Sans of each).  A label with a character none of them holds is named
once (:func:`undrawable`) instead of matplotlib warning once per glyph and figure.
"""

from __future__ import annotations

import contextlib
import warnings
from functools import lru_cache
from typing import Iterable, Iterator

__all__ = ["FALLBACKS", "families", "undrawable", "rc", "drawing"]

#: Families tried after DejaVu Sans, in order; those the system lacks are skipped.
FALLBACKS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans CJK KR", "Source Han Sans SC",
             "Source Han Sans", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback",
             "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Thai", "Noto Sans",
             "Noto Sans Symbols", "Noto Sans Symbols2", "Noto Color Emoji", "Symbola")


_FALLBACK_FILES = ("cjk", "sourcehansans", "wqy", "wenquanyi", "droidsansfallback", "notosans")


@lru_cache(maxsize=1)
def families() -> tuple:
    """DejaVu Sans and the fallback families this system has (asked of matplotlib once)."""
    from matplotlib import font_manager

    known = {font.name for font in font_manager.fontManager.ttflist}
    if not known & set(FALLBACKS):
        # matplotlib's cached font list predates fonts installed since (fonts-noto-cjk): add them.
        for path in font_manager.findSystemFonts():
            name = path.rsplit("/", 1)[-1].lower()
            if any(part in name for part in _FALLBACK_FILES) and "serif" not in name and "mono" not in name:
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        known = {font.name for font in font_manager.fontManager.ttflist}
    return ("DejaVu Sans",) + tuple(name for name in FALLBACKS if name in known)


@lru_cache(maxsize=1)
def _characters() -> frozenset:
    """Every character some family of :func:`families` holds."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    wanted, found = set(families()), set()
    for font in font_manager.fontManager.ttflist:
        if font.name in wanted:
            try:
                found.update(FT2Font(font.fname).get_charmap())
            except (OSError, RuntimeError):  # an unreadable font file draws nothing
                continue
    return frozenset(found)


def undrawable(texts: Iterable[str]) -> list[str]:
    """The distinct texts (in order) holding a character no available font draws.

    Examples
    --------
    >>> undrawable(["Winter War", "Taurus missiles"])
    []
    """
    characters, seen, out = _characters(), set(), []
    for text in texts:
        text = str(text)
        if text in seen:
            continue
        seen.add(text)
        if any(ord(c) >= 0x20 and not c.isspace() and ord(c) not in characters for c in text):
            out.append(text)
    return out


def rc() -> dict:
    """matplotlib settings for drawing every script this system has fonts for."""
    return {"font.family": list(families())}


@contextlib.contextmanager
def drawing() -> Iterator[None]:
    """Figures made inside draw with :func:`families`; matplotlib's per-glyph warnings are left
    out (the labels no font draws are named once: :func:`undrawable`)."""
    import matplotlib

    with matplotlib.rc_context(rc()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        warnings.filterwarnings("ignore", message=r"Matplotlib currently does not support", category=UserWarning)
        yield
