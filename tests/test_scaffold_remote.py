"""Remote steps as the commands that finish the job."""

from __future__ import annotations

from generator.scaffold.remote import next_commands


def test_publish_to_gitlab_prints_git_commands_and_the_register_step_uses_its_url():
    lines, published = next_commands(
        "publish:gitlab", {"repoUrl": "gitlab.example.com?owner=team&repo=svc",
                           "defaultBranch": "main"}, "svc", {})
    assert lines == ["cd svc", "git init -b main && git add -A && git commit -m 'initial commit'",
                     "# create the repository team/svc on gitlab.example.com (private)",
                     "git remote add origin https://gitlab.example.com/team/svc.git",
                     "git push -u origin main"]
    register, _ = next_commands("catalog:register", {
        "repoContentsUrl": "<unavailable: steps.publish.output.repoContentsUrl>",
        "catalogInfoPath": "/catalog-info.yaml"}, "svc", published)
    assert register[0] == "# register https://gitlab.example.com/team/svc/blob/main/" \
        "catalog-info.yaml in the catalog:"


def test_merge_request_prints_glab_and_a_bad_repo_url_says_so():
    lines, _ = next_commands("publish:gitlab:merge-request", {
        "repoUrl": "gitlab.com?owner=g&repo=r", "branchName": "add-x", "title": "Add x"}, "x", {})
    assert lines[-1] == "glab mr create --title 'Add x' --description ''"
    bad, _ = next_commands("publish:github", {"repoUrl": "github.com"}, "x", {})
    assert bad == ["# publish:github: repoUrl 'github.com' does not say where to publish"]
