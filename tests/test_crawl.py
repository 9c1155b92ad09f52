"""Bad input: each gets a located problem and costs nothing else."""

from __future__ import annotations

from pathlib import Path

from conftest import COMPONENT, GROUP, codes, load_repo

from generator.problems import Severity

GOOD = COMPONENT.format(name="good-service", owner="team-a") + "---\n" + GROUP.format(name="team-a")


def _problem(run, code):
    found = [p for p in run.catalog.problems if p.code == code]
    assert found, f"no {code} problem in {[p.code for p in run.catalog.problems]}"
    return found[0]


def _good_survives(run):
    assert any(r.name == "good-service" for r in run.catalog.entities), "good entity was lost"


def test_descriptors_found_at_any_depth_and_both_extensions(make_repo):
    root = make_repo({
        "catalog-info.yaml": GROUP.format(name="team-a"),
        "services/a/catalog-info.yml": COMPONENT.format(name="a", owner="team-a"),
        ".backstage/catalog-info.yaml": COMPONENT.format(name="b", owner="team-a"),
        "node_modules/x/catalog-info.yaml": COMPONENT.format(name="vendored", owner="team-a"),
        "other.yaml": COMPONENT.format(name="not-a-descriptor", owner="team-a"),
    })
    run = load_repo(root)
    assert sorted(r.name for r in run.catalog.entities) == ["a", "b", "team-a"]
    assert run.catalog.problems == []


def test_provenance_is_recorded(make_repo):
    root = make_repo({"deploy/catalog-info.yaml": "# comment\n" + GOOD})
    run = load_repo(root, name="shop")
    entity = next(e for e in run.catalog.entities.values() if e.name == "team-a")
    assert (entity.provenance.repo, entity.provenance.path) == ("shop", "deploy/catalog-info.yaml")
    assert entity.provenance.line == 11


def test_malformed_yaml(make_repo):
    root = make_repo({"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: [\n",
                      "ok/catalog-info.yaml": GOOD})
    run = load_repo(root)
    problem = _problem(run, "yaml-syntax")
    assert problem.file.endswith("catalog-info.yaml") and problem.line == 3
    _good_survives(run)


def test_document_that_is_not_a_mapping(make_repo):
    root = make_repo({"catalog-info.yaml": "- just\n- a list\n---\n" + GOOD})
    run = load_repo(root)
    assert _problem(run, "not-a-mapping").line == 1
    _good_survives(run)


def test_wrong_types_invalid_name_tag_and_annotation(make_repo):
    root = make_repo({"catalog-info.yaml": """\
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata:
          name: tagged
          tags: [ok, "Bad Tag"]
          annotations:
            "not a key": x
        spec:
          type: service
          lifecycle: 3
          owner: team-a
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata:
          name: has spaces
        spec: {type: service, lifecycle: production, owner: team-a}
        """, "good/catalog-info.yaml": GOOD})
    run = load_repo(root)
    assert _problem(run, "invalid-tag").line == 5
    assert _problem(run, "invalid-annotation-key").line == 7
    assert _problem(run, "wrong-type").line == 10
    assert _problem(run, "invalid-name").line == 16
    assert "tagged" in {r.name for r in run.catalog.entities}
    assert "has spaces" not in {r.name for r in run.catalog.entities}
    _good_survives(run)


def test_unknown_api_version_and_missing_required_field(make_repo):
    root = make_repo({"catalog-info.yaml": """\
        apiVersion: backstage.io/v2
        kind: Component
        metadata:
          name: odd
        spec:
          type: service
          owner: team-a
        """, "good/catalog-info.yaml": GOOD})
    run = load_repo(root)
    assert _problem(run, "unknown-api-version").line == 1
    missing = _problem(run, "missing-field")
    assert "spec.lifecycle" in missing.message
    assert missing.entity == "component:default/odd"
    _good_survives(run)


def test_duplicate_entity_names_both_places(make_repo):
    root = make_repo({"a/catalog-info.yaml": GOOD,
                      "b/catalog-info.yaml": COMPONENT.format(name="Good-Service", owner="x")})
    run = load_repo(root)
    dup = _problem(run, "duplicate-entity")
    assert dup.file.endswith("b/catalog-info.yaml")
    assert "a/catalog-info.yaml:1" in dup.message
    owner = run.catalog.related(next(iter(run.catalog.entities)), "ownedBy")
    assert [str(r) for r in owner] == ["group:default/team-a"]


def test_reference_to_missing_entity_is_a_warning(make_repo):
    root = make_repo({"catalog-info.yaml": COMPONENT.format(name="svc", owner="team-nobody")})
    run = load_repo(root)
    problem = _problem(run, "missing-ref")
    assert problem.severity is Severity.WARNING
    assert problem.line == 8
    assert "group:default/team-nobody" in problem.message


def test_dependency_without_kind_is_an_invalid_ref(make_repo):
    root = make_repo({"catalog-info.yaml": COMPONENT.format(name="svc", owner="team-a")
                      + "  dependsOn:\n    - orders-db\n---\n" + GROUP.format(name="team-a")})
    run = load_repo(root)
    problem = _problem(run, "invalid-ref")
    assert problem.line == 10 and "component:orders-db" in problem.message


def test_substitutions(make_repo):
    root = make_repo({
        "catalog-info.yaml": """\
            apiVersion: backstage.io/v1alpha1
            kind: API
            metadata:
              name: orders
              annotations:
                extra: {$text: ./notes.txt}
            spec:
              type: openapi
              lifecycle: production
              owner: team-a
              definition:
                $text: ./api/openapi.yaml
              config: {$json: ./api/config.json}
              more: {$yaml: ./api/more.yaml}
            """,
        "api/openapi.yaml": "openapi: 3.0.0\n",
        "api/config.json": '{"a": [1, 2]}',
        "api/more.yaml": "b: true\n",
        "notes.txt": "hello",
    })
    run = load_repo(root)
    [api] = run.catalog.of_kind("api")
    assert api.spec["definition"] == "openapi: 3.0.0\n"
    assert api.spec["config"] == {"a": [1, 2]}
    assert api.spec["more"] == {"b": True}
    assert api.annotations["extra"] == "hello"
    assert [p.code for p in run.catalog.problems] == ["missing-ref"]


def test_substitution_missing_or_outside_the_repository(make_repo, tmp_path):
    (tmp_path / "secret.txt").write_text("top secret")
    root = make_repo({"catalog-info.yaml": """\
        apiVersion: backstage.io/v1alpha1
        kind: API
        metadata:
          name: leaky
        spec:
          type: openapi
          lifecycle: production
          owner: team-a
          definition: {$text: ../secret.txt}
          other: {$text: /etc/passwd}
          missing: {$text: ./nope.yaml}
        """, "good/catalog-info.yaml": GOOD})
    run = load_repo(root)
    outside = [p for p in run.catalog.problems if p.code == "outside-repository"]
    assert [p.line for p in outside] == [9, 10]
    assert _problem(run, "missing-file").line == 11
    [api] = run.catalog.of_kind("api")
    assert "top secret" not in str(api.spec)
    assert "root:" not in str(api.spec)
    _good_survives(run)


def test_file_over_max_file_size_of_sources_yaml_is_a_problem(make_repo):
    from generator.pipeline import load_catalog

    root = make_repo({"r/catalog-info.yaml": GOOD + "# " + "x" * 5000 + "\n",
                      "r/ok/catalog-info.yaml": COMPONENT.format(name="small", owner="team-a"),
                      "sources.yaml": "sources:\n  - path: r\nmax_file_size: 4096\n"},
                     name="org")
    run = load_catalog(root / "sources.yaml", progress=False)
    assert _problem(run, "file-too-large").file.endswith("/catalog-info.yaml")
    assert [r.name for r in run.catalog.entities] == ["small"]


def test_alias_bomb_in_a_descriptor(make_repo):
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    root = make_repo({"catalog-info.yaml": bomb, "ok/catalog-info.yaml": GOOD})
    run = load_repo(root)
    assert _problem(run, "yaml-too-large")
    _good_survives(run)


def test_binary_and_non_utf8_files(make_repo):
    root = make_repo({"a/catalog-info.yaml": b"\x89PNG\r\n\x1a\n\x00\x00",
                      "b/catalog-info.yaml": b"name: caf\xe9\n",
                      "ok/catalog-info.yaml": GOOD})
    run = load_repo(root)
    assert _problem(run, "binary-file").file.endswith("a/catalog-info.yaml")
    assert _problem(run, "unreadable").file.endswith("b/catalog-info.yaml")
    _good_survives(run)


def test_symlink_out_of_the_repository(make_repo, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(COMPONENT.format(name="smuggled", owner="team-a"))
    root = make_repo({"ok/catalog-info.yaml": GOOD})
    (root / "catalog-info.yaml").symlink_to(outside)
    (root / "linked-dir").symlink_to(tmp_path, target_is_directory=True)
    run = load_repo(root)
    assert _problem(run, "outside-repository").file.endswith("catalog-info.yaml")
    assert "smuggled" not in {r.name for r in run.catalog.entities}
    _good_survives(run)


def test_symlink_inside_the_repository_is_fine(make_repo):
    root = make_repo({"real.yaml": GOOD})
    (root / "catalog-info.yaml").symlink_to("real.yaml")
    run = load_repo(root)
    assert run.catalog.problems == []
    _good_survives(run)


def test_unreadable_file(make_repo):
    root = make_repo({"catalog-info.yaml": """\
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata:
          name: points-at-a-directory
        spec:
          target: ./services
        """, "services/a/x.txt": "", "ok/catalog-info.yaml": GOOD})
    run = load_repo(root)
    problem = _problem(run, "unreadable")
    assert problem.line == 6 and "directory" in problem.message
    _good_survives(run)


def test_location_entities_are_followed_inside_the_repository(make_repo):
    root = make_repo({
        "catalog-info.yaml": """\
            apiVersion: backstage.io/v1alpha1
            kind: Location
            metadata:
              name: monorepo
            spec:
              targets:
                - ./services/*.yaml
                - ./teams.yaml
                - ./gone.yaml
                - ../../outside.yaml
            ---
            apiVersion: backstage.io/v1alpha1
            kind: Location
            metadata:
              name: optional
            spec:
              target: ./maybe.yaml
              presence: optional
            """,
        "services/a.yaml": COMPONENT.format(name="a", owner="team-a"),
        "services/b.yaml": COMPONENT.format(name="b", owner="team-a"),
        "teams.yaml": GROUP.format(name="team-a"),
    })
    run = load_repo(root)
    assert sorted(r.name for r in run.catalog.entities) == ["a", "b", "monorepo", "optional",
                                                            "team-a"]
    assert codes(run) == ["missing-file", "outside-repository"]
    assert _problem(run, "missing-file").line == 9
    assert _problem(run, "outside-repository").line == 10


def test_unknown_kind_is_kept_without_a_warning(make_repo):
    root = make_repo({"catalog-info.yaml": """\
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: w
        spec: {}
        """})
    run = load_repo(root)
    assert [str(r) for r in run.catalog.entities] == ["widget:default/w"]
    assert run.catalog.problems == []


def test_one_broken_repository_does_not_break_the_others(tmp_path):
    from generator.pipeline import load_catalog

    (tmp_path / "repos/good").mkdir(parents=True)
    (tmp_path / "repos/good/catalog-info.yaml").write_text(GOOD)
    (tmp_path / "repos/broken").mkdir()
    (tmp_path / "repos/broken/catalog-info.yaml").write_bytes(b"\x00\x01garbage")
    (tmp_path / "sources.yaml").write_text("sources:\n  - path: repos/*\n  - path: nowhere\n")
    run = load_catalog(tmp_path / "sources.yaml")
    assert sorted(r.name for r in run.repositories) == ["broken", "good"]
    assert sorted(p.code for p in run.catalog.problems) == ["binary-file", "source-missing"]
    assert Path(run.catalog.problems[0].file or "").name in ("sources.yaml", "catalog-info.yaml")
    _good_survives(run)
