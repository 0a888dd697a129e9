import type { AugmentationConfig, ImageSet } from '@mnist/data';
import type { AdamOptimizer, Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { createDropoutSeeder, type DropoutSeeder } from './dropout-seeder.js';
import { createTrainingForward, type TrainingForward } from './training-forward.js';

/** What every step of a run works on: the model, its optimizer and the training set. Internal. */
export interface StepContext {
  readonly model: LayersModel;
  /** The model's training forward pass (dropout on, fused conv layers): what every step runs. */
  readonly forward: TrainingForward;
  readonly optimizer: AdamOptimizer;
  /** The training set; a step names its images by index into it. */
  readonly train: ImageSet;
  /** The variables behind `model.trainableWeights`, in order. */
  readonly variables: Variable[];
  /** Seeds the model's dropout layers per step; `restore` when the run ends. */
  readonly dropout: DropoutSeeder;
  /** `TrainingConfig.labelSmoothing` of the run: every slice's loss uses it. */
  readonly labelSmoothing: number;
  /** Applied to every training batch's images where the batch is built; `null` for none. */
  readonly augmentation: AugmentationConfig | null;
}

/** The step context of a run on `model`. Internal. */
export function createStepContext(
  model: LayersModel,
  optimizer: AdamOptimizer,
  train: ImageSet,
  labelSmoothing: number,
  augmentation: AugmentationConfig | null = null,
): StepContext {
  return {
    model,
    forward: createTrainingForward(model),
    optimizer,
    train,
    variables: model.trainableWeights.map((weight) => weight.read() as Variable),
    dropout: createDropoutSeeder(model),
    labelSmoothing,
    augmentation,
  };
}
