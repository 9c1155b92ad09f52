"""The comparison of two builds' entity facts, and the change log kept in history.json."""

from __future__ import annotations

from generator.changes import Change, ChangeLog, compare, keep, read_log
from generator.history import history_json, read_history
from generator.refs import parse_ref

AT = "2026-12-02T10:00:00Z"


def facts(**extra) -> dict:
    base = {"kind": "Component", "title": "A", "owner": "group:default/a",
            "lifecycle": "production", "system": "", "tier": "", "level": "Bronze",
            "relations": {}}
    return {**base, **extra}


def kinds(changes: list[Change]) -> list[tuple[str, str, str, str]]:
    return [(c.ref, c.kind, c.before, c.after) for c in changes]


def test_compare_finds_each_kind_of_change_once():
    a, b, c = (parse_ref(f"component:{n}") for n in "abc")
    before = {a: facts(relations={"dependsOn": ["resource:default/db"]}), b: facts(title="B")}
    after = {a: facts(owner="group:default/b", lifecycle="deprecated", tier="1",
                      level="Silver", system="system:default/s",
                      relations={"dependsOn": ["component:default/c"]}),
             c: facts(title="C")}
    found = compare(before, after, renamed={}, at=AT, levels=("Bronze", "Silver"))
    assert kinds(found) == [
        ("component:default/a", "owner", "group:default/a", "group:default/b"),
        ("component:default/a", "lifecycle", "production", "deprecated"),
        ("component:default/a", "system", "", "system:default/s"),
        ("component:default/a", "tier", "", "1"),
        ("component:default/a", "dependency-added", "", "component:default/c"),
        ("component:default/a", "dependency-removed", "", "resource:default/db"),
        ("component:default/a", "level-gained", "Bronze", "Silver"),
        ("component:default/b", "removed", "", ""),
        ("component:default/c", "added", "", ""),
    ]
    assert {c.at for c in found} == {AT}


def test_a_renamed_entity_is_one_rename_not_a_removal_and_an_addition():
    old, new = parse_ref("component:old"), parse_ref("component:new")
    found = compare({old: facts()}, {new: facts(lifecycle="deprecated")},
                    renamed={old: new}, at=AT)
    assert kinds(found) == [("component:default/new", "renamed", "component:default/old", ""),
                            ("component:default/new", "lifecycle", "production", "deprecated")]


def test_facts_an_older_history_lacks_are_not_changes():
    a = parse_ref("component:a")
    old = {a: {"kind": "Component", "title": "A", "owner": "group:default/a"}}
    assert compare(old, {a: facts()}, renamed={}, at=AT) == []


def test_an_entity_removed_before_is_not_removed_again_and_returns_as_added():
    a, b = parse_ref("component:a"), parse_ref("component:b")
    old = {a: {**facts(), "removed": True}, b: {**facts(), "removed": True}}
    assert kinds(compare(old, {a: facts()}, renamed={}, at=AT)) == [
        ("component:default/a", "added", "", "")]


def test_a_lost_level_is_lost_even_to_no_level():
    a = parse_ref("component:a")
    found = compare({a: facts(level="Silver")}, {a: facts(level="")}, renamed={}, at=AT,
                    levels=("Bronze", "Silver"))
    assert kinds(found) == [("component:default/a", "level-lost", "Silver", "")]
    assert found[0].describe() == "lost scorecard level Silver"


def test_the_log_keeps_new_changes_first_and_drops_old_days_and_builds():
    old = [Change("2026-11-30T00:00:00Z", "component:default/a", "added", build=2),
           Change("2026-08-01T00:00:00Z", "component:default/b", "added", build=1)]
    new = [Change(AT, "component:default/c", "added", build=3)]
    log = keep(ChangeLog(2, old), new, at=AT, days=90, builds=0)
    assert (log.build, [c.ref[-1] for c in log.changes]) == (3, ["c", "a"])
    assert [c.ref[-1] for c in keep(ChangeLog(2, old), new, at=AT, days=0,
                                    builds=1).changes] == ["c"]


def test_the_log_reads_back_what_it_wrote_and_skips_bad_records():
    log = ChangeLog(4, [Change(AT, "component:default/a", "owner", title="A",
                               before="group:default/x", after="group:default/y", build=4)])
    assert read_log(log.to_json()) == log
    bad = {"build": "x", "log": [{"at": 1}, "text", {"at": AT, "ref": "r", "kind": "added",
                                                     "build": "no"}]}
    assert read_log(bad) == ChangeLog(0, [Change(AT, "r", "added")])
    assert read_log(None) == ChangeLog()


def test_history_keeps_other_sections_and_reads_older_files(tmp_path):
    path = tmp_path / "history.json"
    a = parse_ref("component:a")
    path.write_text(history_json({a: facts()}, {"adoption": {"trend": [1]}, "changes": {}}))
    history, problems = read_history(path)
    assert problems == [] and history.found
    assert history.sections == {"adoption": {"trend": [1]}, "changes": {}}
    assert history.entities[a]["relations"] == {} and history.entities[a]["level"] == "Bronze"
    path.write_text('{"entities": [{"ref": "component:a", "title": "A", "owner": 3}]}')
    history, problems = read_history(path)
    assert history.entities == {a: {"title": "A"}} and history.sections == {}


def test_a_broken_history_is_a_problem_and_no_comparison(tmp_path):
    path = tmp_path / "history.json"
    path.write_text('{"entities": [{"ref": "component:a", "relations": []}], "changes": 1')
    history, problems = read_history(path)
    assert not history.found and [p.code for p in problems] == ["history-invalid"]
