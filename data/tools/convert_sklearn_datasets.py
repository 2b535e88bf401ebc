#!/usr/bin/python3
"""Convert three small datasets shipped with scikit-learn into plain CSV files.

Source: Debian's python3-sklearn package, folder
/usr/lib/python3/dist-packages/sklearn/datasets/data/ (override with the first argument).

The sklearn CSV files start with a special line "n_samples,n_features,<class names...>"
instead of a header (see load_csv_data in sklearn/datasets/_base.py). This script replaces
it with a header of feature names (the names load_wine/load_breast_cancer/load_diabetes
use) plus a "target" column. For the two classification sets the target column holds the
class *name* (e.g. "class_0", "malignant"), not sklearn's integer code, so the file is
self-describing. Feature values are copied as the original text, unchanged.

The diabetes set is the raw (unscaled) data, diabetes_data_raw.csv.gz, whose columns are
space-separated; sklearn's load_diabetes(scaled=True) would mean-centre and scale them.

Usage: /usr/bin/python3 data/tools/convert_sklearn_datasets.py [SKLEARN_DATA_DIR] [OUTPUT_DATA_DIR]
"""
import csv
import gzip
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/python3/dist-packages/sklearn/datasets/data"
OUTPUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..")

WINE_FEATURES = [
    "alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols",
    "flavanoids", "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue",
    "od280/od315_of_diluted_wines", "proline",
]
# The "error" block puts its word after the name, unlike "mean" and "worst".
_BASE = ["radius", "texture", "perimeter", "area", "smoothness", "compactness",
         "concavity", "concave points", "symmetry", "fractal dimension"]
BREAST_CANCER_FEATURES = ([f"mean {b}" for b in _BASE] + [f"{b} error" for b in _BASE]
                          + [f"worst {b}" for b in _BASE])
DIABETES_FEATURES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{os.path.normpath(path)}: {len(rows)} rows, {len(header) - 1} features")


def convert_sklearn_csv(name, features, out_path):
    """Reads an sklearn-format CSV (first line: n_samples, n_features, class names...)."""
    with open(os.path.join(SOURCE, name), newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        first = next(reader)
        n_samples, n_features = int(first[0]), int(first[1])
        class_names = first[2:]
        if n_features != len(features):
            sys.exit(f"{name}: {n_features} features, expected {len(features)}")
        rows = []
        for line in reader:
            if len(line) != n_features + 1:
                sys.exit(f"{name}: line {reader.line_num} has {len(line)} cells, expected {n_features + 1}")
            rows.append(line[:-1] + [class_names[int(line[-1])]])
    if len(rows) != n_samples:
        sys.exit(f"{name}: {len(rows)} rows, header says {n_samples}")
    write_csv(out_path, features + ["target"], rows)


def format_number(text):
    """Writes integral targets such as 1.51e+02 as "151", others unchanged."""
    value = float(text)
    return str(int(value)) if value.is_integer() else repr(value)


def convert_diabetes(out_path):
    with gzip.open(os.path.join(SOURCE, "diabetes_data_raw.csv.gz"), "rt", encoding="utf-8") as f:
        data = [line.split() for line in f if line.strip()]
    with gzip.open(os.path.join(SOURCE, "diabetes_target.csv.gz"), "rt", encoding="utf-8") as f:
        target = [format_number(line.strip()) for line in f if line.strip()]
    if len(data) != len(target):
        sys.exit(f"diabetes: {len(data)} data rows but {len(target)} targets")
    for i, row in enumerate(data):
        if len(row) != len(DIABETES_FEATURES):
            sys.exit(f"diabetes_data_raw.csv.gz: line {i + 1} has {len(row)} values")
    write_csv(out_path, DIABETES_FEATURES + ["target"], [r + [t] for r, t in zip(data, target)])


def main():
    convert_sklearn_csv("wine_data.csv", WINE_FEATURES, os.path.join(OUTPUT, "wine", "wine.csv"))
    convert_sklearn_csv("breast_cancer.csv", BREAST_CANCER_FEATURES,
                        os.path.join(OUTPUT, "breast-cancer", "breast-cancer.csv"))
    convert_diabetes(os.path.join(OUTPUT, "diabetes", "diabetes.csv"))


if __name__ == "__main__":
    main()
