"""Offline synonym lexicons: the shipped WordNet lexicon, NLTK's WordNet, or your own.

:func:`get_lexicon` turns a ``lexicon=`` argument into a :class:`Lexicon`:

* ``"wordnet"`` (default): a compact lexicon built from WordNet 3.0 and shipped inside the
  package (``multiaug/text/data``, see ``scripts/build_lexicon.py``); needs no network and no NLTK.
* ``"nltk"``: NLTK's WordNet reader, if NLTK and its ``wordnet`` data are installed.
* a ``dict`` ``{word: [synonym, ...]}``, or the path of a JSON file of that form or of a TSV
  file (``word<TAB>synonym<TAB>synonym ...``, one word per line, ``#`` comments): for other
  languages and domains. These are used as given (no morphology).

WordNet lookups handle inflected forms (``"movies"`` finds the synonyms of ``"movie"`` through
WordNet's exception lists and detachment rules) and re-inflect regular plurals, verb forms and
comparatives (``"movies"`` -> ``"films"``). Results are cached per lexicon.

Example:
    >>> lex = get_lexicon({"car": ["automobile", "auto"]})
    >>> lex.synonyms("Car")
    ('automobile', 'auto')
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from multiaug.core.errors import InvalidParameterError

__all__ = [
    "POS_TAGS",
    "Lexicon",
    "LexiconNotFoundError",
    "MappingLexicon",
    "NltkLexicon",
    "WordNetLexicon",
    "get_lexicon",
    "inflect",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_LEXICON = DATA_DIR / "wordnet_lexicon.json.gz"

#: WordNet parts of speech: noun, verb, adjective, adverb.
POS_TAGS = ("n", "v", "a", "r")

# Detachment rules of WordNet's morphy: (suffix, replacement, inflection).
_RULES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "n": (
        ("s", "", "pl"), ("ses", "s", "pl"), ("xes", "x", "pl"), ("zes", "z", "pl"),
        ("ches", "ch", "pl"), ("shes", "sh", "pl"), ("men", "man", "pl"), ("ies", "y", "pl"),
    ),
    "v": (
        ("s", "", "3sg"), ("ies", "y", "3sg"), ("es", "e", "3sg"), ("es", "", "3sg"),
        ("ed", "e", "past"), ("ed", "", "past"), ("ing", "e", "ing"), ("ing", "", "ing"),
    ),
    "a": (("er", "", "cmp"), ("est", "", "sup"), ("er", "e", "cmp"), ("est", "e", "sup")),
    "r": (),
}
_VOWELS = frozenset("aeiou")


class LexiconNotFoundError(InvalidParameterError):
    """A lexicon source is missing or unreadable; the message says how to provide one."""


_HOW_TO = (
    'Use lexicon="wordnet" (shipped with multiaug, works offline), a dict {word: [synonyms]}, '
    "or the path of a JSON file of that form or of a TSV file (word<TAB>synonym<TAB>...)."
)


# ----------------------------------------------------------------------------- inflection
def _plural(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def _suffixed(word: str, suffix: str) -> str:
    # "ed", "er", "est": bake -> baked, carry -> carried, large -> larger, stop -> stopped.
    if _doubles(word):
        return word + word[-1] + suffix
    if word.endswith("e"):
        return word + suffix[1:]
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        return word[:-1] + "i" + suffix
    return word + suffix


def _ing(word: str) -> str:
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        return word[:-1] + "ing"
    if _doubles(word):
        return word + word[-1] + "ing"
    return word + "ing"


def _takes_er(adj: str) -> bool:
    # Short adjectives take -er/-est ("larger", "happier"); long ones take "more"/"most": skip them.
    if "-" in adj or adj.endswith(("ful", "ing", "ous", "ive", "ed", "al", "ic", "ish", "less")):
        return False
    return _syllables(adj) <= 1 or (_syllables(adj) == 2 and adj.endswith("y"))


def _syllables(word: str) -> int:
    """Vowel groups, a silent final e not counted: a rough syllable count."""
    w = word[:-1] if word.endswith("e") and len(word) > 2 else word
    return sum(1 for i, c in enumerate(w) if c in _VOWELS and (i == 0 or w[i - 1] not in _VOWELS))


def _doubles(word: str) -> bool:
    """One-syllable consonant-vowel-consonant words double their last letter: run -> running, scat -> scatted."""
    return (
        len(word) >= 3
        and word[-1] not in _VOWELS
        and word[-1] not in "wxy"
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
        and _syllables(word) == 1
    )


def inflect(base: str, inflection: str | None, pos: str) -> str | None:
    """Inflect a base form (regular rules; the head of a multi-word term), or None where unsure.

    ``inflection`` is ``"pl"`` (noun plural), ``"3sg"``, ``"past"``, ``"ing"`` (verbs), ``"cmp"``,
    ``"sup"`` (adjectives) or None (the base form itself).

    Example:
        >>> inflect("film", "pl", "n"), inflect("look up", "past", "v"), inflect("carry", "3sg", "v")
        ('films', 'looked up', 'carries')
    """
    if inflection is None:
        return base
    words = base.split(" ")
    if pos == "n":
        if inflection != "pl":
            return None
        head = words.index("of") - 1 if "of" in words[1:] else len(words) - 1  # "books of accounts"
        words[head] = _plural(words[head])
    elif pos == "v":
        head = words[0]
        if inflection == "3sg":
            words[0] = _plural(head)
        elif inflection == "past":
            words[0] = _suffixed(head, "ed")
        elif inflection == "ing":
            words[0] = _ing(head)
        else:
            return None
    elif pos == "a":
        if len(words) > 1 or inflection not in ("cmp", "sup") or not _takes_er(words[0]):
            return None
        words[0] = _suffixed(words[0], "er" if inflection == "cmp" else "est")
    else:
        return None
    return " ".join(words)


def _exception_inflection(form: str, base: str, pos: str) -> str:
    if pos == "n":
        return "pl"
    if pos == "v":
        if form.endswith("ing"):
            return "ing"
        if form.endswith("s") and not base.endswith("s"):
            return "3sg"
        return "past"
    if pos == "a":
        return "sup" if form.endswith("st") else "cmp"
    return "base"


# ----------------------------------------------------------------------------- lexicons
class Lexicon:
    """Base class: ``synonyms(word, pos=None)`` with caching; subclasses implement :meth:`_lookup`."""

    #: Name used in messages.
    source: str = "lexicon"

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str | None], tuple[str, ...]] = {}

    def synonyms(self, word: str, pos: str | Sequence[str] | None = None) -> tuple[str, ...]:
        """Synonyms of ``word`` (lowercase, in the lexicon's order, the word itself excluded).

        Args:
            word: The word as it appears in text; case is ignored.
            pos: A part of speech (``"n"``, ``"v"``, ``"a"``, ``"r"``), several, or None for all.
                Lexicons without parts of speech ignore it.
        """
        key_pos = pos if pos is None or isinstance(pos, str) else ",".join(pos)
        key = (word, key_pos)
        hit = self._cache.get(key)
        if hit is None:
            if pos is None:
                tags: tuple[str, ...] = POS_TAGS
            elif isinstance(pos, str):
                tags = (pos,)
            else:
                tags = tuple(pos)
            for t in tags:
                if t not in POS_TAGS:
                    raise ValueError(f"unknown part of speech {t!r}; use one of {POS_TAGS}")
            hit = self._lookup(word.lower().replace("’", "'"), tags)
            self._cache[key] = hit
        return hit

    def _lookup(self, word: str, tags: tuple[str, ...]) -> tuple[str, ...]:
        raise NotImplementedError

    def __contains__(self, word: str) -> bool:
        return bool(self.synonyms(word))


class _MorphologicalLexicon(Lexicon):
    """A lexicon with WordNet structure: lemma -> senses, plus exception lists for morphology."""

    def _has(self, lemma: str, pos: str) -> bool:
        raise NotImplementedError

    def _sense_names(self, lemma: str, pos: str) -> list[str]:
        raise NotImplementedError

    def _exceptions(self, pos: str) -> Mapping[str, Sequence[str]]:
        raise NotImplementedError

    def _irregular(self, pos: str) -> Mapping[str, Sequence[str]]:
        """Base -> its irregular forms (the exception lists reversed)."""
        cache = self.__dict__.setdefault("_irregular_cache", {})
        rev = cache.get(pos)
        if rev is None:
            rev = {}
            for form, bases in self._exceptions(pos).items():
                for b in bases:
                    rev.setdefault(b, []).append(form)
            cache[pos] = rev
        return rev

    def analyses(self, word: str, pos: str) -> list[tuple[str, str | None]]:
        """``(base form, inflection)`` readings of ``word`` as ``pos`` (WordNet's morphy).

        Example:
            >>> get_lexicon("wordnet").analyses("movies", "n")
            [('movie', 'pl')]
        """
        word = word.replace(" ", "_")
        out: list[tuple[str, str | None]] = []
        if self._has(word, pos):
            out.append((word, None))
        for base in self._exceptions(pos).get(word, ()):
            if self._has(base, pos) and base != word:
                out.append((base, _exception_inflection(word, base, pos)))
        if not out:
            for suffix, ending, infl in _RULES[pos]:
                if word.endswith(suffix) and len(word) > len(suffix):
                    base = word[: len(word) - len(suffix)] + ending
                    if self._has(base, pos) and (base, infl) not in out:
                        out.append((base, infl))
        return out

    def _reinflect(self, base: str, inflection: str | None, pos: str) -> str | None:
        if inflection is None:
            return base
        words = base.split(" ")
        head = 0 if pos == "v" else (words.index("of") - 1 if "of" in words[1:] else len(words) - 1)
        irregular = self._irregular(pos).get(words[head])
        if irregular:
            if inflection == "past":  # prefer the simple past ("took") over the participle ("taken")
                irregular = sorted(irregular, key=lambda f: f.endswith(("n", "ne")))
            for form in irregular:
                if _exception_inflection(form, words[head], pos) == inflection:
                    words[head] = form
                    return " ".join(words)
            if pos != "v":
                return None
        return inflect(base, inflection, pos)

    def _lookup(self, word: str, tags: tuple[str, ...]) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for pos in tags:
            for base, infl in self.analyses(word, pos):
                own = base.replace("_", " ")
                for name in self._sense_names(base, pos):
                    syn = name.replace("_", " ")
                    if syn == own or not syn.islower():
                        continue  # the word itself, or a proper name ("Canis familiaris")
                    form = self._reinflect(syn, infl, pos)
                    if form is not None and form.lower() != word:
                        seen.setdefault(form, None)
        return tuple(seen)


class WordNetLexicon(_MorphologicalLexicon):
    """WordNet from a lexicon file written by ``scripts/build_lexicon.py`` (the shipped one by default).

    Example:
        >>> lex = WordNetLexicon()
        >>> "films" in lex.synonyms("movies", pos="n")
        True
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__()
        self.path = Path(path) if path is not None else SHIPPED_LEXICON
        self.source = str(self.path)
        if not self.path.is_file():
            raise LexiconNotFoundError(
                f"the WordNet lexicon file {self.path} is missing. Rebuild it with "
                f"'python scripts/build_lexicon.py' (needs the WordNet database, e.g. Debian's wordnet-base), "
                f"or reinstall multiaug. {_HOW_TO}",
                param="lexicon",
            )
        try:
            with gzip.open(self.path, "rb") as fh:
                data = json.loads(fh.read().decode("utf-8"))
            if data.get("format") != "multiaug-lexicon":
                raise ValueError("not a multiaug lexicon file")
            names: list[str] = data["names"]
            self._synsets = {pos: syns for pos, syns in data["synsets"].items()}
            self._index = data["index"]
            self._exc = data.get("exceptions", {})
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise LexiconNotFoundError(f"cannot read the lexicon file {self.path}: {exc}. {_HOW_TO}") from exc
        self._names = names

    def _has(self, lemma: str, pos: str) -> bool:
        return lemma in self._index.get(pos, ())

    def _sense_names(self, lemma: str, pos: str) -> list[str]:
        synsets = self._synsets[pos]
        names = self._names
        return [names[i] for s in self._index[pos].get(lemma, ()) for i in synsets[s]]

    def _exceptions(self, pos: str) -> Mapping[str, Sequence[str]]:
        return self._exc.get(pos, {})


class NltkLexicon(_MorphologicalLexicon):
    """WordNet through NLTK's corpus reader (``lexicon="nltk"``); needs NLTK and its ``wordnet`` data.

    Nothing is downloaded: the data must already be installed (``nltk.download("wordnet")`` on a
    connected machine, or ``NLTK_DATA`` pointing at a folder with ``corpora/wordnet``).
    """

    source = "nltk"

    def __init__(self) -> None:
        super().__init__()
        try:
            import nltk
            from nltk.corpus import wordnet
        except ImportError as exc:
            raise LexiconNotFoundError(
                'lexicon="nltk" needs NLTK: pip install "multiaug[text]". ' + _HOW_TO, param="lexicon"
            ) from exc
        try:
            nltk.data.find("corpora/wordnet")
            wordnet.ensure_loaded()
        except (LookupError, OSError, ValueError) as exc:
            raise LexiconNotFoundError(
                'lexicon="nltk" needs NLTK\'s WordNet data, which is not installed. On a connected machine run '
                "python -m nltk.downloader wordnet (or nltk.download('wordnet')), or set NLTK_DATA to a folder "
                f"holding corpora/wordnet ({type(exc).__name__}: {exc}). " + _HOW_TO,
                param="lexicon",
            ) from exc
        self._wn = wordnet

    def _has(self, lemma: str, pos: str) -> bool:
        entry = self._wn._lemma_pos_offset_map.get(lemma)
        if not entry:
            return False
        return pos in entry or (pos == "a" and "s" in entry)

    def _sense_names(self, lemma: str, pos: str) -> list[str]:
        entry = self._wn._lemma_pos_offset_map.get(lemma, {})
        out: list[str] = []
        for p in (pos, "s") if pos == "a" else (pos,):
            for offset in entry.get(p, ()):
                out.extend(self._wn.synset_from_pos_and_offset(p, offset).lemma_names())
        return out

    def _exceptions(self, pos: str) -> Mapping[str, Sequence[str]]:
        return self._wn._exception_map[pos]


class MappingLexicon(Lexicon):
    """A user lexicon: ``{word: [synonyms]}`` (keys matched case-insensitively, no morphology).

    Example:
        >>> MappingLexicon({"Quick": ["fast", "rapid"]}).synonyms("quick")
        ('fast', 'rapid')
    """

    def __init__(self, mapping: Mapping[str, Sequence[str]], source: str = "dict") -> None:
        super().__init__()
        self.source = source
        table: dict[str, list[str]] = {}
        for word, syns in mapping.items():
            if not isinstance(word, str) or isinstance(syns, str) or not isinstance(syns, Sequence):
                raise LexiconNotFoundError(
                    f"{source}: entry {word!r} must map a word to a list of synonyms, got {syns!r}. {_HOW_TO}",
                    param="lexicon",
                )
            bad = [s for s in syns if not isinstance(s, str)]
            if bad:
                raise LexiconNotFoundError(f"{source}: synonyms of {word!r} must be strings, got {bad[0]!r}")
            entry = table.setdefault(word.lower(), [])
            entry.extend(s for s in syns if s.strip() and s.lower() != word.lower() and s not in entry)
        self._table = table

    def _lookup(self, word: str, tags: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self._table.get(word, ()))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> MappingLexicon:
        """Read a JSON (``{word: [synonyms]}``) or TSV (``word<TAB>synonym...``) lexicon file."""
        p = Path(path)
        if not p.is_file():
            raise LexiconNotFoundError(f"no lexicon file at {str(p)!r}. {_HOW_TO}", param="lexicon")
        opener = gzip.open if p.suffix == ".gz" else open
        name = p.name[:-3] if p.suffix == ".gz" else p.name
        try:
            with opener(p, "rt", encoding="utf-8") as fh:
                if name.endswith(".json"):
                    data = json.load(fh)
                    if not isinstance(data, Mapping):
                        raise ValueError("the JSON file must hold an object {word: [synonyms]}")
                    return cls(data, source=str(p))
                if name.endswith((".tsv", ".txt")):
                    table: dict[str, list[str]] = {}
                    for line in fh:
                        line = line.rstrip("\n")
                        if not line.strip() or line.lstrip().startswith("#"):
                            continue
                        cols = [c.strip() for c in line.split("\t")]
                        table.setdefault(cols[0], []).extend(c for c in cols[1:] if c)
                    return cls(table, source=str(p))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise LexiconNotFoundError(f"cannot read the lexicon file {str(p)!r}: {exc}. {_HOW_TO}") from exc
        raise LexiconNotFoundError(
            f"lexicon file {str(p)!r} must end in .json or .tsv (optionally .gz). {_HOW_TO}", param="lexicon"
        )


_SHARED: dict[Any, Lexicon] = {}


def get_lexicon(source: str | os.PathLike[str] | Mapping[str, Sequence[str]] | Lexicon = "wordnet") -> Lexicon:
    """The :class:`Lexicon` for a ``lexicon=`` argument; named and file lexicons are loaded once and shared.

    Raises:
        LexiconNotFoundError: the source is missing, unreadable or of an unknown kind; the message
            says how to provide one.
    """
    if isinstance(source, Lexicon):
        return source
    if isinstance(source, Mapping):
        return MappingLexicon(source)
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        if name in ("wordnet", "nltk"):
            key: Any = name
        else:
            p = Path(name)
            if not p.is_file() and (os.sep in name or p.suffix):
                raise LexiconNotFoundError(f"no lexicon file at {name!r}. {_HOW_TO}", param="lexicon")
            if not p.is_file():
                raise LexiconNotFoundError(
                    f"unknown lexicon {name!r}: not 'wordnet', 'nltk' or an existing file. {_HOW_TO}",
                    param="lexicon",
                )
            key = (str(p.resolve()), p.stat().st_mtime_ns)
        lex = _SHARED.get(key)
        if lex is None:
            if name == "wordnet":
                lex = WordNetLexicon()
            elif name == "nltk":
                lex = NltkLexicon()
            elif _is_multiaug_lexicon(name):
                lex = WordNetLexicon(name)
            else:
                lex = MappingLexicon.from_file(name)
            _SHARED[key] = lex
        return lex
    raise LexiconNotFoundError(
        f"lexicon must be 'wordnet', 'nltk', a dict or a file path, got {type(source).__name__}. {_HOW_TO}",
        param="lexicon",
    )


def _is_multiaug_lexicon(path: str) -> bool:
    if not path.endswith(".json.gz"):
        return False
    try:
        with gzip.open(path, "rb") as fh:
            data = json.loads(fh.read().decode("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == "multiaug-lexicon"
