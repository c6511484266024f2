"""Text benchmark: multiaug vs nlpaug 1.1.11, one thread, inputs per second.

Run: ``.venv/bin/python benchmarks/text_bench.py [--rounds 5] [--skip-bt | --only-bt] [--opus-size] [--trained-256]``

* Word operations (synonym replacement, swap, deletion) on short English sentences, with the
  same WordNet 3.0 on both sides: nlpaug reads it through NLTK from an NLTK corpus folder built
  here from Debian's ``wordnet-base`` files (``/usr/share/wordnet``; nothing is downloaded),
  multiaug uses its shipped lexicon built from the same files.
* EDA with ``num_aug=9``: multiaug's ``EDA.augment`` (9 variants per sentence) against nlpaug's
  equivalent operations, 9 calls per sentence (3 synonym, 3 swap, 3 delete; nlpaug has no synonym
  insertion).
* Back-translation on the same local, randomly initialised MarianMT models (built here: d_model
  256, 3+3 layers, a 4,000-piece vocabulary; no network, so no trained model), batch 32:
  multiaug's ``BackTranslation`` via ``Pipeline.batch`` against nlpaug's ``BackTranslationAug``
  pointed at the same model folders. A random model never ends a sentence, so each row runs to its
  length cap; the equal-work configurations give both sides the same number of generated tokens
  per row (batching, padding and decoding overheads only), the others use each library's length
  cap. Each row also times multiaug's previous path, the same step decoding with transformers'
  ``generate`` (``lean_decoding=False``), and one row times the opt-in ``quantize="int8"``
  (different numerics, so not equal work). ``--opus-size`` adds a one-pass row on a random model
  with opus-mt-en-de's dimensions (d_model 512, 6+6 layers, 58,101-entry vocabulary).
* Back-translation on a small Marian model trained here to copy its input (``copy_model.py``:
  d_model 128, 2+2 layers, trained once for a few minutes and kept in ``benchmarks/.cache``): it
  ends each row where the row's input ends and gives distinct outputs, as a trained translation
  model does, so this row measures what the random models cannot: rows that end at different
  times. Both libraries decode it greedily with their own caps, and give the same texts.

nlpaug's ``SynonymAug`` POS-tags its input with NLTK's perceptron tagger, whose data cannot be
downloaded here; the benchmark replaces the tagger with a constant tag that makes nlpaug draw
synonyms from every part of speech (as EDA does). That removes the tagger's cost from nlpaug's
timings, i.e. it favours nlpaug.

Contenders are interleaved within each round; the table reports medians over rounds and the
spread (max/min) as a noise indicator.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import multiaug as ma  # noqa: E402
from multiaug import text as T  # noqa: E402

SHORT = [
    "The movie was surprisingly good and the actors were great.",
    "I did not enjoy the long drive to the coast.",
    "She quickly finished her homework before dinner.",
    "The old bridge was closed for repairs last week.",
    "Our team won the final match in extra time.",
    "He bought fresh bread and cheese at the market.",
    "The children played happily in the small garden.",
    "This phone has a bright screen but a weak battery.",
    "The teacher explained the difficult problem very clearly.",
    "We watched the sunset from the top of the hill.",
    "The service at this restaurant is slow and rude.",
    "My brother fixed the broken chair with some glue.",
    "The new policy will affect thousands of workers.",
    "A strong wind knocked down several trees overnight.",
    "They travelled across the country by train.",
    "The book tells the story of a brave young soldier.",
    "Prices rose sharply after the storm damaged the harbour.",
    "The doctor recommended more rest and less coffee.",
    "I really love the colour of your new jacket.",
    "The museum opens early on weekends during the summer.",
    "Scientists discovered a new species of frog in the forest.",
    "The hotel room was clean, quiet and comfortable.",
    "Traffic was terrible because of the accident downtown.",
    "She plays the piano beautifully at every concert.",
    "The price of the tickets was far too high.",
    "The dog barked loudly at the passing cars.",
    "Heavy rain caused flooding in the lower streets.",
    "This software update fixes several annoying bugs.",
    "The students prepared carefully for their final exams.",
    "We will meet again at the station tomorrow morning.",
    "The chef added too much salt to the soup.",
    "Nobody expected the quiet candidate to win the election.",
]


def _median_rate(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), (max(samples) / min(samples) if min(samples) > 0 else float("inf"))


def _time(fn: Callable[[], object], n_inputs: int) -> float:
    t0 = time.perf_counter()
    fn()
    return n_inputs / (time.perf_counter() - t0)


def _setup_nltk(tmp: Path) -> None:
    from tests.text.nltk_wordnet import DEBIAN_WORDNET, make_nltk_data, use_nltk_data

    if not (DEBIAN_WORDNET / "data.noun").exists():
        raise SystemExit("needs Debian's wordnet-base: apt-get install -y wordnet-base")
    use_nltk_data(make_nltk_data(tmp / "nltk_data"))
    os.environ["NLTK_DATA"] = str(tmp / "nltk_data")
    from nlpaug.model.word_dict import WordNet

    # The perceptron tagger's data cannot be downloaded here: a constant tag, unknown to nlpaug's
    # table, makes it use every part of speech (see the module docstring).
    WordNet.pos_tag = classmethod(lambda cls, tokens: [(t, "X") for t in tokens])


def bench_words(rounds: int) -> list[tuple[str, float, float, float, float]]:
    import nlpaug.augmenter.word as naw

    ours = {
        "synonym": ma.Pipeline([T.SynonymReplacement(alpha=0.1)], seed=0),
        "swap": ma.Pipeline([T.RandomSwap(alpha=0.1)], seed=0),
        "delete": ma.Pipeline([T.RandomDeletion(rate=0.1)], seed=0),
    }
    theirs = {
        "synonym": naw.SynonymAug(aug_src="wordnet", aug_p=0.1),
        "swap": naw.RandomWordAug(action="swap", aug_p=0.1),
        "delete": naw.RandomWordAug(action="delete", aug_p=0.1),
    }
    eda = T.EDA(num_aug=9)
    eda_pipe = ma.Pipeline([eda], seed=0)
    data = SHORT * 4
    # Warm-up: load the lexicons (multiaug's shipped file, NLTK's WordNet) and fill both libraries'
    # lookup caches, so that every round measures the steady state.
    for s in SHORT:
        for k in ours:
            ours[k](s)
            theirs[k].augment(s)
        eda.augment(s, seed=0)

    def nlpaug_eda() -> None:
        for s in data:
            for aug in (theirs["synonym"], theirs["swap"], theirs["delete"]):
                for _ in range(3):
                    aug.augment(s)

    results: dict[str, dict[str, list[float]]] = {}
    for r in range(rounds):
        for k in ours:
            results.setdefault(k, {"ours": [], "theirs": []})
            results[k]["ours"].append(_time(lambda k=k: [ours[k](s) for s in data], len(data)))
            results[k]["theirs"].append(_time(lambda k=k: [theirs[k].augment(s) for s in data], len(data)))
        results.setdefault("EDA num_aug=9 (augment)", {"ours": [], "theirs": []})
        results.setdefault("EDA num_aug=9 (pipe.variants)", {"ours": [], "theirs": []})
        nl = _time(nlpaug_eda, len(data))
        results["EDA num_aug=9 (augment)"]["theirs"].append(nl)
        results["EDA num_aug=9 (augment)"]["ours"].append(
            _time(lambda r=r: [eda.augment(s, seed=r) for s in data], len(data))
        )
        results["EDA num_aug=9 (pipe.variants)"]["theirs"].append(nl)
        results["EDA num_aug=9 (pipe.variants)"]["ours"].append(
            _time(lambda: [eda_pipe.variants({"text": s}, n=9) for s in data], len(data))
        )
    rows = []
    for k, v in results.items():
        o, on = _median_rate(v["ours"])
        t, tn = _median_rate(v["theirs"])
        rows.append((k, o, t, on, tn))
    return rows


def bench_backtranslation(rounds: int, tmp: Path) -> list[tuple]:
    import torch

    torch.set_num_threads(1)
    from nlpaug.augmenter.word import BackTranslationAug

    from multiaug.text.lexicon import get_lexicon
    from tests.text.tiny_models import build_marian

    # A vocabulary of a few thousand pieces, trained on text made from WordNet lemmas and the sentences.
    lemmas = [n for n in get_lexicon("wordnet")._names if n.isalpha()][:40000]
    corpus = [" ".join(lemmas[i : i + 12]) for i in range(0, len(lemmas), 12)] + SHORT * 20
    size = dict(corpus=corpus, vocab_size=4000, d_model=256, layers=3, heads=4, ffn=1024, max_positions=128)
    # Random weights never choose the end-of-sentence token (checked below), so every row runs to its
    # length cap: the comparison is about how each library batches, pads, caps and decodes, not about
    # stopping.
    fwd = build_marian(tmp / "bt_fwd", seed=0, eos_bias=-5.0, **size)
    bwd = build_marian(tmp / "bt_bwd", seed=1, eos_bias=-5.0, **size)
    # 64 inputs of mixed length: one to three sentences each (about 12 to 45 tokens).
    data = [" ".join(SHORT[(i + j) % len(SHORT)] for j in range(1 + i % 3)) for i in range(64)]
    samples = [{"text": s} for s in data]

    def step(lean: bool, model: Path = fwd, **kw: object) -> T.BackTranslation:
        return T.BackTranslation(forward_model=str(model), backward_model=str(bwd), device="cpu", batch_size=32,
                                 cache_size=0, lean_decoding=lean, **kw)

    equal_len = 48  # decoder tokens, start token included (nlpaug's max_length)
    equal = dict(do_sample=False, max_new_tokens=equal_len - 1, length_ratio=100.0)
    # nlpaug caches its model by name, so one augmenter serves every configuration; its length cap is
    # set before each timing.
    theirs = BackTranslationAug(from_model_name=str(fwd), to_model_name=str(bwd), device="cpu", batch_size=32,
                                max_length=128)
    configs = {
        # Same number of generated tokens per row on both sides: batching, padding, decoding overheads.
        f"greedy, both generate {equal_len - 1} tokens/row": (equal, equal_len),
        "greedy, own caps (ours: 1.5 x input + 10; nlpaug: max_length=128)": (dict(do_sample=False), 128),
        "sampling, top_p 0.9 (ours, own cap) vs greedy (nlpaug, 128)": (dict(do_sample=True), 128),
    }
    # "ours" is the lean decoding loop, "before" the same step on transformers' generate (the previous path).
    pipes = {k: {v: ma.Pipeline([step(v == "ours", **kw)], seed=0) for v in ("ours", "before")}
             for k, (kw, _) in configs.items()}
    for both in pipes.values():  # warm-up (model loading)
        for pipe in both.values():
            pipe.batch(samples[:2])
    theirs.augment(data[:2])
    first = pipes[next(iter(configs))]["ours"].batch(samples[:4])
    assert all(len(o["text"].split()) > 5 for o in first), "the random model must not stop early"
    for both in pipes.values():
        assert both["ours"].batch(samples[:8]) == both["before"].batch(samples[:8]), "lean output != generate's"

    def run_theirs(max_length: int) -> None:
        theirs.model.max_length = max_length
        theirs.augment(data)

    # One translation pass over 64 distinct inputs, equal generated lengths: no duplicate rows to share
    # (the random model's pivot texts repeat, which multiaug's de-duplication exploits in the full
    # round trip), so this row is the per-pass cost of batching, padding and decoding alone.
    one_pass = {v: step(v != "before", **equal) for v in ("ours", "before")}
    one_pass["int8"] = step(True, quantize="int8", **equal)  # opt-in, different numerics: reported apart
    nl = theirs.model
    one_pass_key = f"one forward pass only, greedy, both {equal_len - 1} tokens/row"

    def run_theirs_once() -> None:
        nl.max_length = equal_len
        nl.translate_one_step_batched(data, nl.src_tokenizer, nl.src_model)

    int8_key = f"{one_pass_key}, multiaug with quantize='int8' (opt-in; NOT equal work: different numerics)"
    res: dict[str, dict[str, list[float]]] = {k: {"ours": [], "before": [], "theirs": []}
                                              for k in [*configs, one_pass_key, int8_key]}
    one_pass["int8"]._run(0, str(fwd), data[:2], [0, 0])  # warm-up: quantise
    for _ in range(rounds):
        for k, (_, max_length) in configs.items():
            res[k]["theirs"].append(_time(lambda m=max_length: run_theirs(m), len(data)))
            for v in ("ours", "before"):
                res[k][v].append(_time(lambda p=pipes[k][v]: p.batch(samples), len(data)))
        res[one_pass_key]["theirs"].append(_time(run_theirs_once, len(data)))
        for v in ("ours", "before", "int8"):
            # the step's internal single-direction pass (a benchmark-only use of a private method)
            res[int8_key if v == "int8" else one_pass_key]["ours" if v == "int8" else v].append(
                _time(lambda b=one_pass[v]: b._run(0, str(fwd), data, [0] * len(data)), len(data)))
    res[int8_key]["theirs"] = res[one_pass_key]["theirs"]
    res[int8_key]["before"] = res[one_pass_key]["before"]
    return [(f"back-translation, batch 32, {k}", *_medians(v)) for k, v in res.items()]


def bench_opus_size(rounds: int, tmp: Path, equal_len: int = 48) -> list[tuple]:
    """One pass, one batch of 32, equal work, on a random model with opus-mt-en-de's dimensions.

    It reuses the tokenizer of :func:`bench_backtranslation`'s forward model (run that first).
    """
    import torch
    from nlpaug.model.lang_models import MtTransformers
    from transformers import AutoTokenizer, MarianConfig, MarianMTModel

    folder = tmp / "bt_opus_size"
    tokenizer_dir = tmp / "bt_fwd"
    data = [" ".join(SHORT[(i + j) % len(SHORT)] for j in range(1 + i % 3)) for i in range(32)]
    n_pieces = len(AutoTokenizer.from_pretrained(tokenizer_dir))
    config = MarianConfig(
        vocab_size=58101, decoder_vocab_size=58101, d_model=512, encoder_layers=6, decoder_layers=6,
        encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048,
        max_position_embeddings=512, activation_function="swish", pad_token_id=2, eos_token_id=0,
        decoder_start_token_id=2, forced_eos_token_id=0,
    )
    torch.manual_seed(0)
    model = MarianMTModel(config)
    model.final_logits_bias[0, 0] = -5.0  # never end a sentence early
    # ids beyond the bench tokenizer's pieces cannot be decoded: never choose them (the logits are still
    # computed over all 58,101 entries, so the work is the same)
    model.final_logits_bias[0, n_pieces:] = -1e4
    model.save_pretrained(folder)
    AutoTokenizer.from_pretrained(tokenizer_dir).save_pretrained(folder)  # the bench's vocabulary (ids < 58101)
    del model
    ours = {v: T.BackTranslation(forward_model=str(folder), backward_model=str(folder), device="cpu",
                                 batch_size=32, cache_size=0, lean_decoding=v != "before", do_sample=False,
                                 max_new_tokens=equal_len - 1, length_ratio=100.0,
                                 quantize="int8" if v == "int8" else None) for v in ("ours", "before", "int8")}
    nl = MtTransformers(src_model_name=str(folder), tgt_model_name=str(folder), device="cpu", batch_size=32,
                        max_length=equal_len)
    for b in ours.values():
        b._run(0, str(folder), data[:2], [0, 0])
    res: dict[str, list[float]] = {"ours": [], "before": [], "theirs": [], "int8": []}
    for _ in range(rounds):
        res["theirs"].append(_time(lambda: nl.translate_one_step_batched(data, nl.src_tokenizer, nl.src_model),
                                   len(data)))
        for v in ("ours", "before", "int8"):
            res[v].append(_time(lambda b=ours[v]: b._run(0, str(folder), data, [0] * len(data)), len(data)))
    name = (f"back-translation, opus-mt-size random model (d_model 512, 6+6 layers, vocab 58,101), one pass of "
            f"32 inputs, greedy, both {equal_len - 1} tokens/row")
    return [(name, *_medians(res)),
            (f"{name}, multiaug with quantize='int8' (opt-in; NOT equal work: different numerics)",
             *_medians({**res, "ours": res["int8"]}))]


def bench_trained_copy(rounds: int, cache: Path, **size: int) -> list[tuple]:
    """Round trip and one pass on a small Marian model trained here to copy its input (see copy_model.py).

    Unlike the random models, this one ends each row where the row's input ends and gives distinct
    outputs for distinct inputs, as a trained translation model does: what is measured is what each
    library does with rows that end at different times (length sorting, dropping ended rows). Both
    sides decode greedily with their own length caps, which the model's own ends keep from binding;
    the outputs are checked to be the same texts.
    """
    import torch

    torch.set_num_threads(1)
    from nlpaug.augmenter.word import BackTranslationAug
    from nlpaug.model.lang_models import MtTransformers

    from benchmarks.copy_model import RECIPE, build_copy_model
    from multiaug.text.lexicon import get_lexicon

    lemmas = [n for n in get_lexicon("wordnet")._names if n.isalpha()][:40000]
    corpus = [" ".join(lemmas[i : i + 12]) for i in range(0, len(lemmas), 12)] + SHORT * 20
    words = lemmas[:20000] + [w for s in SHORT for w in s.split()]
    recipe = {**RECIPE, **size}
    folder = cache / f"copy-model-d{recipe['d_model']}-l{recipe['layers']}"
    print(f"copy model: {folder} (trained on first use: minutes)", flush=True)
    model = str(build_copy_model(folder, words=words, corpus=corpus, steps=2000, **size))
    data = [" ".join(SHORT[(i + j) % len(SHORT)] for j in range(1 + i % 3)) for i in range(64)]
    samples = [{"text": s} for s in data]

    def step(lean: bool) -> T.BackTranslation:
        return T.BackTranslation(forward_model=model, backward_model=model, device="cpu", batch_size=32,
                                 cache_size=0, lean_decoding=lean, do_sample=False)

    pipes = {v: ma.Pipeline([step(v == "ours")], seed=0) for v in ("ours", "before")}
    theirs = BackTranslationAug(from_model_name=model, to_model_name=model, device="cpu", batch_size=32,
                                max_length=128)
    nl = MtTransformers(src_model_name=model, tgt_model_name=model, device="cpu", batch_size=32, max_length=128)
    one_pass = {v: step(v == "ours") for v in ("ours", "before")}
    ours_out = [o["text"] for o in pipes["ours"].batch(samples)]
    same = sum(a == b for a, b in zip(ours_out, theirs.augment(data)))
    same_before = sum(a == b for a, b in zip(ours_out, (o["text"] for o in pipes["before"].batch(samples))))
    pivots = one_pass["ours"]._run(0, model, data, [0] * len(data))
    print(f"copy model: {len(set(data))} distinct inputs, {len(set(pivots))} distinct pivots; round trip equal "
          f"to nlpaug's on {same}/{len(data)} inputs, to generate's on {same_before}/{len(data)}", flush=True)
    rt_key = (f"round trip, Marian model trained here to copy (d_model {recipe['d_model']}, "
              f"{recipe['layers']}+{recipe['layers']} layers), greedy, each row ends where the model ends it")
    op_key = f"one forward pass only, the same trained copy model (d_model {recipe['d_model']})"
    res = {k: {"ours": [], "before": [], "theirs": []} for k in (rt_key, op_key)}
    for _ in range(rounds):
        res[rt_key]["theirs"].append(_time(lambda: theirs.augment(data), len(data)))
        res[op_key]["theirs"].append(_time(lambda: nl.translate_one_step_batched(data, nl.src_tokenizer, nl.src_model),
                                           len(data)))
        for v in ("ours", "before"):
            res[rt_key][v].append(_time(lambda p=pipes[v]: p.batch(samples), len(data)))
            res[op_key][v].append(_time(lambda b=one_pass[v]: b._run(0, model, data, [0] * len(data)), len(data)))
    return [(f"back-translation, batch 32, {k}", *_medians(v)) for k, v in res.items()]


def _medians(v: dict[str, list[float]]) -> tuple[float, float, float, float, float]:
    o, on = _median_rate(v["ours"])
    t, tn = _median_rate(v["theirs"])
    b, _ = _median_rate(v["before"])
    return o, t, on, tn, b


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-bt", action="store_true", help="skip the back-translation benchmark")
    parser.add_argument("--only-bt", action="store_true", help="run only the back-translation benchmark")
    parser.add_argument("--opus-size", action="store_true",
                        help="add a one-pass row on a random model with opus-mt's dimensions (slow)")
    parser.add_argument("--trained-256", action="store_true",
                        help="also a copy model of the random models' width (d_model 256, 3+3 layers; trained "
                             "on first use, about 40 minutes)")
    parser.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / ".cache",
                        help="where the trained copy model is kept between runs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="multiaug-text-bench-") as tmp:
        _setup_nltk(Path(tmp))
        rows = [] if args.only_bt else bench_words(args.rounds)
        if not args.skip_bt:
            rows += bench_backtranslation(max(1, args.rounds - 2), Path(tmp))
        _print_table(rows)
        if args.opus_size and not args.skip_bt:
            _print_table(bench_opus_size(max(1, args.rounds - 3), Path(tmp)))
        if not args.skip_bt:
            _print_table(bench_trained_copy(max(1, args.rounds - 2), args.cache))
            if args.trained_256:
                _print_table(bench_trained_copy(max(1, args.rounds - 2), args.cache, d_model=256, layers=3,
                                                ffn=1024))
    return 0


def _print_table(rows: list[tuple]) -> None:
    print("\n| operation | multiaug inputs/s | nlpaug inputs/s | ratio | spread (max/min) ours / nlpaug |"
          " multiaug before (generate) | ratio before |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, o, t, on, tn, *before in rows:
        extra = f" {before[0]:.1f} | {before[0] / t:.1f}x |" if before else " | |"
        print(f"| {name} | {o:.1f} | {t:.1f} | {o / t:.1f}x | {on:.2f} / {tn:.2f} |{extra}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
