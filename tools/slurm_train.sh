#!/usr/bin/env bash
# Training on a Slurm cluster, as MMAction2's tools/slurm_train.sh: srun starts GPUS tasks, GPUS_PER_NODE per node,
# and each runs `slowfast train --launcher slurm` (rank, world size and master from SLURM_* variables).
#   tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [train options...]
#   GPUS (default 8), GPUS_PER_NODE (default 8), CPUS_PER_TASK (default 5), SRUN_ARGS, MASTER_PORT (default 29500).
# CPU-only partitions: GPUS = tasks, GPUS_PER_NODE = tasks per node, and GRES= (empty: no --gres).
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 PARTITION JOB_NAME CONFIG WORK_DIR [train options...]" >&2
  exit 2
fi
partition="$1"
job_name="$2"
config="$3"
work_dir="$4"
shift 4
gpus="${GPUS:-8}"
gpus_per_node="${GPUS_PER_NODE:-8}"
cpus_per_task="${CPUS_PER_TASK:-5}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# build once on the submitting machine (the work tree is on a shared file system)
"$root/slowfast" --version >/dev/null

gres="${GRES-gpu:$gpus_per_node}"
gres_args=()
if [ -n "$gres" ]; then
  gres_args=(--gres="$gres")
fi

# shellcheck disable=SC2086
srun -p "$partition" --job-name="$job_name" "${gres_args[@]}" --ntasks="$gpus" \
  --ntasks-per-node="$gpus_per_node" --cpus-per-task="$cpus_per_task" --kill-on-bad-exit=1 ${SRUN_ARGS:-} \
  "$root/slowfast" train "$config" --work-dir="$work_dir" --launcher slurm "$@"
