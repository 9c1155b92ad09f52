"""Scorecard pages: levels and rules on entity pages, team rollups, the organisation page.

:class:`ScorecardFeature` presents :class:`~generator.scorecards.Scores`:

* a *Scorecard* section on every scored entity's page: its level, each rule
  passed or failed, and how to fix the failing ones;
* a rollup on every group's page (what it and its child groups own);
* the organisation page ``scorecards/index.md`` (per team, per rule);
* an SVG badge per scored entity at ``badges/<namespace>/<kind>/<name>.svg``
  for READMEs.

HTML built once per site (the organisation page's tables, each level's and
rule's cells) comes from the partials in ``templates/scorecards/``, escaped by
the renderer; the sections on every entity's page and the badges are string
building over those cells (:class:`Cells`), for speed. Rule texts come from a
configuration file and entity data from descriptors: both are untrusted and
escaped with :func:`html.escape` either way.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from markupsafe import Markup

from generator.pages.features import Section
from generator.pages.html import item_html
from generator.pages.renderer import Renderer
from generator.pages.views import MAX_ROWS, ViewBuilder
from generator.scorecards import owned_by, rollup
from generator.urls import badge_path, relative_url

if TYPE_CHECKING:
    from collections.abc import Iterable

    from generator.catalog import Catalog
    from generator.entities import Entity
    from generator.pages.model import GeneratedPage, PageSet
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


# --------------------------------------------------------------------------- cells


class Cells:
    """Escaped HTML pieces of one ruleset's scorecards, for sections and partials alike.

    Levels, rules and hints come from ``templates/scorecards/cells.html.j2``,
    drawn once per ruleset; the rest is string building, because every
    scored entity's section is made of these pieces (Jinja would take ten
    times as long for them).
    """

    def __init__(self, ruleset: Ruleset, renderer: Renderer) -> None:
        self.ruleset = ruleset
        macros = renderer.html_env.get_template("scorecards/cells.html.j2").module
        self._levels: dict[str | None, Markup] = {
            level: macros.level(level_colour(ruleset, level), level or NO_LEVEL)
            for level in (*ruleset.levels, None)}
        self._rules: dict[str, Markup] = {r.id: macros.rule(r) for r in ruleset.rules}
        self._fixes: dict[str, Markup] = {r.id: macros.hint(r.fix) for r in ruleset.rules}

    def level(self, level: str | None) -> Markup:
        """A level's badge (``No level`` for ``None``)."""
        return self._levels[level]

    def rule(self, rule: Rule) -> Markup:
        """A rule's title, id and description."""
        return self._rules[rule.id]

    def fix(self, rule: Rule) -> Markup:
        """A rule's "how to fix", with `backticks` as code."""
        return self._fixes[rule.id]

    @staticmethod
    def titles(results: Iterable[RuleResult]) -> str:
        return ", ".join(escape(r.rule.title) for r in results)

    def next_step(self, score: Score) -> Markup:
        """What the entity needs for its next level."""
        if score.next_level is None:
            return Markup("Every rule passes.")
        return Markup(f"{self._levels[score.next_level]} needs: {self.titles(score.blocking())}")

    def counts(self, summary: Rollup) -> Markup:
        """Entities per level, highest level first."""
        return Markup(" ".join(f"{self._levels[level]} {n}" for level, n in summary.levels))

    @staticmethod
    def percent(rate: float | None) -> str:
        """A share as a whole percentage; a dash for none.

        >>> Cells.percent(0.5), Cells.percent(None)
        ('50%', '–')
        """
        return "–" if rate is None else f"{rate:.0%}"

    @staticmethod
    def table(head: list[str], rows: str, more: int = 0) -> Markup:
        """A table around ``rows`` (finished ``<tr>`` lines); ``more`` rows left out."""
        cells = "".join(f"<th>{escape(h)}</th>" for h in head)
        extra = f'<p class="pr-note">… and {more:,} more.</p>' if more else ""
        return Markup(f'<div class="pr-rel"><table><thead><tr>{cells}</tr></thead><tbody>\n'
                      f"{rows}\n</tbody></table>{extra}</div>")


# --------------------------------------------------------------------------- sections


def _worst_first(scores: Scores, refs: Iterable[EntityRef]) -> list[Score]:
    ruleset = scores.ruleset
    return sorted((scores.entities[r] for r in refs if r in scores.entities),
                  key=lambda s: (ruleset.rank(s.level), s.ref))


def score_html(cells: Cells, b: ViewBuilder, score: Score) -> Markup:
    """The Scorecard section of one entity's page: failing rules with fixes, then the rest."""
    ruleset = cells.ruleset
    badge = relative_url(b.page, badge_path(score.ref))
    alt = escape(f"{BADGE_LABEL}: {score.level or NO_LEVEL}")
    count = len(score.results)
    summary = f"{len(score.passed)} of {count} rule{'s' if count != 1 else ''} pass."
    if score.next_level is not None:
        blocking = score.blocking()
        summary += (f" To reach {cells.level(score.next_level)}, fix "
                    f"{len(blocking)} more: {cells.titles(blocking)}.")
    else:
        summary += " This is the highest level."
    parts = [f'<p class="pr-scorecard-summary"><img class="pr-scorecard-badge" '
             f'src="{escape(badge)}" alt="{alt}" height="20"> {summary}</p>']
    failed = sorted(score.failed, key=lambda r: ruleset.rank(r.rule.level))
    if failed:
        rows = [f'<tr class="pr-rule--fail"><td>{cells.rule(r.rule)}</td>'
                f"<td>{cells.level(r.rule.level)}</td>"
                f'<td><span class="pr-check pr-check--fail">✗ Fails</span><br>'
                f'<span class="pr-note">{escape(r.reason)}</span></td>'
                f"<td>{cells.fix(r.rule)}</td></tr>" for r in failed]
        parts.append(cells.table(["Rule", "Level", "Result", "How to fix"], "\n".join(rows)))
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


def rollup_html(cells: Cells, b: ViewBuilder, scores: Scores,
                refs: list[EntityRef]) -> Markup | None:
    """A group's rollup: its entities per level, worst first, and its most failed rules."""
    summary = rollup(scores, refs)
    if not summary.total:
        return None
    org = relative_url(b.page, SCORECARDS_PAGE)
    head = (f'<p class="pr-scorecard-summary">{summary.total} scored '
            f"entit{'ies' if summary.total != 1 else 'y'} owned by this group and its child "
            f"groups: {cells.counts(summary)}. Rules passed: "
            f'{cells.percent(summary.pass_rate)}. <a href="{escape(org)}">Organisation '
            "scorecard</a>.</p>")
    chosen = _worst_first(scores, set(refs))
    rows = [f"<tr><td>{item_html(b.link(s.ref))}</td><td>{cells.level(s.level)}</td>"
            f"<td>{cells.next_step(s)}</td></tr>" for s in chosen[:MAX_ROWS]]
    parts = [head, cells.table(["Entity", "Level", "Next step"], "\n".join(rows),
                               max(0, len(chosen) - MAX_ROWS))]
    worst = summary.most_failed()
    if worst:
        rule_rows = [f"<tr><td>{cells.rule(s.rule)}</td><td>{cells.level(s.rule.level)}</td>"
                     f"<td>{len(s.failing)} of {s.applicable}</td>"
                     f"<td>{cells.fix(s.rule)}</td></tr>" for s in worst]
        parts += ["<p><strong>Most failed rules</strong></p>",
                  cells.table(["Rule", "Level", "Failing", "How to fix"], "\n".join(rule_rows))]
    return Markup('<div class="pr-scorecard">\n' + "\n".join(parts) + "\n</div>")


# --------------------------------------------------------------------------- the page


def _team_rows(catalog: Catalog, scores: Scores, b: ViewBuilder
               ) -> list[tuple[str | Markup, Rollup]]:
    """Each team's rollup of what it owns directly, then what no team owns."""
    rows: list[tuple[str | Markup, Rollup]] = []
    placed: set[EntityRef] = set()
    for group in catalog.of_kind("group"):
        owned = [r for r in owned_by(catalog, group.ref, through_children=False)
                 if r in scores.entities]
        if not owned:
            continue
        placed.update(owned)
        rows.append((Markup(item_html(b.link(group.ref))), rollup(scores, owned)))
    rest = [r for r in scores.entities if r not in placed]
    if rest:
        rows.append(("Not owned by a team", rollup(scores, rest)))
    return rows


def organisation_page(catalog: Catalog, scores: Scores, renderer: Renderer,
                      cells: Cells) -> GeneratedPage:
    """The organisation's scorecard page: levels, rules, teams and entities worst first."""
    ruleset = scores.ruleset
    b = ViewBuilder(catalog, SCORECARDS_PAGE)
    summary = rollup(scores)
    chosen = _worst_first(scores, scores.entities)
    return renderer.render(
        "scorecards.md.j2", total=summary.total, rules=len(ruleset.rules),
        source=ruleset.source, pass_rate=cells.percent(summary.pass_rate),
        counts=cells.counts(summary),
        levels=renderer.html("scorecards/levels.html.j2", cells=cells),
        rules_table=renderer.html("scorecards/rules.html.j2", cells=cells,
                                  stats={s.rule.id: s for s in summary.rules}),
        teams_table=renderer.html(
            "scorecards/teams.html.j2", cells=cells, teams=_team_rows(catalog, scores, b),
            level_names=[lvl or NO_LEVEL for lvl in [*reversed(ruleset.levels), None]]),
        entities_table=renderer.html(
            "scorecards/entities.html.j2", cells=cells, chosen=chosen[:MAX_ROWS],
            more=max(0, len(chosen) - MAX_ROWS), link=b.link,
            kind=lambda ref: catalog.entities[ref].kind,
            owner=lambda ref: b.refs(b.owner(ref))))


class ScorecardFeature:
    """Adds scorecards to entity and group pages, the organisation page and badges."""

    def __init__(self, scores: Scores) -> None:
        self.scores = scores
        self.cells = Cells(scores.ruleset, Renderer())

    def entity(self, builder: ViewBuilder, entity: Entity, view: EntityView) -> None:
        score = self.scores.get(entity.ref)
        if score is not None:
            view.sections.append(Section("Scorecard", score_html(
                self.cells, builder, score), "scorecard"))
        if entity.ref.kind == "group":
            html = rollup_html(self.cells, builder, self.scores,
                               owned_by(builder.catalog, entity.ref))
            if html is not None:
                view.sections.append(Section("Scorecard", html, "scorecard"))

    def site(self, catalog: Catalog, pages: PageSet, renderer: Renderer) -> None:
        scores, ruleset = self.scores, self.scores.ruleset
        for ref, score in scores.entities.items():
            pages.add_asset(badge_path(ref), badge_svg(
                BADGE_LABEL, score.level or NO_LEVEL, level_colour(ruleset, score.level)))
        pages.add_page(SCORECARDS_PAGE,
                       organisation_page(catalog, scores, renderer, self.cells), listed=True)
        pages.nav.append({"Scorecards": SCORECARDS_PAGE})
