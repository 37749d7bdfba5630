#!/usr/bin/env python3
r"""Rebuild a gold file of real public texts from the labels kept in this project.

The labels in evaluation/public-samples/*.labels.jsonl were written for us, by hand, for
texts of the licensed public datasets in ../shared/data/public/eval/. The texts may not be
copied into the project, so the label files carry ids only; this script joins them with
the texts on this machine and prints a gold file that `xinsheng eval` reads:

    python3 scripts/public-sample.py evaluation/public-samples/bank-questions-300.labels.jsonl \
        > /tmp/bank-questions-300.jsonl
    xinsheng eval /tmp/bank-questions-300.jsonl

Options: --public DIR (default ../shared/data/public/eval beside the checkout).
Never commit the output: it holds the licensed texts.
"""
import argparse
import json
import os
import sys

SOURCES = {
    "bank-questions": "bank_questions.jsonl",
    "icbc-app-reviews": "bank_app_reviews_icbc.jsonl",
}


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("labels", help="a *.labels.jsonl file of evaluation/public-samples/")
    parser.add_argument("--public", default=os.path.normpath(os.path.join(here, "..", "..", "shared", "data", "public", "eval")),
                        help="folder holding the public evaluation files (default: %(default)s)")
    args = parser.parse_args()

    name = os.path.basename(args.labels)
    source = next((file for prefix, file in SOURCES.items() if name.startswith(prefix)), None)
    if source is None:
        print(f"error: {name}: no public source known for this file name (未知来源)", file=sys.stderr)
        return 2
    path = os.path.join(args.public, source)
    if not os.path.exists(path):
        print(f"error: {path} not found: pass --public DIR (找不到公开数据)", file=sys.stderr)
        return 2

    texts = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts[row["id"]] = row["text"]

    missing = 0
    with open(args.labels, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            row = json.loads(line)
            text = texts.get(row["id"])
            if text is None:
                missing += 1
                print(f"error: line {number}: id {row['id']} is not in {path}", file=sys.stderr)
                continue
            gold = {"id": row["id"], "channel": row["channel"], "text": text}
            gold.update({key: row[key] for key in ("sentiment", "emotions", "intent", "needs")})
            sys.stdout.write(json.dumps(gold, ensure_ascii=False) + "\n")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
