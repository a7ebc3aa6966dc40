#!/usr/bin/env bash
# Serving benchmark of docs/benchmarks.md ("Serving"): latency p50/p99 and throughput of `slowfast serve` for 1 and 4
# concurrent clients at --batch-size 1 and 4, on the tiny synthetic model and on R50 4x16 at a reduced input
# (tools/benchmarks/r50_eval_2x112.yaml: 2 clips of 32x112x112), then the same videos through `slowfast demo`
# (one process per video, as a user runs it). Timing needs no training: both models get a seeded, untrained
# checkpoint. Prints one line per run, with the load average. Usage (repository root):
#   tools/benchmarks/serve_benchmark.sh [TINY_REQUESTS] [R50_REQUESTS]   (requests per client; default 40 and 6)
set -euo pipefail
cd "$(dirname "$0")/../.."
tiny_n="${1:-40}"
r50_n="${2:-6}"
work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
./slowfast --version >/dev/null
mvn -q -B -pl core test-compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
bench=(java -Dai.djl.offline=true -cp "target/classes:target/test-classes:$(cat "$work/cp.txt")"
  org.slowfast.serve.ServeBenchmark)
./slowfast make-synthetic "$work/tiny" --classes 4 --videos-per-class 2 --frames 40 --size 64x64 --format mp4 >/dev/null
./slowfast make-synthetic "$work/r50" --classes 2 --videos-per-class 2 --frames 72 --size 160x120 --format mp4 \
  >/dev/null
tiny_cfg=configs/recognition/slowfast/slowfast_tiny_synthetic.yaml
r50_cfg=tools/benchmarks/r50_eval_2x112.yaml
"${bench[@]}" checkpoint "$tiny_cfg" "$work/tiny.pth" 2>/dev/null
"${bench[@]}" checkpoint "$r50_cfg" "$work/r50.pth" 2>/dev/null
load() { cut -d' ' -f1-3 /proc/loadavg; }
for model in tiny r50; do
  cfg_var="${model}_cfg"; n_var="${model}_n"
  cfg="${!cfg_var}"; n="${!n_var}"
  mapfile -t videos < <(find "$work/$model/videos" -name '*.mp4' | sort)
  for batch in 1 4; do
    ./slowfast serve "$cfg" "$work/$model.pth" --model-name m --port 18090 --metrics-port 18092 \
      --batch-size "$batch" --max-batch-delay 20 >"$work/serve.out" 2>"$work/serve.err" &
    server=$!
    until grep -q '^serving' "$work/serve.out"; do sleep 0.5; kill -0 "$server"; done
    for clients in 1 4; do
      echo "$model serve batch=$batch load=[$(load)] $("${bench[@]}" load http://127.0.0.1:18090/predictions/m \
        "$clients" "$n" "${videos[@]}" 2>/dev/null)"
    done
    kill -TERM "$server"; wait "$server"; server=""
  done
  start=$(date +%s.%N)
  for v in "${videos[@]}"; do ./slowfast demo "$cfg" "$work/$model.pth" "$v" >/dev/null 2>&1; done
  end=$(date +%s.%N)
  echo "$model demo load=[$(load)] {\"videos\": ${#videos[@]}, \"s_per_video\": $(echo "($end - $start) / ${#videos[@]}" | bc -l | cut -c1-5)}"
done
