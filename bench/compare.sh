#!/bin/sh
# Runs vaelab's side and PyTorch's side of every speed comparison of the
# README back to back on this machine, and prints their JSON lines.
#
#   MNIST_DIR=/path/to/mnist PYTHON=/path/to/venv/bin/python bench/compare.sh [EPOCHS]
#
# EPOCHS (default 10) bounds the pytorch-example runs. The load average is
# printed first: on a busy machine the figures mean little.
set -eu
: "${MNIST_DIR:?set MNIST_DIR to the MNIST directory}"
PYTHON=${PYTHON:-python3}
EPOCHS=${1:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
suite=$(mktemp "${TMPDIR:-/tmp}/vaelab-compare.XXXXXX.toml")
trap 'rm -f "$suite"' EXIT
sed "s/^epochs = 10$/epochs = $EPOCHS/" xtask/suites/pytorch-example.toml >"$suite"

echo "# $(date -u +%FT%TZ) $(uptime)"
cargo build --release -p vaelab-vae --example train_epochs --example train_one >/dev/null 2>&1
for threads in 1 2; do
    echo "# pytorch-example, $EPOCHS epochs, $threads thread(s): vaelab then PyTorch"
    cargo run -q --release -p vaelab-vae --example train_epochs -- "$suite" '*' "$threads" | tail -n 1
    "$PYTHON" bench/torch_vae.py --model pytorch-example --epochs "$EPOCHS" --threads "$threads"
done
echo "# relu-z20 (seed head, 100 images, full batch), 2000 iterations, 1 thread: vaelab then PyTorch"
cargo run -q --release -p vaelab-vae --example train_one -- relu-z20-ce 1
"$PYTHON" bench/torch_vae.py --model relu-z20 --iters 2000 --threads 1
echo "# $(date -u +%FT%TZ) $(uptime)"
