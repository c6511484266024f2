"""Data shipped with the text modality: the WordNet synonym lexicon and WordNet's licence notice.

``wordnet_lexicon.json.gz`` is built by ``scripts/build_lexicon.py`` from the WordNet 3.0 database
files; ``LICENSE-WordNet.txt`` reproduces WordNet's licence, which must stay beside it.
"""
