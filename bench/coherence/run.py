#!/usr/bin/env python3
"""Coherence engine benchmark (issue 10, "Measured, not assumed"; docs/performance.md).

1. Builds the release driver (gmg_coherence_bench) unless --no-build.
2. Runs it on N synthetic activities (coherence/synthetic.h: planted, labelled pairs): Analyse
   wall time and peak memory, recall and precision per category against the labels, the engine
   against the exact brute-force scorer on a sample, Upsert and Check latencies. It also writes
   the texts, the labels (by record id) and the engine's findings.
3. In the same run, scikit-learn on the same texts (TF-IDF + brute-force cosine nearest
   neighbours, k per text; installed by install-sklearn.sh, the way issue 10 says): the time
   ratio, and the overlap of the two result sets — the engine's findings whose texts are at
   least --threshold similar vs scikit-learn's top-k pairs of two organisations at least
   --threshold cosine — and how many planted duplications each finds.
Prints a Markdown report and writes results.json beside the files (--out, default a temporary
folder). scikit-learn's brute force is quadratic: it is skipped above --sklearn-max activities.
Usage: bench/coherence/run.py [--activities 100000] [--seed 1] [--sample 2000] [--edits 100]
                              [--k 10] [--threshold 0.5] [--no-build] [--no-sklearn] [--out DIR]
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "bench", "coherence")
DRIVER = os.path.join(ROOT, "build", "release", "gmg_coherence_bench")


def build():
    subprocess.run(["cmake", "--preset", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["nice", "cmake", "--build", "--preset", "release", "--target", "gmg_coherence_bench"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def read_pairs(path, value_column, min_value):
    pairs = {}
    with open(path, encoding="utf-8") as f:
        r = csv.DictReader(f, delimiter="\t")
        for row in r:
            v = float(row[value_column])
            if v >= min_value:
                pairs[(int(row["a"]), int(row["b"]))] = row
    return pairs


def read_labels(path):
    with open(path, encoding="utf-8") as f:
        return [(int(r["a"]), int(r["b"]), r["category"], r["expected_class"]) for r in csv.DictReader(f)]


def sklearn(out, texts, k, threshold):
    site = subprocess.run([os.path.join(HERE, "install-sklearn.sh")], check=True, capture_output=True,
                          text=True).stdout.strip().splitlines()[-1]
    env = dict(os.environ, PYTHONPATH=site)
    pairs = os.path.join(out, "sklearn_pairs.tsv")
    t = time.perf_counter()
    r = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "sklearn_knn.py"), texts, pairs, "--k", str(k),
                        "--threshold", str(threshold), "--jobs", str(os.cpu_count() or 1)],
                       check=True, capture_output=True, text=True, env=env)
    result = json.loads(r.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - t
    return result, pairs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--activities", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--edits", type=int, default=100)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--sklearn-max", type=int, default=200000)
    ap.add_argument("--project-names", choices=["yes", "no"], default="yes",
                    help="no: the same corpus without the project names in the titles")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--no-sklearn", action="store_true")
    ap.add_argument("--out")
    a = ap.parse_args()
    out = a.out or tempfile.mkdtemp(prefix="gmg-coherence-bench-")
    os.makedirs(out, exist_ok=True)
    if not a.no_build:
        build()
    files = {name: os.path.join(out, name) for name in ("driver.json", "texts.tsv", "labels.csv", "findings.tsv")}
    cmd = [DRIVER, "--activities", str(a.activities), "--seed", str(a.seed), "--sample", str(a.sample),
           "--edits", str(a.edits), "--json", files["driver.json"], "--texts", files["texts.tsv"],
           "--labels", files["labels.csv"], "--findings", files["findings.tsv"],
           "--project-names", a.project_names]
    print("$ " + " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(files["driver.json"]) as f:
        d = json.load(f)
    results = {"driver": d, "command": " ".join(cmd)}

    an, lab, ex = d["analyse"], d["labels"], d["exact_sample"]
    print(f"## Coherence engine: {a.activities:,} synthetic activities (seed {a.seed}, project names {a.project_names}, "
          f"{d['threads']} threads)\n")
    print("| measure | value |\n|---|---|")
    print(f"| Analyse wall time | {an['wall_seconds']:.2f} s |")
    print(f"| candidates scored / findings | {an['candidates']:,} / {an['findings']:,} |")
    print(f"| oversized blocks | {an['oversized_blocks']:,} |")
    print(f"| peak RSS during Analyse (corpus before) | {an['peak_rss_mib']:.0f} MiB ({an['rss_before_mib']:.0f} MiB) |")
    print(f"| Upsert one edited record, median / p95 | {d['upsert']['median_ms']:.2f} / {d['upsert']['p95_ms']:.2f} ms |")
    print(f"| Check a draft, median / p95 | {d['check']['median_ms']:.2f} / {d['check']['p95_ms']:.2f} ms |")
    print(f"| duplication: recall / precision (labelled pairs) | {lab['duplication']['recall']:.3f} / "
          f"{lab['duplication']['precision']:.3f} |")
    print(f"| duplication recall, pairs sharing a project's name / not | "
          f"{lab['duplication']['recall_same_project']:.3f} / {lab['duplication']['recall_other_project']:.3f} |")
    print(f"| synergy: recall / precision (labelled pairs) | {lab['synergy']['recall']:.3f} / "
          f"{lab['synergy']['precision']:.3f} |")
    print(f"| unlabelled findings (per record) | {lab['unlabelled_findings']:,} "
          f"({lab['unlabelled_per_record']:.1f}) |")
    print(f"| vs exact scorer on {ex['records']:,} records ({ex['pairs_scored']:,} pairs): recall / precision | "
          f"{ex['recall_vs_exact']:.3f} / {ex['precision_vs_exact']:.3f} ({ex['exact_findings']:,} exact, "
          f"{ex['engine_findings']:,} engine) |")
    au = d["unlabelled_audit"]
    print(f"| unlabelled findings the exact scorer confirms | {au['exact_agrees']} of {au['audited']} |")
    print("\n| category | pairs | expected | found as duplication | as synergy | not found | recall "
          "| as expected: one project's name / not |")
    print("|---|---|---|---|---|---|---|---|")
    for c, v in lab["categories"].items():
        print(f"| {c} | {v['pairs']} | {v['expected']} | {v['found_duplication']} | {v['found_synergy']} | "
              f"{v['not_found']} | {v['recall']:.3f} | {v['same_project_as_expected']} of {v['same_project_pairs']} / "
              f"{v['other_project_as_expected']} of {v['other_project_pairs']} |")

    if not a.no_sklearn and a.activities <= a.sklearn_max:
        sk, sk_pairs_path = sklearn(out, files["texts.tsv"], a.k, a.threshold)
        sk_pairs = read_pairs(sk_pairs_path, "cosine", a.threshold)
        engine_pairs = read_pairs(files["findings.tsv"], "text_similarity", a.threshold)
        both = len(set(sk_pairs) & set(engine_pairs))
        labels = read_labels(files["labels.csv"])
        dup = [(x, y) for x, y, _, e in labels if e == "duplication"]
        by_cat = {}
        for x, y, c, _ in labels:
            by_cat.setdefault(c, [0, 0])
            by_cat[c][0] += 1
            by_cat[c][1] += (x, y) in sk_pairs
        ratio = sk["total_seconds"] / an["wall_seconds"] if an["wall_seconds"] else float("nan")
        results["sklearn"] = dict(sk, engine_text_pairs=len(engine_pairs), both=both,
                                  planted_duplication_found=sum(p in sk_pairs for p in dup),
                                  planted_duplication=len(dup), per_category=by_cat, time_ratio=ratio)
        print(f"\n### scikit-learn on the same texts (TF-IDF, brute-force cosine, k={a.k}, {sk['jobs']} jobs)\n")
        print("| measure | value |\n|---|---|")
        print(f"| TF-IDF + k nearest neighbours | {sk['total_seconds']:.1f} s ({sk['vectorise_seconds']:.1f} + "
              f"{sk['knn_seconds']:.1f}) |")
        print(f"| time ratio scikit-learn / engine Analyse | {ratio:.1f}× |")
        print(f"| pairs of two organisations, cosine ≥ {a.threshold} among top {a.k} | {len(sk_pairs):,} |")
        print(f"| engine findings with text similarity ≥ {a.threshold} | {len(engine_pairs):,} |")
        print(f"| in both | {both:,} ({both / max(1, len(sk_pairs)):.1%} of scikit-learn's, "
              f"{both / max(1, len(engine_pairs)):.1%} of the engine's) |")
        print(f"| planted duplications in scikit-learn's pairs | {results['sklearn']['planted_duplication_found']} of "
              f"{len(dup)} |")
        print("| per category, scikit-learn's pairs | " +
              ", ".join(f"{c} {v[1]}/{v[0]}" for c, v in by_cat.items()) + " |")
    elif not a.no_sklearn:
        print(f"\n(scikit-learn skipped: brute force over {a.activities:,} texts is quadratic; --sklearn-max "
              f"{a.sklearn_max:,})")
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"\nFiles: {out}")


if __name__ == "__main__":
    main()
