#!/usr/bin/python3
"""MMAction2 v0.24.1's own data pipeline, run the way one DataLoader worker runs it, on a slowfast-java video list:
the Python half of tools/benchmarks/loader_side_by_side.sh.

The pipeline classes (loading, augmentations, formatting, compose) are imported unchanged from an MMAction2 v0.24.1
checkout given by MMACTION2_DIR (not part of this repository); their mmcv calls go to the small stand-in in
tools/benchmarks/mmcv_standin. The pipeline is the config's own (data.train / data.test pipeline of a slowfast-java
YAML config, which mirrors MMAction2's config key for key), with DecordInit/DecordDecode swapped for PyAV's when
--backend pyav. decord is imported from DECORD_PYTHON (its python/ folder, built from source) when set.

One process = one worker on one thread: samples are made in order and collated into batches (mmcv's collate), as
a DataLoader worker does. Prints one JSON line: clips/s (wall), CPU seconds (user+sys) per clip, peak RSS, and the
mean milliseconds per clip of each pipeline step and of collate.

Usage: mmaction_loader.py CONFIG {train,test} [--backend decord|pyav] [--clips N] [--warmup N] [--batch N]
       [--ann-file LIST] [--data-prefix DIR]
"""
import argparse
import importlib
import json
import os
import random
import resource
import sys
import time
import types
from pathlib import Path

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent


def import_pipelines(root):
    """Imports MMAction2's pipeline modules without its package __init__ files (they pull in all of mmcv)."""
    sys.path.insert(0, str(HERE / "mmcv_standin"))
    from mmcv.utils import Registry

    def package(name, path):
        module = types.ModuleType(name)
        module.__path__ = [str(path)]
        sys.modules[name] = module
        return module

    package("mmaction", root / "mmaction")
    package("mmaction.datasets", root / "mmaction/datasets")
    package("mmaction.datasets.pipelines", root / "mmaction/datasets/pipelines")
    utils = package("mmaction.utils", root / "mmaction/utils")
    misc = importlib.import_module("mmaction.utils.misc")
    for name in ("get_random_string", "get_shm_dir", "get_thread_id"):
        setattr(utils, name, getattr(misc, name))
    # builder.py holds the registries (and DataLoader helpers that need the rest of mmcv): only the registry here.
    builder = types.ModuleType("mmaction.datasets.builder")
    builder.PIPELINES = Registry("pipeline")
    sys.modules["mmaction.datasets.builder"] = builder
    for name in ("formatting", "augmentations", "loading", "compose"):
        importlib.import_module("mmaction.datasets.pipelines." + name)
    from mmcv.parallel import collate
    return sys.modules["mmaction.datasets.pipelines.compose"].Compose, collate


def tuples(value):
    """YAML lists as the tuples of MMAction2's Python configs (Resize checks isinstance(scale, tuple))."""
    if isinstance(value, list):
        return tuple(tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: tuples(v) for k, v in value.items()}
    return value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("split", choices=["train", "test"])
    parser.add_argument("--backend", choices=["decord", "pyav"], default="decord")
    parser.add_argument("--clips", type=int, default=32, help="timed samples (videos for test)")
    parser.add_argument("--warmup", type=int, default=4)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--ann-file", help="overrides the config's ann_file")
    parser.add_argument("--data-prefix", help="overrides the config's data_prefix")
    args = parser.parse_args()

    np.int = int  # SampleFrames uses np.int, which numpy 1.24 removed
    import cv2
    cv2.setNumThreads(0)  # as MMAction2's setup_multi_processes does for workers
    import torch
    torch.set_num_threads(1)
    if os.environ.get("DECORD_PYTHON"):
        sys.path.insert(0, os.environ["DECORD_PYTHON"])
    Compose, collate = import_pipelines(Path(os.environ["MMACTION2_DIR"]))

    config = yaml.safe_load(Path(args.config).read_text())
    dataset = config["data"][args.split]
    steps = [dict(step) for step in tuples(dataset["pipeline"])]
    if args.backend == "pyav":
        renames = {"DecordInit": "PyAVInit", "DecordDecode": "PyAVDecode"}
        for step in steps:
            step["type"] = renames.get(step["type"], step["type"])
    pipeline = Compose(steps)
    prefix = Path(args.data_prefix or dataset.get("data_prefix") or ".")
    entries = []
    for line in Path(args.ann_file or dataset["ann_file"]).read_text().split("\n"):
        if line.strip():
            name, label = line.split()[:2]
            entries.append(dict(filename=str(prefix / name), label=int(label)))

    random.seed(0)
    np.random.seed(0)
    batch = args.batch if args.split == "train" else 1
    names = [type(t).__name__ for t in pipeline.transforms] + ["collate"]
    stage = dict.fromkeys(names, 0.0)

    def run(count, timed):
        pending = []
        for i in range(count):
            results = dict(entries[i % len(entries)], modality="RGB", start_index=0)
            for transform in pipeline.transforms:
                t0 = time.perf_counter()
                results = transform(results)
                if timed:
                    stage[type(transform).__name__] += time.perf_counter() - t0
            pending.append(results)
            if len(pending) == batch or i == count - 1:
                t0 = time.perf_counter()
                collate(pending, samples_per_gpu=len(pending))
                if timed:
                    stage["collate"] += time.perf_counter() - t0
                pending = []

    run(args.warmup, False)
    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    run(args.clips, True)
    seconds = time.perf_counter() - t0
    usage1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    print(json.dumps({
        "side": "mmaction2+" + args.backend, "split": args.split, "clips": args.clips, "seconds": round(seconds, 3),
        "clips_per_s": round(args.clips / seconds, 3), "cpu_s_per_clip": round(cpu / args.clips, 4),
        "peak_rss_mb": round(usage1.ru_maxrss / 1024, 1),
        "stages_ms": {k: round(v / args.clips * 1e3, 2) for k, v in stage.items()}}))


if __name__ == "__main__":
    main()
