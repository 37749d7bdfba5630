#!/usr/bin/env python3
"""Blind relabelling of the corpus: batches for labellers, A/B items for adjudicators,
and applying the adjudicated corrections.

The labellers see only anonymised text (ids r063-001 …), the GUIDE and the taxonomy
(brief: evaluation/agreement/brief-labeller.md). Where their label for a field differs
from the corpus's, the two labels go to an adjudicator as A and B in random order,
without saying which is the corpus's (brief: evaluation/agreement/brief-adjudicator.md).
Only the fields where the adjudicator picks the blind label, or gives its own label with
"neither", are changed.

  python3 scripts/relabel.py batches --start 63 --count 18
  #   … labellers write WORKDIR/labels063.jsonl …
  python3 scripts/relabel.py adjudication --name a21 063 064 065
  #   … an adjudicator writes WORKDIR/verdicts-a21.jsonl …
  python3 scripts/relabel.py apply --name a21          # dry run: prints counts, writes fixes-a21.tsv
  python3 scripts/relabel.py apply --name a21 --write  # changes corpora/

Batches follow the sorted file order of corpora/chat and corpora/comments, 150 lines
each, leaving out the 600-line agreement sample and the files of held-out rounds
(--hold-out, default the writers of rounds z10 and z11, ap … aw). The batch numbering only stays stable
while those files and that order do not change; map.json in the work folder records
which corpus id every anonymised id stands for.
"""
import argparse
import collections
import glob
import json
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPORA = os.path.join(ROOT, 'corpora')
SAMPLE = os.path.join(ROOT, 'evaluation', 'agreement', 'blind-600.labels.jsonl')
TAXONOMY = os.path.join(ROOT, 'Sources', 'Taxonomy', 'Resources', 'taxonomy.json')
BATCH_SIZE = 150
FIELDS = ('intent', 'needs', 'sentiment')


def corpus_files():
    return sorted(glob.glob(os.path.join(CORPORA, 'chat', '*.jsonl')) +
                  glob.glob(os.path.join(CORPORA, 'comments', '*.jsonl')))


def read_jsonl(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


def corpus_lines():
    lines = {}
    for path in corpus_files():
        for d in read_jsonl(path):
            lines[d['id']] = d
    return lines


def load_map(workdir):
    path = os.path.join(workdir, 'map.json')
    if not os.path.exists(path):
        return {}
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def same(field, a, b):
    return set(a) == set(b) if field == 'needs' else a == b


def make_batches(args):
    os.makedirs(args.workdir, exist_ok=True)
    held_out = tuple(p + '-' for p in args.hold_out)
    sample = {d['id'] for d in read_jsonl(SAMPLE)}
    pool = []
    for path in corpus_files():
        if os.path.basename(path).startswith(held_out):
            continue
        pool.extend(d for d in read_jsonl(path) if d['id'] not in sample)
    mapping = load_map(args.workdir)
    written = 0
    for b in range(args.start, args.start + args.count):
        chunk = pool[b * BATCH_SIZE:(b + 1) * BATCH_SIZE]
        if not chunk:
            break
        with open(os.path.join(args.workdir, f'batch{b:03d}.jsonl'), 'w', encoding='utf-8') as out:
            for i, d in enumerate(chunk):
                anon = f'r{b:03d}-{i + 1:03d}'
                if mapping.get(anon, d['id']) != d['id']:
                    sys.exit(f'{anon} stood for {mapping[anon]} and now for {d["id"]}: the corpus '
                             'order changed since the earlier batches; use a new work folder')
                mapping[anon] = d['id']
                out.write(json.dumps({'id': anon, 'channel': d['channel'], 'text': d['text']},
                                     ensure_ascii=False) + '\n')
        written += 1
    with open(os.path.join(args.workdir, 'map.json'), 'w', encoding='utf-8') as f:
        json.dump(mapping, f)
    batches = (len(pool) + BATCH_SIZE - 1) // BATCH_SIZE
    print(f'{len(pool)} lines in the pass, {batches} batches; wrote {written} from {args.start}')


def make_adjudication(args):
    mapping = load_map(args.workdir)
    lines = corpus_lines()
    rng = random.Random(args.name)
    items, key = [], {}
    for batch in args.batches:
        path = os.path.join(args.workdir, f'labels{int(batch):03d}.jsonl')
        for blind in read_jsonl(path):
            gold = lines[mapping[blind['id']]]
            for field in FIELDS:
                if same(field, gold[field], blind[field]):
                    continue
                corpus_side = 'A' if rng.random() < 0.5 else 'B'
                a, b = ((gold[field], blind[field]) if corpus_side == 'A'
                        else (blind[field], gold[field]))
                item = f"{gold['id']}|{field}"
                key[item] = {'corpus': corpus_side, 'corpus_label': gold[field],
                             'blind_label': blind[field]}
                items.append({'item': item, 'channel': gold['channel'], 'text': gold['text'],
                              'field': field, 'A': a, 'B': b})
    with open(os.path.join(args.workdir, f'adjkey-{args.name}.json'), 'w', encoding='utf-8') as f:
        json.dump(key, f, ensure_ascii=False)
    with open(os.path.join(args.workdir, f'adj-{args.name}.jsonl'), 'w', encoding='utf-8') as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + '\n')
    print(f'{len(items)} disagreements → adj-{args.name}.jsonl')


def corrections(args):
    """Rows (id, field, old, new) where the adjudicator chose the blind label, or gave
    its own with "neither"."""
    with open(os.path.join(args.workdir, f'adjkey-{args.name}.json'), encoding='utf-8') as f:
        key = json.load(f)
    with open(TAXONOMY, encoding='utf-8') as f:
        taxonomy = json.load(f)
    need_order = [n['id'] if isinstance(n, dict) else n for n in taxonomy['needs']]
    allowed = {'intent': set(taxonomy['intents']), 'sentiment': set(taxonomy['sentiment']),
               'needs': set(need_order)}
    lines = corpus_lines()
    verdicts = collections.Counter()
    rows = []
    for v in read_jsonl(os.path.join(args.workdir, f'verdicts-{args.name}.jsonl')):
        if v['item'] not in key:
            sys.exit(f"verdict for {v['item']}, which adjkey-{args.name}.json does not have: "
                     'the verdicts belong to another set or the items were made again')
        k = key[v['item']]
        line_id, field = v['item'].split('|')
        if v['verdict'] == 'both' or v['verdict'] == k['corpus']:
            verdicts['both' if v['verdict'] == 'both' else 'corpus'] += 1
            continue
        if v['verdict'] == 'neither':
            verdicts['neither'] += 1
            new = v.get('right')
            if new is None:
                continue
            labels = new if field == 'needs' else [new]
            if not set(labels) <= allowed[field]:
                sys.exit(f"{v['item']}: the adjudicator's label {new} is not in the taxonomy")
        else:
            verdicts['blind'] += 1
            new = k['blind_label']
        d = lines[line_id]
        if not same(field, d[field], k['corpus_label']):
            verdicts['stale'] += 1  # changed in the corpus since the items were made
            continue
        if field == 'needs':
            new = sorted(new, key=need_order.index)
        if same(field, d[field], new):
            continue
        rows.append((line_id, field, d[field], new))
        if field == 'sentiment' and new != 'negative' and d['emotions']:
            rows.append((line_id, 'emotions', d['emotions'], []))
    return verdicts, rows


def apply_corrections(args):
    verdicts, rows = corrections(args)
    fields = collections.Counter(r[1] for r in rows if r[1] != 'emotions')
    tsv = os.path.join(args.workdir, f'fixes-{args.name}.tsv')
    with open(tsv, 'w', encoding='utf-8') as out:
        for line_id, field, old, new in rows:
            out.write('\t'.join([line_id, field, json.dumps(old, ensure_ascii=False),
                                 json.dumps(new, ensure_ascii=False)]) + '\n')
    print(args.name, dict(verdicts), dict(fields), '→', tsv)
    if not args.write:
        print('dry run: add --write to change corpora/')
        return
    changes = collections.defaultdict(list)
    for line_id, field, old, new in rows:
        changes[line_id].append((field, old, new))
    done = set()
    for path in corpus_files():
        with open(path, encoding='utf-8') as f:
            text = f.read().split('\n')
        dirty = False
        for i, raw in enumerate(text):
            m = re.match(r'\{"id":\s*"([^"]+)"', raw)
            if not m or m.group(1) not in changes:
                continue
            d = json.loads(raw)
            for field, old, new in changes[m.group(1)]:
                if d[field] != old:
                    sys.exit(f'{m.group(1)} {field}: corpus has {d[field]}, expected {old}')
                d[field] = new
            # keep each file's own separator style so diffs show only the label
            sep = (',', ':') if '"id":"' in raw else (', ', ': ')
            text[i] = json.dumps(d, ensure_ascii=False, separators=sep)
            dirty = True
            done.add(m.group(1))
        if dirty:
            with open(path, 'w', encoding='utf-8') as f:
                f.write('\n'.join(text))
    missing = set(changes) - done
    print(f'changed {len(done)} lines' + (f'; not found: {sorted(missing)}' if missing else ''))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--workdir', default='/tmp/xinsheng-relabel',
                        help='folder for batches, labels, items and verdicts (default %(default)s)')
    sub = parser.add_subparsers(dest='command', required=True)
    p = sub.add_parser('batches', help='write anonymised batches of 150 lines')
    p.add_argument('--start', type=int, required=True, help='first batch number')
    p.add_argument('--count', type=int, required=True, help='how many batches')
    p.add_argument('--hold-out', nargs='*', default=['ap', 'aq', 'ar', 'as', 'at', 'au', 'av', 'aw'],
                   help='writer prefixes left out of the pass (default: rounds z10 and z11, written after the pass began; changing the list renumbers later batches)')
    p.set_defaults(run=make_batches)
    p = sub.add_parser('adjudication', help='A/B items for the fields that disagree')
    p.add_argument('--name', required=True, help='name of the set, e.g. a21')
    p.add_argument('batches', nargs='+', help='batch numbers whose labels are in')
    p.set_defaults(run=make_adjudication)
    p = sub.add_parser('apply', help='apply the fields where the blind label won')
    p.add_argument('--name', required=True)
    p.add_argument('--write', action='store_true', help='change corpora/ (default: dry run)')
    p.set_defaults(run=apply_corrections)
    args = parser.parse_args()
    args.run(args)


if __name__ == '__main__':
    main()
