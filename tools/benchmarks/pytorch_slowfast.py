#!/usr/bin/python3
"""PyTorch twin of `slowfast benchmark` for the side-by-side table in docs/benchmarks.md: the same SlowFast
architecture (the independent implementation in tools/fixtures/make_model_fixtures.py, MMAction2's layout and
init), the same shapes and thread count, random input, one JSON line out.

  train: forward, cross entropy, backward, clip_grad_norm_(40), SGD(momentum 0.9, weight decay 1e-4) step
  eval:  model.eval() forward under torch.no_grad()

Usage: /usr/bin/python3 tools/benchmarks/pytorch_slowfast.py {r50|tiny} {train|eval} BATCH T H W
           [--iters K] [--warmup W] [--threads N]
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'fixtures'))
from make_model_fixtures import SlowFast, init_like_mmaction2  # noqa: E402

MODELS = {
    # slowfast_r50_4x16x1_256e_kinetics400_rgb: tau = alpha = beta_inv = 8, slow 64, fast 8, fusion kernel 5
    'r50': dict(tau=8, alpha=8, ratio=8, slow_base=64, fast_base=8, fusion_kernel=5, num_classes=400, dropout=0.5),
    # tiny_train.yaml with slow base 16: tau = alpha = 4, beta_inv = 8, slow 16, fast 2, fusion kernel 3
    'tiny': dict(tau=4, alpha=4, ratio=8, slow_base=16, fast_base=2, fusion_kernel=3, num_classes=5, dropout=0.5),
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('model', choices=MODELS)
    p.add_argument('mode', choices=['train', 'eval'])
    p.add_argument('shape', type=int, nargs=4, metavar='N_T_H_W')
    p.add_argument('--iters', type=int, default=10)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--threads', type=int, default=os.cpu_count())
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cfg = MODELS[a.model]
    model = SlowFast(**cfg)
    init_like_mmaction2(model)
    n, t, h, w = a.shape
    x = torch.randn(n, 3, t, h, w)
    y = torch.arange(n) % cfg['num_classes']
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)

    def step():
        if a.mode == 'train':
            model.train()
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 40, 2)
            opt.step()
        else:
            model.eval()
            with torch.no_grad():
                model(x).softmax(1).tolist()

    for _ in range(a.warmup):
        step()
    start = time.perf_counter()
    for _ in range(a.iters):
        step()
    s = (time.perf_counter() - start) / a.iters
    print(json.dumps({'mode': a.mode, 'model': a.model, 'batch': n, 's_per_iter': s, 'clips_per_s': n / s,
                      'threads': torch.get_num_threads(), 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
