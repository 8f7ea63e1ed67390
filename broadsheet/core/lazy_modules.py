"""Heavy libraries that most processes never use, loaded on first use instead of at import.

A web worker imports every view, and so every module a view's module imports: a PDF
library that only the invoice download and the e-paper jobs call would sit in every
worker's memory (fpdf2 with fontTools is about 45 MB per process). `lazy_module` gives
the module object at once and runs the library's own import the first time one of its
attributes is read (the standard library's `importlib.util.LazyLoader`). Only top-level
packages: naming a submodule would import its package at once.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """The module `name`, its code run when an attribute of it is first read."""
    if "." in name:
        raise ValueError(f"lazy_module takes a top-level package, not {name!r}")
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
