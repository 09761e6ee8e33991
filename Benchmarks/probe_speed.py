#!/usr/bin/env python3
"""How long lesion.torch.probe takes to ablate each of 1,000 units of an MLP, one at a
time, on all 1,797 digits (the target: under a minute on CPU).

    pip install "./python[torch]" scikit-learn
    python3 Benchmarks/probe_speed.py            # trains the example MLP first if needed

Prints the time of the single-unit ablations alone, then of a whole probe with its
defaults (ablation curves with 3 random orders and the 2 selectivity orders, and a
noise curve).
"""

import os
import sys
import time

import torch
from sklearn.datasets import load_digits

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python", "examples"))
import train_digits_mlp  # noqa: E402

from lesion.torch import probe  # noqa: E402


def main() -> None:
    if not os.path.exists("digits-mlp.pt"):
        train_digits_mlp.main()
    model = train_digits_mlp.mlp()
    model.load_state_dict(torch.load("digits-mlp.pt"))
    digits = load_digits()
    X = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    started = time.perf_counter()
    probe(model, ["1", "3"], (X, y), (X, y), ablation_x=(), noise_x=None, progress=False)
    print(f"1,000 single-unit ablations on {len(y)} digits: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    probe(model, ["1", "3"], (X, y), (X, y), progress=False)
    print(f"whole probe with its defaults: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
