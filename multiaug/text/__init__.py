"""Text augmentation: EDA, character noise, back-translation, masked-LM substitution, caption word maps.

Every step acts on ``text`` and ``caption`` fields (never on an ASR ``transcript`` unless the
pipeline maps that field to ``text``). Heavy dependencies (torch, transformers) are imported only
when a model step first runs.

Example:
    >>> import multiaug as ma
    >>> from multiaug import text as T
    >>> pipe = ma.Pipeline([T.SynonymReplacement(alpha=0.1, lexicon={"film": ["movie"]})], seed=0)
    >>> pipe({"caption": "Film about films", "label": 1})
    {'caption': 'Movie about films', 'label': 1}
"""

from multiaug.text import spatial  # noqa: F401  (attaches the caption kernels of the image flips)
from multiaug.text.contextual import ContextualSubstitution
from multiaug.text.eda import EDA, RandomDeletion, RandomInsertion, RandomSwap, SynonymReplacement
from multiaug.text.lexicon import get_lexicon
from multiaug.text.noise import CharNoise, KeyboardTypo, OcrNoise
from multiaug.text.translate import BackTranslation

__all__ = [
    "EDA",
    "BackTranslation",
    "CharNoise",
    "ContextualSubstitution",
    "KeyboardTypo",
    "OcrNoise",
    "RandomDeletion",
    "RandomInsertion",
    "RandomSwap",
    "SynonymReplacement",
    "get_lexicon",
]
