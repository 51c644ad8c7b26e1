#!/usr/bin/env bash
# End-to-end test of a sweep on a real Slurm (the local one of
# local-cluster.sh, already running): the default study as a 4-task job
# array through submit.sh, one task cancelled mid-run and resubmitted, the
# report merged from the run directories, and its summary.json and CSV files
# compared byte for byte with a single-machine `reproduce`.
#
#   deploy/slurm/e2e.sh [ITERATIONS]      # default 300 (two seeds); needs MNIST_DIR
#
# Uses the release binary (VAELAB_BIN, default target/release/xtask).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
iterations=${1:-300}
bin=$(realpath "${VAELAB_BIN:-target/release/xtask}")
export VAELAB_BIN=$bin
: "${MNIST_DIR:?set MNIST_DIR to the directory of the MNIST files}"
sinfo >/dev/null
work=$(mktemp -d /tmp/vaelab-e2e.XXXXXX)
suite=$root/xtask/suites/seed-study.toml
opts=(--iterations "$iterations" --seeds 2 --data-dir "$MNIST_DIR")
fail() { echo "e2e.sh: FAILED: $*" >&2; exit 1; }
squeue_state() { squeue -h -o %T -j "$1" 2>/dev/null || true; }

echo "== submit: 4-task array + dependent report ($work)"
read -r train report < <(deploy/slurm/submit.sh "$suite" "$work/runs" "$work/report" 4 -- "${opts[@]}")
victim="${train}_1"

# Cancel task 1 mid-run: once it is running and has saved its first run
# (or after 20 s at most), before it can finish its shard.
for _ in $(seq 1 200); do
    [[ $(squeue_state "$victim") == RUNNING ]] && break
    sleep 0.1
done
[[ $(squeue_state "$victim") == RUNNING ]] || fail "task 1 never ran"
log="$work/runs/.logs/train-${train}_1.out"
for _ in $(seq 1 200); do
    grep -q "saved in" "$log" 2>/dev/null && break
    sleep 0.1
done
scancel "$victim"
echo "== cancelled $victim after: $(grep -c 'saved in' "$log" 2>/dev/null || echo 0) saved runs"

# Wait for the other tasks; the report job can never start (afterok).
for _ in $(seq 1 600); do
    [[ -z $(squeue -h -j "$train" 2>/dev/null) ]] && break
    sleep 0.5
done
[[ -z $(squeue -h -j "$train") ]] || fail "the array did not finish"
reason=$(squeue -h -o %r -j "$report" 2>/dev/null || true)
echo "== report job $report: ${reason:-gone}"
scancel "$report" 2>/dev/null || true

echo "== resubmit task 1"
resub=$(sbatch --parsable --array=1 --export="ALL,VAELAB_BIN=$bin,VAELAB_SHARD_COUNT=4" \
    --output="$work/runs/.logs/resubmit-%A_%a.out" \
    deploy/slurm/sweep.sbatch --suite "$suite" --runs-dir "$work/runs" "${opts[@]}")
echo "== report after the resubmitted task (sbatch --wait)"
sbatch --wait --dependency="afterok:$resub" --job-name=vaelab-report \
    --output="$work/runs/.logs/report-%j.out" \
    --wrap="$(printf '%q ' "$bin" report --suite "$suite" --runs-dir "$work/runs" --out "$work/report" "${opts[@]}")" \
    >/dev/null || { cat "$work"/runs/.logs/*; fail "the report job failed"; }
grep -h "reused the finished run" "$work"/runs/.logs/resubmit-* | sed 's/^/  resubmitted: /' || true
grep -q "reused the finished run" "$work"/runs/.logs/resubmit-* \
    || echo "  (the cancelled task had saved no run yet)"

echo "== single-machine reproduce"
"$bin" reproduce --suite "$suite" --out "$work/single" --runs-dir "$work/single-runs" \
    "${opts[@]}" >/dev/null 2>"$work/single.log" || { cat "$work/single.log"; fail "reproduce"; }

echo "== compare summary.json and CSVs"
compare() { (cd "$1" && find . -name summary.json -o -name '*.csv' | sort | xargs sha256sum); }
compare "$work/report" >"$work/merged.sums"
compare "$work/single" >"$work/single.sums"
[[ $(wc -l <"$work/single.sums") -gt 10 ]] || fail "too few files in the report"
diff "$work/merged.sums" "$work/single.sums" || fail "the merged report differs from reproduce"
echo "e2e.sh: passed ($(wc -l <"$work/single.sums") files identical)"
rm -rf "$work"
