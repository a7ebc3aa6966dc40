#!/usr/bin/env bash
# Multi-process testing on one machine, as MMAction2's tools/dist_test.sh:
#   tools/dist_test.sh CONFIG CHECKPOINT NPROC [test options...]
# e.g. tools/dist_test.sh CONFIG work_dirs/x/latest.pth 2 --eval top_k_accuracy --out result.json
# Each process scores its share of data.test; rank 0 gathers the scores, evaluates and writes --out.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 CONFIG CHECKPOINT NPROC [test options...]" >&2
  exit 2
fi
config="$1"
checkpoint="$2"
nproc="$3"
shift 3
exec "$(dirname "${BASH_SOURCE[0]}")/dist_launch.sh" "$nproc" test "$config" "$checkpoint" "$@"
