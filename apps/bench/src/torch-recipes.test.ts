import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { augmentImageSet, createRng, shuffledIndices } from '@mnist/data';
import { DEFAULT_MODEL_CONFIG, resolveModelConfig } from '@mnist/model';
import { listRecipes, loadRecipe } from '@mnist/pipeline';
import {
  DEFAULT_TRAINING_CONFIG,
  type LearningRateSchedule,
  learningRateAt,
  resolveTrainingConfig,
} from '@mnist/train';
import { afterAll, describe, expect, it } from 'vitest';
// Internal to @mnist/train (not exported), imported from its source only to check the Python port.
import { deriveSeed } from '../../../packages/train/src/derive-seed.js';

const referenceDir = fileURLToPath(new URL('../reference/', import.meta.url));
const script = join(referenceDir, 'torch-recipes.py');
const python = process.env.MNIST_BENCH_PYTHON ?? '/usr/bin/python3';
// Each case spawns Python and imports torch: seconds on a quiet machine, more on a loaded one.
const TORCH_TIMEOUT_MS = 240_000;
const folder = mkdtempSync(join(tmpdir(), 'torch-recipes-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function run(args: string[]) {
  const proc = spawnSync(python, [script, ...args], {
    encoding: 'utf8',
    // One thread each: the machine is shared, and a test needs no speed.
    env: { ...process.env, OMP_NUM_THREADS: '1' },
    timeout: TORCH_TIMEOUT_MS,
  });
  if (proc.error) throw proc.error;
  return { status: proc.status, stdout: proc.stdout, stderr: proc.stderr };
}

function runJson(args: string[]): Record<string, unknown> {
  const result = run(args);
  if (result.status !== 0)
    throw new Error(`torch-recipes.py ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

function writeRecipe(name: string, recipe: unknown): string {
  const path = join(folder, `${name}.json`);
  writeFileSync(path, JSON.stringify(recipe));
  return path;
}

function pythonValue(code: string): unknown {
  const proc = spawnSync(
    python,
    ['-c', `import json, sys; sys.path.insert(0, ${JSON.stringify(referenceDir)}); ${code}`],
    {
      encoding: 'utf8',
    },
  );
  if (proc.status !== 0) throw new Error(`python -c failed: ${proc.stderr}`);
  return JSON.parse(proc.stdout);
}

const torchCheck = spawnSync(python, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
const torchMissing =
  torchCheck.error !== undefined || torchCheck.status !== 0
    ? `${python} cannot import torch and numpy (${(torchCheck.error?.message ?? torchCheck.stderr).trim().split('\n').pop()}); ` +
      'install them with apt-get install -y python3-torch'
    : null;
const pythonMissing = spawnSync(python, ['--version']).error !== undefined ? `no ${python}` : null;

describe.skipIf(pythonMissing !== null)(
  `torch-recipes.py without torch${pythonMissing === null ? '' : ` (skipped: ${pythonMissing})`}`,
  () => {
    it(
      'fills a recipe with the TypeScript defaults of the model and training configs',
      () => {
        const plan = runJson([
          '--recipe',
          writeRecipe('empty', { model: {}, training: {} }),
          '--print-config',
        ]);
        expect(plan.model).toEqual(DEFAULT_MODEL_CONFIG);
        const training = plan.training as Record<string, unknown>;
        for (const [key, value] of Object.entries(DEFAULT_TRAINING_CONFIG))
          expect(training[key], key).toEqual(value);
        // Issue 14's fields that main's TrainingConfig may not have yet: present, and off.
        const extra = Object.fromEntries(
          Object.entries(training).filter(([key]) => !(key in DEFAULT_TRAINING_CONFIG)),
        );
        expect(extra).toEqual(
          Object.fromEntries(
            Object.entries({ augmentation: null, labelSmoothing: 0, weightDecay: 0 }).filter(
              ([key]) => !(key in DEFAULT_TRAINING_CONFIG),
            ),
          ),
        );
      },
      TORCH_TIMEOUT_MS,
    );

    it(
      'fills a partial earlyStopping as resolveTrainingConfig does',
      () => {
        const partial = { patience: 5 } as never;
        const plan = runJson([
          '--recipe',
          writeRecipe('patience', { training: { earlyStopping: partial } }),
          '--print-config',
        ]);
        expect((plan.training as Record<string, unknown>).earlyStopping).toEqual(
          resolveTrainingConfig({ earlyStopping: partial }).earlyStopping,
        );
      },
      TORCH_TIMEOUT_MS,
    );

    it(
      'resolves every shipped recipe of @mnist/pipeline by name as resolveModelConfig and resolveTrainingConfig do',
      async () => {
        const names = (await listRecipes()).map((recipe) => recipe.name);
        expect(names).toEqual(expect.arrayContaining(['best', 'default', 'fast']));
        for (const name of names) {
          const recipe = await loadRecipe(name);
          const plan = runJson(['--recipe', name, '--print-config']);
          expect(plan.recipe).toBe(`packages/pipeline/recipes/${name}.json`);
          expect(plan.description).toBe(recipe.description);
          expect(plan.model, name).toEqual(resolveModelConfig(recipe.model));
          const training = plan.training as Record<string, unknown>;
          for (const [key, value] of Object.entries(resolveTrainingConfig(recipe.training))) {
            expect(training[key], `${name}: ${key}`).toEqual(value);
          }
        }
      },
      TORCH_TIMEOUT_MS,
    );

    it(
      'applies --seed, --epochs and --threads over the recipe',
      () => {
        const path = writeRecipe('seeded', { training: { seed: 5, epochs: 9, threads: 3 } });
        expect(runJson(['--recipe', path, '--print-config'])).toMatchObject({
          threads: 3,
          training: { seed: 5, epochs: 9 },
        });
        const plan = runJson([
          '--recipe',
          path,
          '--print-config',
          '--seed',
          '7',
          '--epochs',
          '1',
          '--threads',
          '2',
        ]);
        expect(plan).toMatchObject({ threads: 2, training: { seed: 7, epochs: 1 } });
      },
      TORCH_TIMEOUT_MS,
    );

    it(
      'refuses an unknown field and a bad value, naming the file and the field',
      () => {
        const typo = writeRecipe('typo', { training: { learningRat: 0.1 } });
        const unknown = run(['--recipe', typo, '--print-config']);
        expect(unknown.status).toBe(2);
        expect(unknown.stderr).toContain(typo);
        expect(unknown.stderr).toContain('unknown field "learningRat"');
        const bad = writeRecipe('bad', {
          training: {
            learningRateSchedule: {
              kind: 'oneCycle',
              warmupFraction: 1.5,
              initialDivisor: 25,
              finalDivisor: 1e4,
            },
          },
        });
        const range = run(['--recipe', bad, '--print-config']);
        expect(range.status).toBe(2);
        expect(range.stderr).toContain(
          '"training.learningRateSchedule.warmupFraction" must be a number in [0, 1), got 1.5',
        );
        const missing = run(['--recipe', join(folder, 'nope.json'), '--print-config']);
        expect(missing.status).toBe(2);
        expect(missing.stderr).toContain('nope.json');
      },
      TORCH_TIMEOUT_MS,
    );

    it(
      'splits and shuffles exactly as @mnist/data and @mnist/train do',
      () => {
        const ported = pythonValue(
          'from mnist_torch import shuffled_indices, derive_seed; ' +
            'print(json.dumps({"order": shuffled_indices(1000, 42), "seeds": [derive_seed(42, e) for e in range(5)] + [derive_seed(7, 3, 9, 1)]}))',
        ) as { order: number[]; seeds: number[] };
        expect(ported.order).toEqual(Array.from(shuffledIndices(1000, 42)));
        expect(ported.seeds).toEqual(
          [0, 1, 2, 3, 4].map((epoch) => deriveSeed(42, epoch)).concat(deriveSeed(7, 3, 9, 1)),
        );
      },
      TORCH_TIMEOUT_MS,
    );
  },
);

describe.skipIf(torchMissing !== null)(
  `torch-recipes.py with torch${torchMissing === null ? '' : ` (skipped: ${torchMissing})`}`,
  () => {
    it(
      'trains a recipe for an epoch on a few hundred images and reports its figures as one JSON line',
      () => {
        // Batches of 64, 10% validation and a per-epoch schedule, without augmentation: 9 steps an
        // epoch that two epochs of the default model learn from.
        const path = writeRecipe('quick', {
          description: 'quick',
          training: {
            earlyStopping: null,
            batchSize: 64,
            validationSplit: 0.1,
            learningRate: 1e-3,
            learningRateSchedule: { kind: 'exponential', decayRate: 0.6 },
            augmentation: null,
          },
        });
        const result = runJson([
          '--recipe',
          path,
          '--epochs',
          '2',
          '--train-limit',
          '600',
          '--test-limit',
          '1000',
          '--threads',
          '1',
        ]);
        expect(result).toMatchObject({
          kind: 'torch-recipes',
          baseline: null,
          description: 'quick',
          seed: 42,
          threads: 1,
          data: { trainSamples: 540, validationSamples: 60, testSamples: 1000 },
          // The trainable parameters of createModel() of @mnist/model.
          parameters: 136_010,
          timeToTarget: { target: 0.99 },
        });
        const epochs = result.epochs as Record<string, number>[];
        expect(epochs.map((epoch) => epoch.epoch)).toEqual([0, 1]);
        let total = 0;
        for (const epoch of epochs) {
          expect(epoch.seconds).toBeGreaterThan(0);
          expect(epoch.trainSeconds).toBeLessThanOrEqual(epoch.seconds!);
          total += epoch.seconds!;
          expect(epoch.cumulativeSeconds).toBeCloseTo(total, 9);
          expect(epoch.cpuSeconds).toBeGreaterThan(0);
        }
        // The recipe's schedule, 0.6 per epoch.
        expect(epochs.map((epoch) => epoch.learningRate)).toEqual(
          [1e-3, 6e-4].map((x) => expect.closeTo(x, 12)),
        );
        // Chance is 10%; two epochs of 540 images reach far above it (about 75-85% here).
        expect(result.finalTestAccuracy).toBeGreaterThan(0.5);
        expect(result.finalTestAccuracy).toBe(epochs[1]!.testAccuracy);
        expect(typeof result.wallSeconds).toBe('number');
        expect((result.runtime as Record<string, string>).torch).toMatch(/^\d+\.\d+/);
      },
      TORCH_TIMEOUT_MS,
    );

    it(
      'trains with every option of issue 14 on: batch norm, oneCycle, augmentation with elastic, label smoothing, AdamW',
      () => {
        const schedule = { kind: 'oneCycle', warmupFraction: 0.3, initialDivisor: 25, finalDivisor: 1e4 };
        const augmentation = {
          rotationDegrees: 15,
          scale: 0.15,
          shift: 0.1,
          elastic: { alpha: 8, sigma: 3 },
        };
        const path = writeRecipe('everything', {
          model: { batchNorm: true, filters: 8, denseUnits: 32 },
          training: {
            epochs: 2,
            batchSize: 64,
            validationSplit: 0.1,
            learningRate: 0.004,
            learningRateSchedule: schedule,
            augmentation,
            labelSmoothing: 0.1,
            weightDecay: 0.01,
          },
        });
        const result = runJson([
          '--recipe',
          path,
          '--train-limit',
          '600',
          '--test-limit',
          '500',
          '--threads',
          '1',
        ]);
        // The missing shear is off, as checkAugmentationConfig has it.
        expect(result.training).toMatchObject({
          augmentation: { ...augmentation, shear: 0 },
          labelSmoothing: 0.1,
          weightDecay: 0.01,
        });
        const epochs = result.epochs as Record<string, number>[];
        expect(epochs).toHaveLength(2);
        const { learningRates } = runJson([
          '--recipe',
          path,
          '--train-limit',
          '600',
          '--print-learning-rates',
        ]) as {
          learningRates: number[];
        };
        // An epoch's learningRate is the mean of its 9 steps' rates, as our EpochRecord.
        const mean = (rates: number[]) => rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
        expect(epochs[0]!.learningRate).toBeCloseTo(mean(learningRates.slice(0, 9)), 15);
        expect(epochs[1]!.learningRate).toBeCloseTo(mean(learningRates.slice(9)), 15);
        for (const epoch of epochs) expect(Number.isFinite(epoch.loss) && epoch.testAccuracy! > 0).toBe(true);
      },
      TORCH_TIMEOUT_MS,
    );

    it(
      'runs the pytorch/examples baseline',
      () => {
        const result = runJson([
          '--baseline',
          'pytorch-examples',
          '--epochs',
          '1',
          '--train-limit',
          '640',
          '--test-limit',
          '1000',
          '--threads',
          '1',
        ]);
        expect(result).toMatchObject({
          baseline: 'pytorch-examples',
          recipe: null,
          seed: 1,
          data: { trainSamples: 640, validationSamples: 0, testSamples: 1000 },
          // conv 1-32 (320), conv 32-64 (18,496), fc 9216-128 (1,179,776), fc 128-10 (1,290).
          parameters: 1_199_882,
          training: { batchSize: 64, learningRate: 1 },
        });
        expect(result.finalTestAccuracy).toBeGreaterThan(0.3);
      },
      TORCH_TIMEOUT_MS,
    );

    it(
      "sets every schedule's rate at every step as learningRateAt of @mnist/train (oneCycle from torch's OneCycleLR)",
      () => {
        // 600 images, 10% validation: 540 training images, 9 batches of 64 per epoch.
        const steps = (schedule: unknown, epochs: number, learningRate: number) =>
          runJson([
            '--recipe',
            writeRecipe('schedule', {
              training: {
                epochs,
                learningRate,
                learningRateSchedule: schedule,
                batchSize: 64,
                validationSplit: 0.1,
              },
            }),
            '--train-limit',
            '600',
            '--print-learning-rates',
          ]) as { batchesPerEpoch: number; learningRates: number[] };
        const ours = (schedule: LearningRateSchedule, learningRate: number, epochs: number) =>
          Array.from({ length: epochs * 9 }, (_, step) =>
            expect.closeTo(
              learningRateAt(schedule, learningRate, Math.floor(step / 9), epochs, step % 9, 9),
              15,
            ),
          );

        const oneCycle = {
          kind: 'oneCycle',
          warmupFraction: 0.3,
          initialDivisor: 25,
          finalDivisor: 1e4,
        } as const;
        const cycle = steps(oneCycle, 3, 0.004);
        expect(cycle.batchesPerEpoch).toBe(9);
        expect(cycle.learningRates).toEqual(ours(oneCycle, 0.004, 3));
        // The peak falls at step 0.3 * 27 - 1 = 7.1, just after step 7; the end is 0.004 / 25 / 1e4.
        expect(Math.max(...cycle.learningRates)).toBe(cycle.learningRates[7]);
        expect(cycle.learningRates[7]).toBeGreaterThan(0.004 * 0.999);
        expect(cycle.learningRates[26]).toBeCloseTo(0.004 / 25 / 1e4, 15);

        const warmupCosine = { kind: 'warmupCosine', warmupFraction: 0.25, minLearningRate: 1e-5 } as const;
        const warm = steps(warmupCosine, 2, 0.002).learningRates;
        expect(warm).toEqual(ours(warmupCosine, 0.002, 2));
        expect(warm[0]).toBe(0);
        expect(warm[17]).toBeCloseTo(1e-5, 15);

        // A one-step warm-up is refused before training, as scheduleStepsProblem of @mnist/train
        // refuses it: 480 training images, 8 batches, 0.125 of them.
        const oneStep = writeRecipe('one-step', {
          training: {
            epochs: 1,
            batchSize: 64,
            validationSplit: 0.2,
            learningRateSchedule: { ...oneCycle, warmupFraction: 0.125 },
          },
        });
        const refused = run(['--recipe', oneStep, '--train-limit', '600', '--print-learning-rates']);
        expect(refused.status).toBe(2);
        expect(refused.stderr).toContain("exactly 1 of the run's 8 steps");

        // The per-epoch kinds in one Python process (each spawn imports torch): 4 epochs of 9 steps.
        const perEpoch = [
          { kind: 'exponential', decayRate: 0.6 },
          { kind: 'step', everyEpochs: 2, factor: 0.5 },
          { kind: 'cosine', minLearningRate: 1e-5 },
          { kind: 'constant' },
        ] as const;
        const rates = pythonValue(
          [
            'import importlib.util, torch',
            `spec = importlib.util.spec_from_file_location("torch_recipes", ${JSON.stringify(script)})`,
            'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
            `schedules = json.loads(${JSON.stringify(JSON.stringify(perEpoch))})`,
            'training = lambda s: {**m.DEFAULT_TRAINING_CONFIG, "epochs": 4, "learningRate": 0.003, "learningRateSchedule": s}',
            'print(json.dumps([m.learning_rates(torch, training(s), 9) for s in schedules]))',
          ].join('\n'),
        ) as number[][];
        for (const [index, schedule] of perEpoch.entries()) {
          const expectedRates = Array.from({ length: 36 }, (_, step) =>
            expect.closeTo(learningRateAt(schedule, 0.003, Math.floor(step / 9), 4), 15),
          );
          expect(rates[index], schedule.kind).toEqual(expectedRates);
        }
      },
      TORCH_TIMEOUT_MS,
    );

    it(
      "draws each image's augmentation as our trainer: createRng(deriveSeed(seed, 'aug', epoch, place))",
      () => {
        const ported = pythonValue(
          [
            'import importlib.util, numpy as np',
            `spec = importlib.util.spec_from_file_location("torch_recipes", ${JSON.stringify(script)})`,
            'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
            'print(json.dumps({"uniforms": m.augmentation_uniforms(np, 3, 2, 40).tolist(), ' +
              '"boxes": [m.gaussian_boxes(s) for s in (1, 2.5, 4)]}))',
          ].join('\n'),
        ) as { uniforms: number[][]; boxes: number[][] };
        // 0x617567 is 'aug' in ASCII, the augmentation stream of make-training-batch.ts.
        const expected = Array.from({ length: 40 }, (_, place) => {
          const rng = createRng(deriveSeed(3, 0x617567, 2, place));
          return Array.from({ length: 5 }, () => rng());
        });
        expect(ported.uniforms).toEqual(expected);
        // The elastic blur's three box widths, worked by hand from the formula of gaussianBoxes in
        // @mnist/data (Wells 1986): sigma 2.5, ideal width sqrt(12 * 6.25 / 3 + 1) = 5.1, so 5 or 7,
        // round((75 - 75 - 60 - 9) / -24) = 3 of them 5.
        expect(ported.boxes).toEqual([
          [1, 1, 3],
          [5, 5, 5],
          [7, 7, 9],
        ]);
      },
      TORCH_TIMEOUT_MS,
    );

    it(
      'augments images as augmentImageSet of @mnist/data, the same draws for the same seed, epoch and place',
      () => {
        const affine = { rotationDegrees: 15, scale: 0.15, shift: 0.1, shear: 10, elastic: null };
        const elastic = { ...affine, elastic: { alpha: 20, sigma: 4 } };
        const count = 16;
        // Epoch 3 of seed 42, the images at places 0-15 of its order: the training path's
        // augment_batch for the affine map; for the elastic one the same composition fed the noise
        // our generator draws (training draws it from torch's generator instead).
        const ported = pythonValue(
          [
            'import importlib.util, numpy as np, torch, torch.nn.functional as F',
            `spec = importlib.util.spec_from_file_location("torch_recipes", ${JSON.stringify(script)})`,
            'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
            `px, _ = m.read_idx_split(np, m.DEFAULT_MNIST_DIR, "train")`,
            `x = torch.from_numpy(px[:${count}].astype(np.float32) / np.float32(255)).reshape(-1, 1, 28, 28)`,
            `affine = json.loads(${JSON.stringify(JSON.stringify(affine))})`,
            `cfg = json.loads(${JSON.stringify(JSON.stringify(elastic))})`,
            `plain = m.augment_batch(torch, F, x, affine, m.augmentation_uniforms(np, 42, 3, ${count}), None)`,
            `draws = m.rng_draws(np, m.derive_seeds(np, 42, m.AUGMENT_STREAM, 3, np.arange(${count})), 5 + 2 * 784)`,
            'u = torch.from_numpy(2 * draws[:, :5] - 1)',
            'disp = m.elastic_displacement(torch, F, torch.from_numpy(draws[:, 5:]), cfg["elastic"])',
            'warped = m.transform_images(torch, F, x, u[:, 0] * 15, 1 + u[:, 1] * 0.15, u[:, 2] * 2.8, u[:, 3] * 2.8, u[:, 4] * 10, disp)',
            'print(json.dumps({"images": x.flatten().tolist(), "affine": plain.flatten().tolist(), "elastic": warped.flatten().tolist()}))',
          ].join('\n'),
        ) as { images: number[]; affine: number[]; elastic: number[] };
        const set = {
          images: Float32Array.from(ported.images),
          labels: new Uint8Array(count),
          count,
          rows: 28,
          cols: 28,
        };
        const seeds = Array.from({ length: count }, (_, place) => deriveSeed(42, 0x617567, 3, place));
        for (const [config, python] of [
          [affine, ported.affine],
          [elastic, ported.elastic],
        ] as const) {
          const ours = augmentImageSet(set, config, seeds).images;
          let worst = 0;
          let moved = 0;
          for (let i = 0; i < ours.length; i++) {
            worst = Math.max(worst, Math.abs(ours[i]! - python[i]!));
            if (Math.abs(ours[i]! - set.images[i]!) > 0.01) moved++;
          }
          // float32 grids and sums against our float64 positions: a few ulps of a [0, 1] pixel.
          expect(worst, JSON.stringify(config)).toBeLessThan(1e-5);
          // Not a vacuous match: the transforms change a good share of the pixels.
          expect(moved).toBeGreaterThan(ours.length / 10);
        }
      },
      TORCH_TIMEOUT_MS,
    );

    it(
      'transforms images about the pixel centre (13.5, 13.5), bilinear, zero outside',
      () => {
        // One lit pixel at x = 20, y = 5 (6.5 right of and 8.5 above the centre), moved by each map.
        const moved = pythonValue(
          [
            'import importlib.util, torch, torch.nn.functional as F',
            `spec = importlib.util.spec_from_file_location("torch_recipes", ${JSON.stringify(script)})`,
            'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
            'img = torch.zeros(1, 1, 28, 28); img[0, 0, 5, 20] = 1.0',
            'def lit(angle=0., zoom=1., tx=0., ty=0., shear=0.):',
            '    args = [torch.tensor([float(v)], dtype=torch.float64) for v in (angle, zoom, tx, ty, shear)]',
            '    out = m.transform_images(torch, F, img, *args)[0, 0]',
            '    return [[y, x, round(out[y, x].item(), 5)] for y, x in (out > 1e-6).nonzero().tolist()]',
            'print(json.dumps({"identity": lit(), "shift": lit(tx=1, ty=2), "rotate": lit(angle=90), "shear": lit(shear=45), ' +
              '"zoomOut": lit(zoom=2), "zoomIn": lit(zoom=0.5)}))',
          ].join('\n'),
        );
        expect(moved).toEqual({
          identity: [[5, 20, 1]],
          shift: [[7, 21, 1]],
          // (6.5, -8.5) from the centre, a quarter turn counter-clockwise on screen (y down), is
          // (-8.5, -6.5): x = 5, y = 7.
          rotate: [[7, 5, 1]],
          // x + tan(45) * (y - 13.5) = 20 - 8.5 = 11.5: half in x = 11, half in x = 12.
          shear: [
            [5, 11, 0.5],
            [5, 12, 0.5],
          ],
          // Twice as far from the centre: y = -3.5, outside the image.
          zoomOut: [],
          // Half as far: output pixel (x, y) samples the input at (2x - 13.5, 2y - 13.5); only (17, 9)
          // lands within a pixel of (20, 5), at (20.5, 4.5): a quarter of it.
          zoomIn: [[9, 17, 0.25]],
        });
      },
      TORCH_TIMEOUT_MS,
    );
  },
);
