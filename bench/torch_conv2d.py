#!/usr/bin/env python3
"""Reference point for `deno task bench train`'s 2-D contenders: the network
`buildModel` makes from a 2-D ModelConfig (lib/model/config.ts), in PyTorch on
this CPU. Random input, so it measures speed only. Prints one line:
`torch_conv2d samples_per_s=<float> ...`.

Input [batch, T, channels·bands] laid out [base | delta | delta-delta] per frame,
as the project's features, made a [batch, channels, T, bands] image. Per block:
Conv2d 3x3 same + BatchNorm + ReLU (`--residual`: conv, BN, ReLU, conv, BN, plus
the input through a 1x1 conv + BN where the width changes, ReLU), MaxPool
(pool-t, pool-f), Dropout. Then bands x filters per time step into an LSTM
(`--bi`: bidirectional), pooled over time (`mean`, `last`, `attention`, `stats`),
Dropout, Dense layers with ReLU, Dense(classes). Adam(1e-3), cross-entropy.

usage: torch_conv2d.py [--T 300] [--bands 64] [--channels 3] [--filters 16,32,64,128]
                       [--kernel 3] [--pool-t 2] [--pool-f 2] [--residual 0]
                       [--conv-drop 0.2] [--units 128] [--bi 1] [--pooling attention]
                       [--head-drop 0.3] [--dense ""] [--classes 8] [--batch 32]
                       [--samples 128] [--epochs 2] [--threads 1]
"""
import argparse, time
import torch, torch.nn as nn

p = argparse.ArgumentParser()
for k, v in dict(T=300, bands=64, channels=3, kernel=3, pool_t=2, pool_f=2, residual=0,
                 units=128, bi=1, classes=8, batch=32, samples=128, epochs=2,
                 threads=1).items():
    p.add_argument(f"--{k.replace('_', '-')}", type=int, default=v)
p.add_argument("--filters", default="16,32,64,128")
p.add_argument("--conv-drop", type=float, default=0.2)
p.add_argument("--head-drop", type=float, default=0.3)
p.add_argument("--pooling", default="attention", choices=["mean", "last", "attention", "stats"])
p.add_argument("--dense", default="")
a = p.parse_args()
torch.set_num_threads(a.threads); torch.manual_seed(0)
filters = [int(f) for f in a.filters.split(",") if f]
dense = [int(u) for u in a.dense.split(",") if u]


def conv_bn(cin, cout, k):
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=k // 2), nn.BatchNorm2d(cout))


class Block(nn.Module):
    def __init__(s, cin, f):
        super().__init__()
        s.a = conv_bn(cin, f, a.kernel)
        s.b = conv_bn(f, f, a.kernel) if a.residual else None
        s.skip = (conv_bn(cin, f, 1) if cin != f else nn.Identity()) if a.residual else None
        s.pool = nn.MaxPool2d((a.pool_t, a.pool_f)); s.drop = nn.Dropout(a.conv_drop)

    def forward(s, x):
        h = torch.relu(s.a(x))
        if a.residual:
            h = torch.relu(s.b(h) + s.skip(x))
        return s.drop(s.pool(h))


class Net(nn.Module):
    def __init__(s):
        super().__init__()
        blocks, cin, bands = [], a.channels, a.bands
        for f in filters:
            blocks.append(Block(cin, f)); cin, bands = f, bands // a.pool_f
        s.blocks = nn.Sequential(*blocks)
        s.lstm = nn.LSTM(cin * bands, a.units, batch_first=True, bidirectional=bool(a.bi))
        h = a.units * (2 if a.bi else 1)
        s.score = nn.Linear(h, 1, bias=False) if a.pooling == "attention" else None
        layers, h = [nn.Dropout(a.head_drop)], 2 * h if a.pooling == "stats" else h
        for u in dense:
            layers += [nn.Linear(h, u), nn.ReLU()]; h = u
        s.head = nn.Sequential(*layers, nn.Linear(h, a.classes))

    def forward(s, x):  # x [B, T, channels·bands]
        B, T, _ = x.shape
        x = x.reshape(B, T, a.channels, a.bands).permute(0, 2, 1, 3)
        h = s.blocks(x)  # [B, C, T', F']
        h, _ = s.lstm(h.permute(0, 2, 3, 1).flatten(2))  # bands x filters per step
        if a.pooling == "mean":
            h = h.mean(1)
        elif a.pooling == "last":
            h = h[:, -1]
        elif a.pooling == "stats":
            h = torch.cat([h.mean(1), h.std(1, unbiased=False)], 1)
        else:
            h = (torch.softmax(s.score(h), 1) * h).sum(1)
        return s.head(h)


m = Net(); opt = torch.optim.Adam(m.parameters(), 1e-3)
x = torch.randn(a.samples, a.T, a.channels * a.bands); y = torch.randint(0, a.classes, (a.samples,))
def epoch():
    for i in range(0, a.samples, a.batch):
        opt.zero_grad(); loss = nn.functional.cross_entropy(m(x[i:i+a.batch]), y[i:i+a.batch]); loss.backward(); opt.step()
epoch()  # warm-up
t = time.perf_counter()
for _ in range(a.epochs): epoch()
dt = time.perf_counter() - t
print(f"torch_conv2d samples_per_s={a.epochs * a.samples / dt:.1f} threads={a.threads} T={a.T} bands={a.bands} channels={a.channels} filters={a.filters} batch={a.batch} params={sum(q.numel() for q in m.parameters())} torch={torch.__version__}")
