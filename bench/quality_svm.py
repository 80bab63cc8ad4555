#!/usr/bin/env python3
"""Classical baseline of `deno task bench quality`, on the bench's own folds.

usage: quality_svm.py VECTORS.json

VECTORS.json: {"speakers": [...], "labels": [...], "vectors": [[...], ...],
"folds": [[test speakers of fold 1], ...]} — one utterance vector per clip
(computed by the bench with the project's features), its speaker and emotion.

Model (the classical recipe of ../shared/anchors/README.md): StandardScaler fit
on the training speakers -> SVC(C=10, gamma="scale", class_weight="balanced").
Two normalisations: `utterance` (the vectors as they are) and `speaker` (each
speaker's vectors first standardised by that speaker's own mean and std over
all of their clips — unlabelled statistics, test speakers by their own clips).

Prints one JSON object: {"utterance": {"uar": [...], "accuracy": [...]},
"speaker": {...}, "sklearn": "<version>"}, per-fold values in fold order.
Needs numpy and scikit-learn (Debian: python3-sklearn); run only by the bench.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def speaker_norm(x, speakers):
    x = x.copy()
    for s in np.unique(speakers):
        m = speakers == s
        x[m] = (x[m] - x[m].mean(0)) / np.maximum(x[m].std(0), 1e-8)
    return x


def uar(y, p):
    return float(np.mean([np.mean(p[y == c] == c) for c in np.unique(y)]))


def folds_of(x, y, speakers, folds):
    out = {"uar": [], "accuracy": []}
    for test in folds:
        te = np.isin(speakers, test)
        scaler = StandardScaler().fit(x[~te])
        svm = SVC(C=10, gamma="scale", class_weight="balanced")
        svm.fit(scaler.transform(x[~te]), y[~te])
        p = svm.predict(scaler.transform(x[te]))
        out["uar"].append(uar(y[te], p))
        out["accuracy"].append(float(np.mean(p == y[te])))
    return out


def main():
    data = json.load(open(sys.argv[1]))
    x = np.nan_to_num(np.array(data["vectors"], dtype=np.float64))
    y = np.array(data["labels"])
    speakers = np.array(data["speakers"])
    result = {
        "utterance": folds_of(x, y, speakers, data["folds"]),
        "speaker": folds_of(speaker_norm(x, speakers), y, speakers, data["folds"]),
        "sklearn": sklearn.__version__,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
