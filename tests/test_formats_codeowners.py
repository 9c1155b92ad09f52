"""CODEOWNERS patterns, by the examples of GitHub's "About code owners"."""

from __future__ import annotations

import pytest

from generator.formats.codeowners import parse_codeowners

GITHUB_EXAMPLE = """\
# These owners are the default owners for everything in the repo.
*       @global-owner1 @global-owner2
*.js    @js-owner #This is an inline comment.
*.go docs@example.com
/build/logs/ @doctocat
docs/*  docs@example.com
apps/ @octocat
/docs/ @doctocat
/scripts/ @doctocat @octocat
**/logs @octocat
/apps/github
"""


@pytest.mark.parametrize(("path", "owners"), [
    ("README.md", ("@global-owner1", "@global-owner2")),
    ("src/app.js", ("@js-owner",)),                 # a later line wins over "*"
    ("main.go", ("docs@example.com",)),
    ("build/logs/x.txt", ("@octocat",)),            # /build/logs/ matches, **/logs is later
    ("docs/getting-started.md", ("@doctocat",)),    # /docs/ comes after docs/*
    ("scripts/deploy.sh", ("@doctocat", "@octocat")),
    ("apps/github/catalog-info.yaml", ()),          # no owners: the path is unowned
    ("x/apps/catalog-info.yaml", ("@octocat",)),
])
def test_last_matching_pattern_wins(path, owners):
    rules = parse_codeowners(GITHUB_EXAMPLE, "CODEOWNERS")
    rule = rules.owners_of(path)
    assert rule is not None and rule.owners == owners


def test_leading_slash_anchors_to_the_root():
    rules = parse_codeowners("* @a\n/build/ @b\n", "CODEOWNERS")
    assert rules.owners_of("build/x").owners == ("@b",)
    assert rules.owners_of("src/build/x").owners == ("@a",)


def test_inline_comment_is_not_an_owner():
    rule = parse_codeowners(GITHUB_EXAMPLE, "CODEOWNERS").owners_of("a.js")
    assert rule.owners == ("@js-owner",) and rule.line == 3


def test_unsupported_syntax_is_reported_with_its_line():
    rules = parse_codeowners("* @a\n!keep.txt @b\n[ab].md @c\n", "CODEOWNERS")
    assert [line for line, _ in rules.invalid] == [2, 3]
    assert rules.owners_of("keep.txt").owners == ("@a",)
