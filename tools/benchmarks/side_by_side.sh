#!/usr/bin/env bash
# Side-by-side training/eval speed of slowfast-java and PyTorch 1.13 on the same SlowFast architectures, shapes and
# core count, interleaved (java, python, java, python, ...) so that both see the same machine load. One JSON line
# per run, prefixed with the work and the load average. Usage (repository root):
#   tools/benchmarks/side_by_side.sh [ROUNDS] [THREADS] [SCALE]
# SCALE (default 1) multiplies the timed iterations of every run (5 tiny, 3 R50 train, 5 R50 eval batches).
# PYTHON (default /usr/bin/python3) runs tools/benchmarks/pytorch_slowfast.py; give it OpenBLAS through
# PY_LD_LIBRARY_PATH if the system BLAS is the reference one (docs/benchmarks.md, "Side by side").
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-2}"
threads="${2:-2}"
scale="${3:-1}"
tiny_iters=$((5 * scale))
r50_iters=$((3 * scale))
eval_iters=$((5 * scale))
py="${PYTHON:-/usr/bin/python3}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" # both sides, as ./slowfast sets it
tiny_opts=(--cfg-options model.backbone.slow_pathway.base_channels=16 model.backbone.channel_ratio=8
  model.cls_head.in_channels=576 model.cls_head.num_classes=5)
run() { # LABEL COMMAND...
  local label="$1"; shift
  local load; load="$(cut -d' ' -f1-3 /proc/loadavg)"
  local out; out="$("$@" 2>/dev/null | tail -1)"
  echo "$label load=[$load] $out"
}
for ((r = 1; r <= rounds; r++)); do
  run "tiny-train java  " ./slowfast --threads "$threads" benchmark src/test/resources/train/tiny_train.yaml --train \
    --batch 4 --shape 32 64 64 --iters "$tiny_iters" --warmup 1 --json "${tiny_opts[@]}"
  run "tiny-train torch " env LD_LIBRARY_PATH="${PY_LD_LIBRARY_PATH:-}" "$py" tools/benchmarks/pytorch_slowfast.py \
    tiny train 4 32 64 64 --iters "$tiny_iters" --warmup 1 --threads "$threads"
  run "r50-train java   " ./slowfast --threads "$threads" benchmark \
    configs/recognition/slowfast/slowfast_r50_4x16x1_256e_kinetics400_rgb.yaml --train --batch 2 --shape 32 112 112 \
    --iters "$r50_iters" --warmup 1 --json
  run "r50-train torch  " env LD_LIBRARY_PATH="${PY_LD_LIBRARY_PATH:-}" "$py" tools/benchmarks/pytorch_slowfast.py \
    r50 train 2 32 112 112 --iters "$r50_iters" --warmup 1 --threads "$threads"
  run "r50-eval java    " ./slowfast --threads "$threads" benchmark tools/benchmarks/r50_eval_2x112.yaml \
    --num-videos $((eval_iters + 1)) --warmup 1 --json
  run "r50-eval torch   " env LD_LIBRARY_PATH="${PY_LD_LIBRARY_PATH:-}" "$py" tools/benchmarks/pytorch_slowfast.py \
    r50 eval 2 32 112 112 --iters "$eval_iters" --warmup 1 --threads "$threads"
done
