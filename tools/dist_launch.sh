#!/usr/bin/env bash
# Starts NPROC local slowfast processes of one job with torchrun's variables (RANK, WORLD_SIZE, LOCAL_RANK,
# LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT) and --launcher pytorch, waits for them, and stops them all as soon as
# one fails. Used by dist_train.sh and dist_test.sh.
#   usage: tools/dist_launch.sh NPROC slowfast-arguments...
#   PORT (default 29500), and for several machines NNODES (default 1), NODE_RANK (default 0) and MASTER_ADDR
#   (default 127.0.0.1), as MMAction2's dist_train.sh.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 NPROC slowfast-arguments..." >&2
  exit 2
fi
nproc="$1"
shift
case "$nproc" in ''|*[!0-9]*|0) echo "error: NPROC must be a positive integer, got '$nproc'" >&2; exit 2 ;; esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nnodes="${NNODES:-1}"
node_rank="${NODE_RANK:-0}"

# build once before the ranks start (./slowfast rebuilds when sources changed)
"$root/slowfast" --version >/dev/null

declare -A rank_of=() # running pid -> rank
stop_all() {
  for pid in "${!rank_of[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
}
trap 'stop_all; exit 130' INT TERM

for ((local_rank = 0; local_rank < nproc; local_rank++)); do
  rank=$((node_rank * nproc + local_rank))
  RANK=$rank WORLD_SIZE=$((nnodes * nproc)) LOCAL_RANK=$local_rank LOCAL_WORLD_SIZE=$nproc \
    MASTER_ADDR="${MASTER_ADDR:-127.0.0.1}" MASTER_PORT="${PORT:-29500}" \
    "$root/slowfast" "$@" --launcher pytorch &
  rank_of[$!]=$rank
done

status=0
while [ "${#rank_of[@]}" -gt 0 ]; do
  code=0
  wait -n -p done_pid "${!rank_of[@]}" || code=$?
  rank="${rank_of[$done_pid]}"
  unset "rank_of[$done_pid]"
  if [ "$code" -ne 0 ] && [ "$status" -eq 0 ]; then
    status=$code
    echo "dist_launch: rank $rank (pid $done_pid) exited with code $code; stopping the other ranks" >&2
    stop_all
  fi
done
exit "$status"
