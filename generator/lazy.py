"""Package exports imported on first use (PEP 562).

A package's ``__init__`` names what it exports and where each is defined;
importing one of its submodules then costs only that submodule, not every
export (``pavedroad check`` must start fast for the pre-commit hook)::

    __getattr__ = lazy_exports(__name__, {"collect_docs": "generator.docs.collect"})
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module

__all__ = ["lazy_exports"]


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` that imports ``exports[name]`` (a module) for ``name``."""

    def __getattr__(name: str) -> object:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
