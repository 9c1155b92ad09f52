"""Finding a template: by ref or name in the catalog, or a template.yaml on disk."""

from __future__ import annotations

import pytest
from conftest import DEMO_SOURCES, FIXTURES

from generator.pipeline import load_catalog
from generator.scaffold.template import TemplateError, find_template, load_template_file


@pytest.fixture(scope="module")
def demo_run():
    return load_catalog(DEMO_SOURCES, progress=False)


@pytest.mark.parametrize("text", ["python-service", "default/python-service",
                                  "template:default/python-service", "Template:python-service"])
def test_a_template_is_found_by_ref_or_name(demo_run, text):
    source = find_template(demo_run, text)
    assert str(source.entity.ref) == "template:default/python-service"
    assert source.file.name == "template.yaml"
    assert source.root.name == "golden-paths"
    assert source.inside(source.file.parent / "skeleton")


def test_a_component_is_not_a_template(demo_run):
    with pytest.raises(TemplateError, match="template:default/checkout-service is not in the "
                                            "catalog"):
        find_template(demo_run, "checkout-service")


def test_a_template_file_or_its_directory_loads(tmp_path):
    by_dir, problems = load_template_file(FIXTURES / "backstage-templates/docs-template")
    by_file, _ = load_template_file(FIXTURES / "backstage-templates/docs-template/template.yaml")
    assert problems == []
    assert by_dir.entity.ref == by_file.entity.ref
    assert str(by_dir.entity.ref) == "template:default/docs-template"


def test_a_file_without_a_template_is_refused(tmp_path):
    (tmp_path / "template.yaml").write_text("apiVersion: backstage.io/v1alpha1\nkind: Group\n"
                                            "metadata: {name: g}\nspec: {type: team}\n")
    with pytest.raises(TemplateError, match="defines no Template entity"):
        load_template_file(tmp_path / "template.yaml")
    with pytest.raises(TemplateError, match="no template at"):
        load_template_file(tmp_path / "missing.yaml")
