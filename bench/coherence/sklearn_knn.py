#!/usr/bin/env python3
"""The scikit-learn side of bench/coherence/run.py: TF-IDF vectors of the texts and brute-force
cosine nearest neighbours (NearestNeighbors(metric='cosine', algorithm='brute')), k per text.

Reads the driver's texts file (id, organization, text), writes the pairs of two different
organisations among each text's k nearest neighbours with cosine >= --threshold (a < b, the
best cosine), and prints the timings as JSON. Run with Debian's Python and the PYTHONPATH that
install-sklearn.sh prints (run.py does).
Usage: sklearn_knn.py TEXTS.tsv PAIRS.tsv [--k 10] [--threshold 0.5] [--jobs 2]
"""
import argparse
import csv
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("texts")
    ap.add_argument("pairs")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    csv.field_size_limit(sys.maxsize)
    ids, orgs, texts = [], [], []
    with open(a.texts, encoding="utf-8") as f:
        r = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(r)
        for row in r:
            ids.append(int(row[0]))
            orgs.append(row[1])
            texts.append(row[2])
    t0 = time.perf_counter()
    x = TfidfVectorizer(sublinear_tf=True, strip_accents="unicode").fit_transform(texts)
    t1 = time.perf_counter()
    nn = NearestNeighbors(n_neighbors=min(a.k + 1, len(texts)), metric="cosine", algorithm="brute",
                          n_jobs=a.jobs).fit(x)
    dist, idx = nn.kneighbors(x)
    t2 = time.perf_counter()
    best = {}
    for i in range(len(ids)):
        for d, j in zip(dist[i], idx[i]):
            if j == i or orgs[i] == orgs[j]:
                continue
            cos = 1.0 - float(d)
            if cos < a.threshold:
                continue
            key = (min(ids[i], ids[j]), max(ids[i], ids[j]))
            if cos > best.get(key, -1):
                best[key] = cos
    with open(a.pairs, "w", encoding="utf-8") as f:
        f.write("a\tb\tcosine\n")
        for (p, q), c in sorted(best.items()):
            f.write(f"{p}\t{q}\t{c:.4f}\n")
    print(json.dumps({"texts": len(texts), "vocabulary": x.shape[1], "vectorise_seconds": t1 - t0,
                      "knn_seconds": t2 - t1, "total_seconds": t2 - t0, "pairs": len(best),
                      "k": a.k, "threshold": a.threshold, "jobs": a.jobs}))


if __name__ == "__main__":
    main()
