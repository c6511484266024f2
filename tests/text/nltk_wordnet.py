"""Build an NLTK-readable WordNet corpus folder from the Debian ``wordnet-base`` files.

NLTK's reader wants a ``lexnames`` file, which Debian does not ship; it lists WordNet's 45
lexicographer files, numbered, with their part of speech. The data files are copied (NLTK refuses
symbolic links that leave its root and files with several hard links).
"""

from __future__ import annotations

import shutil
from pathlib import Path

DEBIAN_WORDNET = Path("/usr/share/wordnet")

_LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
    "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location "
    "noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process "
    "noun.quantity noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change "
    "verb.cognition verb.communication verb.competition verb.consumption verb.contact verb.creation "
    "verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()
_POS_NUMBER = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}


def lexnames() -> str:
    """The ``lexnames`` file: ``NN<TAB>name<TAB>pos number`` for the 45 lexicographer files."""
    return "".join(f"{i:02d}\t{name}\t{_POS_NUMBER[name.split('.')[0]]}\n" for i, name in enumerate(_LEXNAMES))


def make_nltk_data(root: Path, source: Path = DEBIAN_WORDNET) -> Path:
    """Create ``root/corpora/wordnet`` from ``source``; returns ``root`` (a value for ``NLTK_DATA``)."""
    target = root / "corpora" / "wordnet"
    target.mkdir(parents=True, exist_ok=True)
    for f in sorted(source.iterdir()):
        if f.is_file() and (f.name.startswith(("data.", "index.")) or f.suffix == ".exc"):
            link = target / f.name
            if not link.exists():
                shutil.copyfile(f, link)
    (target / "lexnames").write_text(lexnames(), encoding="utf-8")
    return root


def use_nltk_data(root: Path) -> None:
    """Point an already imported NLTK at ``root`` (first in its search path)."""
    import nltk

    if str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))
