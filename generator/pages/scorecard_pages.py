"""Scorecard pages: levels and rules on entity pages, team rollups, the organisation page.

:class:`ScorecardFeature` presents :class:`~generator.scorecards.Scores`:

* a *Scorecard* section on every scored entity's page: its level, each rule
  passed or failed, and how to fix the failing ones;
* a rollup on every group's page (what it and its child groups own);
* the organisation page ``scorecards/index.md`` (per team, per rule);
* an SVG badge per scored entity at ``badges/<namespace>/<kind>/<name>.svg``
  for READMEs.

All HTML is built here with :func:`html.escape`; rule texts come from a
configuration file and entity data from descriptors, so both are untrusted.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from markupsafe import Markup

from generator.pages.features import Section
from generator.pages.html import cell_html, item_html
from generator.pages.views import MAX_ROWS, ViewBuilder
from generator.scorecards import owned_by, rollup
from generator.urls import badge_path, relative_url

if TYPE_CHECKING:
    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.pages.model import PageSet
    from generator.pages.renderer import Renderer
    from generator.pages.views import EntityView
    from generator.refs import EntityRef
    from generator.scorecards import Rollup, Rule, RuleResult, Ruleset, Score, Scores

__all__ = [
    "BADGE_LABEL",
    "SCORECARDS_PAGE",
    "ScorecardFeature",
    "badge_svg",
    "level_colour",
]

SCORECARDS_PAGE = "scorecards/index.md"
"""The organisation's scorecard page."""
BADGE_LABEL = "paved road"
"""Left-hand text of every badge."""
NO_LEVEL = "No level"
"""How an entity that does not reach the lowest level is shown."""

_METALS = {"bronze": "#a0522d", "silver": "#5f6b78", "gold": "#8a6d0b",
           "platinum": "#3d6e7c"}
"""Colours (white text stays readable on each) of the usual level names."""
_RAMP = ("#5f6b78", "#3f7f95", "#2e7d4f", "#1f6f43", "#145a32")
"""Colours of other level names, lowest to highest."""
_NONE_COLOUR = "#b0413e"
_COLOUR = re.compile(r"^#[0-9a-f]{6}$")


def level_colour(ruleset: Ruleset, level: str | None) -> str:
    """The colour of a level: metal names keep their metal, others climb a ramp.

    >>> from generator.scorecards import default_ruleset
    >>> level_colour(default_ruleset(), "Gold"), level_colour(default_ruleset(), None)
    ('#8a6d0b', '#b0413e')
    """
    if level is None:
        return _NONE_COLOUR
    metal = _METALS.get(level.lower())
    if metal:
        return metal
    rank = ruleset.rank(level)
    step = (rank - 1) * (len(_RAMP) - 1) // max(1, len(ruleset.levels) - 1)
    return _RAMP[step]


# --------------------------------------------------------------------------- badges

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NARROW = set("fijlrt.,:;!|' ()[]")
_WIDE = set("mwMW@%")


def _badge_text(text: str, limit: int = 40) -> str:
    """Text that is valid in XML, on one line, and not too long."""
    flat = " ".join(_XML_INVALID.sub("", text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def _text_width(text: str) -> int:
    """Approximate width in pixels of ``text`` in 11px Verdana."""
    return sum(4 if c in _NARROW else 10 if c in _WIDE else 8 if c.isupper() else 7
               for c in text)


def badge_svg(label: str, value: str, colour: str) -> str:
    """A self-contained, shields-style SVG badge; both texts are escaped.

    >>> svg = badge_svg("paved road", "<Gold>", "#8a6d0b")
    >>> "&lt;Gold&gt;" in svg and "<Gold>" not in svg
    True
    """
    label, value = _badge_text(label), _badge_text(value)
    colour = colour if _COLOUR.match(colour) else _NONE_COLOUR
    left, right = _text_width(label) + 12, _text_width(value) + 12
    total = left + right
    title = escape(f"{label}: {value}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{title}"><title>{title}</title>'
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
        'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        f'<rect width="{total}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" '
        'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{left / 2:g}" y="14">{escape(label)}</text>'
        f'<text x="{left + right / 2:g}" y="14">{escape(value)}</text></g></svg>\n')


# --------------------------------------------------------------------------- HTML pieces


def _level_html(ruleset: Ruleset, level: str | None) -> str:
    colour = level_colour(ruleset, level)
    return (f'<span class="pr-level" style="--pr-level-colour: {colour}">'
            f"{escape(level or NO_LEVEL)}</span>")


def _hint_html(text: str) -> str:
    """Plain text with `backticks` shown as code; everything escaped.

    >>> _hint_html("Set `spec.owner` <now>")
    'Set <code>spec.owner</code> &lt;now&gt;'
    """
    parts = text.split("`")
    if len(parts) % 2 == 0:  # unbalanced: show the backticks as they are
        return escape(text)
    return "".join(f"<code>{escape(p)}</code>" if i % 2 else escape(p)
                   for i, p in enumerate(parts))


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"


def _rule_html(rule: Rule) -> str:
    note = f'<br><span class="pr-note">{escape(rule.description)}</span>' \
        if rule.description else ""
    return f"<strong>{escape(rule.title)}</strong> <code>{escape(rule.id)}</code>{note}"


def _table(head: list[str], rows: list[str], more: int = 0) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    extra = f'<p class="pr-note">… and {more:,} more.</p>' if more else ""
    return (f'<div class="pr-rel"><table><thead><tr>{cells}</tr></thead><tbody>\n'
            + "\n".join(rows) + f"\n</tbody></table>{extra}</div>")


def _titles(results: list[RuleResult]) -> str:
    return ", ".join(escape(r.rule.title) for r in results)


def _next_step(score: Score, ruleset: Ruleset) -> str:
    if score.next_level is None:
        return "Every rule passes."
    return f"{_level_html(ruleset, score.next_level)} needs: {_titles(score.blocking())}"


def score_html(b: ViewBuilder, score: Score, ruleset: Ruleset) -> Markup:
    """The Scorecard section of one entity's page: failing rules with fixes, then the rest."""
    badge = relative_url(b.page, badge_path(score.ref))
    alt = escape(f"{BADGE_LABEL}: {score.level or NO_LEVEL}")
    count = len(score.results)
    summary = f"{len(score.passed)} of {count} rule{'s' if count != 1 else ''} pass."
    if score.next_level is not None:
        blocking = score.blocking()
        summary += (f" To reach {_level_html(ruleset, score.next_level)}, fix "
                    f"{len(blocking)} more: {_titles(blocking)}.")
    else:
        summary += " This is the highest level."
    parts = [f'<p class="pr-scorecard-summary"><img class="pr-scorecard-badge" '
             f'src="{escape(badge)}" alt="{alt}" height="20"> {summary}</p>']
    failed = sorted(score.failed, key=lambda r: ruleset.rank(r.rule.level))
    if failed:
        rows = [f'<tr class="pr-rule--fail"><td>{_rule_html(r.rule)}</td>'
                f"<td>{_level_html(ruleset, r.rule.level)}</td>"
                f'<td><span class="pr-check pr-check--fail">✗ Fails</span><br>'
                f'<span class="pr-note">{escape(r.reason)}</span></td>'
                f"<td>{_hint_html(r.rule.fix)}</td></tr>" for r in failed]
        parts.append(_table(["Rule", "Level", "Result", "How to fix"], rows))
    if score.passed:
        names = ", ".join(f"{escape(r.rule.title)} ({escape(r.rule.level)})"
                          for r in score.passed)
        parts.append(f'<p class="pr-scorecard-passed"><span class="pr-check pr-check--pass">'
                     f"✓ Passes</span> {names}.</p>")
    org = relative_url(b.page, SCORECARDS_PAGE)
    parts.append(
        '<p class="pr-note">Badge for a README, always showing the current level: '
        f"<code>&lt;portal&gt;/{escape(badge_path(score.ref))}</code>. "
        f'<a href="{escape(org)}">How every team scores</a>.</p>')
    return Markup('<div class="pr-scorecard">\n' + "\n".join(parts) + "\n</div>")


def _counts_html(ruleset: Ruleset, summary: Rollup) -> str:
    return " ".join(f"{_level_html(ruleset, level)} {n}" for level, n in summary.levels)


def rollup_html(b: ViewBuilder, scores: Scores, refs: list[EntityRef]) -> Markup | None:
    """A group's rollup: its entities per level, worst first, and its most failed rules."""
    ruleset = scores.ruleset
    summary = rollup(scores, refs)
    if not summary.total:
        return None
    org = relative_url(b.page, SCORECARDS_PAGE)
    head = (f'<p class="pr-scorecard-summary">{summary.total} scored '
            f"entit{'ies' if summary.total != 1 else 'y'} owned by this group and its child "
            f"groups: {_counts_html(ruleset, summary)}. Rules passed: "
            f'{_percent(summary.pass_rate)}. <a href="{escape(org)}">Organisation scorecard</a>.'
            "</p>")
    chosen = sorted((scores.entities[r] for r in set(refs) if r in scores.entities),
                    key=lambda s: (ruleset.rank(s.level), s.ref))
    rows = [f"<tr><td>{item_html(b.link(s.ref))}</td><td>{_level_html(ruleset, s.level)}</td>"
            f"<td>{_next_step(s, ruleset)}</td></tr>" for s in chosen[:MAX_ROWS]]
    parts = [head, _table(["Entity", "Level", "Next step"], rows,
                          max(0, len(chosen) - MAX_ROWS))]
    worst = summary.most_failed()
    if worst:
        rule_rows = [f"<tr><td>{_rule_html(s.rule)}</td>"
                     f"<td>{_level_html(ruleset, s.rule.level)}</td>"
                     f"<td>{len(s.failing)} of {s.applicable}</td>"
                     f"<td>{_hint_html(s.rule.fix)}</td></tr>" for s in worst]
        parts += ["<p><strong>Most failed rules</strong></p>",
                  _table(["Rule", "Level", "Failing", "How to fix"], rule_rows)]
    return Markup('<div class="pr-scorecard">\n' + "\n".join(parts) + "\n</div>")


# --------------------------------------------------------------------------- the page


def _rules_html(scores: Scores) -> Markup:
    ruleset = scores.ruleset
    stats = {s.rule.id: s for s in rollup(scores).rules}
    rows = []
    for rule in ruleset.rules:
        stat = stats.get(rule.id)
        applicable, passed = (stat.applicable, stat.passed) if stat else (0, 0)
        rows.append(f"<tr><td>{_rule_html(rule)}</td><td>{_level_html(ruleset, rule.level)}</td>"
                    f"<td>{escape(rule.filter.describe())}</td><td>{passed} of {applicable}"
                    f"<br>{_percent(stat.rate if stat else None)}</td>"
                    f"<td>{_hint_html(rule.fix)}</td></tr>")
    return Markup(_table(["Rule", "Level", "Applies to", "Passing", "How to fix"], rows))


def _teams_html(catalog: Catalog, scores: Scores, b: ViewBuilder) -> Markup:
    ruleset = scores.ruleset
    rows = []
    placed: set[EntityRef] = set()
    for group in catalog.of_kind("group"):
        owned = [r for r in owned_by(catalog, group.ref, through_children=False)
                 if r in scores.entities]
        if not owned:
            continue
        placed.update(owned)
        rows.append((item_html(b.link(group.ref)), rollup(scores, owned)))
    rest = [r for r in scores.entities if r not in placed]
    if rest:
        rows.append(("Not owned by a team", rollup(scores, rest)))
    head = ["Team", "Scored", *[lvl or NO_LEVEL for lvl in
                                 [*reversed(ruleset.levels), None]], "Rules passed"]
    body = [f"<tr><td>{name}</td><td>{r.total}</td>"
            + "".join(f"<td>{n}</td>" for _, n in r.levels)
            + f"<td>{_percent(r.pass_rate)}</td></tr>" for name, r in rows]
    return Markup(_table(head, body))


def _entities_html(catalog: Catalog, scores: Scores, b: ViewBuilder) -> Markup:
    ruleset = scores.ruleset
    chosen = sorted(scores.entities.values(), key=lambda s: (ruleset.rank(s.level), s.ref))
    rows = []
    for score in chosen[:MAX_ROWS]:
        entity = catalog.entities[score.ref]
        rows.append(f"<tr><td>{item_html(b.link(score.ref))}</td><td>{escape(entity.kind)}</td>"
                    f"<td>{cell_html(b.refs(b.owner(score.ref)))}</td>"
                    f"<td>{_level_html(ruleset, score.level)}</td>"
                    f"<td>{_next_step(score, ruleset)}</td></tr>")
    return Markup(_table(["Entity", "Kind", "Owner", "Level", "Next step"], rows,
                         max(0, len(chosen) - MAX_ROWS)))


def _levels_html(scores: Scores) -> Markup:
    ruleset = scores.ruleset
    items = []
    for level in ruleset.levels:
        titles = ", ".join(escape(r.title) for r in ruleset.rules_of(level)) or "no rules"
        items.append(f"<li>{_level_html(ruleset, level)} {titles}</li>")
    return Markup('<div class="pr-scorecard"><ol class="pr-levels">' + "".join(items)
                  + "</ol></div>")


class ScorecardFeature:
    """Adds scorecards to entity and group pages, the organisation page and badges."""

    def __init__(self, scores: Scores) -> None:
        self.scores = scores

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        score = self.scores.get(entity.ref)
        if score is not None:
            view.sections.append(Section("Scorecard", score_html(builder, score,
                                                                 self.scores.ruleset), "about"))
        if entity.ref.kind == "group":
            html = rollup_html(builder, self.scores, owned_by(builder.catalog, entity.ref))
            if html is not None:
                view.sections.append(Section("Scorecard", html, "about"))

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        scores, ruleset = self.scores, self.scores.ruleset
        for ref, score in scores.entities.items():
            pages.add_asset(badge_path(ref), badge_svg(
                BADGE_LABEL, score.level or NO_LEVEL, level_colour(ruleset, score.level)))
        b = ViewBuilder(catalog, SCORECARDS_PAGE)
        summary = rollup(scores)
        pages.add_page(SCORECARDS_PAGE, renderer.render(
            "scorecards.md.j2", total=summary.total, rules=len(ruleset.rules),
            source=ruleset.source, pass_rate=_percent(summary.pass_rate),
            counts=Markup(_counts_html(ruleset, summary)), levels=_levels_html(scores),
            rules_table=_rules_html(scores), teams_table=_teams_html(catalog, scores, b),
            entities_table=_entities_html(catalog, scores, b)), listed=True)
        pages.nav.append({"Scorecards": SCORECARDS_PAGE})
