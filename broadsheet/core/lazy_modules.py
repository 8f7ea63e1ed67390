"""Heavy libraries that most processes never use, loaded on first use instead of at import.

A web worker imports every view, and so every module a view's module imports: a PDF
library that only the invoice download and the e-paper jobs call would sit in every
worker's memory (fpdf2 with fontTools is about 45 MB per process). `lazy_module` gives
a stand-in for the module at once; the first attribute read on it imports the library
the ordinary way and reads the attribute from it. Only top-level packages: naming a
submodule would import its package at once.

The stand-in is not put in `sys.modules`. The standard library's `LazyLoader` does that,
and then a plain `import fpdf.enums` elsewhere, before the first use, runs the submodule
twice (the package's own import loads it, then the outer import loads it again): two
copies of each class, so an `except` or an enum comparison against one misses the other.
Here any other import of the library is an ordinary one.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any


class _Deferred(ModuleType):
    """A module whose attributes are read from the real one, imported on the first read."""

    def __getattr__(self, attr: str) -> Any:  # called for every name not set on the stand-in itself
        return getattr(importlib.import_module(self.__name__), attr)


def lazy_module(name: str) -> ModuleType:
    """The module `name`, imported when an attribute of it is first read."""
    if "." in name:
        raise ValueError(f"lazy_module takes a top-level package, not {name!r}")
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    if importlib.util.find_spec(name) is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    return _Deferred(name)
