"""Contract cases of the text steps.

The model steps run on tiny random-weight models built locally on first use
(``tests/text/tiny_models.py``); nothing is downloaded.
"""

from __future__ import annotations

from tests.contract.case import Case
from tests.text.tiny_models import LazyKwargs

CASES = {
    "text.BackTranslation": Case(
        kwargs=LazyKwargs(  # type: ignore[arg-type]
            lambda m: {"forward_model": m["marian"], "backward_model": m["marian_back"], "device": "cpu"}
        ),
        why="needs a translation model: a tiny local MarianMT",
    ),
    "text.ContextualSubstitution": Case(
        kwargs=LazyKwargs(lambda m: {"model": m["mlm"], "device": "cpu"}),  # type: ignore[arg-type]
        why="needs a fill-mask model: a tiny local BERT",
    ),
}
