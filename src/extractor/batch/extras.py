"""Optional dependencies (pip extras): imported on demand, with a message naming the extra when absent."""

from __future__ import annotations

import importlib
from types import ModuleType

from extractor.errors import ExtractorError


class MissingExtra(ExtractorError):
    """An option needs a package from an optional extra that is not installed (the CLI exits 2)."""

    code = "E101"


def require(module: str, extra: str, purpose: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(
            f"{purpose} needs the {module!r} package, which is not installed: pip install 'extractor[{extra}]'"
        ) from None
