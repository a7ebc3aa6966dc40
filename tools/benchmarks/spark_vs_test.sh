#!/usr/bin/env bash
# docs/benchmarks.md "Spark": test against spark-test on local[N] over the same annotation file, same cores,
# alternating ROUNDS times; prints wall times, Spark's start-up and job times, and the load (uptime) around each run.
#   tools/benchmarks/spark_vs_test.sh CONFIG CHECKPOINT ANN_FILE [N=2] [ROUNDS=2]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
config="$1" checkpoint="$2" ann="$3" slots="${4:-2}" rounds="${5:-2}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$root/slowfast" spark-test --help >/dev/null
for round in $(seq "$rounds"); do
  echo "round $round: $(uptime)"
  start=$(date +%s.%N)
  "$root/slowfast" test "$config" "$checkpoint" --out "$out/result.pkl" --cfg-options "data.test.ann_file=$ann" \
    2>"$out/test.err" >/dev/null
  echo "  test:       $(echo "$(date +%s.%N) - $start" | bc) s wall; $(tr '\r' '\n' < "$out/test.err" | grep -o 'test: [0-9]*/[0-9]* videos, [0-9.]* videos/s' | tail -1)"
  rm -rf "$out/out.parquet"
  start=$(date +%s.%N)
  "$root/slowfast" spark-test "$config" "$checkpoint" --input "$ann" --output "$out/out.parquet" \
    --master "local[$slots]" --conf spark.ui.enabled=false 2>"$out/spark.err" >"$out/spark.out"
  echo "  spark-test: $(echo "$(date +%s.%N) - $start" | bc) s wall; $(grep -o 'Spark .* started in [0-9.]* s' "$out/spark.err"); $(grep -o 'wrote .*' "$out/spark.out")"
done
echo "after: $(uptime)"
