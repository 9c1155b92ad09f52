"""What each problem code means and what to do about it, for SARIF rules and tools.

A :class:`~generator.problems.Problem` carries its own message, specific to
the case; this is the general text for its ``code``, shown once per rule by
code-scanning tools (``pavedroad check --format sarif``).
"""

from __future__ import annotations

__all__ = ["PROBLEM_HELP", "problem_help"]

_DESCRIPTOR = "Fix the descriptor field named in the message"

PROBLEM_HELP: dict[str, str] = {
    # sources.yaml
    "sources-unreadable": "The sources file cannot be read. Check the path given with "
                          "--sources (or the plugin's 'sources' option) and its permissions.",
    "sources-yaml": "The sources file is not valid YAML. Fix the syntax at the line shown.",
    "sources-shape": "The sources file has a field of the wrong shape. It needs a 'sources:' "
                     "list of entries with one of path:, file:, git: or discover: "
                     "(see `pavedroad schema sources`).",
    "source-missing": "A source in sources.yaml names a path that does not exist. Fix the "
                      "path (it is relative to sources.yaml) or remove the entry.",
    "source-empty": "A discover: directory holds no git repositories. Point it at the folder "
                    "that contains the clones or mirrors.",
    "git-unavailable": "A git repository could not be fetched, so its entities are missing. "
                       "Check the URL, the ref and the credentials git uses.",
    "git-stale": "A git repository could not be fetched; the copy from an earlier run was "
                 "used and may be out of date. Check the remote and the credentials.",
    "git-link-skipped": "Symbolic links of a repository on this machine that may point "
                        "outside it (absolute, or with '..' past its top) were not copied. "
                        "Point them at files inside the repository.",
    # files and YAML
    "file-too-large": "A descriptor or docs file is larger than max_file_size and was not "
                      "read. Split it, or raise max_file_size in sources.yaml.",
    "binary-file": "A file that should be text is not valid UTF-8. Save it as UTF-8.",
    "missing-file": "A file the descriptor refers to does not exist in the repository. Fix "
                    "the relative path.",
    "outside-repository": "A path leaves the repository (through '..' or a symlink). Only "
                          "files inside the repository are read.",
    "yaml-syntax": "The file is not valid YAML. Fix the syntax at the line shown.",
    "yaml-too-deep": "The YAML nests too deeply to be a descriptor. Flatten it.",
    "yaml-too-large": "The YAML expands to too many nodes (aliases). Write it out plainly.",
    "yaml-recursive": "The YAML refers to itself through an alias. Remove the recursive "
                      "alias.",
    "yaml-value": "A YAML value cannot be read (an unknown tag or a bad scalar). Write it "
                  "as a plain string, number, list or mapping.",
    "not-a-mapping": "A YAML document in a descriptor file is not a mapping. A descriptor "
                     "starts with apiVersion, kind, metadata and spec.",
    "invalid-substitution": "A $text, $json or $yaml substitution is malformed. Give it one "
                            "relative path, e.g. {$text: ./openapi.yaml}.",
    "unknown-substitution": "An unknown $-substitution. Use $text, $json or $yaml.",
    "remote-substitution": "A substitution points at a URL; only files in the repository "
                           "are read. Vendor the file into the repository.",
    "remote-location": "A Location target is a URL; only files in the repository are "
                       "crawled. List that repository as a source instead.",
    # descriptor fields
    "missing-field": f"{_DESCRIPTOR}: a required field is missing.",
    "wrong-type": f"{_DESCRIPTOR}: it has the wrong type (e.g. a string where a list is "
                  "expected).",
    "invalid-name": "metadata.name must be 1-63 characters [A-Za-z0-9] separated by '-', '_' "
                    "or '.'.",
    "invalid-namespace": "metadata.namespace must be 1-63 lowercase letters, digits and '-'.",
    "invalid-tag": "Each tag must be 1-63 characters [a-z0-9:+#] separated by '-'.",
    "invalid-label-key": "Label keys are [prefix/]name: the prefix a DNS name, the name 1-63 "
                         "characters [A-Za-z0-9-_.].",
    "invalid-label-value": "Label values are empty or 1-63 characters [A-Za-z0-9-_.].",
    "invalid-annotation-key": "Annotation keys are [prefix/]name: the prefix a DNS name, the "
                              "name 1-63 characters [A-Za-z0-9-_.].",
    "invalid-annotation-value": "Annotation values must be strings; quote numbers and "
                                "booleans.",
    "invalid-api-version": "apiVersion must be group/version, e.g. backstage.io/v1alpha1.",
    "unknown-api-version": "The apiVersion is not one defined for this kind; use "
                           "backstage.io/v1alpha1 (scaffolder.backstage.io/v1beta3 for "
                           "Template).",
    "invalid-kind": "kind must be a word such as Component, API or Group.",
    "unknown-kind": "A kind Paved Road does not know; the entity is kept but its spec is not "
                    "checked.",
    "invalid-value": f"{_DESCRIPTOR}: the value is not one of those allowed.",
    "unsafe-link": "Only http, https and mailto links are shown in the portal. Use one of "
                   "those schemes.",
    "entity-skipped": "The entity is left out of the catalog until it has a valid kind and "
                      "metadata.name.",
    "duplicate-entity": "Two descriptors define the same kind, namespace and name. Rename "
                        "one or delete the copy.",
    "invalid-ref": "An entity reference is malformed. Write [kind:][namespace/]name, e.g. "
                   "group:default/checkout-team.",
    "missing-ref": "A reference points at an entity that is not in the catalog. Fix the "
                   "name, add the entity, or give `check` the published catalog with "
                   "--catalog.",
    "invalid-previous-name": "pavedroad.dev/previous-names lists entity references, "
                             "separated by commas.",
    "invalid-pagerduty-id": "pagerduty.com/service-id must be a PagerDuty service id such "
                            "as PABC123.",
    # adoption of the paved road
    "unknown-golden-path": "pavedroad.dev/golden-path names no Template in the catalog. Give "
                           "the template's ref (template:default/<name>), name or title.",
    "off-road-reason-short": "pavedroad.dev/off-road needs a reason of at least 10 "
                             "characters: say why the component leaves the paved road.",
    "off-road-approver-unknown": "pavedroad.dev/off-road-approved-by names no group or user "
                                 "in the catalog. Give the approver's ref, e.g. "
                                 "group:default/platform-team.",
    "off-road-until-invalid": "pavedroad.dev/off-road-until is not a date. Write it as "
                              "YYYY-MM-DD.",
    "off-road-expired": "The off-road exception's end date has passed. Return to a golden "
                        "path, or renew the exception with a later "
                        "pavedroad.dev/off-road-until.",
    # the organisation
    "dependency-cycle": "Entities depend on each other in a cycle; they fail together and "
                        "cannot be deployed alone. Remove one dependsOn or consumesApis "
                        "entry.",
    "production-depends-on-unstable": "A production entity depends on an experimental or "
                                      "deprecated one. Move off it, or change the "
                                      "lifecycle.",
    "scorecard-config": "A rule in scorecards.yaml is wrong and is left out. Fix the field "
                        "named (see `pavedroad schema scorecards`).",
    "history-missing": "No history.json yet at the path given; this build starts one.",
    "history-invalid": "The history file is not a Paved Road history.json; pass the "
                       "history.json of the previously published site.",
    "graphviz-missing": "Graphviz' dot is not installed, so diagrams are left out. Install "
                        "graphviz.",
    # templates (golden paths)
    "template-parameters": "A Template's spec.parameters is not a valid JSON Schema form. Fix "
                           "the property named.",
    "template-steps": "A Template's steps are malformed: each needs an action and its own id.",
    "template-action": "A Template step names an action Paved Road cannot run or describe. "
                       "Check the action id.",
    "template-skeleton": "A Template's skeleton (fetch:template url) is missing or outside the "
                         "template's repository. Fix the path.",
    "template-target-path": "A Template step's targetPath leaves the target directory. Keep it "
                            "relative and inside.",
    "template-syntax": "An expression or skeleton file of a Template does not parse. Fix the "
                       "${{ }} or {% %} syntax at the line shown.",
    # docs
    "docs-missing": "backstage.io/techdocs-ref names a folder that has no docs. Fix the "
                    "folder or add docs/index.md.",
    "docs-config": "The docs folder's mkdocs.yml cannot be used. Fix the field named.",
    "docs-nav-missing": "The docs nav names a page that does not exist. Fix the nav entry.",
    "docs-duplicate-page": "Two docs pages map to the same URL. Rename one.",
    "docs-case-collision": "Two docs paths differ only in letter case, so they would overwrite "
                           "each other on case-insensitive hosts; the second got a -2 suffix. "
                           "Rename one of them.",
    "docs-graphviz-budget": "Graphviz took too long on a docs page's dot fences (plugin "
                            "option graphviz: page_seconds, build_seconds), so some are shown "
                            "as code. Simplify the graphs or split the page.",
    "docs-outside-repository": "docs_dir, a snippet or a file leaves the repository; only "
                               "files inside it are published.",
    "docs-remote-ref": "url: techdocs refs are not fetched; use dir: with docs in the "
                       "repository.",
    "docs-entity-missing": "backstage.io/techdocs-entity names an entity that is not in "
                           "the catalog.",
    "docs-invalid-ref": "A docs link to an entity is malformed. Write "
                        "entity:kind:namespace/name or docs:kind:name.",
    "docs-broken-link": "A link or image in the docs points at nothing. Fix the path.",
    "docs-link-outside": "A docs link leaves the repository; it is not published.",
    "docs-snippet-missing": "A --8<-- snippet names a file that does not exist.",
    "docs-snippet-loop": "Snippets include each other in a loop. Break the loop.",
    "docs-snippet-remote": "A --8<-- snippet names a URL; snippets are read from the "
                           "repository only.",
    # API definitions
    "api-definition": "The API's definition cannot be read in full, or refers outside itself "
                      "(a $ref to a URL or another file is never fetched). Fix it at the place "
                      "named, or bundle the definition into one file.",
    "api-breaking-change": "A change breaks consumers of the published API. Keep the old "
                           "shape (add instead of change), version the API, or, for a "
                           "deliberate break, set the annotation "
                           "pavedroad.dev/breaking-change-ok: \"<reason>\" on the API.",
    "api-change": "A compatible change to a published API (for the reviewer).",
    "api-not-compared": "The changed definition could not be compared with the published one. "
                        "Fix the definition, or check against a newer catalog.json.",
}
"""Problem code → what it means and what to do (plain text)."""


def problem_help(code: str) -> str | None:
    """The help text of ``code``, or ``None`` for a code without an entry.

    >>> problem_help("invalid-tag")
    "Each tag must be 1-63 characters [a-z0-9:+#] separated by '-'."
    """
    return PROBLEM_HELP.get(code)
