#!/usr/bin/env bash
# Side-by-side data loading: slowfast-java's pipeline (org.slowfast.data.PipelineBenchmark, in-thread, with a per-step
# breakdown) against MMAction2 v0.24.1's own pipeline classes (tools/benchmarks/mmaction_loader.py) with decord and
# with PyAV, on the same video files, the same config pipelines (R50 4x16 video: train and 30-view test), each run one
# worker on one thread pinned to one core (taskset), interleaved round by round so all sides see the same load. One
# JSON line per run, prefixed with its label and the load average; medians at the end. Then slowfast-java's
# ClipLoader with 1, 2 and 4 workers (unpinned, train) and the decode floor (VideoDecodeBenchmark against ffmpeg).
#
# Usage (repository root): tools/benchmarks/loader_side_by_side.sh [ROUNDS]   (default 6)
# Needs, outside this repository:
#   MMACTION2_DIR  an MMAction2 v0.24.1 checkout (its mmaction/ package; demo/demo.mp4 and tests/data/test.mp4 are
#                  the clips unless DATA is set)
#   DECORD_PYTHON  decord's python/ folder, built from source (docs/benchmarks.md, "Loader side by side")
# Optional: DATA (a folder with list.txt and videos/), CORE (default 1), TRAIN_CLIPS (32), TEST_VIDEOS (6),
#   PYTHON (/usr/bin/python3: numpy, cv2, torch 1.13, PyYAML, av), FFMPEG (ffmpeg for the decode floor).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-6}"
core="${CORE:-1}"
train_clips="${TRAIN_CLIPS:-32}"
test_videos="${TEST_VIDEOS:-6}"
py="${PYTHON:-/usr/bin/python3}"
: "${MMACTION2_DIR:?set MMACTION2_DIR to an MMAction2 v0.24.1 checkout}"
export MMACTION2_DIR DECORD_PYTHON="${DECORD_PYTHON:-}"
config=configs/recognition/slowfast/slowfast_r50_video_4x16x1_256e_kinetics400_rgb.yaml

data="${DATA:-}"
if [[ -z "$data" ]]; then # 32 copies of MMAction2's two Kinetics-400 clips (340x256 H.264)
  data="$(mktemp -d)"
  trap 'rm -rf "$data"' EXIT
  mkdir "$data/videos"
  for i in $(seq -w 0 15); do
    ln -s "$MMACTION2_DIR/demo/demo.mp4" "$data/videos/demo_$i.mp4"
    ln -s "$MMACTION2_DIR/tests/data/test.mp4" "$data/videos/test_$i.mp4"
    printf 'demo_%s.mp4 0\ntest_%s.mp4 1\n' "$i" "$i" >>"$data/list.txt"
  done
fi

mvn -q -pl core test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/target/cp.txt" >/dev/null
# G1 as a real run on a multi-core machine uses (a JVM pinned to one core would pick SerialGC). One test video is a
# 755 MB float array: 1600 MB of heap is what one worker needs; the loader runs hold up to 2 batches per worker.
java=(java -XX:+UseG1GC -Xmx1600m -cp "target/classes:target/test-classes:$(cat target/cp.txt)")
loader=(java -XX:+UseG1GC -Xmx3g -cp "target/classes:target/test-classes:$(cat target/cp.txt)")
over=(data.train.ann_file="$data/list.txt" data.train.data_prefix="$data/videos"
  data.test.ann_file="$data/list.txt" data.test.data_prefix="$data/videos")
pyargs=(--ann-file "$data/list.txt" --data-prefix "$data/videos")
results="$(mktemp)"
run() { # LABEL COMMAND...
  local label="$1"; shift
  local load; load="$(cut -d' ' -f1-3 /proc/loadavg)"
  local out; out="$("$@" 2>/dev/null | tail -1)"
  printf "%-13s load=[%s] %s\n" "$label" "$load" "$out" | tee -a "$results"
}
for ((r = 1; r <= rounds; r++)); do
  for split in train test; do
    if [[ "$split" == train ]]; then n="$train_clips" batch=8 warmup=4; else n="$test_videos" batch=1 warmup=1; fi
    run "$split java" taskset -c "$core" "${java[@]}" org.slowfast.data.PipelineBenchmark "$config" "$split" 0 \
      "$batch" "$n" "$warmup" "${over[@]}"
    for backend in decord pyav; do
      run "$split $backend" taskset -c "$core" "$py" tools/benchmarks/mmaction_loader.py "$config" "$split" \
        --backend "$backend" --clips "$n" --warmup "$warmup" --batch "$batch" "${pyargs[@]}"
    done
  done
done
echo "medians over $rounds rounds (clips/s wall, CPU s per clip, peak RSS MB; stage ms per clip):"
"$py" - "$results" <<'EOF'
import json, re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    m = re.match(r"(.+?)\s+load=\[(.*?)\] (\{.*\})$", line.strip())
    if m:
        runs.setdefault(m.group(1), []).append((m.group(2), json.loads(m.group(3))))
for label, rs in runs.items():
    med = lambda key: statistics.median(r[1][key] for r in rs)
    stages = {k: round(statistics.median(r[1]["stages_ms"][k] for r in rs), 1) for k in rs[0][1]["stages_ms"]}
    print(f"{label:13s} clips/s {med('clips_per_s'):.3f}  cpu/clip {med('cpu_s_per_clip'):.3f} s  "
          f"rss {med('peak_rss_mb'):.0f} MB  loads {[r[0].split()[0] for r in rs]}  {stages}")
median = {label: statistics.median(r[1]["clips_per_s"] for r in rs) for label, rs in runs.items()}
for split in ("train", "test"):
    for backend in ("decord", "pyav"):
        if f"{split} java" in median and f"{split} {backend}" in median:
            print(f"{split}: slowfast-java / MMAction2+{backend} = "
                  f"{median[f'{split} java'] / median[f'{split} {backend}']:.2f}x (median clips/s, one core each)")
EOF

echo "slowfast-java ClipLoader, train, unpinned (2 cores here): workers, clips/s, CPU s per clip, peak RSS"
for workers in 1 2 4; do
  run "loader w=$workers" "${loader[@]}" org.slowfast.data.PipelineBenchmark "$config" train "$workers" 8 \
    $((2 * train_clips)) 8 "${over[@]}"
done
echo "decode floor (one thread each):"
"${java[@]}" org.slowfast.data.video.VideoDecodeBenchmark "${FFMPEG:-/usr/bin/ffmpeg}" "$MMACTION2_DIR/demo/demo.mp4" |
  tail -6
rm -f "$results"
