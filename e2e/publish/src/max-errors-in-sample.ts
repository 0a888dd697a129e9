/**
 * The most misclassified images a test may allow on a random sample, given what the classifier
 * was measured to do on the whole set the sample is drawn from.
 *
 * A classifier that got `setErrors` of the `setSize` images of a set wrong makes X errors on
 * `sampleSize` images drawn from that set uniformly at random without replacement, where X is
 * hypergeometric: P(X = k) = C(K, k) C(N - K, n - k) / C(N, n) with N = setSize, K = setErrors,
 * n = sampleSize. The result is the smallest e with P(X > e) <= alpha: the advertised classifier
 * exceeds it on at most a fraction alpha of the possible samples (confidence 1 - alpha), and a
 * sample of the whole set allows exactly K. (A binomial bound would treat the sample as drawn from
 * an infinite population; it is looser here, because the sample comes out of the very images the
 * figure was measured on.)
 *
 * @throws RangeError for counts that are not whole numbers with 0 <= K <= N and 0 <= n <= N, or
 *   alpha outside (0, 1).
 */
export function maxErrorsInSample(
  setSize: number,
  setErrors: number,
  sampleSize: number,
  alpha: number,
): number {
  const counts = [setSize, setErrors, sampleSize];
  if (
    !counts.every(Number.isInteger) ||
    setErrors < 0 ||
    sampleSize < 0 ||
    setErrors > setSize ||
    sampleSize > setSize
  ) {
    throw new RangeError(
      `maxErrorsInSample needs whole numbers 0 <= setErrors, sampleSize <= setSize; got ${counts.join(', ')}`,
    );
  }
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`maxErrorsInSample needs 0 < alpha < 1; got ${alpha}`);
  // ln(i!) for i <= setSize: the binomial coefficients overflow doubles long before 10,000.
  const logFactorial = new Float64Array(setSize + 1);
  for (let i = 1; i <= setSize; i++) logFactorial[i] = logFactorial[i - 1]! + Math.log(i);
  const logChoose = (n: number, k: number) => logFactorial[n]! - logFactorial[k]! - logFactorial[n - k]!;
  const probability = (k: number) =>
    Math.exp(
      logChoose(setErrors, k) +
        logChoose(setSize - setErrors, sampleSize - k) -
        logChoose(setSize, sampleSize),
    );
  const most = Math.min(setErrors, sampleSize);
  const least = Math.max(0, sampleSize - (setSize - setErrors));
  // Walk down from the largest possible count, adding up the upper tail P(X > e).
  let tail = 0;
  for (let e = most; e > least; e--) {
    tail += probability(e);
    if (tail > alpha) return e;
  }
  return least;
}
