/** One point of the training curves: a batch's loss and accuracy. */
export interface CurvePoint {
  loss: number;
  accuracy: number;
}

/**
 * Draws the loss (indigo, scaled to the largest loss so far) and the accuracy (green, 0 to 1) of
 * every batch on `canvas`, the run's `total` batches across its width. A few polylines on a canvas
 * are simpler than a charting library for two live curves.
 */
export function drawCurves(canvas: HTMLCanvasElement, points: readonly CurvePoint[], total: number): void {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  context.strokeStyle = '#e3e5ee';
  context.lineWidth = 1;
  for (const level of [0.25, 0.5, 0.75]) {
    context.beginPath();
    context.moveTo(0, height * level);
    context.lineTo(width, height * level);
    context.stroke();
  }
  if (points.length === 0) return;
  const maxLoss = Math.max(...points.map((point) => point.loss), 1e-6);
  const x = (i: number) => ((i + 1) / Math.max(total, points.length)) * width;
  const line = (color: string, y: (point: CurvePoint) => number) => {
    context.strokeStyle = color;
    context.lineWidth = 2;
    context.beginPath();
    points.forEach((point, i) => {
      const py = height - y(point) * (height - 4) - 2;
      if (i === 0) context.moveTo(x(i), py);
      else context.lineTo(x(i), py);
    });
    context.stroke();
  };
  line('#4f46e5', (point) => point.loss / maxLoss);
  line('#16a34a', (point) => point.accuracy);
}
