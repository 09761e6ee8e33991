"""Train a small MLP on scikit-learn's digits and save its weights to digits-mlp.pt.

Only there so that README's "From PyTorch" example has a trained model to probe
(two hidden layers of 500 ReLU units: 1,000 units; about 10 s on 2 CPU cores).

    python3 python/examples/train_digits_mlp.py
"""

import torch
from sklearn.datasets import load_digits


def mlp() -> torch.nn.Sequential:
    """The network: 64 → 500 → ReLU → 500 → ReLU → 10."""
    return torch.nn.Sequential(torch.nn.Linear(64, 500), torch.nn.ReLU(),
                               torch.nn.Linear(500, 500), torch.nn.ReLU(), torch.nn.Linear(500, 10))


def main() -> None:
    torch.manual_seed(0)
    digits = load_digits()
    X = torch.tensor(digits.data / 16.0, dtype=torch.float32)[:1400]
    y = torch.tensor(digits.target)[:1400]
    model = mlp()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(2000):
        batch = torch.randint(0, len(y), (100,))
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(X[batch]), y[batch]).backward()
        opt.step()
    torch.save(model.state_dict(), "digits-mlp.pt")
    print("saved digits-mlp.pt")


if __name__ == "__main__":
    main()
