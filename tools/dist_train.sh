#!/usr/bin/env bash
# Multi-process training on one machine, as MMAction2's tools/dist_train.sh:
#   tools/dist_train.sh CONFIG NPROC [train options...]
# e.g. tools/dist_train.sh configs/recognition/slowfast/slowfast_tiny_synthetic.yaml 2 --validate --seed 0
# PORT sets MASTER_PORT (default 29500); NNODES, NODE_RANK and MASTER_ADDR run it on several machines
# (docs/distributed.md).
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 CONFIG NPROC [train options...]" >&2
  exit 2
fi
config="$1"
nproc="$2"
shift 2
exec "$(dirname "${BASH_SOURCE[0]}")/dist_launch.sh" "$nproc" train "$config" "$@"
