#!/usr/bin/env python3
"""In-sample and leave-one-out scores of Resonance's detectors on the shared data.

For every point of a settings grid, runs `resonance eval spikes|changepoints --set name=value ...` on every series
in ../shared/data and scores each file with the shared scorers (../shared/eval). Then reports:
  - the shipped defaults (no --set);
  - in-sample: the best grid point on all files, scored on those files (optimistic: it has seen them);
  - leave-one-out: for each file, the grid point best on all the *other* files, scored on that file alone;
    summed over files. This is the honest figure: it is what a default tuned elsewhere scores on unseen data.

usage:
  scripts/detector-loo.py spikes --grid threshold=5,7,9 --grid burstWindows=12,24
  scripts/detector-loo.py changepoints --grid hazard=0.0001,0.01 --grid minimumDrop=5,10,20
Options: --resonance PATH (default .build/release/resonance), --shared DIR (default ../shared).
NAB scores use the standard profile, normalized over the files of each group (all 53, the 48 non-tweet series, the
5 realTweets series) as NAB does; TCPD scores are mean F1 and mean cover over the univariate datasets.
"""
import argparse
import bisect
import csv
import io
import itertools
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def grid_points(specs):
    axes = []
    for spec in specs:
        name, _, values = spec.partition("=")
        if not values:
            sys.exit(f"--grid expects name=v1,v2,..., got {spec!r}")
        axes.append([(name, v) for v in values.split(",")])
    return [tuple(point) for point in itertools.product(*axes)] if axes else [()]


def run(resonance, kind, point, files):
    args = [resonance, "eval", kind] + [a for n, v in point for a in ("--set", f"{n}={v}")] + files
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args[:6])} ...: exit {done.returncode}: {done.stderr.strip()[-400:]}")
    return list(csv.DictReader(io.StringIO(done.stdout)))


def spikes(a, points):
    sys.path.insert(0, os.path.join(a.shared, "eval"))
    import nab_eval as ne
    data = os.path.join(a.shared, "data", "nab")
    windows = json.load(open(os.path.join(data, "labels", "combined_windows.json")))
    cost = ne.PROFILES["standard"]
    files = sorted(windows)
    weights, timestamps = {}, {}
    for key in files:
        stamps = ne.load_series(os.path.join(data, key))
        timestamps[key] = stamps
        weights[key] = ne.row_weights(stamps, [(ne.parse_ts(s), ne.parse_ts(e)) for s, e in windows[key]], cost)
    by_name = {os.path.basename(k): k for k in files}
    paths = [os.path.join(data, k) for k in files]

    def raws(point):
        rows = {k: set() for k in files}
        for alert in run(a.resonance, "spikes", point, paths):
            key = by_name[alert["series"]]
            # As nab_eval.py does: the last row at or before the alert's timestamp.
            index = bisect.bisect_right(timestamps[key], ne.parse_ts(alert["timestamp"])) - 1
            if index >= 0:
                rows[key].add(index)
        return {k: ne.nab_score(weights[k], sorted(rows[k]), cost)[0] for k in files}

    def score(keys, raw):
        count = sum(len(windows[k]) for k in keys)
        null, perfect = -cost["fnWeight"] * count, cost["tpWeight"] * count
        return 100 * (sum(raw[k] for k in keys) - null) / (perfect - null)

    with ThreadPoolExecutor(max_workers=2) as pool:
        table = dict(zip(points, pool.map(raws, points)))
        defaults = raws(())
    groups = {
        "all 53": files,
        "48 non-tweet": [k for k in files if not k.startswith("realTweets/")],
        "5 realTweets": [k for k in files if k.startswith("realTweets/")],
    }
    for name, keys in groups.items():
        best = max(points, key=lambda p: score(keys, table[p]))
        loo = {}
        for held in keys:
            others = [k for k in keys if k != held]
            loo[held] = table[max(points, key=lambda p: score(others, table[p]))][held]
        print(f"NAB {name}: defaults {score(keys, defaults):.1f} | in-sample {score(keys, table[best]):.1f} "
              f"({describe(best)}) | leave-one-out {score(keys, loo):.1f}")
    categories = sorted({k.split("/")[0] for k in files if windows[k]})
    best = max(points, key=lambda p: score(files, table[p]))
    print("by category at the in-sample best: " + ", ".join(
        f"{c} {score([k for k in files if k.startswith(c + '/')], table[best]):.1f}" for c in categories))


def changepoints(a, points):
    sys.path.insert(0, os.path.join(a.shared, "eval"))
    import tcpd_eval as te
    base = os.path.join(a.shared, "data", "tcpd")
    annotations = json.load(open(os.path.join(base, "annotations.json")))
    names, lengths, paths = [], {}, []
    for name in sorted(os.listdir(os.path.join(base, "datasets"))):
        path = os.path.join(base, "datasets", name, name + ".json")
        if not os.path.exists(path) or name not in annotations:
            continue
        dataset = json.load(open(path))
        if dataset["n_dim"] > 1:
            continue
        names.append(name)
        lengths[name] = dataset["n_obs"]
        paths.append(path)

    def scores(point):
        found = {n: set() for n in names}
        for row in run(a.resonance, "changepoints", point, paths):
            found[row["dataset"]].add(int(row["index"]))
        return {n: (te.f_measure(annotations[n], found[n])[0], te.covering(annotations[n], found[n], lengths[n]))
                for n in names}

    def mean(keys, table, which):
        return sum(table[k][which] for k in keys) / len(keys)

    with ThreadPoolExecutor(max_workers=2) as pool:
        table = dict(zip(points, pool.map(scores, points)))
        defaults = scores(())
    objective = lambda keys, p: mean(keys, table[p], 0) + mean(keys, table[p], 1)
    best = max(points, key=lambda p: objective(names, p))
    loo = {}
    for held in names:
        others = [n for n in names if n != held]
        loo[held] = table[max(points, key=lambda p: objective(others, p))][held]
    zero = {n: (te.f_measure(annotations[n], [])[0], te.covering(annotations[n], [], lengths[n])) for n in names}
    print(f"TCPD {len(names)} univariate: defaults F1 {mean(names, defaults, 0):.3f} cover {mean(names, defaults, 1):.3f}"
          f" | in-sample F1 {mean(names, table[best], 0):.3f} cover {mean(names, table[best], 1):.3f} ({describe(best)})"
          f" | leave-one-out F1 {mean(names, loo, 0):.3f} cover {mean(names, loo, 1):.3f}"
          f" | zero F1 {mean(names, zero, 0):.3f} cover {mean(names, zero, 1):.3f}")


def describe(point):
    return " ".join(f"{n}={v}" for n, v in point) or "defaults"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("detector", choices=["spikes", "changepoints"])
    parser.add_argument("--grid", action="append", default=[], help="name=v1,v2,... (repeatable)")
    parser.add_argument("--resonance", default=".build/release/resonance")
    parser.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared"))
    a = parser.parse_args()
    (spikes if a.detector == "spikes" else changepoints)(a, grid_points(a.grid))


if __name__ == "__main__":
    main()
