"""Records: the JSON-serialisable account of one call, which :meth:`Pipeline.replay` re-applies.

A record looks like::

    {"format": 1, "seed": 0, "index": 7, "epoch": 0, "applied": true,
     "steps": [{"name": "image.HorizontalFlip", "applied": true, "params": {}},
               {"name": "core.OneOf", "applied": true,
                "params": {"choice": 1, "steps": [{"name": "image.Rotate", "applied": false}]}}]}

Parameters are plain JSON values, so a record survives ``json.dumps``/``json.loads`` unchanged
and replays bit-identically in another process.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from multiaug.core.errors import AugmentationError

__all__ = ["RECORD_FORMAT", "check_record"]

RECORD_FORMAT = 1


def check_record(record: Any, pipeline: Any) -> None:
    """Raise :class:`AugmentationError` unless ``record`` is a record this pipeline can replay."""
    step = getattr(pipeline, "name", None)
    if not isinstance(record, Mapping) or "steps" not in record or "applied" not in record:
        raise AugmentationError("not a multiaug record (expected a dict with 'applied' and 'steps')", step=step)
    if record.get("format") != RECORD_FORMAT:
        raise AugmentationError(
            f"record format {record.get('format')!r} is not supported (this multiaug writes {RECORD_FORMAT})",
            step=step,
        )
    steps = record["steps"]
    if not isinstance(steps, list):
        raise AugmentationError("record 'steps' must be a list", step=step)
    if record["applied"] and len(steps) != len(pipeline.steps):
        raise AugmentationError(
            f"record has {len(steps)} steps but the pipeline has {len(pipeline.steps)}; "
            "was it made by another pipeline?",
            step=step,
        )
