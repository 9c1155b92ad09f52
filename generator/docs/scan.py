"""Linear scans of a docs page's text: macros outside code, and link targets' lines."""

from __future__ import annotations

import re
from bisect import bisect_right

from generator.docs.markdown import code_mask

__all__ = ["Locator", "has_macros"]


def has_macros(text: str) -> bool:
    """Whether ``text`` has an mkdocs-macros ``{{ … }}`` outside code (linear).

    Jinja shown in fenced or indented code, or in a code span, is an example,
    not a macro.

    >>> has_macros("Version {{ config.version }}"), has_macros("a {{ b")
    (True, False)
    >>> has_macros("Write `{{ page.title }}`:\\n\\n```\\n{{ x }}\\n```\\n\\n    {{ y }}\\n")
    False
    """
    start = text.find("{{")
    if start < 0 or text.find("}}", start + 2) < 0:
        return False
    lines = text.split("\n")
    mask = code_mask(lines)
    prose = "\n".join(_CODE_SPAN.sub("", line) for line, code in zip(lines, mask, strict=True)
                      if not code and not line.startswith(("    ", "\t")))
    start = prose.find("{{")
    return start >= 0 and prose.find("}}", start + 2) >= 0


_CODE_SPAN = re.compile(r"(`+)[^`\n]*?\1")


class Locator:
    """0-based line of each link target, searched in document order (linear overall)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = starts = [0]
        at = text.find("\n")
        while at >= 0:  # a step per line, not per character
            starts.append(at + 1)
            at = text.find("\n", at + 1)
        self.cursor = 0

    def line(self, needle: str) -> int:
        pos = self.text.find(needle, self.cursor)
        if pos < 0:
            pos = self.text.find(needle)
        if pos < 0:
            return max(0, bisect_right(self.starts, self.cursor) - 1)
        self.cursor = pos + len(needle)
        return bisect_right(self.starts, pos) - 1
