"""Offline dataset expansion and dataset adapters.

* :func:`expand`: write ``n`` augmented variants of every source of a folder or manifest, with a
  provenance manifest; resumable, deterministic whatever the number of workers.
* :func:`list_sources` / :func:`load_source`: the input side; :func:`load_row`: read an output row back.
* :class:`multiaug.data.torch.AugmentedDataset`: online augmentation of a map-style dataset.
* :func:`multiaug.data.hf.transform` / :func:`multiaug.data.hf.map_function`: Hugging Face ``datasets``.

Example:
    >>> from multiaug.data import expand, list_sources
"""

from multiaug.data.balance import BalancePlan, balance_plan
from multiaug.data.runner import (
    ERRORS_NAME,
    MANIFEST_NAME,
    RUN_NAME,
    OutputDirError,
    RunSummary,
    expand,
    load_pipeline,
    load_row,
)
from multiaug.data.sources import Source, list_sources, load_source

__all__ = [
    "ERRORS_NAME",
    "MANIFEST_NAME",
    "RUN_NAME",
    "BalancePlan",
    "OutputDirError",
    "RunSummary",
    "Source",
    "balance_plan",
    "expand",
    "list_sources",
    "load_pipeline",
    "load_row",
    "load_source",
]
