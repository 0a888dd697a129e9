#!/usr/bin/env python3
"""PyTorch CPU side of `pnpm bench` (apps/bench): the same jobs as src/tfjs-worker.ts.

Run by the bench harness as `/usr/bin/python3 torch-bench.py '<job JSON>'`; prints one line
`BENCH_RESULT <result JSON>` on stdout. The job JSON carries the model config of @mnist/model
(DEFAULT_MODEL_CONFIG); `build_model` of mnist_torch.py (shared with torch-recipes.py) mirrors
`createModel` in packages/model/src/create-model.ts layer by layer, initializers included.

Requirements: Debian's PyTorch and numpy (`apt-get install -y python3-torch`), run with
/usr/bin/python3. Only the standard library is imported before the job is read, so a missing torch
is reported as an "unavailable" result rather than a crash.
"""

import json
import resource
import sys
import time

from mnist_torch import IMAGE_SIZE, NUM_CLASSES, build_model, read_idx_split, trainable_parameters

RESULT_PREFIX = "BENCH_RESULT "


def emit(result):
    sys.stdout.write(RESULT_PREFIX + json.dumps(result) + "\n")
    sys.stdout.flush()


def max_rss_bytes():
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage if sys.platform == "darwin" else usage * 1024


def runtime_info(torch=None, np=None):
    info = {"python": sys.version.split()[0], "executable": sys.executable}
    if np is not None:
        info["numpy"] = np.__version__
    if torch is not None:
        info["torch"] = torch.__version__
        info["threads"] = torch.get_num_threads()
        info["mkldnn"] = bool(torch.backends.mkldnn.is_available())
    return info


def layer_lines(model):
    return [f"{type(m).__name__} {sum(p.numel() for p in m.parameters())}" for m in model]


def run_data(job, np):
    idx_dir = job["idxDir"]
    start = time.perf_counter()
    images = 0
    for split in ("train", "t10k"):
        pixels, _ = read_idx_split(np, idx_dir, split)
        images += pixels.shape[0]
    seconds = time.perf_counter() - start
    return {
        "kind": "data",
        "side": job["side"],
        "seconds": seconds,
        "images": images,
        "maxRssBytes": max_rss_bytes(),
        "runtime": runtime_info(np=np),
    }


def run_compute(job, torch, np):
    F = torch.nn.functional
    torch.set_num_threads(job["threads"])
    torch.manual_seed(job["seed"])
    model = build_model(torch, job["modelConfig"])
    optimizer = torch.optim.Adam(model.parameters(), lr=job["learningRate"])
    generator = torch.Generator().manual_seed(job["seed"])
    batch = job["batchSize"]
    # Random data of MNIST shape, as on the tfjs side: pixels in [0, 1), labels 0-9.
    xs = torch.rand((batch, 1, IMAGE_SIZE, IMAGE_SIZE), generator=generator)
    ys = torch.randint(0, NUM_CLASSES, (batch,), generator=generator)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xs), ys)
        loss.backward()
        optimizer.step()
        # .item() synchronizes, as awaiting the loss does on the tfjs side.
        return loss.item()

    model.train()
    for _ in range(job["warmupSteps"]):
        step()
    start = time.perf_counter()
    cpu_start = time.process_time()
    loss = float("nan")
    for _ in range(job["steps"]):
        loss = step()
    seconds = time.perf_counter() - start
    train = {
        "steps": job["steps"],
        "batchSize": batch,
        "seconds": seconds,
        # User + system time of every thread of the process, as process.cpuUsage() on the Node side.
        "cpuSeconds": time.process_time() - cpu_start,
        "samplesPerSecond": job["steps"] * batch / seconds,
        "loss": loss,
    }

    model.eval()
    infer = None
    latency = None
    with torch.inference_mode():
        if job["inferBatches"] > 0:
            warm = torch.rand((job["inferWarmupBatchSize"], 1, IMAGE_SIZE, IMAGE_SIZE), generator=generator)
            torch.softmax(model(warm), dim=1).numpy()
            big = torch.rand((job["inferBatchSize"], 1, IMAGE_SIZE, IMAGE_SIZE), generator=generator)
            start = time.perf_counter()
            cpu_start = time.process_time()
            for _ in range(job["inferBatches"]):
                torch.softmax(model(big), dim=1).numpy()
            seconds = time.perf_counter() - start
            images = job["inferBatches"] * job["inferBatchSize"]
            infer = {
                "batches": job["inferBatches"],
                "batchSize": job["inferBatchSize"],
                "seconds": seconds,
                "cpuSeconds": time.process_time() - cpu_start,
                "samplesPerSecond": images / seconds,
            }
        if job["latencyCalls"] > 0:
            one = torch.rand((1, 1, IMAGE_SIZE, IMAGE_SIZE), generator=generator)
            for _ in range(min(20, job["latencyCalls"])):
                torch.softmax(model(one), dim=1).numpy()
            latency = []
            for _ in range(job["latencyCalls"]):
                start = time.perf_counter()
                torch.softmax(model(one), dim=1).numpy()
                latency.append((time.perf_counter() - start) * 1000)

    return {
        "kind": "compute",
        "side": job["side"],
        "parameters": trainable_parameters(model),
        "threads": torch.get_num_threads(),
        "train": train,
        "infer": infer,
        "latencyMs": latency,
        "maxRssBytes": max_rss_bytes(),
        "runtime": runtime_info(torch, np),
    }


def run_describe(job, torch, np):
    torch.manual_seed(job["seed"])
    model = build_model(torch, job["modelConfig"])
    return {
        "kind": "describe",
        "side": job["side"],
        "parameters": trainable_parameters(model),
        "layers": layer_lines(model),
        "runtime": runtime_info(torch, np),
    }


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: torch-bench.py '<job JSON>'\n")
        return 2
    job = json.loads(argv[1])
    try:
        import numpy as np
    except ImportError as error:
        emit({"kind": "unavailable", "side": job["side"], "reason": f"numpy cannot be imported ({error}); "
              "install it with: apt-get install -y python3-numpy"})
        return 0
    if job["kind"] == "data":
        emit(run_data(job, np))
        return 0
    try:
        import torch
    except ImportError as error:
        emit({"kind": "unavailable", "side": job["side"], "reason": f"torch cannot be imported by "
              f"{sys.executable} ({error}); install it with: apt-get install -y python3-torch"})
        return 0
    if job["kind"] == "describe":
        emit(run_describe(job, torch, np))
    elif job["kind"] == "compute":
        emit(run_compute(job, torch, np))
    else:
        sys.stderr.write(f"torch-bench.py: unknown job kind {job['kind']!r}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
