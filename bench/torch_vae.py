#!/usr/bin/env python3
"""vaelab's PyTorch yardstick: the models vaelab's README compares itself with, in PyTorch.

  pytorch-example  the VAE of pytorch/examples vae/main.py: 784-400-20 (ReLU, gaussian
                   head), 20-400-784, nn.Linear's default init, Adam 1e-3, batch 128 from a
                   fresh shuffle of the 60 000 training images per epoch (last batch kept),
                   loss = BCE summed over pixels + KL; test loss (CE + KL per image, sampled
                   z) on the 10 000 test images after every epoch.
  relu-z20         the study's relu-z20 model with the seed head: 784-100-100-20 (ReLU),
                   μ and σ = sigmoid(Affine(20, 20)), 20-100-100-100-784, 0.1·N(0, 1)
                   weights and zero biases, Adam 1e-3, the first 100 training images as
                   one batch, mean over the batch of CE + KL.

Prints one JSON line: seconds per epoch (training only, evaluation apart) and test losses
per epoch, or milliseconds per iteration. Needs torch and numpy (see README.md here).

  python3 bench/torch_vae.py --model pytorch-example --epochs 10 --threads 2
  python3 bench/torch_vae.py --model relu-z20 --iters 2000 --threads 1
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np


def load_images(path):
    with gzip.open(path) as f:
        raw = f.read()
    magic, n, rows, cols = struct.unpack(">IIII", raw[:16])
    if magic != 2051:
        raise SystemExit(f"{path}: not an IDX image file (magic {magic})")
    return np.frombuffer(raw[16:], np.uint8).reshape(n, rows * cols)


def pytorch_example(torch, args, train, test):
    nn, F = torch.nn, torch.nn.functional

    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(784, 400)
            self.fc21 = nn.Linear(400, 20)
            self.fc22 = nn.Linear(400, 20)
            self.fc3 = nn.Linear(20, 400)
            self.fc4 = nn.Linear(400, 784)

        def forward(self, x):
            h1 = F.relu(self.fc1(x))
            mu, logvar = self.fc21(h1), self.fc22(h1)
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar

    def loss_function(recon, x, mu, logvar):
        bce = F.binary_cross_entropy(recon, x, reduction="sum")
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return bce + kld

    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    n, batch = train.shape[0], 128
    epochs = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        start = time.perf_counter()
        total = 0.0
        for idx in torch.randperm(n).split(batch):
            x = train[idx]
            opt.zero_grad()
            recon, mu, logvar = model(x)
            loss = loss_function(recon, x, mu, logvar)
            loss.backward()
            total += loss.item()
            opt.step()
        seconds = time.perf_counter() - start
        model.eval()
        start = time.perf_counter()
        test_loss = 0.0
        with torch.no_grad():
            for x in test.split(batch):
                recon, mu, logvar = model(x)
                test_loss += loss_function(recon, x, mu, logvar).item()
        epochs.append({"epoch": epoch, "train_loss": total / n, "test_loss": test_loss / test.shape[0],
                       "seconds": seconds, "eval_seconds": time.perf_counter() - start})
    return {"epochs": epochs,
            "seconds_per_epoch": sum(e["seconds"] for e in epochs) / len(epochs)}


def relu_z20(torch, args, train, test):
    nn = torch.nn
    L, act = nn.Linear, nn.ReLU
    enc = nn.Sequential(L(784, 100), act(), L(100, 100), act(), L(100, 20))
    mu = nn.Sequential(L(20, 20), nn.Sigmoid())
    sg = nn.Sequential(L(20, 20), nn.Sigmoid())
    dec = nn.Sequential(L(20, 100), act(), L(100, 100), act(), L(100, 100), act(), L(100, 784))
    mods = nn.ModuleList([enc, mu, sg, dec])
    with torch.no_grad():
        for m in mods.modules():
            if isinstance(m, L):
                m.weight.normal_(0, 1).mul_(0.1)
                m.bias.zero_()
    opt = torch.optim.Adam(mods.parameters(), lr=1e-3)
    x, x_test = train[:100], test[:100]
    bce = nn.BCEWithLogitsLoss(reduction="none")

    def losses(x):
        h = enc(x)
        m, s = mu(h), sg(h)
        z = m + s * torch.randn_like(s)
        ce = bce(dec(z), x).sum(1)
        kl = 0.5 * (m * m + s * s - torch.log(s * s) - 1).sum(1)
        return ce, kl

    start = time.perf_counter()
    for it in range(args.iters):
        # Like vaelab's runs: both sets' losses every --eval-every iterations.
        if args.eval_every and it % args.eval_every == 0:
            with torch.no_grad():
                losses(x), losses(x_test)
        ce, kl = losses(x)
        loss = (ce + kl).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    seconds = time.perf_counter() - start
    return {"iters": args.iters, "seconds": seconds, "ms_per_iteration": 1e3 * seconds / args.iters}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", choices=["pytorch-example", "relu-z20"], default="pytorch-example")
    ap.add_argument("--data", default=os.environ.get("MNIST_DIR"), help="MNIST directory [$MNIST_DIR]")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--iters", type=int, default=2000)
    ap.add_argument("--eval-every", type=int, default=10, help="relu-z20: evaluate every N iterations (0: never)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not args.data:
        raise SystemExit("give --data DIR or set MNIST_DIR")
    import torch
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(args.seed)
    grey = lambda name: torch.tensor(load_images(os.path.join(args.data, name)) / 255.0, dtype=torch.float32)
    train, test = grey("train-images-idx3-ubyte.gz"), grey("t10k-images-idx3-ubyte.gz")
    run = pytorch_example if args.model == "pytorch-example" else relu_z20
    result = {"side": "pytorch", "model": args.model, "threads": args.threads, "torch": torch.__version__}
    result.update(run(torch, args, train, test))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
