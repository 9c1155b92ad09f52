"""OpenAPI 3.0/3.1 and Swagger 2.0 as a reference: servers, operations by tag, schemas.

Operations are grouped by their first tag, in the order the document's
``tags`` list them (then first use); each has the anchor
``<method>-<path>`` (``get-/orders/{id}``), webhooks ``webhook-<method>-<name>``.
Swagger 2's ``in: body``/``formData`` parameters become the request body
under its ``consumes`` media types, its response schemas the content of its
``produces`` types, so both versions read the same.
"""

from __future__ import annotations

from generator.apidefs.model import HTTP_METHODS, clip
from generator.apidefs.reference_model import (
    Body,
    Budget,
    Entry,
    Group,
    Param,
    Reference,
    Response,
)
from generator.apidefs.reference_schema import Resolver, schema_tree, type_name
from generator.apidefs.reference_text import description_html, example_text, scalar_text

__all__ = ["openapi_reference"]

_UNTAGGED = "Operations"


def openapi_reference(data: dict, spec_format: str) -> Reference:
    """The reference of an OpenAPI 3 or Swagger 2 document ``data``."""
    swagger = "swagger" in data
    prefixes = ("#/definitions/",) if swagger else ("#/components/schemas/",)
    resolver = Resolver(data, prefixes)
    budget = Budget()
    info = data.get("info") if isinstance(data.get("info"), dict) else {}
    groups: dict[str, list[Entry]] = {}
    tag_text: dict[str, str] = {}
    tags = data.get("tags")
    for tag in tags[:200] if isinstance(tags, list) else ():
        name = clip(tag.get("name"), 120) if isinstance(tag, dict) else ""
        if name and name not in groups:
            groups[name] = []
            tag_text[name] = tag.get("description") or ""
    context = _Context(data, resolver, budget, swagger)
    for section, webhook in (("paths", False), ("webhooks", True)):
        for path, item in resolver.items(data.get(section)):
            for method, operation in item.items():
                if not isinstance(method, str) or method.lower() not in HTTP_METHODS:
                    continue
                operation = resolver.resolve(operation)[0]
                if not isinstance(operation, dict) or not budget.entry():
                    continue
                entry = context.operation(method.lower(), path, item, operation, webhook)
                tags = operation.get("tags")
                tag = clip(tags[0], 120) if isinstance(tags, list) and tags else ""
                groups.setdefault(tag or (_UNTAGGED if not webhook else "Webhooks"),
                                  []).append(entry)
    schemas = context.schemas()
    out = [Group(title, tuple(entries), description_html(tag_text.get(title)))
           for title, entries in groups.items() if entries]
    if schemas:
        out.append(Group("Schemas", tuple(schemas)))
    return Reference(
        spec_format, clip(info.get("title")), clip(info.get("version"), 60),
        description_html(info.get("description")), _servers(data, swagger), tuple(out),
        context.security(), budget.notes("operations and schemas"), tuple(resolver.problems))


def _servers(data: dict, swagger: bool) -> tuple[tuple[str, str], ...]:
    if swagger:
        host = clip(data.get("host"), 200)
        if not host:
            return ()
        base = clip(data.get("basePath"), 200)
        schemes = [clip(s, 10) for s in data.get("schemes") or ["https"]
                   if isinstance(s, str)] if isinstance(data.get("schemes"), list) else ["https"]
        return tuple((f"{scheme}://{host}{base}", "") for scheme in schemes[:5])
    servers = data.get("servers")
    if not isinstance(servers, list):
        return ()
    return tuple((clip(s.get("url"), 200), clip(s.get("description")))
                 for s in servers[:20] if isinstance(s, dict) and s.get("url"))


class _Context:
    """One document's reader: resolver, budget and the version's differences."""

    def __init__(self, data: dict, resolver: Resolver, budget: Budget, swagger: bool) -> None:
        self.data = data
        self.resolver = resolver
        self.budget = budget
        self.swagger = swagger
        consumes = data.get("consumes")
        produces = data.get("produces")
        self.consumes = _media(consumes) or ("application/json",)
        self.produces = _media(produces) or ("application/json",)

    def operation(self, method: str, path: str, item: dict, operation: dict,
                  webhook: bool) -> Entry:
        kind = f"webhook-{method}" if webhook else method
        anchor = self.budget.anchor(kind, path)
        params: dict[tuple[str, str], dict] = {}
        for source in (item.get("parameters"), operation.get("parameters")):
            for raw in source if isinstance(source, list) else ():
                param = self.resolver.resolve(raw)[0]
                if isinstance(param, dict):
                    params[(clip(param.get("name"), 120), clip(param.get("in"), 20))] = param
        shown: list[Param] = []
        bodies: list[Body] = []
        form: dict[str, dict] = {}
        for (name, where), param in params.items():
            if self.swagger and where == "body":
                media = _media(operation.get("consumes")) or self.consumes
                schema = schema_tree(param.get("schema"), self.resolver, self.budget.new_tree())
                bodies += [Body(m, schema, description=clip(param.get("description")))
                           for m in media]
            elif self.swagger and where == "formData":
                form[name] = param
            elif self.budget.field():
                shown.append(self.param(name, where, param))
        if form:
            schema = {"type": "object", "properties": form,
                      "required": [n for n, p in form.items() if p.get("required") is True]}
            media = _media(operation.get("consumes")) or ("application/x-www-form-urlencoded",)
            tree = schema_tree(schema, self.resolver, self.budget.new_tree())
            bodies += [Body(m, tree) for m in media]
        body = self.resolver.resolve(operation.get("requestBody"))[0]
        if isinstance(body, dict):
            bodies += self.content(body.get("content"))
        facts = []
        if operation.get("operationId"):
            facts.append(("Operation ID", clip(operation.get("operationId"), 120), ""))
        security = operation.get("security", self.data.get("security"))
        if isinstance(security, list):
            names = sorted({clip(k, 60) for s in security if isinstance(s, dict) for k in s})
            facts.append(("Security", ", ".join(names) or "none", ""))
        summary = clip(operation.get("summary")) or clip(item.get("summary"))
        description = operation.get("description") or item.get("description")
        return Entry(anchor, method, path, summary, description_html(description),
                     operation.get("deprecated") is True, tuple(facts), tuple(shown),
                     tuple(bodies), "Request body", self.responses(operation))

    def param(self, name: str, where: str, param: dict) -> Param:
        schema = param.get("schema") if isinstance(param.get("schema"), dict) else param
        resolved = self.resolver.resolve(schema)[0]
        resolved = resolved if isinstance(resolved, dict) else {}
        default = resolved.get("default", param.get("default"))
        return Param(name, where, type_name(schema, self.resolver), param.get("required") is True,
                     "" if default is None else scalar_text(default),
                     clip(param.get("description")), param.get("deprecated") is True)

    def content(self, content: object) -> list[Body]:
        bodies = []
        for media, value in self.resolver.items(content):
            example = value.get("example")
            if example is None:
                examples = value.get("examples")
                if isinstance(examples, dict):
                    for raw in examples.values():
                        first = self.resolver.resolve(raw)[0]
                        if isinstance(first, dict):
                            example = first.get("value")
                        break
            tree = schema_tree(value.get("schema"), self.resolver, self.budget.new_tree())
            bodies.append(Body(media, tree, example_text(example)))
        return bodies

    def responses(self, operation: dict) -> tuple[Response, ...]:
        out = []
        for status, raw in self.resolver.items(operation.get("responses")):
            if self.swagger:
                media = _media(operation.get("produces")) or self.produces
                tree = schema_tree(raw.get("schema"), self.resolver, self.budget.new_tree())
                examples = raw.get("examples")
                bodies = tuple(Body(m, tree, example_text(
                    examples.get(m) if isinstance(examples, dict) else None))
                    for m in media) if tree is not None else ()
            else:
                bodies = tuple(self.content(raw.get("content")))
            headers = tuple(self.param(name, "header", header)
                            for name, header in self.resolver.items(raw.get("headers")))
            out.append(Response(status, clip(raw.get("description")), bodies, headers))
        return tuple(out)

    def schemas(self) -> list[Entry]:
        if self.swagger:
            container = self.data.get("definitions")
        else:
            components = self.data.get("components")
            container = components.get("schemas") if isinstance(components, dict) else None
        entries = []
        if not isinstance(container, dict):
            return entries
        for name, schema in container.items():
            if not isinstance(schema, dict) or not self.budget.entry():
                continue
            text = clip(name, 200)
            tree = schema_tree(schema, self.resolver, self.budget.new_tree())
            entries.append(Entry(self.budget.anchor("schema", text), "schema", text,
                                 type_name(schema, self.resolver),
                                 description_html(schema.get("description")), schema=tree))
        return entries

    def security(self) -> tuple[tuple[str, str, str], ...]:
        if self.swagger:
            schemes = self.data.get("securityDefinitions")
        else:
            components = self.data.get("components")
            schemes = components.get("securitySchemes") if isinstance(components, dict) else None
        out = []
        for name, scheme in self.resolver.items(schemes):
            kind = clip(scheme.get("type"), 40)
            detail = []
            for key in ("scheme", "bearerFormat", "in", "name", "flow", "openIdConnectUrl"):
                if isinstance(scheme.get(key), str):
                    detail.append(f"{key}: {clip(scheme[key], 120)}")
            flows = scheme.get("flows")
            if isinstance(flows, dict):
                detail.append("flows: " + ", ".join(clip(f, 40) for f in list(flows)[:6]))
            out.append((name, kind, "; ".join(detail)))
            if len(out) >= 50:
                break
        return tuple(out)


def _media(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(clip(m, 120) for m in value[:10] if isinstance(m, str) and m)
