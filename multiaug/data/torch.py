"""Online augmentation for PyTorch-style map datasets: :class:`AugmentedDataset`.

The wrapper calls ``pipe(sample, index=i, epoch=e)``, so sample ``i`` in epoch ``e`` gets the same
augmentation whatever the number of DataLoader workers, and a new one every epoch once
:meth:`AugmentedDataset.set_epoch` is called. It does not import torch: anything with
``__getitem__`` and ``__len__`` can be wrapped, and the result works with ``torch.utils.data.DataLoader``.

Example:
    >>> import multiaug as ma
    >>> data = [{"text": "a cat", "label": 0}, {"text": "a dog", "label": 1}]
    >>> ds = AugmentedDataset(data, ma.Pipeline([ma.Identity()], seed=0))
    >>> len(ds), ds[1]
    (2, {'text': 'a dog', 'label': 1})
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from multiaug.core.errors import InvalidParameterError
from multiaug.core.pipeline import Pipeline

__all__ = ["AugmentedDataset"]


class _MapDataset(Protocol):
    def __getitem__(self, index: int) -> Any: ...
    def __len__(self) -> int: ...


class AugmentedDataset:
    """A map-style dataset whose items are augmented on the fly, deterministically per (epoch, index).

    Args:
        dataset: The wrapped dataset; item ``i`` is a sample dict (or a bare str/image).
        pipe: The pipeline, built with a seed for repeatable epochs.
        to_sample: Turns an item into a sample, e.g. ``lambda item: {"image": item[0], "label": item[1]}``
            for datasets of tuples.
        from_sample: Turns the augmented sample back into what the training loop expects.
        epoch: Starting epoch.

    Example:
        >>> import multiaug as ma
        >>> ds = AugmentedDataset([("a cat", 0)], ma.Pipeline([ma.Identity()], seed=1),
        ...                       to_sample=lambda t: {"text": t[0], "label": t[1]},
        ...                       from_sample=lambda s: (s["text"], s["label"]))
        >>> ds.set_epoch(3)
        >>> ds[0]
        ('a cat', 0)
    """

    def __init__(
        self,
        dataset: _MapDataset,
        pipe: Pipeline,
        *,
        to_sample: Callable[[Any], Any] | None = None,
        from_sample: Callable[[Any], Any] | None = None,
        epoch: int = 0,
    ) -> None:
        if not isinstance(pipe, Pipeline):
            raise InvalidParameterError(
                f"AugmentedDataset: pipe must be a multiaug Pipeline, got {type(pipe).__name__}", param="pipe"
            )
        self.dataset = dataset
        self.pipe = pipe
        self.to_sample = to_sample
        self.from_sample = from_sample
        self.set_epoch(epoch)

    def set_epoch(self, epoch: int) -> None:
        """Select the epoch: the draws of epoch ``e`` differ from those of every other epoch.

        With DataLoader workers that persist between epochs, call it on the dataset before each
        epoch's iterator is created (workers receive a copy when the iterator starts).
        """
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
            raise InvalidParameterError(
                f"AugmentedDataset: epoch must be an integer >= 0, got {epoch!r}", param="epoch"
            )
        self.epoch = epoch

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, index: int) -> Any:
        if isinstance(index, bool) or not isinstance(index, int):
            index = int(index)  # numpy and torch integer indices
        if index < 0:
            index += len(self)
        item = self.dataset[index]
        sample = self.to_sample(item) if self.to_sample is not None else item
        out = self.pipe(sample, index=index, epoch=self.epoch)
        return self.from_sample(out) if self.from_sample is not None else out
