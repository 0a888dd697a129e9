/** Precision, recall, F1 and support of one class, as in scikit-learn's `classification_report`. */
export interface ClassMetrics {
  label: number;
  precision: number;
  recall: number;
  f1: number;
  /** Number of true instances of the class. */
  support: number;
}

/** Unweighted (macro) or support-weighted average of the per-class metrics. */
export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** How well a classifier did on a labelled set. */
export interface EvaluationReport {
  count: number;
  accuracy: number;
  /** Mean categorical cross-entropy (`logLoss`: clipped at `CROSS_ENTROPY_EPSILON`, the loss training uses). */
  loss: number;
  /** `confusionMatrix[trueLabel][predictedLabel]` = number of images. */
  confusionMatrix: number[][];
  perClass: ClassMetrics[];
  macroAvg: AveragedMetrics;
  weightedAvg: AveragedMetrics;
}
