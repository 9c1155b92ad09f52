"""Escaped HTML for view objects: items, cells, tables, problem lists.

Plain functions with string building, because an organisation of 10,000
services renders hundreds of thousands of table cells. Every text goes
through :func:`html.escape`; every ``href`` comes from an :class:`Item`
whose URL was checked when it was built.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    from generator.pages.views import Item, Table
    from generator.problems import Problem

__all__ = ["about_html", "cell_html", "item_html", "problems_html", "table_html"]


def item_html(it: Item) -> str:
    """One item: a link when it has an ``href``, else text; its note after it."""
    text = escape(it.text)
    if it.href:
        rel = ' rel="noopener nofollow"' if it.external else ""
        text = f'<a href="{escape(it.href)}"{rel}>{text}</a>'
    if it.ref:
        text += f' <code class="pr-ref">{escape(it.note or "")}</code>'
    elif it.note:
        text += f' <span class="pr-note">({escape(it.note)})</span>'
    return text


def cell_html(items: list[Item]) -> str:
    return ", ".join(item_html(it) for it in items)


def table_html(t: Table) -> Markup:
    """A relation table, or its ``empty`` text when it has no rows."""
    if not t.rows:
        return Markup(f'<div class="pr-rel"><p class="pr-note">{escape(t.empty)}</p></div>')
    head = "".join(f"<th>{escape(c)}</th>" for c in t.columns)
    body = "\n".join("<tr>" + " ".join(f"<td>{cell_html(c)}</td>" for c in row) + "</tr>"
                     for row in t.rows)
    more = f'\n<p class="pr-note">… and {t.more:,} more.</p>' if t.more else ""
    return Markup(f'<div class="pr-rel">\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
                  f"{body}\n</tbody>\n</table>{more}\n</div>")


def about_html(rows: list[tuple[str, list[Item]]]) -> Markup:
    """The About card: one row per fact."""
    body = "\n".join(f"<tr><th>{escape(label)}</th> <td>{cell_html(cell)}</td></tr>"
                     for label, cell in rows)
    return Markup(f'<div class="pr-about">\n<table>\n{body}\n</table>\n</div>')


def problems_html(problems: list[Problem]) -> Markup:
    """A list of problems with their location."""
    items = "\n".join(
        f'<li class="pr-problem pr-problem--{escape(p.severity.value)}">'
        f"<strong>{escape(p.severity.value)}</strong> <code>{escape(p.location)}</code> "
        f"{escape(p.message)}</li>" for p in problems)
    return Markup(f'<div class="pr-problems">\n<ul>\n{items}\n</ul>\n</div>')
