"""Build multiaug's shipped synonym lexicon from the WordNet 3.0 database files.

Reads the plain-text WordNet database (``data.*``, ``index.*`` and ``*.exc``, as installed by
Debian's ``wordnet-base`` package in ``/usr/share/wordnet``) without NLTK and writes a compact
gzipped JSON file, plus WordNet's licence notice beside it.

Usage:
    python scripts/build_lexicon.py [--wordnet /usr/share/wordnet] [--out multiaug/text/data]

Output format (``wordnet_lexicon.json.gz``), version 1::

    {"format": "multiaug-lexicon", "version": 1, "source": "WordNet 3.0",
     "names":   [lemma, ...],                       # distinct lemma spellings, WordNet's case
     "synsets": {"n": [[name id, ...], ...], ...},  # members of each synset, per part of speech
     "index":   {"n": {lowercase lemma: [synset number, ...]}, ...},   # in WordNet's sense order
     "exceptions": {"n": {inflected form: [base form, ...]}, ...}}

Parts of speech are ``n``, ``v``, ``a`` (adjective satellites folded in) and ``r``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
LEXICON_NAME = "wordnet_lexicon.json.gz"
LICENSE_NAME = "LICENSE-WordNet.txt"

LICENSE_HEADER = """\
The synonym lexicon in this folder ({name}) is derived from WordNet 3.0
(https://wordnet.princeton.edu/), converted by multiaug's scripts/build_lexicon.py.
WordNet is distributed under the following licence, reproduced as it requires:

"""


def _strip_marker(word: str) -> str:
    # Adjectives may carry a syntactic marker: "long(a)", "elect(ip)", "galore(ip)".
    if word.endswith(")") and "(" in word:
        word = word[: word.rindex("(")]
    return word


def _is_header(line: str) -> bool:
    # The licence header of every database file: lines that start with two spaces.
    return line.startswith("  ")


def parse_data(path: Path) -> dict[int, list[str]]:
    """Synset offset -> member lemmas (WordNet's spelling, underscores for spaces)."""
    synsets: dict[int, list[str]] = {}
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if _is_header(line) or not line.strip():
                continue
            fields = line.split(" ", 4)
            offset = int(fields[0])
            count = int(fields[3], 16)
            rest = fields[4].split(" ")
            words = [_strip_marker(rest[2 * i]) for i in range(count)]
            synsets[offset] = words
    return synsets


def parse_index(path: Path) -> dict[str, list[int]]:
    """Lowercase lemma -> synset offsets, in sense order."""
    index: dict[str, list[int]] = {}
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if _is_header(line) or not line.strip():
                continue
            fields = line.split()
            lemma = fields[0]
            n_ptr = int(fields[3])
            n_senses = int(fields[2])
            offsets = fields[4 + n_ptr + 2 :]
            index[lemma] = [int(o) for o in offsets[:n_senses]]
    return index


def parse_exceptions(path: Path) -> dict[str, list[str]]:
    """Inflected form -> base forms."""
    out: dict[str, list[str]] = {}
    if not path.exists():
        return out
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                out.setdefault(parts[0], []).extend(parts[1:])
    return out


def build(wordnet_dir: Path) -> dict:
    """Parse a WordNet database folder into the lexicon structure described in the module docstring."""
    names: dict[str, int] = {}
    synsets_out: dict[str, list[list[int]]] = {}
    index_out: dict[str, dict[str, list[int]]] = {}
    exceptions: dict[str, dict[str, list[str]]] = {}
    for pos, stem in POS_FILES.items():
        data_path, index_path = wordnet_dir / f"data.{stem}", wordnet_dir / f"index.{stem}"
        if not data_path.exists() or not index_path.exists():
            raise FileNotFoundError(f"{data_path} or {index_path} is missing: is this a WordNet database folder?")
        raw = parse_data(data_path)
        numbering: dict[int, int] = {}
        members: list[list[int]] = []
        for offset in sorted(raw):
            numbering[offset] = len(members)
            members.append([names.setdefault(w, len(names)) for w in raw[offset]])
        synsets_out[pos] = members
        index_out[pos] = {
            lemma: [numbering[o] for o in offsets if o in numbering]
            for lemma, offsets in sorted(parse_index(index_path).items())
        }
        exceptions[pos] = parse_exceptions(wordnet_dir / f"{stem}.exc")
    # Renumber names alphabetically so that the output is stable.
    order = sorted(names, key=lambda w: (w.lower(), w))
    remap = {names[w]: i for i, w in enumerate(order)}
    for pos in synsets_out:
        synsets_out[pos] = [[remap[i] for i in syn] for syn in synsets_out[pos]]
    return {
        "format": "multiaug-lexicon",
        "version": 1,
        "source": "WordNet 3.0",
        "names": order,
        "synsets": synsets_out,
        "index": index_out,
        "exceptions": exceptions,
    }


def license_text(wordnet_dir: Path) -> str:
    """WordNet's licence, read from the header of a database file."""
    lines = []
    with open(wordnet_dir / "data.noun", encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if not _is_header(line):
                break
            # "  12 text  " -> "text"
            body = line.strip().split(" ", 1)
            lines.append(body[1].rstrip() if len(body) > 1 else "")
    return "\n".join(lines).strip() + "\n"


def write(lexicon: dict, notice: str, out_dir: Path) -> Path:
    """Write the gzipped lexicon (byte-stable: no timestamp) and the licence notice."""
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(lexicon, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    target = out_dir / LEXICON_NAME
    tmp = target.with_suffix(".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(payload)
    tmp.replace(target)
    (out_dir / LICENSE_NAME).write_text(LICENSE_HEADER.format(name=LEXICON_NAME) + notice, encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"), help="WordNet database folder")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "multiaug" / "text" / "data"
    )
    args = parser.parse_args(argv)
    lexicon = build(args.wordnet)
    target = write(lexicon, license_text(args.wordnet), args.out)
    n_syn = sum(len(s) for s in lexicon["synsets"].values())
    print(f"wrote {target} ({target.stat().st_size / 1e6:.2f} MB): {len(lexicon['names'])} lemmas, {n_syn} synsets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
