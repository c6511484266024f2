"""Contract cases of the core steps."""

from __future__ import annotations

from tests.contract.case import Case

CASES = {
    "core.Identity": Case(may_be_identity=True, why="Identity returns its input by definition"),
    "core.Sequential": Case(may_be_identity=True, why="built over Identity children"),
    "core.OneOf": Case(may_be_identity=True, why="built over Identity children"),
    "core.SomeOf": Case(may_be_identity=True, why="built over Identity children"),
    "core.Pipeline": Case(may_be_identity=True, why="built over Identity children"),
}

from multiaug.core.steps import Identity  # noqa: E402

_CHILDREN = {"steps": [Identity(p=0.5), Identity()]}
for _name in ("core.Sequential", "core.OneOf", "core.SomeOf", "core.Pipeline"):
    CASES[_name].kwargs = dict(_CHILDREN)
