#!/usr/bin/env bash
# Runs the fuzz campaign: each target in turn, one process (one core), until
# it has done RUNS executions (default 10 million) or MAX_TIME seconds have
# passed (default 1800), whichever comes first. Logs go to artifacts/logs/,
# crashes to artifacts/<target>/, new inputs to corpus/<target>/ (all
# git-ignored). Works on a stable toolchain (see README.md).
#
#   fuzz/run.sh                      # all three targets
#   RUNS=100000 fuzz/run.sh suite    # a short run of one target
set -euo pipefail
cd "$(dirname "$0")"

runs=${RUNS:-10000000}
max_time=${MAX_TIME:-1800}
if [[ $# -gt 0 ]]; then targets=("$@"); else targets=(idx_images idx_labels suite); fi

cargo fuzz build -O --sanitizer none
mkdir -p artifacts/logs
status=0
for target in "${targets[@]}"; do
    case $target in
        suite) dict=dict/suite.dict ;;
        *) dict=dict/idx.dict ;;
    esac
    mkdir -p "corpus/$target"
    log="artifacts/logs/$target.log"
    echo "== $target: up to $runs executions or $max_time s; log $log"
    # The outer timeout is a backstop for a hang libFuzzer itself misses.
    if ! timeout $((max_time + 300)) cargo fuzz run -O --sanitizer none "$target" \
        "corpus/$target" "seeds/$target" -- \
        -dict="$dict" -max_len=4096 -timeout=10 -rss_limit_mb=512 \
        -runs="$runs" -max_total_time="$max_time" -print_final_stats=1 \
        >"$log" 2>&1; then
        echo "!! $target failed; see $log"
        status=1
    fi
    grep -a -E '^(#[0-9]+ +DONE|Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
done
exit $status
