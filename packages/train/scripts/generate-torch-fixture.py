#!/usr/bin/env python3
"""Writes test-fixtures/torch-reference.json: PyTorch's numbers for the schedules and options that
@mnist/train defines as PyTorch's.

- oneCycle: torch.optim.lr_scheduler.OneCycleLR(anneal_strategy='cos', three_phase=False,
  cycle_momentum=False), its rate read from the optimizer before every step as a training loop sees
  it (learning-rate-at.test.ts compares to 1e-15 relative: the same doubles but for Math.cos's ulp).
- adamW: torch.optim.AdamW on a small float32 parameter, fixed gradients per step, the rate changed
  before every step as a per-step schedule does; eps 1e-7, tfjs's float32 epsilon (torch's default
  is 1e-8) (adamw-optimizer.test.ts compares the float32 weights).
- labelSmoothing: torch.nn.CrossEntropyLoss(label_smoothing=s) on log-probabilities as logits
  (softmax(log p) = p for rows summing to 1) (batch-statistics.test.ts).

So the tests need no Python at run time. Regenerate (deterministic: fixed seed) after changing the
cases; needs PyTorch (Debian: apt-get install python3-torch):

    /usr/bin/python3 packages/train/scripts/generate-torch-fixture.py
"""
import json
import os
import sys

import torch

# (max_lr, total_steps, pct_start, div_factor, final_div_factor): PyTorch's defaults, a fast
# recipe's shape, a warm-up under one step (the first phase ends before step 0), odd splits, none.
ONE_CYCLE_CASES = [
    (1e-3, 20, 0.3, 25.0, 1e4),
    (4e-3, 94, 0.25, 10.0, 100.0),
    (1e-2, 10, 0.05, 25.0, 1e4),
    (5e-3, 7, 0.5, 4.0, 30.0),
    (2e-3, 13, 0.0, 25.0, 1e4),
]


def one_cycle(max_lr, total_steps, pct_start, div_factor, final_div_factor):
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.AdamW([param], lr=max_lr)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer,
        max_lr=max_lr,
        total_steps=total_steps,
        pct_start=pct_start,
        div_factor=div_factor,
        final_div_factor=final_div_factor,
        anneal_strategy="cos",
        three_phase=False,
        cycle_momentum=False,
    )
    rates = []
    for _ in range(total_steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


def adam_w(generator):
    initial = torch.randn(6, generator=generator, dtype=torch.float32)
    param = torch.nn.Parameter(initial.clone())
    weight_decay = 0.05
    optimizer = torch.optim.AdamW([param], lr=1e-2, betas=(0.9, 0.999), eps=1e-7, weight_decay=weight_decay)
    rates = [1e-2, 3e-2, 2e-2, 5e-3, 1e-3]
    gradients = [torch.randn(6, generator=generator, dtype=torch.float32) for _ in rates]
    after = []
    for rate, gradient in zip(rates, gradients):
        optimizer.param_groups[0]["lr"] = rate
        param.grad = gradient.clone()
        optimizer.step()
        after.append(param.detach().tolist())
    return {
        "initial": initial.tolist(),
        "weightDecay": weight_decay,
        "rates": rates,
        "gradients": [g.tolist() for g in gradients],
        "after": after,
    }


def label_smoothing(generator):
    cases = []
    logits = torch.randn(8, 10, generator=generator, dtype=torch.float64) * 2
    probabilities = torch.softmax(logits, dim=1)
    labels = torch.randint(0, 10, (8,), generator=generator)
    for s in (0.0, 0.1, 0.25):
        loss = torch.nn.CrossEntropyLoss(label_smoothing=s)(torch.log(probabilities), labels)
        cases.append({"labelSmoothing": s, "loss": loss.item()})
    return {"probabilities": probabilities.flatten().tolist(), "labels": labels.tolist(), "cases": cases}


def main():
    generator = torch.Generator().manual_seed(14)
    out = {
        "generatedBy": "packages/train/scripts/generate-torch-fixture.py",
        "torchVersion": torch.__version__,
        "pythonVersion": sys.version.split()[0],
        "oneCycle": [
            {
                "maxLr": max_lr,
                "totalSteps": total,
                "pctStart": pct,
                "divFactor": div,
                "finalDivFactor": final,
                "rates": one_cycle(max_lr, total, pct, div, final),
            }
            for max_lr, total, pct, div, final in ONE_CYCLE_CASES
        ],
        "adamW": adam_w(generator),
        "labelSmoothing": label_smoothing(generator),
    }
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.normpath(os.path.join(here, "..", "test-fixtures", "torch-reference.json"))
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")
    print(f"wrote {path} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
