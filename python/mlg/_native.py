"""Locates the native extension ``mlg._mlg`` (MLG's C++ library).

The extension is built by CMake into ``<build>/python/mlg`` together with a
copy of the package; ``PYTHONPATH=<build>/python`` then imports it. Loading
is deferred to the first call of :func:`extension`, so ``import mlg`` works
without a build.
"""

import functools
import importlib

_HOW_TO_BUILD = (
    "the native extension mlg._mlg is not available ({reason}). Build it with "
    "the README's set-up (scripts/install-deps.sh, then cmake with "
    "-DMLG_ENABLE_PYTHON=ON and `ninja -C build`) and put the built package "
    "first on the path: PYTHONPATH=build/python. Use Debian's /usr/bin/python3, "
    "the interpreter it is built for."
)


@functools.lru_cache(maxsize=None)
def extension():
    """The module ``mlg._mlg``; ImportError saying how to build it."""
    try:
        return importlib.import_module("mlg._mlg")
    except ImportError as error:
        raise ImportError(_HOW_TO_BUILD.format(reason=error)) from error
