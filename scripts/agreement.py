#!/usr/bin/env python3
"""How far a second, blind labeller agrees with the corpus's labels: the figures `xinsheng eval` does not give.

usage: python3 scripts/agreement.py [BLIND_LABELS] [--corpora DIR]

BLIND_LABELS (default evaluation/agreement/blind-600.labels.jsonl) holds one
object per line: the corpus line's `id` and the blind labeller's sentiment,
emotions, intent and needs. The corpus's labels are read from DIR/chat and
DIR/comments (default corpora/), and taken as the reference.

The figures that read like the model's (intent accuracy, sentiment macro-F1,
needs micro-F1, hardship recall, false alarms, per-label tables) come from the
same scorer as the model's:

    xinsheng eval corpora --predictions evaluation/agreement/blind-600.labels.jsonl

This script adds what only a comparison of two labellers has: Cohen's kappa
for sentiment and intent, the needs in dispute and the intent disagreements.
"""
import argparse
import collections
import glob
import json
import os
import sys


def read_corpus(folder):
    lines = {}
    for path in sorted(glob.glob(os.path.join(folder, "chat", "*.jsonl")) +
                       glob.glob(os.path.join(folder, "comments", "*.jsonl"))):
        with open(path, encoding="utf-8") as handle:
            for text in handle:
                text = text.strip()
                if text:
                    line = json.loads(text)
                    lines[line["id"]] = line
    return lines


def kappa(pairs):
    total = len(pairs)
    observed = sum(a == b for a, b in pairs) / total
    left = collections.Counter(a for a, _ in pairs)
    right = collections.Counter(b for _, b in pairs)
    expected = sum(left[label] * right[label] for label in left) / (total * total)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("blind", nargs="?", default="evaluation/agreement/blind-600.labels.jsonl")
    parser.add_argument("--corpora", default="corpora")
    arguments = parser.parse_args()

    corpus = read_corpus(arguments.corpora)
    rows = []
    with open(arguments.blind, encoding="utf-8") as handle:
        for number, text in enumerate(handle, 1):
            if not text.strip():
                continue
            blind = json.loads(text)
            if blind["id"] not in corpus:
                sys.exit(f"{arguments.blind}:{number}: {blind['id']} is not a chat or comment line of {arguments.corpora}")
            rows.append((corpus[blind["id"]], blind))
    if not rows:
        sys.exit(f"{arguments.blind}: no lines")

    sentiment = [(gold["sentiment"], blind["sentiment"]) for gold, blind in rows]
    intent = [(gold["intent"], blind["intent"]) for gold, blind in rows]
    per_need = collections.Counter()
    for gold, blind in rows:
        for need in set(gold["needs"]) ^ set(blind["needs"]):
            per_need[need] += 1

    count = len(rows)
    print(f"{count} lines ({sum(g['channel'] == 'chat' for g, _ in rows)} chat, "
          f"{sum(g['channel'] == 'comment' for g, _ in rows)} comments); the corpus's labels as reference")
    print(f"sentiment   agreement {sum(a == b for a, b in sentiment) / count:.3f}   kappa {kappa(sentiment):.3f}")
    print(f"intent      agreement {sum(a == b for a, b in intent) / count:.3f}   kappa {kappa(intent):.3f}")
    disputed = ", ".join(f"{need} {n}" for need, n in per_need.most_common())
    print(f"needs in dispute (lines): {disputed or 'none'}")
    confusions = collections.Counter((a, b) for a, b in intent if a != b)
    print("intent disagreements (corpus → blind): "
          + (", ".join(f"{a} → {b} {n}" for (a, b), n in confusions.most_common(8)) or "none"))
    print(f"accuracy, F1, hardship recall and false alarms: xinsheng eval {arguments.corpora} --predictions {arguments.blind}")


if __name__ == "__main__":
    main()
