"""Mark what a template made: ``backstage.io/source-template`` in its ``catalog-info.yaml``.

The portal counts an entity on its template's golden path by this
annotation. Skeletons often leave it out (Backstage's own examples do), so
the run adds it to every entity of every ``catalog-info.yaml`` it wrote,
keeping the file as written: the line is inserted, not the file re-dumped,
unless its layout leaves no other way.
"""

from __future__ import annotations

import re

import yaml

from generator.golden_paths import SOURCE_TEMPLATE
from generator.scaffold.workspace import Workspace

__all__ = ["CATALOG_FILES", "stamp_source_template"]

CATALOG_FILES = ("catalog-info.yaml", "catalog-info.yml")
_SKIP_KINDS = {"location", "template"}


def stamp_source_template(workspace: Workspace, template_ref: str) -> list[str]:
    """Add the annotation where it is missing; notes on files that could not be read."""
    notes = []
    for path in sorted(workspace.files):
        if path.rsplit("/", 1)[-1] not in CATALOG_FILES:
            continue
        f = workspace.files[path]
        try:
            text = f.data.decode("utf-8")
            docs = list(yaml.safe_load_all(text))
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            notes.append(f"{path} is not valid YAML, so it was not marked with "
                         f"{SOURCE_TEMPLATE}: {str(exc).splitlines()[0]}")
            continue
        if not any(_needs(d) for d in docs):
            continue
        f.data = _stamped(text, docs, template_ref).encode("utf-8")
    return notes


def _needs(doc: object) -> bool:
    if not isinstance(doc, dict) or not isinstance(doc.get("metadata"), dict):
        return False
    if str(doc.get("kind", "")).lower() in _SKIP_KINDS:
        return False
    annotations = doc["metadata"].get("annotations")
    return not (isinstance(annotations, dict) and annotations.get(SOURCE_TEMPLATE))


def _stamped(text: str, docs: list, ref: str) -> str:
    chunks = re.split(r"(?m)^(?=---[ \t]*$)", text)
    if len(chunks) == len([d for d in docs if d is not None]) or len(docs) == 1:
        out = []
        for chunk in chunks:
            try:
                doc = yaml.safe_load(chunk.lstrip("-") if chunk.startswith("---") else chunk)
            except yaml.YAMLError:
                doc = None
            out.append(_insert(chunk, ref) if _needs(doc) else chunk)
        candidate = "".join(out)
        if _same_but_stamped(docs, candidate, ref):
            return candidate
    for doc in docs:
        if _needs(doc):
            annotations = doc["metadata"].get("annotations")
            doc["metadata"]["annotations"] = {**(annotations if isinstance(annotations, dict)
                                                 else {}), SOURCE_TEMPLATE: ref}
    return yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True)


def _insert(chunk: str, ref: str) -> str:
    lines = chunk.split("\n")
    meta = next((i for i, line in enumerate(lines) if re.match(r"^metadata:\s*(#.*)?$", line)),
                None)
    if meta is None:
        return chunk
    end = meta + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][:1] in (" ", "\t")
                                or lines[end].lstrip().startswith("#")):
        end += 1
    body = [i for i in range(meta + 1, end) if lines[i].strip()
            and not lines[i].lstrip().startswith("#")]
    if not body:
        return chunk
    indent = re.match(r"^\s*", lines[body[0]]).group(0)
    entry = f"{SOURCE_TEMPLATE}: {ref}"
    for i in body:
        if re.match(rf"^{indent}annotations:\s*(#.*)?$", lines[i]):
            children = []
            for j in range(i + 1, end):
                if lines[j].strip() and not lines[j].lstrip().startswith("#"):
                    if _depth(lines[j]) <= len(indent):
                        break
                    children.append(j)
            if not children:
                break
            child = re.match(r"^\s*", lines[children[0]]).group(0)
            lines.insert(children[-1] + 1, child + entry)
            return "\n".join(lines)
    else:
        lines.insert(body[-1] + 1, f"{indent}annotations:\n{indent * 2}{entry}")
        return "\n".join(lines)
    return chunk


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip())


def _same_but_stamped(docs: list, text: str, ref: str) -> bool:
    try:
        new = list(yaml.safe_load_all(text))
    except yaml.YAMLError:
        return False
    if len(new) != len(docs):
        return False
    for old, doc in zip(docs, new, strict=True):
        if _needs(old):
            if not isinstance(doc, dict) or doc.get("metadata", {}).get(
                    "annotations", {}).get(SOURCE_TEMPLATE) != ref:
                return False
            doc = {**doc, "metadata": {**doc["metadata"], "annotations": {
                k: v for k, v in doc["metadata"]["annotations"].items() if k != SOURCE_TEMPLATE}}}
            old_ann = old["metadata"].get("annotations")
            old = {**old, "metadata": {**old["metadata"], "annotations": old_ann or {}}}
        if old != doc:
            return False
    return True
