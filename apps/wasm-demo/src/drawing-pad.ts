/** Options of `DrawingPad`. */
export interface DrawingPadOptions {
  /** Called (at most once per animation frame) whenever the ink changed: while drawing and on clear. */
  onChange: () => void;
  /** Stroke width as a fraction of the canvas side. MNIST strokes are ~1/10 of a digit's height. */
  lineWidth?: number;
}

/**
 * A canvas to draw one digit on with a mouse, a pen or a finger (pointer events), in black ink on
 * transparent paper, which `preprocessDigit` reads as ink by opacity. Strokes are smoothed with
 * quadratic curves through the midpoints of the pointer samples, coalesced events included.
 */
export class DrawingPad {
  readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly onChange: () => void;
  private readonly lineWidth: number;
  private activePointer: number | null = null;
  private points: { x: number; y: number }[] = [];
  private frame = 0;
  private inked = false;

  constructor(canvas: HTMLCanvasElement, options: DrawingPadOptions) {
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('DrawingPad: the browser gave no 2D canvas context');
    this.canvas = canvas;
    this.context = context;
    this.onChange = options.onChange;
    this.lineWidth = options.lineWidth ?? 0.075;
    canvas.addEventListener('pointerdown', (event) => this.start(event));
    canvas.addEventListener('pointermove', (event) => this.move(event));
    canvas.addEventListener('pointerup', (event) => this.end(event));
    canvas.addEventListener('pointercancel', (event) => this.end(event));
    // A touch that starts on the pad draws instead of scrolling the page.
    canvas.addEventListener('touchstart', (event) => event.preventDefault(), { passive: false });
  }

  /** Whether anything has been drawn since the last clear. */
  get hasInk(): boolean {
    return this.inked;
  }

  /** The drawing's pixels (RGBA) at the canvas's resolution. */
  imageData(): ImageData {
    return this.context.getImageData(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Wipes the pad and reports the change. */
  clear(): void {
    this.context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.points = [];
    this.inked = false;
    this.changed();
  }

  private start(event: PointerEvent): void {
    if (this.activePointer !== null || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    this.activePointer = event.pointerId;
    this.canvas.setPointerCapture(event.pointerId);
    this.canvas.focus({ preventScroll: true });
    const point = this.toCanvas(event);
    this.points = [point];
    // A tap leaves a dot, as a pen on paper does.
    this.context.fillStyle = '#000';
    this.context.beginPath();
    this.context.arc(point.x, point.y, this.strokeWidth() / 2, 0, Math.PI * 2);
    this.context.fill();
    this.inked = true;
    this.changed();
  }

  private move(event: PointerEvent): void {
    if (event.pointerId !== this.activePointer) return;
    const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const sample of events.length > 0 ? events : [event]) this.extend(this.toCanvas(sample));
    this.changed();
  }

  private end(event: PointerEvent): void {
    if (event.pointerId !== this.activePointer) return;
    this.extend(this.toCanvas(event));
    this.activePointer = null;
    this.points = [];
    this.changed();
  }

  private extend(point: { x: number; y: number }): void {
    const previous = this.points.at(-1);
    if (previous === undefined || (previous.x === point.x && previous.y === point.y)) return;
    this.points.push(point);
    const context = this.context;
    context.strokeStyle = '#000';
    context.lineWidth = this.strokeWidth();
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    const n = this.points.length;
    if (n < 3) {
      context.moveTo(previous.x, previous.y);
      context.lineTo(point.x, point.y);
    } else {
      // Curve from the midpoint of the last segment but one to the midpoint of the last, with the
      // sample between them as control point: smooth joins without lagging behind the pointer.
      const a = this.points[n - 3]!;
      const b = previous;
      context.moveTo((a.x + b.x) / 2, (a.y + b.y) / 2);
      context.quadraticCurveTo(b.x, b.y, (b.x + point.x) / 2, (b.y + point.y) / 2);
      context.lineTo(point.x, point.y);
    }
    context.stroke();
  }

  private strokeWidth(): number {
    return this.lineWidth * this.canvas.width;
  }

  private toCanvas(event: PointerEvent): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) / rect.width) * this.canvas.width,
      y: ((event.clientY - rect.top) / rect.height) * this.canvas.height,
    };
  }

  private changed(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.onChange();
    });
  }
}
