#!/usr/bin/env python3
"""Writes test-fixtures/sklearn-reference.json: inputs and scikit-learn's outputs for them.

The TypeScript tests compare @mnist/metrics against these numbers to 1e-12, so they need no Python
at run time. Regenerate (deterministic: fixed seeds) after changing the cases:

    /usr/bin/python3 packages/metrics/scripts/generate-sklearn-fixture.py

Needs numpy and scikit-learn (Debian: apt-get install python3-sklearn). Notes on versions:
- log_loss: scikit-learn < 1.5 renormalises each clipped row; >= 1.5 does not, like @mnist/metrics.
  Every case below has rows summing to 1 (float32 cases: exactly, with dyadic values), so the two
  agree far inside 1e-12.
- Float32 cases: scikit-learn clips at np.finfo(float32).eps but then also computes in float32. To
  get a float64-precision reference we pass the same values as float64 with
  eps=np.finfo(np.float32).eps (the parameter exists up to scikit-learn 1.4).
- log_loss clipping: @mnist/metrics clips at the project's one cross-entropy bound, Keras's
  epsilon 1e-7 as float32 holds it ([fround(1e-7), 1 - 2^-23], what training's float32 tensors
  apply), not at the machine epsilon of the input's type as scikit-learn does, and scikit-learn has
  no setting for that (its eps is symmetric and, before 1.5, followed by renormalising the rows).
  Where no true-class probability lies beyond those bounds the two definitions coincide and the
  reference is scikit-learn's log_loss ("logLossBy": "scikit-learn"). Where one does (exact 0 or 1
  probabilities), the reference is the definition computed directly with numpy in float64,
  -mean(log(clip(p_true, lo, hi))) ("logLossBy": "numpy"): an independent float64 computation,
  not a scikit-learn figure.
- classification_report text: scikit-learn < 1.5 prints "micro avg" instead of "accuracy" when a
  listed label is absent from both inputs (fixed in 1.5, PR #28399). For such cases no text is
  recorded (report texts are null); the numbers are still compared.
- F1: scikit-learn < 1.4 computes 2pr/(p+r); >= 1.4 (PR #27577), like @mnist/metrics, computes
  2tp/(2tp+fp+fn). Equal to an ulp, but at an exact rounding tie (0.75 vs 0.7499999999999999
  printed with one digit) the text differs. Reports where the two formulas print differently are
  recorded with text null and skipped="f1-formula"; the numbers are still compared.
"""

import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (
    accuracy_score,
    classification_report,
    confusion_matrix,
    log_loss,
    precision_recall_fscore_support,
    top_k_accuracy_score,
)

# The project's loss clip (CROSS_ENTROPY_EPSILON in src/log-loss.ts) as float32 holds its bounds.
CLIP_LO = float(np.float32(1e-7))
CLIP_HI = float(np.float32(1 - 1e-7))

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test-fixtures", "sklearn-reference.json")
TOP_KS = (1, 2, 3, 5, 10)
DIGITS = (0, 1, 2, 3, 4)
DIGIT_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def rows_peaked_at(rng, y_pred, num_classes, peak=3.0):
    """Softmax rows whose argmax is y_pred (a clear margin so the argmax is unambiguous)."""
    logits = rng.normal(size=(len(y_pred), num_classes))
    logits[np.arange(len(y_pred)), y_pred] += peak + 4.0
    return softmax(logits)


def one_hot(y_pred, num_classes):
    p = np.zeros((len(y_pred), num_classes))
    p[np.arange(len(y_pred)), y_pred] = 1.0
    return p


def from_confusion(matrix, rng):
    """(y_true, y_pred) realising a confusion matrix, shuffled."""
    pairs = [(t, p) for t, row in enumerate(matrix) for p, n in enumerate(row) for _ in range(n)]
    order = rng.permutation(len(pairs))
    y_true = np.array([pairs[i][0] for i in order])
    y_pred = np.array([pairs[i][1] for i in order])
    return y_true, y_pred


def make_cases():
    cases = []

    rng = np.random.RandomState(0)
    n = 300
    y_true = rng.randint(0, 10, size=n)
    logits = rng.normal(size=(n, 10)) * 1.5
    logits[np.arange(n), y_true] += 2.5
    cases.append(("random-softmax", 10, y_true, softmax(logits), "float64"))

    # Classes 3 and 9 absent from y_true; 7 and 9 never predicted; 3 predicted but never true.
    rng = np.random.RandomState(1)
    y_true = rng.choice([0, 1, 2, 4, 5, 6, 7, 8], size=40)
    y_pred = np.where(rng.rand(40) < 0.6, y_true, rng.choice([0, 1, 2, 3, 4, 5, 6, 8], size=40))
    y_pred = np.where(y_pred == 7, 3, y_pred)
    cases.append(("zero-division-class-absent-everywhere", 10, y_true, rows_peaked_at(rng, y_pred, 10), "float64"))

    # Every label occurs somewhere, but 7 is never predicted and 9 never true.
    rng = np.random.RandomState(2)
    y_true = rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 8], size=60)
    y_pred = np.where(rng.rand(60) < 0.7, y_true, rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 9], size=60))
    y_pred = np.where(y_pred == 7, 9, y_pred)
    cases.append(("zero-division-all-labels-seen", 10, y_true, rows_peaked_at(rng, y_pred, 10), "float64"))

    # Exact 0 and 1 probabilities: the log-loss clip decides the loss (reference by numpy, see above).
    rng = np.random.RandomState(3)
    y_true = np.arange(30) % 10
    y_pred = np.where(rng.rand(30) < 0.7, y_true, rng.randint(0, 10, size=30))
    cases.append(("confident-one-hot", 10, y_true, one_hot(y_pred, 10), "float64"))

    # Recalls and precisions that are exact binary ties when rounded (0.125, 0.375, 0.5, ...).
    rng = np.random.RandomState(4)
    matrix = np.zeros((10, 10), dtype=int)
    for c, (support, tp) in enumerate([(8, 1), (8, 3), (8, 5), (8, 7), (4, 1), (4, 3), (2, 1), (16, 2), (16, 6), (8, 4)]):
        matrix[c, c] = tp
        for _ in range(support - tp):
            matrix[c, (c + 1 + rng.randint(0, 9)) % 10] += 1
    y_true, y_pred = from_confusion(matrix, rng)
    cases.append(("rounding-ties", 10, y_true, rows_peaked_at(rng, y_pred, 10), "float64"))

    # Exact ties between scores: the top-k and argmax tie rules.
    rng = np.random.RandomState(5)
    rows, labels = [], []
    for i in range(40):
        kind = i % 4
        if kind == 0:
            row = np.full(10, 0.1)
        elif kind == 1:
            a, b = rng.choice(10, size=2, replace=False)
            row = np.full(10, 0.025)
            row[[a, b]] = 0.4
        elif kind == 2:
            row = np.zeros(10)
            chosen = rng.choice(10, size=4, replace=False)
            row[chosen] = 0.25
        else:
            row = np.full(10, 0.05)
            a, b, c = rng.choice(10, size=3, replace=False)
            row[a] = 0.4
            row[[b, c]] = 0.125
        rows.append(row)
        labels.append(rng.randint(0, 10))
    cases.append(("score-ties", 10, np.array(labels), np.array(rows), "float64"))

    # Float32 input, two classes: exact 0/1 probabilities are clipped; rows stay exactly summing to 1.
    rng = np.random.RandomState(6)
    y_true = np.array([0, 1] * 8)
    p1 = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0, 0.125, 0.875], size=16)
    cases.append(("float32-two-class", 2, y_true, np.stack([1 - p1, p1], axis=1).astype(np.float32), "float32"))

    # Float32 input, ten classes, dyadic values (multiples of 2^-12) summing exactly to 1.
    rng = np.random.RandomState(7)
    n = 50
    y_true = rng.randint(0, 10, size=n)
    counts = np.array([rng.multinomial(4096 - 10, rng.dirichlet(np.ones(10) * 0.5)) + 1 for _ in range(n)])
    cases.append(("float32-dyadic", 10, y_true, (counts / 4096).astype(np.float32), "float32"))
    return cases


def f1_from_counts(matrix):
    """Per-class, macro and weighted F1 as scikit-learn >= 1.4 computes them (zero_division 0)."""
    tp = np.diag(matrix).astype(np.float64)
    denominator = matrix.sum(axis=0) + matrix.sum(axis=1)
    f1 = np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=denominator != 0)
    support = matrix.sum(axis=1)
    return [*f1, f1.mean(), np.average(f1, weights=support)]


def reference(name, num_classes, y_true, proba, dtype):
    labels = list(range(num_classes))
    y_pred = proba.argmax(axis=1)
    p64 = proba.astype(np.float64)
    assert np.all(p64.sum(axis=1) == 1.0) or dtype == "float64", name
    eps = np.finfo(np.float32 if dtype == "float32" else np.float64).eps
    p, r, f1, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, average=None)
    averages = {}
    for key, average in (("macroAvg", "macro"), ("weightedAvg", "weighted")):
        ap, ar, af, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average=average)
        averages[key] = {"precision": float(ap), "recall": float(ar), "f1": float(af), "support": int(s.sum())}
    observed = set(np.unique(np.concatenate([y_true, y_pred])).tolist())
    f1_old = [*f1, averages["macroAvg"]["f1"], averages["weightedAvg"]["f1"]]
    f1_new = f1_from_counts(confusion_matrix(y_true, y_pred, labels=labels))
    reports = []
    for digits in DIGITS:
        for names in (None, DIGIT_NAMES[:num_classes], ["class " + "#" * (c + 1) for c in labels]):
            text = classification_report(y_true, y_pred, labels=labels, target_names=names, digits=digits)
            skipped = None
            if observed != set(labels):
                assert "micro avg" in text, name
                skipped = "micro-avg-row"
            elif [f"{v:.{digits}f}" for v in f1_old] != [f"{v:.{digits}f}" for v in f1_new]:
                skipped = "f1-formula"
            if skipped:
                reports.append({"digits": digits, "targetNames": names, "text": None, "skipped": skipped})
            else:
                reports.append({"digits": digits, "targetNames": names, "text": text})
    p_true = p64[np.arange(len(y_true)), y_true]
    if np.all((p_true >= CLIP_LO) & (p_true <= CLIP_HI)):
        log_loss_by, loss = "scikit-learn", float(log_loss(y_true, p64, eps=eps, labels=labels))
    else:
        log_loss_by, loss = "numpy", float(-np.mean(np.log(np.clip(p_true, CLIP_LO, CLIP_HI))))
    top_k = {}
    if num_classes > 2:  # scikit-learn scores two columns as a binary problem; not our definition.
        for k in TOP_KS:
            top_k[str(k)] = float(top_k_accuracy_score(y_true, p64, k=k, labels=labels))
    return {
        "name": name,
        "numClasses": num_classes,
        "dtype": dtype,
        "yTrue": [int(v) for v in y_true],
        "probabilities": [float(v) for v in p64.ravel()],
        "expected": {
            "yPred": [int(v) for v in y_pred],
            "accuracy": float(accuracy_score(y_true, y_pred)),
            "logLoss": loss,
            "logLossBy": log_loss_by,
            "topK": top_k,
            "confusionMatrix": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
            "perClass": [
                {"label": c, "precision": float(p[c]), "recall": float(r[c]), "f1": float(f1[c]), "support": int(s[c])}
                for c in labels
            ],
            **averages,
            "reports": reports,
        },
    }


def main():
    warnings.simplefilter("ignore", UndefinedMetricWarning)
    warnings.simplefilter("ignore", FutureWarning)
    fixture = {
        "generatedBy": "packages/metrics/scripts/generate-sklearn-fixture.py",
        "sklearnVersion": sklearn.__version__,
        "numpyVersion": np.__version__,
        "pythonVersion": sys.version.split()[0],
        "cases": [reference(*case) for case in make_cases()],
    }
    tmp = OUT + ".tmp"
    with open(tmp, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, OUT)
    print(f"wrote {os.path.relpath(OUT)}: {len(fixture['cases'])} cases, scikit-learn {sklearn.__version__}")


if __name__ == "__main__":
    main()
