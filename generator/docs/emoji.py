"""An emoji generator that never loads anything from the internet.

Material's ``to_svg`` inlines its icons (``:material-check:``) but turns
Unicode emoji (``:thumbsup:``) into images from a CDN. This one keeps the
icons and writes emoji as the Unicode character instead.
"""

from __future__ import annotations

from typing import Any

from material.extensions import emoji as material_emoji
from pymdownx import emoji as pymdownx_emoji

__all__ = ["to_svg"]


def to_svg(index: str, shortname: str, alias: str, uc: str | None, alt: str, title: str,
           category: str, options: dict, md: Any) -> Any:
    """Inline SVG for theme icons, the Unicode character for emoji."""
    if uc:
        return pymdownx_emoji.to_alt(index, shortname, alias, uc, alt, title, category,
                                     options, md)
    return material_emoji.to_svg(index, shortname, alias, uc, alt, title, category, options, md)
