/**
 * The state of Johannes Baagoe's Alea generator as seedrandom's `alea(seed, { state: true })`
 * reports and takes it: three 32-bit words as fractions (multiples of 2^-32 in [0, 1)) and a carry.
 */
export interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

// Alea is a lag-3 multiply-with-carry generator: in 32-bit words x = s * 2^32, one step is
// a * x[n-3] + c[n-1] = x[n] + b * c[n] with a = 2091639 and b = 2^32. Such a generator is a
// linear congruential one in disguise (Marsaglia; Couture and L'Ecuyer): the integer
// Z = c + a * (x0 + x1 * b + x2 * b^2) of a state (x0 the oldest word) becomes Z * b^-1 mod m at
// each step, with m = a * b^3 - 1 (b^-1 is a * b^2 mod m, as a * b^3 is 1). So the state k steps
// on is Z * (a * b^2)^k mod m, a modular power: O(log k) multiplications instead of k steps.
// Scaled by b^3 (which is a^-1 mod m) the same integer reads W = c * b^3 + x0 + x1 * b + x2 * b^2,
// below m for every state but the degenerate all-ones one, so the words and the carry are W's
// bits, with no division by a.
const A = 2091639n;
const WORD = 32n;
const B = 1n << WORD;
const MODULUS = A * B ** 3n - 1n;
const STEP = (A * B * B) % MODULUS;
/** Alea's words as fractions: multiples of 1 / ALEA_FRACTION in [0, 1). */
export const ALEA_FRACTION = 2 ** 32;

function toInteger({ c, s0, s1, s2 }: AleaState): bigint {
  const word = (s: number) => BigInt(s * ALEA_FRACTION);
  return (BigInt(c) << (3n * WORD)) | (word(s2) << (2n * WORD)) | (word(s1) << WORD) | word(s0);
}

function fromInteger(w: bigint): AleaState {
  const word = (i: bigint) => Number(BigInt.asUintN(32, w >> (i * WORD))) / ALEA_FRACTION;
  return { c: Number(w >> (3n * WORD)), s0: word(0n), s1: word(1n), s2: word(2n) };
}

function powMod(base: bigint, exponent: number): bigint {
  let result = 1n;
  let square = base;
  for (let e = exponent; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = (result * square) % MODULUS;
    square = (square * square) % MODULUS;
  }
  return result;
}

// Jumps by stride: a training run asks for a few strides (one per dropout layer and batch size)
// over and over, and the modular power is most of the cost of a call.
const jumps = new Map<number, bigint>();
const MAX_CACHED_JUMPS = 64;

function jumpOf(stride: number): bigint {
  let jump = jumps.get(stride);
  if (jump === undefined) {
    if (jumps.size >= MAX_CACHED_JUMPS) jumps.clear();
    jump = powMod(STEP, stride);
    jumps.set(stride, jump);
  }
  return jump;
}

/**
 * The states Alea is in after 0, stride, 2 * stride, ... steps from `state`, `count` of them: where
 * independent chains start that together draw the values one generator draws in order.
 */
export function aleaStrideStates(state: AleaState, stride: number, count: number): AleaState[] {
  if (!Number.isInteger(stride) || stride < 0) {
    throw new RangeError(`aleaStrideStates: stride must be a whole number >= 0, got ${stride}`);
  }
  const jump = jumpOf(stride);
  const states: AleaState[] = [];
  let z = toInteger(state);
  for (let i = 0; i < count; i++) {
    states.push(fromInteger(z));
    z = (z * jump) % MODULUS;
  }
  return states;
}
