#!/usr/bin/env python3
"""How far a second, blind labeller agrees with the corpus's labels.

usage: python3 scripts/agreement.py [BLIND_LABELS] [--corpora DIR]

BLIND_LABELS (default evaluation/agreement/blind-600.labels.jsonl) holds one
object per line: the corpus line's `id` and the blind labeller's sentiment,
emotions, intent and needs. The corpus's labels are read from DIR/chat and
DIR/comments (default corpora/). The corpus is taken as the reference, so the
figures read like the model's on `xinsheng eval`: intent accuracy, sentiment
macro-F1, needs micro-F1, hardship recall, false alarms (lines with no need in
the corpus that the blind labeller gave one), with Cohen's kappa beside the
single-label fields.
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


def macro_f1(pairs):
    labels = sorted({a for a, _ in pairs} | {b for _, b in pairs})
    scores = []
    for label in labels:
        correct = sum(a == b == label for a, b in pairs)
        gold = sum(a == label for a, _ in pairs)
        given = sum(b == label for _, b in pairs)
        scores.append(2 * correct / (gold + given) if gold + given else 0.0)
    return sum(scores) / len(scores)


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
    correct = given = expected = 0
    per_need = collections.Counter()
    hardship_lines = hardship_found = 0
    needless = alarms = exact = 0
    for gold, blind in rows:
        gold_needs, blind_needs = set(gold["needs"]), set(blind["needs"])
        correct += len(gold_needs & blind_needs)
        given += len(blind_needs)
        expected += len(gold_needs)
        exact += gold_needs == blind_needs
        for need in gold_needs ^ blind_needs:
            per_need[need] += 1
        if "financial_hardship" in gold_needs:
            hardship_lines += 1
            hardship_found += "financial_hardship" in blind_needs
        if not gold_needs:
            needless += 1
            alarms += bool(blind_needs)

    count = len(rows)
    print(f"{count} lines ({sum(g['channel'] == 'chat' for g, _ in rows)} chat, "
          f"{sum(g['channel'] == 'comment' for g, _ in rows)} comments); the corpus's labels as reference")
    print(f"sentiment   agreement {sum(a == b for a, b in sentiment) / count:.3f}   "
          f"macro-F1 {macro_f1(sentiment):.3f}   kappa {kappa(sentiment):.3f}")
    print(f"intent      agreement {sum(a == b for a, b in intent) / count:.3f}   "
          f"macro-F1 {macro_f1(intent):.3f}   kappa {kappa(intent):.3f}")
    micro = 2 * correct / (given + expected) if given + expected else 1.0
    print(f"needs       micro-F1 {micro:.3f}   same set on {exact / count:.3f} of lines   "
          f"({correct} shared, {given - correct} only blind, {expected - correct} only corpus)")
    if hardship_lines:
        print(f"hardship    recall {hardship_found / hardship_lines:.3f} ({hardship_found} of {hardship_lines})")
    if needless:
        print(f"false alarms {alarms / needless:.3f} ({alarms} of {needless} lines with no need in the corpus)")
    disputed = ", ".join(f"{need} {n}" for need, n in per_need.most_common())
    print(f"needs in dispute: {disputed or 'none'}")
    confusions = collections.Counter((a, b) for a, b in intent if a != b)
    print("intent disagreements (corpus → blind): "
          + (", ".join(f"{a} → {b} {n}" for (a, b), n in confusions.most_common(8)) or "none"))


if __name__ == "__main__":
    main()
