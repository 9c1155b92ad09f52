"""Entity validation: small pure predicates combined into per-kind policies.

Predicates (``is_valid_name`` …) take any value and answer yes or no, as
Backstage's ``KubernetesValidatorFunctions`` do. Policies walk a descriptor
and yield a :class:`Finding` for each field that breaks a rule, naming the
field path and what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from generator.problems import Severity

__all__ = [
    "KIND_API_VERSIONS",
    "KNOWN_KINDS",
    "Finding",
    "is_safe_url",
    "is_valid_annotation_key",
    "is_valid_annotation_value",
    "is_valid_api_version",
    "is_valid_dns_label",
    "is_valid_dns_subdomain",
    "is_valid_kind",
    "is_valid_label_key",
    "is_valid_label_value",
    "is_valid_name",
    "is_valid_namespace",
    "is_valid_prefix_and_or_suffix",
    "is_valid_string",
    "is_valid_tag",
    "is_valid_url",
    "validate_entity",
]

_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_DNS_LABEL = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TAG = re.compile(r"^[a-z0-9:+#]+(?:-[a-z0-9:+#]+)*$")
_VERSION = re.compile(r"^[a-zA-Z0-9]{1,63}$")
_KIND = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SPECIAL_SCHEMES = frozenset({"http", "https", "ftp", "ws", "wss", "file"})

_CORE = frozenset({"backstage.io/v1alpha1", "backstage.io/v1beta1"})
KIND_API_VERSIONS: dict[str, frozenset[str]] = {
    "component": _CORE,
    "api": _CORE,
    "resource": _CORE,
    "system": _CORE,
    "domain": _CORE,
    "group": _CORE,
    "user": _CORE,
    "location": _CORE,
    "template": frozenset({"scaffolder.backstage.io/v1beta3"}),
}
"""The apiVersions each known kind (lowercase) is defined for."""
KNOWN_KINDS = frozenset(KIND_API_VERSIONS)


def is_valid_name(value: object) -> bool:
    """1–63 characters, ``[A-Za-z0-9]`` at both ends, ``-_.`` allowed inside.

    >>> is_valid_name("checkout-service"), is_valid_name("invalid component")
    (True, False)
    """
    return isinstance(value, str) and 1 <= len(value) <= 63 and bool(_NAME.match(value))


def is_valid_dns_label(value: object) -> bool:
    """A DNS label: 1–63 lowercase letters and digits, single dashes inside (RFC 1123)."""
    return isinstance(value, str) and 1 <= len(value) <= 63 and bool(_DNS_LABEL.match(value))


is_valid_namespace = is_valid_dns_label


def is_valid_dns_subdomain(value: object) -> bool:
    """Dot-separated DNS labels, 1–253 characters.

    >>> is_valid_dns_subdomain("backstage.io"), is_valid_dns_subdomain("a--b.c")
    (True, False)
    """
    return isinstance(value, str) and 1 <= len(value) <= 253 and all(
        is_valid_dns_label(part) for part in value.split("."))


def is_valid_prefix_and_or_suffix(value: object, separator: str,
                                  is_valid_prefix: Callable[[str], bool],
                                  is_valid_suffix: Callable[[str], bool]) -> bool:
    """``suffix`` or ``prefix<separator>suffix``, each part checked by its own predicate."""
    if not isinstance(value, str):
        return False
    parts = value.split(separator)
    if len(parts) == 1:
        return is_valid_suffix(parts[0])
    return len(parts) == 2 and is_valid_prefix(parts[0]) and is_valid_suffix(parts[1])


def is_valid_annotation_key(value: object) -> bool:
    """``[prefix/]name``: prefix a DNS subdomain, name a valid object name.

    >>> is_valid_annotation_key("backstage.io/techdocs-ref"), is_valid_annotation_key("a b")
    (True, False)
    """
    return isinstance(value, str) and _annotation_key(value)


@lru_cache(maxsize=4096)
def _annotation_key(value: str) -> bool:  # the same few keys on every entity
    return is_valid_prefix_and_or_suffix(value, "/", is_valid_dns_subdomain, is_valid_name)


is_valid_label_key = is_valid_annotation_key


def is_valid_annotation_value(value: object) -> bool:
    """Any string."""
    return isinstance(value, str)


def is_valid_label_value(value: object) -> bool:
    """Empty, or a valid object name."""
    return value == "" or is_valid_name(value)


def is_valid_kind(value: object) -> bool:
    """1–63 letters and digits, starting with a letter."""
    return isinstance(value, str) and 1 <= len(value) <= 63 and bool(_KIND.match(value))


def is_valid_string(value: object) -> bool:
    """A string with something besides whitespace."""
    return isinstance(value, str) and bool(value.strip())


def is_valid_url(value: object) -> bool:
    """An absolute URL of any scheme, as Backstage's ``new URL(value)`` accepts it.

    >>> is_valid_url("xyz://custom-protocol:4444/path"), is_valid_url("abc")
    (True, False)
    """
    if not isinstance(value, str) or not _URL_SCHEME.match(value):
        return False
    scheme, _, rest = value.partition(":")
    if scheme.lower() in _SPECIAL_SCHEMES and scheme.lower() != "file":
        host = rest.lstrip("/\\").split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        return bool(host.rpartition("@")[2].split(":", 1)[0])
    return True


def is_valid_tag(value: object) -> bool:
    """1–63 of ``[a-z0-9:+#]`` in runs separated by ``-``.

    >>> is_valid_tag("python"), is_valid_tag("go 1.15.3")
    (True, False)
    """
    return isinstance(value, str) and 1 <= len(value) <= 63 and bool(_TAG.match(value))


_CONTROL_OR_SPACE = re.compile(r"[\x00-\x1f\s]")
SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""The only link schemes the portal renders."""


def is_safe_url(value: object) -> bool:
    """An absolute http, https or mailto URL with no control characters.

    >>> is_safe_url("https://runbooks.example/checkout"), is_safe_url("javascript:alert(1)")
    (True, False)
    """
    if not isinstance(value, str) or _CONTROL_OR_SPACE.search(value.strip()):
        return False
    scheme, sep, rest = value.strip().partition(":")
    if not sep or scheme.lower() not in SAFE_URL_SCHEMES:
        return False
    return bool(rest.strip("/")) if scheme.lower() == "mailto" else rest.startswith("//") and \
        len(rest) > 2


def is_valid_api_version(value: object) -> bool:
    """``[group/]version``, e.g. ``backstage.io/v1alpha1``: group a DNS subdomain."""
    return isinstance(value, str) and _api_version(value)


@lru_cache(maxsize=256)
def _api_version(value: str) -> bool:
    return is_valid_prefix_and_or_suffix(value, "/", is_valid_dns_subdomain,
                                         lambda v: bool(_VERSION.match(v)))


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule broken by one field of a descriptor."""

    path: tuple[str | int, ...]
    """Field path, e.g. ``("metadata", "tags", 1)``."""
    code: str
    """Problem code."""
    message: str
    """What is wrong and what is expected."""
    severity: Severity = Severity.ERROR


def field_name(path: tuple[str | int, ...]) -> str:
    """``("links", 2, "url")`` → ``links.2.url``."""
    return ".".join(str(p) for p in path)


def _type_name(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean",
            int: "a number", float: "a number", type(None): "empty"}.get(type(value),
                                                                          type(value).__name__)


# -- field helpers (the one place a predicate becomes a message) -------------

def _missing(path: tuple[str | int, ...], key: str, what: str) -> Finding:
    full = (*path, key)
    return Finding(full, "missing-field", f"{field_name(full)} is required ({what})")


def _require(obj: dict, path: tuple[str | int, ...], key: str,
             expect: type | tuple[type, ...], what: str) -> tuple[Finding, ...]:
    value = obj.get(key)
    if value.__class__ is expect:  # the common case, checked first
        return ()
    if value is None:
        return (_missing(path, key, what),)
    return _optional(obj, path, key, expect, what)


def _optional(obj: dict, path: tuple[str | int, ...], key: str,
              expect: type | tuple[type, ...], what: str) -> tuple[Finding, ...]:
    if key not in obj:
        return ()
    value = obj[key]
    if value.__class__ is expect:
        return ()
    types = expect if isinstance(expect, tuple) else (expect,)
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        return (Finding((*path, key), "wrong-type",
                        f"{field_name((*path, key))} must be {what}, not {_type_name(value)}"),)
    return ()


def _string_list(obj: dict, path: tuple[str | int, ...], key: str,
                 required: bool = False) -> Iterator[Finding]:
    what = "a list of entity references"
    if required and key not in obj:
        yield _missing(path, key, what)
        return
    value = obj.get(key)
    if key not in obj:
        return
    if not isinstance(value, list):
        yield Finding((*path, key), "wrong-type",
                      f"{field_name((*path, key))} must be {what}, not {_type_name(value)}")
        return
    for i, item in enumerate(value):
        if not isinstance(item, str):
            yield Finding((*path, key, i), "wrong-type",
                          f"{field_name((*path, key, i))} must be a string reference, "
                          f"not {_type_name(item)}")


# -- metadata ------------------------------------------------------------------

def check_metadata(entity: dict) -> Iterator[Finding]:
    """Rules for ``metadata`` that hold for every kind."""
    meta = entity.get("metadata")
    if not isinstance(meta, dict):
        what = "missing" if meta is None else _type_name(meta)
        yield Finding(("metadata",), "missing-field" if meta is None else "wrong-type",
                      f"metadata must be a mapping with at least a name, not {what}")
        return
    path = ("metadata",)
    name = meta.get("name")
    if name is None:
        yield Finding((*path, "name"), "missing-field", "metadata.name is required")
    elif not is_valid_name(name):
        yield Finding((*path, "name"), "invalid-name",
                      f"metadata.name '{name}' is not a valid name: use 1-63 characters "
                      "[A-Za-z0-9] separated by '-', '_' or '.'")
    if "namespace" in meta and not is_valid_namespace(meta["namespace"]):
        yield Finding((*path, "namespace"), "invalid-namespace",
                      f"metadata.namespace '{meta['namespace']}' is not valid: use 1-63 "
                      "lowercase letters, digits and '-'")
    for key in ("title", "description", "uid", "etag"):
        yield from _optional(meta, path, key, str, "a string")
    yield from _check_string_map(meta, "labels", is_valid_label_value, "a name or empty")
    yield from _check_string_map(meta, "annotations", is_valid_annotation_value, "a string")
    tags = meta.get("tags")
    if "tags" in meta:
        if not isinstance(tags, list):
            yield Finding((*path, "tags"), "wrong-type",
                          f"metadata.tags must be a list, not {_type_name(tags)}")
        else:
            for i, tag in enumerate(tags):
                if not is_valid_tag(tag):
                    yield Finding((*path, "tags", i), "invalid-tag",
                                  f"metadata.tags.{i} '{tag}' is not a valid tag: use 1-63 "
                                  "characters [a-z0-9:+#] separated by '-'")
    yield from _check_links(meta)


def _check_string_map(meta: dict, key: str, valid_value: Callable[[object], bool],
                      what: str) -> Iterator[Finding]:
    value = meta.get(key)
    if key not in meta:
        return
    if not isinstance(value, dict):
        yield Finding(("metadata", key), "wrong-type",
                      f"metadata.{key} must be a mapping, not {_type_name(value)}")
        return
    for k, v in value.items():
        if not is_valid_annotation_key(k):
            yield Finding(("metadata", key, k), f"invalid-{key[:-1]}-key",
                          f"metadata.{key} key '{k}' is not valid: use [prefix/]name, the prefix "
                          "a DNS name and the name 1-63 characters [A-Za-z0-9-_.]")
        elif not valid_value(v):
            yield Finding(("metadata", key, k), f"invalid-{key[:-1]}-value",
                          f"metadata.{key}.{k} must be {what}, not '{v}'")


def _check_links(meta: dict) -> Iterator[Finding]:
    links = meta.get("links")
    if "links" not in meta:
        return
    if not isinstance(links, list):
        yield Finding(("metadata", "links"), "wrong-type",
                      f"metadata.links must be a list, not {_type_name(links)}")
        return
    for i, link in enumerate(links):
        path = ("metadata", "links", i)
        if not isinstance(link, dict):
            yield Finding(path, "wrong-type", f"{field_name(path)} must be a mapping with a url")
            continue
        yield from _require(link, path, "url", str, "a URL")
        url = link.get("url")
        if isinstance(url, str) and not is_safe_url(url):
            yield Finding((*path, "url"), "unsafe-link",
                          f"{field_name((*path, 'url'))} '{url[:80]}' is not an http, https or "
                          "mailto URL, so the portal does not show it", Severity.WARNING)
        for key in ("title", "icon", "type"):
            yield from _optional(link, path, key, str, "a string")


# -- spec, per kind -------------------------------------------------------------

def _spec_component(spec: dict) -> Iterator[Finding]:
    for key in ("type", "lifecycle", "owner"):
        yield from _require(spec, ("spec",), key, str, "a string")
    for key in ("system", "subcomponentOf"):
        yield from _optional(spec, ("spec",), key, str, "an entity reference")
    for key in ("providesApis", "consumesApis", "dependsOn", "dependencyOf"):
        yield from _string_list(spec, ("spec",), key)


DEFINITIONLESS_API_TYPES = frozenset({"mcp-server", "ai-model-server"})
"""API types whose Backstage schema does not require ``spec.definition``."""


def _spec_api(spec: dict) -> Iterator[Finding]:
    for key in ("type", "lifecycle", "owner"):
        yield from _require(spec, ("spec",), key, str, "a string")
    kind_of_api = spec.get("type")
    check = _optional if isinstance(kind_of_api, str) and kind_of_api in DEFINITIONLESS_API_TYPES \
        else _require
    yield from check(spec, ("spec",), "definition", str,
                     "the API definition as text, often {$text: ./openapi.yaml}")
    yield from _optional(spec, ("spec",), "system", str, "an entity reference")


def _spec_resource(spec: dict) -> Iterator[Finding]:
    for key in ("type", "owner"):
        yield from _require(spec, ("spec",), key, str, "a string")
    yield from _optional(spec, ("spec",), "system", str, "an entity reference")
    for key in ("dependsOn", "dependencyOf"):
        yield from _string_list(spec, ("spec",), key)


def _spec_system(spec: dict) -> Iterator[Finding]:
    yield from _require(spec, ("spec",), "owner", str, "an entity reference")
    yield from _optional(spec, ("spec",), "domain", str, "an entity reference")
    yield from _optional(spec, ("spec",), "type", str, "a string")


def _spec_domain(spec: dict) -> Iterator[Finding]:
    yield from _require(spec, ("spec",), "owner", str, "an entity reference")
    yield from _optional(spec, ("spec",), "subdomainOf", str, "an entity reference")
    yield from _optional(spec, ("spec",), "type", str, "a string")


def _spec_profile(spec: dict) -> Iterator[Finding]:
    yield from _optional(spec, ("spec",), "profile", dict, "a mapping")
    profile = spec.get("profile")
    if isinstance(profile, dict):
        for key in ("displayName", "email", "picture"):
            yield from _optional(profile, ("spec", "profile"), key, str, "a string")


def _spec_group(spec: dict) -> Iterator[Finding]:
    yield from _require(spec, ("spec",), "type", str, "a string such as team")
    yield from _string_list(spec, ("spec",), "children", required=True)
    yield from _optional(spec, ("spec",), "parent", str, "an entity reference")
    yield from _string_list(spec, ("spec",), "members")
    yield from _spec_profile(spec)


def _spec_user(spec: dict) -> Iterator[Finding]:
    yield from _string_list(spec, ("spec",), "memberOf", required=True)
    yield from _spec_profile(spec)


def _spec_location(spec: dict) -> Iterator[Finding]:
    yield from _optional(spec, ("spec",), "type", str, "a string")
    yield from _optional(spec, ("spec",), "target", str, "a path or URL")
    if "targets" in spec:
        targets = spec["targets"]
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            yield Finding(("spec", "targets"), "wrong-type",
                          "spec.targets must be a list of paths or URLs")
    if "target" not in spec and "targets" not in spec:
        yield Finding(("spec",), "missing-field", "a Location needs spec.target or spec.targets")
    presence = spec.get("presence", "required")
    if presence not in ("required", "optional"):
        yield Finding(("spec", "presence"), "invalid-value",
                      f"spec.presence must be 'required' or 'optional', not '{presence}'")


def _spec_template(spec: dict) -> Iterator[Finding]:
    yield from _require(spec, ("spec",), "type", str, "a string such as service")
    yield from _require(spec, ("spec",), "steps", list, "a list of steps")
    yield from _optional(spec, ("spec",), "owner", str, "an entity reference")
    yield from _optional(spec, ("spec",), "parameters", (list, dict), "a list or mapping")
    yield from _optional(spec, ("spec",), "output", dict, "a mapping")
    steps = spec.get("steps")
    if isinstance(steps, list):
        for i, step in enumerate(steps):
            if not isinstance(step, dict):
                yield Finding(("spec", "steps", i), "wrong-type",
                              f"spec.steps.{i} must be a mapping with an action")
            else:
                yield from _require(step, ("spec", "steps", i), "action", str,
                                    "an action id such as fetch:template")


def _spec_generic(spec: dict) -> Iterator[Finding]:
    for key in ("type", "lifecycle", "owner", "system"):
        yield from _optional(spec, ("spec",), key, str, "a string")
    for key in ("dependsOn", "dependencyOf"):
        yield from _string_list(spec, ("spec",), key)


SPEC_POLICIES: dict[str, Callable[[dict], Iterator[Finding]]] = {
    "component": _spec_component,
    "api": _spec_api,
    "resource": _spec_resource,
    "system": _spec_system,
    "domain": _spec_domain,
    "group": _spec_group,
    "user": _spec_user,
    "location": _spec_location,
    "template": _spec_template,
}


def validate_entity(entity: dict) -> list[Finding]:
    """Every rule ``entity`` breaks; an empty list means it is valid.

    >>> [f.code for f in validate_entity({"apiVersion": "backstage.io/v1alpha1",
    ...     "kind": "Component", "metadata": {"name": "a b"}, "spec": {}})][:2]
    ['invalid-name', 'missing-field']
    """
    findings: list[Finding] = []
    api_version = entity.get("apiVersion")
    kind = entity.get("kind")
    if api_version is None:
        findings.append(Finding(("apiVersion",), "missing-field",
                                "apiVersion is required, e.g. backstage.io/v1alpha1"))
    elif not is_valid_api_version(api_version):
        findings.append(Finding(("apiVersion",), "invalid-api-version",
                                f"apiVersion '{api_version}' is not of the form "
                                "group/version, e.g. backstage.io/v1alpha1"))
    if kind is None:
        findings.append(Finding(("kind",), "missing-field", "kind is required, e.g. Component"))
    elif not is_valid_kind(kind):
        findings.append(Finding(("kind",), "invalid-kind", f"kind '{kind}' is not a valid kind"))
    findings.extend(check_metadata(entity))
    if not isinstance(kind, str):
        return findings
    lower = kind.lower()
    if lower not in KNOWN_KINDS:
        # A kind of a catalog model extension (AiResource …): only the standard fields.
        spec = entity.get("spec")
        if spec is not None and not isinstance(spec, dict):
            findings.append(Finding(("spec",), "wrong-type",
                                    f"spec must be a mapping, not {_type_name(spec)}"))
        elif isinstance(spec, dict):
            findings.extend(_spec_generic(spec))
        return findings
    if isinstance(api_version, str) and is_valid_api_version(api_version) \
            and api_version not in KIND_API_VERSIONS[lower]:
        expected = " or ".join(sorted(KIND_API_VERSIONS[lower]))
        findings.append(Finding(("apiVersion",), "unknown-api-version",
                                f"apiVersion '{api_version}' is not known for kind {kind}; "
                                f"use {expected}"))
    spec = entity.get("spec")
    if spec is None:
        spec = {}
        if lower not in ("location",):
            findings.append(Finding(("spec",), "missing-field", f"spec is required for {kind}"))
            return findings
    if not isinstance(spec, dict):
        findings.append(Finding(("spec",), "wrong-type",
                                f"spec must be a mapping, not {_type_name(spec)}"))
        return findings
    findings.extend(SPEC_POLICIES[lower](spec))
    return findings
