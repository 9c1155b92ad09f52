"""The ``pavedroad`` command line."""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.problems import Severity, format_problems
from generator.refs import EntityRef, InvalidRef, parse_ref

if TYPE_CHECKING:
    from generator.pipeline import CatalogRun

DEFAULT_SOURCES = "catalog-sources/sources.yaml"

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Wrong arguments; exit code 2."""


def version() -> str:
    """The installed package's version."""
    from importlib import metadata  # reading the installation costs a check's tenth

    try:
        return metadata.version("pavedroad")
    except metadata.PackageNotFoundError:
        return "0+unknown"


class _Version(argparse.Action):
    """``--version``, which reads the version only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show program's version number and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(f"pavedroad {version()}")
        parser.exit()


def _command(sub: argparse._SubParsersAction, name: str, help: str, example: str,
             **kwargs: object) -> argparse.ArgumentParser:
    """A subcommand whose ``--help`` ends with an example (every command has one)."""
    return sub.add_parser(name, help=help, epilog="example:\n  " + example.replace(
        "\n", "\n  "), formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pavedroad",
        description="Paved Road: a static developer portal built from Backstage descriptors.",
        epilog="example:\n  pavedroad init my-portal && cd my-portal && pavedroad build\n\n"
               "Run 'pavedroad COMMAND --help' for a command's options and an example.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--sources", default=DEFAULT_SOURCES, metavar="FILE",
                        help=f"what to crawl (default: {DEFAULT_SOURCES})")

    check = _command(sub, "check", "validate descriptors",
                     "pavedroad check --strict --catalog catalog.json .",
                     parents=[common],
                     description="Validate catalog descriptors. Each PATH is a descriptor file "
                     "or a repository directory; with none, the configured sources are "
                     "checked.")
    check.add_argument("paths", nargs="*", metavar="PATH")
    check.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text",
                       help="text (file:line: severity: message), json, github (workflow "
                       "annotations) or sarif (SARIF 2.1.0, for code scanning)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--catalog", metavar="FILE",
                       help="a catalog.json export whose entities references may point at")
    check.add_argument("--against", metavar="FILE",
                       help="the published catalog.json: every changed API definition is "
                       "compared with it, breaking changes are errors naming the consumers "
                       "(also resolves references, like --catalog)")

    export = _command(sub, "export", "print the catalog as JSON, or write Backstage descriptors",
                      "pavedroad export > catalog.json\n"
                      "pavedroad export --format backstage --out descriptors/",
                      parents=[common])
    export.add_argument("--format", choices=("json", "backstage"), default="json",
                        help="json: the catalog; backstage: catalog-info.yaml documents for "
                        "everything read from other formats")
    export.add_argument("--out", metavar="PATH",
                        help="backstage: a directory (one catalog-info.yaml per repository) "
                        "or a .yaml file (one file); default: stdout")

    graph = _command(sub, "graph", "print the dependency graph",
                     "pavedroad graph --format svg --root component:checkout-service "
                     "--depth 2 > checkout.svg", parents=[common])
    graph.add_argument("--format", choices=("dot", "json", "graphml", "svg"), default="dot")
    graph.add_argument("--root", metavar="REF", help="only this entity's neighbourhood")
    graph.add_argument("--depth", type=int, default=1, metavar="N",
                       help="hops around --root (default 1)")
    impact = _command(sub, "impact", "what breaks if an entity is down (its blast radius)",
                      "pavedroad impact component:checkout-service --format json",
                      parents=[common])
    impact.add_argument("ref", metavar="REF", help="e.g. component:checkout-service")
    impact.add_argument("--format", choices=("text", "json"), default="text")

    site = argparse.ArgumentParser(add_help=False)
    site.add_argument("--config-file", "-f", default="mkdocs.yml", metavar="FILE",
                      help="the portal's MkDocs configuration (default: mkdocs.yml)")
    site.add_argument("--sources", default=None, metavar="FILE",
                      help="what to crawl (default: the plugin's 'sources' option)")
    build = _command(sub, "build", "build the portal into site/",
                     "pavedroad build --strict --history history.json", parents=[site])
    build.add_argument("--strict", action="store_true",
                       help="fail on any warning, catalog problems included")
    build.add_argument("--site-dir", "-d", default=None, metavar="DIR")
    build.add_argument("--history", default=None, metavar="FILE",
                       help="the previous site's history.json: removed entities keep a page")
    serve = _command(sub, "serve", "serve the portal with live reload",
                     "pavedroad serve --dev-addr 127.0.0.1:8080", parents=[site])
    serve.add_argument("--dev-addr", "-a", default="127.0.0.1:8000", metavar="IP:PORT")
    generate = _command(sub, "generate", "write the portal as a plain MkDocs project",
                        "pavedroad generate --out portal-project && "
                        "mkdocs build -f portal-project/mkdocs.yml", parents=[site])
    generate.add_argument("--out", "-o", required=True, metavar="DIR")

    _add_adoption(sub, common)
    _add_init(sub)
    _add_mcp(sub)
    _add_schema(sub)
    _add_completion(sub)
    _new_parser(sub, common)
    return parser


def _add_adoption(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    adoption = _command(sub, "adoption", "who is on a golden path, who went off-road and why",
                        "pavedroad adoption --history site/history.json --format json",
                        parents=[common],
                        description="The adoption figures the portal's adoption/ page shows: "
                        "the share of components on a golden path overall and per team, "
                        "system and path, new components that started from a template, the "
                        "declared exceptions and the silent ones.")
    adoption.add_argument("--format", choices=("text", "json"), default="text",
                          help="text, or json (catalog.json's adoption section)")
    adoption.add_argument("--history", metavar="FILE",
                          help="a build's history.json: which components are new, and how "
                          "long each exception has stood")
    adoption.add_argument("--since", metavar="DATE",
                          help="count new components from the build of DATE (YYYY-MM-DD; "
                          "default: the history's last build before today)")


def _add_init(sub: argparse._SubParsersAction) -> None:
    init = _command(sub, "init", "create a new portal repository",
                    "pavedroad init my-portal && cd my-portal && pavedroad build",
                    description="Write a new portal repository: mkdocs.yml, "
                    "catalog-sources/sources.yaml and scorecards.yaml, docs/, a GitHub "
                    "workflow that publishes it, .gitignore and the JSON Schemas editors use.")
    init.add_argument("directory", nargs="?", default=".", metavar="DIR",
                      help="where (default: the current directory, which must be empty)")
    init.add_argument("--force", action="store_true",
                      help="write into a non-empty directory, replacing (and listing) files")


def _add_mcp(sub: argparse._SubParsersAction) -> None:
    mcp = _command(sub, "mcp", "answer assistants' questions: an MCP server over stdio",
                   "pavedroad mcp --catalog site/catalog.json "
                   "--site-url https://portal.example.com/",
                   description="A read-only Model Context Protocol server on stdin/stdout "
                   "(needs the extra: pip install 'pavedroad[mcp]'). Tools: find_entities, "
                   "get_entity, who_owns, blast_radius, depends_on, team, changes.")
    source = mcp.add_mutually_exclusive_group()
    source.add_argument("--catalog", metavar="FILE",
                        help="a published catalog.json (graph.json and history.json beside "
                        "it are read too)")
    source.add_argument("--sources", metavar="FILE",
                        help=f"crawl these sources instead (default: {DEFAULT_SOURCES})")
    mcp.add_argument("--history", metavar="FILE",
                     help="the history.json whose change log `changes` reads")
    mcp.add_argument("--site-url", default=os.environ.get("PAVEDROAD_SITE_URL", ""),
                     metavar="URL", help="the portal's address, for each answer's url "
                     "(default: $PAVEDROAD_SITE_URL; else URLs are relative to the site)")


def _add_schema(sub: argparse._SubParsersAction) -> None:
    from generator.schemas import SCHEMA_NAMES

    schema = _command(sub, "schema", "print a JSON Schema of a file Paved Road reads",
                      "pavedroad schema catalog-info > catalog-info.schema.json")
    schema.add_argument("name", choices=SCHEMA_NAMES,
                        help="sources (sources.yaml), scorecards (scorecards.yaml) or "
                        "catalog-info (Backstage descriptors)")


def _add_completion(sub: argparse._SubParsersAction) -> None:
    from generator.completion import SHELLS

    completion = _command(sub, "completion", "print a shell completion script",
                          "source <(pavedroad completion bash)\n"
                          "pavedroad completion zsh > \"${fpath[1]}/_pavedroad\"")
    completion.add_argument("shell", choices=SHELLS)


def _new_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    new = _command(sub, "new", "run a software template locally",
                   "pavedroad new python-service payments-api --set name=payments-api",
                   parents=[common],
                   description="Run a Backstage software template on this machine into "
                   "DIR (new or empty). TEMPLATE is a Template's ref or name in the "
                   "catalog, or a template.yaml.")
    new.add_argument("template", nargs="?", metavar="TEMPLATE")
    new.add_argument("directory", nargs="?", metavar="DIR",
                     help="where to write (default: the name parameter)")
    new.add_argument("--values", metavar="FILE", help="parameters as YAML or JSON")
    new.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                     help="one parameter (repeatable)")
    new.add_argument("--dry-run", action="store_true",
                     help="write nothing; print the files and the step log")
    new.add_argument("--list", action="store_true", help="list the organisation's templates")
    new.add_argument("--catalog", metavar="FILE",
                     help="a catalog.json export to check entity parameters against")
    new.add_argument("--user", metavar="REF",
                     help="user.ref in the template (default: user:default/guest)")
    new.add_argument("--no-input", action="store_true",
                     help="never ask on the terminal; missing parameters are errors")


def _load(args: argparse.Namespace) -> CatalogRun:
    from generator.pipeline import load_catalog, load_paths
    from generator.sources import repository_for_path

    paths = getattr(args, "paths", None)
    if paths:
        missing = [p for p in paths if not Path(p).exists()]
        if missing:
            raise UsageError(f"no such file or directory: {', '.join(missing)}")
        return load_paths([repository_for_path(Path(p)) for p in paths],
                          known=_known_refs(getattr(args, "catalog", None)
                                            or getattr(args, "against", None)))
    sources = Path(args.sources)
    if not sources.is_file():
        raise UsageError(f"no sources file at {args.sources}; pass --sources FILE or "
                         "name descriptor files or repositories to check")
    return load_catalog(sources)


def _known_refs(path: str | None) -> list[EntityRef]:
    if not path:
        return []
    try:
        from generator.export import catalog_records

        data = catalog_records(json.loads(Path(path).read_text(encoding="utf-8")))
        refs = []
        for item in data:
            meta = item.get("metadata", {})
            refs.append(parse_ref(f"{item['kind']}:{meta.get('namespace', 'default')}/"
                                  f"{meta['name']}"))
        return refs
    except (OSError, ValueError, KeyError, TypeError, AttributeError, InvalidRef,
            RecursionError) as exc:
        raise UsageError(f"--catalog {path} is not a catalog.json export: {exc}") from None


def _summary(run: CatalogRun) -> str:
    counts = dict.fromkeys(Severity, 0)
    for p in run.catalog.problems:
        counts[p.severity] += 1
    kinds = ", ".join(f"{n} {k}" for k, n in run.catalog.kind_counts().items())
    return (f"{len(run.catalog)} entities ({kinds or 'none'}) from {run.files} files in "
            f"{len(run.repositories)} repositories: {counts[Severity.ERROR]} errors, "
            f"{counts[Severity.WARNING]} warnings, {counts[Severity.INFO]} notes")


def exit_code(run: CatalogRun, strict: bool) -> int:
    """1 when there are errors (or, with ``strict``, warnings); else 0."""
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return EXIT_PROBLEMS if any(p.severity in failing for p in run.catalog.problems) else EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from generator.check import check_problems

    published = None
    if args.against:
        from generator.apidiff import PublishedError, load_published

        try:
            published = load_published(Path(args.against))
        except PublishedError as exc:
            raise UsageError(f"--against {exc}") from None
    run = _load(args)
    # The organisation's scorecard rules are checked with its sources, not with one repo.
    run.catalog.problems.extend(check_problems(run, None if args.paths else Path(args.sources)))
    if published is not None:
        from generator.apidiff import breaking_changes

        run.catalog.problems.extend(breaking_changes(run.catalog, run.repositories, published))
    from generator.sources import from_working_directory

    problems = run.catalog.problems if args.paths else from_working_directory(
        run.catalog.problems, Path(args.sources).resolve().parent, run.cache_dir,
        run.repositories)
    if args.format == "sarif":
        from generator.sarif import format_sarif

        out = format_sarif(problems, version=version(),
                           default_file=None if args.paths else args.sources)
    else:
        out = format_problems(problems, args.format)
    if out:
        print(out)
    if args.format not in ("json", "sarif"):
        print(_summary(run), file=sys.stderr)
    return exit_code(run, args.strict)


def cmd_adoption(args: argparse.Namespace) -> int:
    import datetime

    from generator.adoption_report import adoption_json, adoption_of, adoption_text

    if args.since is not None:
        try:
            datetime.date.fromisoformat(args.since)
        except ValueError:
            raise UsageError(f"--since {args.since} is not a date (YYYY-MM-DD)") from None
    run = _load(args)
    history = Path(args.history) if args.history else None
    if history is not None and not history.is_file():
        raise UsageError(f"no history file at {args.history}")
    adoption, problems = adoption_of(run.catalog, Path(args.sources).parent, history,
                                     args.since)
    for problem in problems:
        print(f"pavedroad: {problem.severity}: {problem.message}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(adoption_json(adoption, run.catalog), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(adoption_text(adoption))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from generator.formats.export import export_backstage, write_backstage

    if args.out and args.format != "backstage":
        raise UsageError("--out goes with --format backstage")
    if args.format == "json":
        sys.stdout.write(_export_json(Path(args.sources)))
        return EXIT_OK
    run = _load(args)
    entities = run.catalog.entities.values()
    if args.out and not args.out.endswith((".yaml", ".yml")):
        written = write_backstage(entities, Path(args.out))
        print(f"wrote {len(written)} catalog-info.yaml files under {args.out}", file=sys.stderr)
    elif args.out:
        Path(args.out).write_text(export_backstage(entities), encoding="utf-8")
    else:
        sys.stdout.write(export_backstage(entities))
    return EXIT_OK


def _export_json(sources: Path) -> str:
    """``catalog.json`` with adoption figures as of the build date, kept in the catalog
    stage's memo while nothing it depends on changes."""
    from generator.adoption import build_date
    from generator.adoption_report import adoption_json, adoption_of
    from generator.export import export_json
    from generator.pipeline import load_product

    if not sources.is_file():
        raise UsageError(f"no sources file at {sources}; pass --sources FILE or "
                         "name descriptor files or repositories to check")

    def make(run: CatalogRun) -> str:
        adoption, _ = adoption_of(run.catalog, sources.parent)
        return export_json(run.catalog, {"adoption": adoption_json(adoption, run.catalog)})

    return load_product(sources, f"export-json@{build_date(sources.parent).isoformat()}", make)


def _site_args(args: argparse.Namespace) -> tuple[Path, Path | None]:
    config = Path(args.config_file)
    if not config.is_file():
        raise UsageError(f"no MkDocs configuration at {args.config_file}; pass --config-file")
    sources = Path(args.sources) if args.sources else None
    if sources is not None and not sources.is_file():
        raise UsageError(f"no sources file at {args.sources}")
    return config, sources


def cmd_build(args: argparse.Namespace) -> int:
    from generator.site import SiteError, build_site

    config, sources = _site_args(args)
    try:
        build_site(config, sources=sources, strict=args.strict,
                   site_dir=Path(args.site_dir) if args.site_dir else None,
                   history=Path(args.history) if args.history else None)
    except SiteError as exc:
        print(f"pavedroad: build failed: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from generator.site import serve_site

    config, sources = _site_args(args)
    serve_site(config, sources=sources, dev_addr=args.dev_addr)
    return EXIT_OK


def cmd_mcp(args: argparse.Namespace) -> int:
    catalog = Path(args.catalog) if args.catalog else None
    sources = Path(args.sources or DEFAULT_SOURCES) if catalog is None else None
    for given in (catalog, sources, Path(args.history) if args.history else None):
        # a pipe will do for the catalog (--catalog <(ssh portal cat catalog.json)): it is
        # read once initialize is answered
        if given is None or given.is_file():
            continue
        if given is not catalog or not given.exists() or given.is_dir():
            raise UsageError(f"no file at {given}")
    from importlib.util import find_spec

    if find_spec("mcp") is None:
        raise UsageError("pavedroad mcp needs the MCP SDK: pip install 'pavedroad[mcp]'")
    from generator.mcpserver import serve

    serve(catalog=catalog, sources=sources, history=Path(args.history) if args.history else None,
          site_url=args.site_url)
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    from generator.site import SiteError, generate_project

    config, sources = _site_args(args)
    try:
        problems = generate_project(config, Path(args.out), sources=sources)
    except SiteError as exc:
        print(f"pavedroad: generate failed: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {args.out}/mkdocs.yml and {args.out}/docs/ ({problems} catalog problems); "
          f"build it with: mkdocs build -f {args.out}/mkdocs.yml", file=sys.stderr)
    return EXIT_OK


def _entity_ref(run: CatalogRun, text: str) -> EntityRef:
    try:
        ref = parse_ref(text, default_kind="component")
    except InvalidRef as exc:
        raise UsageError(str(exc)) from None
    if ref not in run.catalog.entities:
        near = sorted(str(r) for r in run.catalog.entities if r.name == ref.name)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise UsageError(f"{ref} is not in the catalog{hint}")
    return ref


def cmd_graph(args: argparse.Namespace) -> int:
    from generator.graph.diagrams import GRAPHVIZ_MISSING
    from generator.impact import graph_output

    if args.depth < 0:
        raise UsageError("--depth must be 0 or more")
    run = _load(args)
    root = _entity_ref(run, args.root) if args.root else None
    out = graph_output(run.catalog, args.format, root, args.depth)
    if out is None:
        print(f"pavedroad: {GRAPHVIZ_MISSING}", file=sys.stderr)
        return EXIT_PROBLEMS
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return EXIT_OK


def cmd_impact(args: argparse.Namespace) -> int:
    from generator.impact import impact_json, impact_text

    run = _load(args)
    ref = _entity_ref(run, args.ref)
    render = impact_json if args.format == "json" else impact_text
    sys.stdout.write(render(run.catalog, ref))
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from generator.init import InitError, init_portal

    try:
        written = init_portal(Path(args.directory), force=args.force)
    except InitError as exc:
        raise UsageError(str(exc)) from None
    replaced = [w.path for w in written if w.replaced]
    for path in replaced:
        print(f"pavedroad: replaced {path}", file=sys.stderr)
    where = "" if args.directory == "." else f"cd {args.directory} && "
    print(f"wrote {len(written)} files into {args.directory} ({len(replaced)} replaced). "
          f"Add a source to catalog-sources/sources.yaml, then: {where}pavedroad build",
          file=sys.stderr)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from generator.schemas import schema_text

    sys.stdout.write(schema_text(args.name))
    return EXIT_OK


def cmd_completion(args: argparse.Namespace) -> int:
    from generator.completion import completion_script

    sys.stdout.write(completion_script(_parser(), args.shell))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from generator.scaffold.command import NewOptions, UsageProblem, list_templates, run_new

    def load_run() -> CatalogRun | None:
        from generator.pipeline import load_catalog

        return load_catalog(Path(args.sources)) if Path(args.sources).is_file() else None

    if args.list:
        run = load_run()
        if run is None:
            raise UsageError(f"no sources file at {args.sources}; pass --sources FILE")
        print("\n".join(list_templates(run.catalog)))
        return EXIT_OK
    if not args.template:
        raise UsageError("name a TEMPLATE (pavedroad new --list shows them)")
    known = {str(r) for r in _known_refs(args.catalog)} if args.catalog else None
    options = NewOptions(args.template, args.directory, args.values, tuple(args.set),
                         args.dry_run, not args.no_input and sys.stdin.isatty(), args.user)
    try:
        return run_new(options, load_run=load_run, known=known)
    except UsageProblem as exc:
        raise UsageError(str(exc)) from None


COMMANDS = {"check": cmd_check, "export": cmd_export, "graph": cmd_graph, "impact": cmd_impact,
            "adoption": cmd_adoption, "build": cmd_build, "serve": cmd_serve,
            "generate": cmd_generate, "new": cmd_new,
            "init": cmd_init, "mcp": cmd_mcp, "schema": cmd_schema, "completion": cmd_completion}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"pavedroad: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        if exc.errno not in _DISK_FULL:
            raise
        print(f"pavedroad: error: {_disk_full_message(exc)}", file=sys.stderr)
        return EXIT_PROBLEMS


_DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG})


def _disk_full_message(exc: OSError) -> str:
    """One line for a full disk (or quota, or file size limit), naming the file written."""
    from generator.sources import display_path  # sources imports YAML and git: not on start

    target = exc.filename2 or exc.filename
    where = f" while writing {display_path(Path(os.fsdecode(target)))}" if target else ""
    return (f"{exc.strerror or 'no space left on device'}{where}; free some space (or "
            "raise the quota) and build again")


if __name__ == "__main__":
    sys.exit(main())
