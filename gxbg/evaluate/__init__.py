"""Extractor accuracy, measured: a seeded corpus with known truth in every layout class, and its scorer.

    docs, _ = ensure(Path(".cache/accuracy"))        # build the corpus once (cache dir, git-ignored)
    result = evaluate(Path(".cache/accuracy"), docs)  # per class: cells exact / wrong / missing

``gxbg eval`` is the command; ``docs/accuracy.md`` lists the classes and today's table.  Above the
stages in the layers (it renders with :mod:`gxbg.sim`, reads with :mod:`gxbg.clean`, parses with
:mod:`gxbg.extract`); nothing in the pipeline imports it.
"""

from gxbg.evaluate.corpus import CLASS_NAMES, DEFAULT_DIR, Params, build, ensure
from gxbg.evaluate.score import Evaluation, evaluate, to_json

__all__ = ["CLASS_NAMES", "DEFAULT_DIR", "Evaluation", "Params", "build", "ensure", "evaluate", "to_json"]
