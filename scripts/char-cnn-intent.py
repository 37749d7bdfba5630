#!/usr/bin/env python3
"""A measurement, not product code: does a small character CNN read intent better than
the bundled bag-of-features model, or add to it?

usage: python3 scripts/char-cnn-intent.py CORPORA_DIR [SEED] [--out DIR]
       xinsheng analyze --jsonl --format json < DIR/dev.jsonl > DIR/dev-model.jsonl
       python3 scripts/char-cnn-intent.py CORPORA_DIR [SEED] --out DIR --mix DIR/dev-model.jsonl

Trains on the chat and comment lines of CORPORA_DIR (e.g. `git archive 674bfc3 corpora`,
the bundled model's corpus) split as `xinsheng train` splits them (FNV-1a of the id,
mixed, 15 % dev), with numpy only: character embeddings (64), one convolution of width 3
(256 filters, ReLU, max over the text), dropout 0.4, softmax over the 14 intents; Adam,
six epochs of 64 lines. Prints dev intent accuracy after each epoch, then writes the dev
lines' probabilities (`dev-probs-SEED.npy`), their ids (`dev-ids.json`) and texts
(`dev.jsonl`, for `xinsheng analyze`) to --out. With --mix, nothing is trained: the saved
probabilities are mixed with the model's intent ranking (its top three, the rest 0.001)
at several weights and the dev accuracies printed (README, twentieth session).
"""
import json, glob, sys, os, unicodedata, numpy as np, time
args = [a for a in sys.argv[1:]]
OUT = '.'
if '--out' in args:
    OUT = args[args.index('--out') + 1]; del args[args.index('--out'):args.index('--out') + 2]
MIX = None
if '--mix' in args:
    MIX = args[args.index('--mix') + 1]; del args[args.index('--mix'):args.index('--mix') + 2]
CORP = args[0]; SEED = int(args[1]) if len(args) > 1 else 1
os.makedirs(OUT, exist_ok=True)
INTENTS = ["account_inquiry","card_limit","repayment","loan_inquiry","wealth_inquiry","insurance_inquiry","transfer_payment",
           "fee_dispute","fraud_security","account_closure","app_issue","complaint","card_application","other"]
def fnv(b):
    h = 0xcbf29ce484222325
    for x in b: h = ((h ^ x) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h
def is_dev(i):
    h = fnv(i.encode()); h ^= h >> 33; h = (h * 0xff51afd7ed558ccd) & 0xFFFFFFFFFFFFFFFF; h ^= h >> 33
    return h % 100 < 15
def norm(t):
    t = unicodedata.normalize('NFKC', t).lower()
    return ''.join('0' if c.isdigit() else c for c in t if not c.isspace())
rows = []
for f in sorted(glob.glob(CORP + '/chat/*.jsonl') + glob.glob(CORP + '/comments/*.jsonl')):
    for l in open(f, encoding='utf-8'):
        o = json.loads(l)
        if o.get('intent') in INTENTS: rows.append((o['id'], norm(o['text']), INTENTS.index(o['intent']), o['text'], o['channel']))
train = [r for r in rows if not is_dev(r[0])]; dev = [r for r in rows if is_dev(r[0])]
if MIX:
    cnn = np.load(os.path.join(OUT, f'dev-probs-{SEED}.npy'))
    assert json.load(open(os.path.join(OUT, 'dev-ids.json'))) == [r[0] for r in dev], 'the saved run is of another corpus'
    model = np.full((len(dev), len(INTENTS)), 1e-3)
    for k, l in enumerate(open(MIX, encoding='utf-8')):
        for r in json.loads(l)['intent']['ranking']: model[k, INTENTS.index(r['label'])] = r['confidence']
    model /= model.sum(1, keepdims=True)
    y = np.array([r[2] for r in dev])
    print(f'model alone {(model.argmax(1) == y).mean():.4f}, cnn alone {(cnn.argmax(1) == y).mean():.4f}')
    for w in (0.1, 0.2, 0.3, 0.4, 0.5):
        print(f'mixed {1 - w:.1f}·model + {w:.1f}·cnn: {(((1 - w) * model + w * cnn).argmax(1) == y).mean():.4f}')
    sys.exit(0)
from collections import Counter
cnt = Counter(c for r in train for c in r[1])
vocab = {c: i + 2 for i, c in enumerate(sorted(c for c, n in cnt.items() if n >= 2))}
L = 96
def enc(rs):
    X = np.zeros((len(rs), L + 2), np.int32)  # 0 pads (and marks the start); 1 is an unknown character
    lens = np.zeros(len(rs), np.int32)
    for k, (_, t, *_) in enumerate(rs):
        ids = [vocab.get(c, 1) for c in t[:L]]
        X[k, 1:1 + len(ids)] = ids; lens[k] = len(ids) + 2
    return X, lens, np.array([r[2] for r in rs])
Xtr, Ltr, Ytr = enc(train); Xdv, Ldv, Ydv = enc(dev)
rng = np.random.default_rng(SEED)
V, D, F, C, K = len(vocab) + 2, 64, 256, len(INTENTS), 3
P = {'E': rng.normal(0, 0.1, (V, D)).astype(np.float32), 'W': rng.normal(0, np.sqrt(2 / (K * D)), (K * D, F)).astype(np.float32),
     'b': np.zeros(F, np.float32), 'U': rng.normal(0, np.sqrt(1 / F), (F, C)).astype(np.float32), 'c': np.zeros(C, np.float32)}
M = {k: np.zeros_like(v) for k, v in P.items()}; S = {k: np.zeros_like(v) for k, v in P.items()}
T = L + 2 - K + 1
def forward(X, lens, train=False):
    emb = P['E'][X]                                   # B, L+2, D
    win = np.concatenate([emb[:, i:i + T] for i in range(K)], axis=2)  # B, T, K*D
    H = win @ P['W'] + P['b']                          # B, T, F
    valid = (np.arange(T)[None, :] + K <= np.maximum(lens, K)[:, None])
    H = np.where(valid[:, :, None], np.maximum(H, 0), 0)
    arg = H.argmax(axis=1)                             # B, F
    pooled = np.take_along_axis(H, arg[:, None, :], 1)[:, 0]
    mask = (rng.random(pooled.shape) > 0.4).astype(np.float32) / 0.6 if train else 1
    z = pooled * mask
    logits = z @ P['U'] + P['c']
    return logits, (X, win, arg, pooled, mask, z)
def probs(logits):
    e = np.exp(logits - logits.max(1, keepdims=True)); return e / e.sum(1, keepdims=True)
step = 0
t0 = time.time()
for epoch in range(6):
    order = rng.permutation(len(Ytr))
    for s in range(0, len(order), 64):
        idx = order[s:s + 64]
        logits, (X, win, arg, pooled, mask, z) = forward(Xtr[idx], Ltr[idx], True)
        g = probs(logits); g[np.arange(len(idx)), Ytr[idx]] -= 1; g /= len(idx)
        G = {'U': z.T @ g, 'c': g.sum(0)}
        dz = g @ P['U'].T * mask
        dp = dz * (pooled > 0)                          # B, F
        wsel = np.take_along_axis(win, arg[:, :, None], 1)  # B, F, K*D (window at each filter's max)
        G['W'] = np.einsum('bfd,bf->df', wsel, dp); G['b'] = dp.sum(0)
        dwin = dp[:, :, None] * P['W'].T[None]          # B, F, K*D
        dE = np.zeros_like(P['E'])
        for i in range(K):
            pos = arg + i                               # B, F
            ids = np.take_along_axis(X, pos, 1)         # B, F
            np.add.at(dE, ids.ravel(), dwin[:, :, i * D:(i + 1) * D].reshape(-1, D))
        G['E'] = dE
        step += 1
        for k in P:
            G[k] = G[k] + (1e-5 * P[k] if k in ('W', 'U') else 0)
            M[k] = 0.9 * M[k] + 0.1 * G[k]; S[k] = 0.999 * S[k] + 0.001 * G[k] ** 2
            P[k] -= 2e-3 * (M[k] / (1 - 0.9 ** step)) / (np.sqrt(S[k] / (1 - 0.999 ** step)) + 1e-8)
    out = np.concatenate([probs(forward(Xdv[s:s + 512], Ldv[s:s + 512])[0]) for s in range(0, len(Ydv), 512)])
    print(f'epoch {epoch + 1}: dev intent accuracy {(out.argmax(1) == Ydv).mean():.3f} ({len(Ydv)} lines, {time.time() - t0:.0f} s)', flush=True)
np.save(os.path.join(OUT, f'dev-probs-{SEED}.npy'), out)
json.dump([r[0] for r in dev], open(os.path.join(OUT, 'dev-ids.json'), 'w'))
with open(os.path.join(OUT, 'dev.jsonl'), 'w', encoding='utf-8') as w:
    for r in dev: w.write(json.dumps({'id': r[0], 'text': r[3], 'channel': r[4]}, ensure_ascii=False) + '\n')
