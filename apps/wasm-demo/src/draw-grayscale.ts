/**
 * Paints grayscale pixels (`width * height` values, 0 = black, `max` = white) onto a canvas of that
 * size, as MNIST is usually shown: white ink on black.
 */
export function drawGrayscale(
  canvas: HTMLCanvasElement,
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  max = 1,
): void {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const image = context.createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const level = Math.round((pixels[i]! / max) * 255);
    image.data[i * 4] = level;
    image.data[i * 4 + 1] = level;
    image.data[i * 4 + 2] = level;
    image.data[i * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}
