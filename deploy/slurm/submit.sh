#!/usr/bin/env bash
# Submits a vaelab sweep to Slurm: a job array that trains the suite in N
# shards (deploy/slurm/sweep.sbatch), and a report job that starts once
# every task has succeeded (--dependency=afterok) and merges the runs.
#
#   deploy/slurm/submit.sh SUITE RUNS_DIR OUT [SHARDS] [-- suite options]
#
#   deploy/slurm/submit.sh xtask/suites/seed-study.toml /shared/runs /shared/report 8 \
#       -- --seeds 5 --data-dir /shared/mnist
#
# RUNS_DIR and OUT must be on a file system every node sees. The suite
# options (after --) go to both `train` and `report`, which must agree.
# Extra sbatch options: SBATCH_TRAIN_OPTS and SBATCH_REPORT_OPTS (e.g.
# "--partition=cpu --time=02:00:00"). Logs go to RUNS_DIR/.logs/. Prints
# the two job ids.
#
# If a task fails or is cancelled, the report job never starts (Slurm shows
# it pending with DependencyNeverSatisfied): cancel it, resubmit the task
# (`sbatch --array=I --export=ALL,VAELAB_SHARD_COUNT=N deploy/slurm/sweep.sbatch
# --suite SUITE --runs-dir RUNS_DIR ...`; its finished runs are reused) and
# run the report (or this script again: every finished run is reused).
set -euo pipefail

if [[ $# -lt 3 ]]; then
    sed -n '2,21p' "$0" >&2
    exit 2
fi
# Absolute paths: the jobs run in the workspace root, not where this was called.
suite=$(realpath -m "$1") runs_dir=$(realpath -m "$2") out=$(realpath -m "$3")
shift 3
cd "$(dirname "$0")/../.."
shards=4
if [[ $# -gt 0 && $1 != -- ]]; then
    shards=$1
    shift
fi
[[ ${1:-} == -- ]] && shift
bin="${VAELAB_BIN:-$PWD/target/release/xtask}"
if [[ ! -x $bin ]]; then
    echo "submit.sh: $bin is missing: cargo build --release -p xtask (or set VAELAB_BIN)" >&2
    exit 1
fi
logs="$runs_dir/.logs"
mkdir -p "$logs"

# shellcheck disable=SC2086
train=$(sbatch --parsable --array="0-$((shards - 1))" ${SBATCH_TRAIN_OPTS:-} \
    --export="ALL,VAELAB_BIN=$bin,VAELAB_SHARD_COUNT=$shards" --output="$logs/train-%A_%a.out" \
    deploy/slurm/sweep.sbatch --suite "$suite" --runs-dir "$runs_dir" "$@")
report_cmd=$(printf '%q ' "$bin" report --suite "$suite" --runs-dir "$runs_dir" --out "$out" "$@")
# shellcheck disable=SC2086
report=$(sbatch --parsable --dependency="afterok:$train" ${SBATCH_REPORT_OPTS:-} \
    --job-name=vaelab-report --output="$logs/report-%j.out" --wrap="$report_cmd")
echo "$train $report"
echo "train array: $train ($shards tasks); report: $report (after all succeed); logs in $logs" >&2
