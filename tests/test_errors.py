"""One exception tree (gxbg/errors.py): every error gxbg raises is a GxbgError, and the retry policy
reads its transient mark instead of a list of its own."""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil

import pytest

import gxbg
from gxbg import errors
from tasks.retry import is_transient


def _gxbg_modules() -> list[str]:
    return [
        info.name
        for info in pkgutil.walk_packages(gxbg.__path__, "gxbg.")
        if ".sim.sites" not in info.name and ".migrations" not in info.name
    ]


def test_every_exception_class_gxbg_defines_is_in_the_tree() -> None:
    defined = {}
    for name in _gxbg_modules():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
                and not attr.startswith("_")  # a private signal, caught where it is raised, never escapes
            ):
                defined[f"{name}.{attr}"] = value
    assert defined, "no exception classes found at all"
    outside = sorted(k for k, cls in defined.items() if not issubclass(cls, errors.GxbgError))
    assert outside == []
    # and they are all drawn in gxbg/errors.py, where the tree's docstring lists them
    assert {cls.__module__ for cls in defined.values()} == {"gxbg.errors"}
    for cls in defined.values():
        assert cls.__name__ in errors.__doc__, cls.__name__


@pytest.mark.parametrize("name", errors.__all__)
def test_every_error_pickles_and_is_terminal(name: str) -> None:
    cls = getattr(errors, name)
    err = cls("something is wrong")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is cls
    assert str(back) == str(err)
    assert cls.transient is False
    assert is_transient(err) is False


def test_the_retry_policy_reads_the_transient_mark() -> None:
    class Flaky(errors.GxbgError):
        transient = True

    assert is_transient(Flaky("come back later")) is True


def test_registry_error_keeps_its_column_across_pickling() -> None:
    err = errors.RegistryError("bad level", line=3, column="level")
    back = pickle.loads(pickle.dumps(err))
    assert (back.line, back.column, str(back)) == (3, "level", "bad level")


def test_one_attachment_extension_list() -> None:
    from gxbg import kinds
    from gxbg.clean import selectors
    from gxbg.crawl import vocab

    assert selectors.ATTACHMENT_EXTENSIONS is vocab.ATTACHMENT_EXTENSIONS is kinds.ATTACHMENT_EXTENSIONS
