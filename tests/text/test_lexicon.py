"""The shipped WordNet lexicon, its build script, NLTK's WordNet and user lexicons."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from multiaug.text import lexicon as L
from multiaug.text.lexicon import LexiconNotFoundError, MappingLexicon, WordNetLexicon, get_lexicon, inflect

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import build_lexicon  # noqa: E402


def test_shipped_lexicon_is_small_and_licensed() -> None:
    assert L.SHIPPED_LEXICON.is_file()
    assert L.SHIPPED_LEXICON.stat().st_size < 5_000_000
    notice = (L.DATA_DIR / "LICENSE-WordNet.txt").read_text(encoding="utf-8")
    assert "WordNet 3.0 Copyright 2006 by Princeton University" in notice
    assert "Permission to use, copy, modify and distribute" in notice


def test_inflected_forms_find_base_synonyms_and_are_reinflected() -> None:
    lex = get_lexicon("wordnet")
    movies = lex.synonyms("movies")
    assert "films" in movies and "motion pictures" in movies
    assert "film" not in movies and "movies" not in movies
    assert lex.analyses("movies", "n") == [("movie", "pl")]
    assert "larger" in lex.synonyms("bigger", pos="a")
    assert "kids" in lex.synonyms("children", pos="n")  # exception list, irregular plural
    ran = lex.synonyms("ran", pos="v")
    assert "escaped" in ran and "took to the woods" in ran  # irregular past, re-inflected head verb
    assert "escaping" in lex.synonyms("running", pos="v")
    assert "Movies" not in lex.synonyms("Movies")  # case-insensitive lookup, the word itself excluded


def test_pos_awareness() -> None:
    lex = get_lexicon("wordnet")
    as_noun, as_verb = lex.synonyms("watch", pos="n"), lex.synonyms("watch", pos="v")
    assert "ticker" in as_noun and "ticker" not in as_verb
    assert "observe" in as_verb and "observe" not in as_noun
    assert set(lex.synonyms("watch", pos=["n", "v"])) == set(as_noun) | set(as_verb)
    with pytest.raises(ValueError):
        lex.synonyms("watch", pos="x")


def test_proper_names_are_not_offered() -> None:
    assert not any(any(c.isupper() for c in s) for s in get_lexicon("wordnet").synonyms("dog"))


def test_lookups_are_cached() -> None:
    lex = WordNetLexicon()
    first = lex.synonyms("movies")
    assert ("movies", None) in lex._cache
    assert lex.synonyms("movies") is first


def test_inflect_rules() -> None:
    assert inflect("box", "pl", "n") == "boxes"
    assert inflect("city", "pl", "n") == "cities"
    assert inflect("book of account", "pl", "n") == "books of account"
    assert inflect("bake", "past", "v") == "baked"
    assert inflect("carry", "past", "v") == "carried"
    assert inflect("make", "ing", "v") == "making"
    assert inflect("stop", "past", "v") == "stopped" and inflect("run", "ing", "v") == "running"
    assert inflect("visit", "past", "v") == "visited" and inflect("fix", "past", "v") == "fixed"
    assert inflect("look up", "3sg", "v") == "looks up"
    assert inflect("large", "cmp", "a") == "larger"
    assert inflect("beautiful", "cmp", "a") is None  # "more beautiful": not attempted
    assert inflect("quickly", "cmp", "r") is None


def test_user_dict_json_and_tsv(tmp_path: Path) -> None:
    lex = get_lexicon({"Voiture": ["auto", "bagnole"], "rapide": ["vite"]})
    assert lex.synonyms("voiture") == ("auto", "bagnole")
    js = tmp_path / "syn.json"
    js.write_text(json.dumps({"coche": ["auto", "carro"]}), encoding="utf-8")
    assert get_lexicon(str(js)).synonyms("Coche") == ("auto", "carro")
    tsv = tmp_path / "syn.tsv"
    tsv.write_text("# comment\nhaus\tgebäude\theim\nhaus\twohnung\n\n", encoding="utf-8")
    assert get_lexicon(tsv).synonyms("Haus") == ("gebäude", "heim", "wohnung")
    gz = tmp_path / "syn.json.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        json.dump({"a1": ["b1"]}, fh)
    assert get_lexicon(gz).synonyms("a1") == ("b1",)


@pytest.mark.parametrize(
    "source, words",
    [
        ("/nonexistent/lexicon.json", ["no lexicon file", 'lexicon="wordnet"']),
        ("thesaurus", ["unknown lexicon", "JSON"]),
        ({"car": "auto"}, ["list of synonyms"]),
        (42, ["lexicon must be"]),
    ],
)
def test_missing_or_bad_sources_say_how_to_provide_one(source: object, words: list[str]) -> None:
    with pytest.raises(LexiconNotFoundError) as info:
        get_lexicon(source)  # type: ignore[arg-type]
    for w in words:
        assert w in str(info.value)


def test_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "x.csv"
    bad.write_text("a,b", encoding="utf-8")
    with pytest.raises(LexiconNotFoundError, match=r"\.json or \.tsv"):
        get_lexicon(bad)
    broken = tmp_path / "x.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(LexiconNotFoundError, match="cannot read"):
        get_lexicon(broken)
    with pytest.raises(LexiconNotFoundError, match="missing"):
        WordNetLexicon(tmp_path / "none.json.gz")


def test_mapping_lexicon_drops_self_and_blank() -> None:
    assert MappingLexicon({"a": ["A", " ", "b", "b"]}).synonyms("a") == ("b",)


# ----------------------------------------------------------------------------- build script
def _write_fake_wordnet(folder: Path) -> None:
    header = "  1 This software and database is being provided to you, the LICENSEE, by  \n" \
             "  2 WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved.  \n"
    data = {
        "noun": [
            "00000100 05 n 03 movie 0 film 0 picture 0 000 | a form of entertainment  ",
            "00000200 05 n 02 dog 0 Canis_familiaris 0 000 | a domestic animal  ",
        ],
        "verb": ["00000300 30 v 02 run 0 scat 0 000 | flee  "],
        "adj": ["00000400 00 a 02 big(a) 0 large 0 000 | above average in size  "],
        "adv": ["00000500 02 r 01 fast 0 000 | quickly  "],
    }
    index = {
        "noun": ["dog n 1 0 1 0 00000200  ", "film n 1 0 1 0 00000100  ", "movie n 1 0 1 0 00000100  ",
                 "picture n 1 0 1 0 00000100  "],
        "verb": ["run v 1 0 1 0 00000300  ", "scat v 1 0 1 0 00000300  "],
        "adj": ["big a 1 0 1 0 00000400  ", "large a 1 0 1 0 00000400  "],
        "adv": ["fast r 1 0 1 0 00000500  "],
    }
    for stem in data:
        (folder / f"data.{stem}").write_text(header + "\n".join(data[stem]) + "\n", encoding="utf-8")
        (folder / f"index.{stem}").write_text(header + "\n".join(index[stem]) + "\n", encoding="utf-8")
    (folder / "verb.exc").write_text("ran run\n", encoding="utf-8")


def test_build_script_on_a_synthetic_wordnet(tmp_path: Path) -> None:
    src, out = tmp_path / "wn", tmp_path / "out"
    src.mkdir()
    _write_fake_wordnet(src)
    assert build_lexicon.main(["--wordnet", str(src), "--out", str(out)]) == 0
    path = out / build_lexicon.LEXICON_NAME
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    assert data["format"] == "multiaug-lexicon" and data["version"] == 1
    assert set(data["synsets"]) == {"n", "v", "a", "r"}
    names = data["names"]
    movie_syn = data["synsets"]["n"][data["index"]["n"]["movie"][0]]
    assert sorted(names[i] for i in movie_syn) == ["film", "movie", "picture"]
    assert "big" in names and "big(a)" not in names  # syntactic markers are stripped
    assert data["exceptions"]["v"] == {"ran": ["run"]}
    assert "Princeton University" in (out / build_lexicon.LICENSE_NAME).read_text(encoding="utf-8")
    first = path.read_bytes()
    build_lexicon.main(["--wordnet", str(src), "--out", str(out)])
    assert path.read_bytes() == first, "the build is byte-stable"
    lex = get_lexicon(path)
    assert isinstance(lex, WordNetLexicon)
    assert lex.synonyms("movies") == ("films", "pictures")
    assert lex.synonyms("ran", pos="v") == ("scatted",)
    assert lex.synonyms("dog") == ()  # proper names are not offered


def test_build_script_needs_a_wordnet_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        build_lexicon.build(tmp_path)


# ----------------------------------------------------------------------------- offline and NLTK
def test_default_lexicon_works_without_nltk_or_network(tmp_path: Path) -> None:
    code = (
        "import sys; import multiaug as ma; from multiaug import text as T\n"
        "out = ma.Pipeline([T.SynonymReplacement(alpha=0.5)], seed=0)('The movies were long')\n"
        "assert out != 'The movies were long', out\n"
        "assert 'nltk' not in sys.modules\n"
        "print(out)\n"
    )
    env = {**os.environ, "NLTK_DATA": str(tmp_path / "empty"), "HF_HUB_OFFLINE": "1", "no_proxy": "*",
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr


def test_nltk_without_data_says_how_to_install(tmp_path: Path) -> None:
    code = (
        "import nltk; nltk.data.path[:] = [sys.argv[1]]\n"
        "from multiaug.text.lexicon import get_lexicon, LexiconNotFoundError\n"
        "try:\n    get_lexicon('nltk')\nexcept LexiconNotFoundError as e:\n    print(e)\n"
    )
    res = subprocess.run([sys.executable, "-c", "import sys\n" + code, str(tmp_path)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120, env={**os.environ, "NLTK_DATA": str(tmp_path)})
    assert "nltk.downloader wordnet" in res.stdout and "NLTK_DATA" in res.stdout, res.stdout + res.stderr


DEBIAN = Path("/usr/share/wordnet")


@pytest.mark.skipif(not (DEBIAN / "data.noun").exists(), reason="needs Debian's wordnet-base in /usr/share/wordnet")
def test_nltk_lexicon_matches_the_shipped_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nltk

    from tests.text.nltk_wordnet import make_nltk_data

    monkeypatch.setattr(nltk.data, "path", [str(make_nltk_data(tmp_path)), *nltk.data.path])
    nltk_lex, shipped = get_lexicon("nltk"), get_lexicon("wordnet")
    for word in ["movies", "ran", "bigger", "children", "car", "good", "went", "quickly", "watch"]:
        assert nltk_lex.synonyms(word) == shipped.synonyms(word), word
