// The WebAssembly text of this package's SIMD kernels, generated (the micro-kernels are unrolled
// over registers and k, which is tedious and error-prone to write by hand). One source, two builds:
// `fma` uses relaxed SIMD's `f32x4.relaxed_madd` (one fused multiply-add), `simd128` a multiply then
// an add. Both import tfjs-backend-wasm's memory as `env.memory`, so they compute on tfjs tensors in
// place. All pointers are byte offsets into that memory; all sizes and strides are in elements.
//
// GEMM blocking (the facts XNNPACK's wasmsimd/wasmrelaxedsimd f32 gemm micro-kernels rest on): an
// MR x 8 tile of C lives in 2*MR f32x4 accumulators; per k step the kernel loads 8 values of B (two
// vectors) and broadcasts MR values of A (`v128.load32_splat`, one load each on x64), then does
// 2*MR multiply-adds. MR = 6: 12 accumulators + 2 B vectors + 1 A splat fill 15 of x64's 16
// vector registers without spills, and 12 independent chains hide the FMA latency (measured on
// Node 24: 4x8 reached ~29 GFLOP/s, 6x8 ~36 with FMA; about equal without).

export const NR = 8;

/**
 * The tile shapes every build exports, each as its own `gemm_packed`, `gemm_rows` and `pack_a`
 * (name + `suffix`); `rows` is MR, `kUnroll` how many k steps one loop iteration does (the pointer
 * bumps and the loop branch once per `kUnroll` steps). `6x8` is the fast one on V8 13 (Node 24):
 * 6x8 with 4 k steps an iteration. V8 12 (Node 22) regroups those 4 unrolled steps by accumulator
 * and spills a third of them to the stack; `4x8` one k step at a time keeps 8 accumulators + 2 B
 * + 4 A values in registers there, and is the faster one on that engine. A tile's height does not
 * change the order of any element's additions: both give the same bits.
 */
export const TILES = [
  { name: '6x8', rows: 6, kUnroll: 4, unrolledTaps: true, c1PixelsWithoutFma: 6, suffix: '' },
  { name: '4x8', rows: 4, kUnroll: 1, unrolledTaps: false, c1PixelsWithoutFma: 4, suffix: '_4x8' },
];

const range = (n) => Array.from({ length: n }, (_, i) => i);
const lg = (name) => `(local.get $${name})`;
const acc = (r, v) => `acc${r}_${v}`;

/** `a * b + c` for f32x4 in the chosen build. */
function madd(fma, a, b, c) {
  return fma ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add (f32x4.mul ${a} ${b}) ${c})`;
}

/** Byte shuffle pattern selecting f32 lanes (0-3 from the first operand, 4-7 from the second). */
const lanes = (...ls) => ls.flatMap((l) => [0, 1, 2, 3].map((b) => l * 4 + b)).join(' ');

/** 4x4 transpose of the v128 locals r0..r3 into t0..t3 (t_j = column j). */
const transpose4 = `
(local.set $u0 (i8x16.shuffle ${lanes(0, 4, 1, 5)} ${lg('r0')} ${lg('r1')}))
(local.set $u1 (i8x16.shuffle ${lanes(2, 6, 3, 7)} ${lg('r0')} ${lg('r1')}))
(local.set $u2 (i8x16.shuffle ${lanes(0, 4, 1, 5)} ${lg('r2')} ${lg('r3')}))
(local.set $u3 (i8x16.shuffle ${lanes(2, 6, 3, 7)} ${lg('r2')} ${lg('r3')}))
(local.set $t0 (i8x16.shuffle ${lanes(0, 1, 4, 5)} ${lg('u0')} ${lg('u2')}))
(local.set $t1 (i8x16.shuffle ${lanes(2, 3, 6, 7)} ${lg('u0')} ${lg('u2')}))
(local.set $t2 (i8x16.shuffle ${lanes(0, 1, 4, 5)} ${lg('u1')} ${lg('u3')}))
(local.set $t3 (i8x16.shuffle ${lanes(2, 3, 6, 7)} ${lg('u1')} ${lg('u3')}))`;

const transposeLocals = range(4)
  .flatMap((i) => [`(local $r${i} v128)`, `(local $u${i} v128)`, `(local $t${i} v128)`])
  .join(' ');

/**
 * The GEMM micro-kernels and the A packing of one tile shape (an entry of `TILES`): MR rows of A
 * by 8 columns of B, k unrolled KU times.
 */
function tileKernels({ rows: MR, kUnroll: KU, suffix }) {
  /**
   * One k step of an MR x 8 tile at unroll position `u`; A from packed panels or from MR row
   * pointers. `narrow`: the panel's first vector only (a last panel of 4 columns or fewer, as the
   * 10 of an output layer leave), half the multiply-adds; the second vector's accumulators stay 0.
   */
  function kStep(fma, aSource, u, narrow = false) {
    const vectors = narrow ? [0] : [0, 1];
    const lines = vectors.map((v) => `(local.set $b${v} (v128.load offset=${u * 32 + v * 16} ${lg('pb')}))`);
    for (const r of range(MR)) {
      const load =
        aSource === 'packed'
          ? `(v128.load32_splat offset=${u * MR * 4 + r * 4} ${lg('pa')})`
          : `(v128.load32_splat offset=${u * 4} ${lg(`a${r}`)})`;
      lines.push(`(local.set $av ${load})`);
      for (const v of vectors) {
        lines.push(`(local.set $${acc(r, v)} ${madd(fma, lg('av'), lg(`b${v}`), lg(acc(r, v)))})`);
      }
    }
    return lines.join('\n');
  }

  function bump(aSource, steps) {
    const lines = [`(local.set $pb (i32.add ${lg('pb')} (i32.const ${steps * NR * 4})))`];
    if (aSource === 'packed')
      lines.push(`(local.set $pa (i32.add ${lg('pa')} (i32.const ${steps * MR * 4})))`);
    else
      for (const r of range(MR))
        lines.push(`(local.set $a${r} (i32.add ${lg(`a${r}`)} (i32.const ${steps * 4})))`);
    return lines.join('\n');
  }

  /** The k loop of one tile: unrolled by KU, then a remainder loop (`narrow`: see `kStep`). */
  function kLoop(fma, aSource, narrow = false) {
    const tag = narrow ? 'n' : '';
    return `
  (local.set $kk ${lg('k')})
  (block $end4${tag} (loop $loop4${tag}
    (br_if $end4${tag} (i32.lt_u ${lg('kk')} (i32.const ${KU})))
    ${range(KU)
      .map((u) => kStep(fma, aSource, u, narrow))
      .join('\n')}
    ${bump(aSource, KU)}
    (local.set $kk (i32.sub ${lg('kk')} (i32.const ${KU})))
    (br $loop4${tag})))
  (block $end1${tag} (loop $loop1${tag}
    (br_if $end1${tag} (i32.eqz ${lg('kk')}))
    ${kStep(fma, aSource, 0, narrow)}
    ${bump(aSource, 1)}
    (local.set $kk (i32.sub ${lg('kk')} (i32.const 1)))
    (br $loop1${tag})))`;
  }

  /**
   * Writes (or adds) the tile to C at `$ct`: vector stores when full, else via `$tmp` element by
   * element. `withEpilogue` (gemm_rows, the conv forward's GEMM): with `$biasRelu` (0, or the byte
   * offset of one bias value per column of C), each value
   * then gets its column's bias added and is clamped at zero before it is stored: the bias add and
   * ReLU of a conv layer, the same float32 operations in the same order as the `add` and `relu`
   * passes over C would do afterwards (NaN kept, -0 made +0), on values still in registers.
   */
  function storeTile(withEpilogue) {
    const zero = '(v128.const i32x4 0 0 0 0)';
    const variant = ({ accumulate, epilogue }) => {
      const lines = [];
      if (epilogue) {
        lines.push(
          `(local.set $bv0 (v128.load (i32.add ${lg('biasRelu')} (i32.shl ${lg('j0')} (i32.const 2)))))`,
        );
        lines.push(
          `(local.set $bv1 (v128.load offset=16 (i32.add ${lg('biasRelu')} (i32.shl ${lg('j0')} (i32.const 2)))))`,
        );
      }
      for (const r of range(MR)) {
        const row = r === 0 ? lg('ct') : `(i32.add ${lg('ct')} (i32.mul ${lg('ldcb')} (i32.const ${r})))`;
        lines.push(`(local.set $cr ${row})`);
        for (const v of [0, 1]) {
          const value = accumulate
            ? `(f32x4.add (v128.load offset=${v * 16} ${lg('cr')}) ${lg(acc(r, v))})`
            : lg(acc(r, v));
          if (!epilogue) {
            lines.push(`(v128.store offset=${v * 16} ${lg('cr')} ${value})`);
            continue;
          }
          lines.push(`(local.set $ev (f32x4.add ${value} ${lg(`bv${v}`)}))`);
          lines.push(
            `(v128.store offset=${v * 16} ${lg('cr')} (v128.andnot ${lg('ev')} (f32x4.le ${lg('ev')} ${zero})))`,
          );
        }
      }
      return lines.join('\n');
    };
    const byAccumulate = (epilogue) =>
      `(if (i32.and ${lg('acc')} (i32.const 1)) (then ${variant({ accumulate: true, epilogue })}) (else ${variant({ accumulate: false, epilogue })}))`;
    // The epilogue in scalars: the bias, then s where s > 0 or NaN (its bits kept), else +0.
    const scalarEpilogue = `(if ${lg('biasRelu')}
            (then
              (local.set $s (f32.add ${lg('s')} (f32.load (i32.add ${lg('biasRelu')} (i32.shl (i32.add ${lg('j0')} ${lg('q')}) (i32.const 2))))))
              (local.set $s (select ${lg('s')} (f32.const 0) (i32.eqz (f32.le ${lg('s')} (f32.const 0)))))))`;
    const spill = [];
    for (const r of range(MR)) {
      for (const v of [0, 1])
        spill.push(`(v128.store offset=${r * 32 + v * 16} ${lg('tmp')} ${lg(acc(r, v))})`);
    }
    return `
  (if (i32.and (i32.eq ${lg('mr')} (i32.const ${MR})) (i32.eq ${lg('nr')} (i32.const ${NR})))
    (then ${withEpilogue ? `(if ${lg('biasRelu')} (then ${byAccumulate(true)}) (else ${byAccumulate(false)}))` : byAccumulate(false)})
    (else
      ${spill.join('\n')}
      (local.set $r (i32.const 0))
      (block $rend (loop $rloop
        (br_if $rend (i32.ge_u ${lg('r')} ${lg('mr')}))
        (local.set $cr (i32.add ${lg('ct')} (i32.mul ${lg('ldcb')} ${lg('r')})))
        (local.set $q (i32.const 0))
        (block $qend (loop $qloop
          (br_if $qend (i32.ge_u ${lg('q')} ${lg('nr')}))
          (local.set $s (f32.load (i32.add ${lg('tmp')} (i32.add (i32.shl ${lg('r')} (i32.const 5)) (i32.shl ${lg('q')} (i32.const 2))))))
          (if ${lg('acc')} (then (local.set $s (f32.add (f32.load (i32.add ${lg('cr')} (i32.shl ${lg('q')} (i32.const 2)))) ${lg('s')}))))
          ${withEpilogue ? scalarEpilogue : ''}
          (f32.store (i32.add ${lg('cr')} (i32.shl ${lg('q')} (i32.const 2))) ${lg('s')})
          (local.set $q (i32.add ${lg('q')} (i32.const 1)))
          (br $qloop)))
        (local.set $r (i32.add ${lg('r')} (i32.const 1)))
        (br $rloop)))))`;
  }

  const tileLocals = `
  (local $i0 i32) (local $j0 i32) (local $mr i32) (local $nr i32) (local $kk i32) (local $ldcb i32)
  (local $pa i32) (local $pb i32) (local $ct i32) (local $cr i32) (local $r i32) (local $q i32) (local $s f32)
  ${range(MR)
    .map((r) => `(local $a${r} i32)`)
    .join(' ')} (local $arow i32)
  (local $b0 v128) (local $b1 v128) (local $av v128) (local $bv0 v128) (local $bv1 v128) (local $ev v128)
  ${range(MR)
    .flatMap((r) => [0, 1].map((v) => `(local $${acc(r, v)} v128)`))
    .join(' ')}`;

  const zeroAccs = range(MR)
    .flatMap((r) => [0, 1].map((v) => `(local.set $${acc(r, v)} (v128.const i32x4 0 0 0 0))`))
    .join('\n');

  /**
   * The panel and tile loops both GEMMs share: over panels of 8 columns (`$j0`), then tiles of MR
   * rows (`$i0`), with `aSetup` pointing A at the tile and `aSource` saying how the k loop reads it.
   */
  const tileLoops = (fma, aSource, aSetup, withEpilogue) => `
    (local.set $j0 (i32.const 0))
    (block $jend (loop $jloop
      (br_if $jend (i32.ge_u ${lg('j0')} ${lg('n')}))
      (local.set $nr (i32.sub ${lg('n')} ${lg('j0')}))
      (if (i32.gt_u ${lg('nr')} (i32.const ${NR})) (then (local.set $nr (i32.const ${NR}))))
      (local.set $i0 (i32.const 0))
      (block $iend (loop $iloop
        (br_if $iend (i32.ge_u ${lg('i0')} ${lg('m')}))
        (local.set $mr (i32.sub ${lg('m')} ${lg('i0')}))
        (if (i32.gt_u ${lg('mr')} (i32.const ${MR})) (then (local.set $mr (i32.const ${MR}))))
        ${aSetup}
        (local.set $pb (i32.add ${lg('pB')} (i32.mul (i32.mul ${lg('j0')} ${lg('k')}) (i32.const 4))))
        ${zeroAccs}
        (if (i32.le_u ${lg('nr')} (i32.const ${NR / 2}))
          (then ${kLoop(fma, aSource, true)})
          (else ${kLoop(fma, aSource)}))
        (local.set $ct (i32.add ${lg('c')} (i32.add (i32.mul ${lg('i0')} ${lg('ldcb')}) (i32.shl ${lg('j0')} (i32.const 2)))))
        ${storeTile(withEpilogue)}
        (local.set $i0 (i32.add ${lg('i0')} (i32.const ${MR})))
        (br $iloop)))
      (local.set $j0 (i32.add ${lg('j0')} (i32.const ${NR})))
      (br $jloop)))`;

  /**
   * `gemm_packed(m, n, k, pa, pb, c, ldc, acc, tmp)`: C[m x n] (row stride ldc) = or += A·B, with A
   * packed by `pack_a` (tiles of MR rows, [k][MR]) and B by `pack_b` (panels of 8 columns, [k][8]).
   * `tmp` is 128 bytes of scratch for edge tiles. Panels outer, tiles inner: one B panel stays in L1
   * while the packed A block streams from L2.
   */
  function gemmPacked(fma) {
    return `
  (func $gemm_packed${suffix} (export "gemm_packed${suffix}")
    (param $m i32) (param $n i32) (param $k i32) (param $pA i32) (param $pB i32) (param $c i32)
    (param $ldc i32) (param $acc i32) (param $tmp i32)
    ${tileLocals}
    (local.set $ldcb (i32.shl ${lg('ldc')} (i32.const 2)))
    ${tileLoops(fma, 'packed', `(local.set $pa (i32.add ${lg('pA')} (i32.mul (i32.mul ${lg('i0')} ${lg('k')}) (i32.const 4))))`, false)})`;
  }

  /**
   * `gemm_rows(m, n, k, a, lda, pb, c, ldc, acc, tmp, biasRelu)`: as `gemm_packed` but A is read in
   * place, row major with row stride lda (im2col rows, a dense layer's input): no packing pass over
   * A. The rows of an edge tile past m repeat row 0 of the tile; their results are dropped by the
   * edge store. `biasRelu`: 0, or a bias (n floats) to add to C before a ReLU, as the tile is stored
   * (pass it with the last k block only).
   */
  function gemmRows(fma) {
    const rowPtrs = [
      `(local.set $arow (i32.add ${lg('a')} (i32.mul ${lg('i0')} ${lg('ldab')})))`,
      ...range(MR).map((r) =>
        r === 0
          ? `(local.set $a0 ${lg('arow')})`
          : `(local.set $a${r} (if (result i32) (i32.gt_u ${lg('mr')} (i32.const ${r})) (then (i32.add ${lg('arow')} (i32.mul ${lg('ldab')} (i32.const ${r})))) (else ${lg('arow')})))`,
      ),
    ].join('\n');
    return `
  (func $gemm_rows${suffix} (export "gemm_rows${suffix}")
    (param $m i32) (param $n i32) (param $k i32) (param $a i32) (param $lda i32) (param $pB i32)
    (param $c i32) (param $ldc i32) (param $acc i32) (param $tmp i32) (param $biasRelu i32)
    ${tileLocals} (local $ldab i32)
    (local.set $ldcb (i32.shl ${lg('ldc')} (i32.const 2)))
    (local.set $ldab (i32.shl ${lg('lda')} (i32.const 2)))
    ${tileLoops(fma, 'rows', rowPtrs, true)})`;
  }

  /**
   * `pack_a(m, k, src, rs, cs, dst)`: A[i][j] = src[i*rs + j*cs] into tiles of MR rows, [k][MR] each,
   * rows past m zero. Vector copies when the MR values of one k are contiguous (rs == 1: A is a
   * transposed row-major matrix, as dy^T and x^T of the gradients); 4x4 transposes when A is row
   * major (cs == 1); else element by element.
   */
  function packA() {
    // MR = 6: the 4 first rows of a k step are one vector, the last 2 one 64-bit store.
    const contiguous =
      MR === 4
        ? `(v128.store ${lg('d')} (v128.load ${lg('s')}))`
        : `(v128.store ${lg('d')} (v128.load ${lg('s')}))
           (i64.store offset=16 ${lg('d')} (i64.load offset=16 ${lg('s')}))`;
    const row = (r) => (r === 0 ? lg('s') : `(i32.add ${lg('s')} (i32.mul ${lg('rsb')} (i32.const ${r})))`);
    const tail =
      MR === 4
        ? ''
        : `(local.set $r0 (v128.load ${row(4)}))
           (local.set $r1 (v128.load ${row(5)}))
           (local.set $u0 (i8x16.shuffle ${lanes(0, 4, 1, 5)} ${lg('r0')} ${lg('r1')}))
           (local.set $u1 (i8x16.shuffle ${lanes(2, 6, 3, 7)} ${lg('r0')} ${lg('r1')}))
           (v128.store64_lane offset=${16} 0 ${lg('d')} ${lg('u0')})
           (v128.store64_lane offset=${16 + MR * 4} 1 ${lg('d')} ${lg('u0')})
           (v128.store64_lane offset=${16 + MR * 8} 0 ${lg('d')} ${lg('u1')})
           (v128.store64_lane offset=${16 + MR * 12} 1 ${lg('d')} ${lg('u1')})`;
    return `
  (func $pack_a${suffix} (export "pack_a${suffix}")
    (param $m i32) (param $k i32) (param $src i32) (param $rs i32) (param $cs i32) (param $dst i32)
    (local $i0 i32) (local $mr i32) (local $j i32) (local $ii i32) (local $s i32) (local $d i32)
    (local $rsb i32) (local $csb i32) ${transposeLocals}
    (local.set $rsb (i32.shl ${lg('rs')} (i32.const 2)))
    (local.set $csb (i32.shl ${lg('cs')} (i32.const 2)))
    (local.set $d ${lg('dst')})
    (local.set $i0 (i32.const 0))
    (block $iend (loop $iloop
      (br_if $iend (i32.ge_u ${lg('i0')} ${lg('m')}))
      (local.set $mr (i32.sub ${lg('m')} ${lg('i0')}))
      (if (i32.gt_u ${lg('mr')} (i32.const ${MR})) (then (local.set $mr (i32.const ${MR}))))
      (local.set $s (i32.add ${lg('src')} (i32.mul ${lg('i0')} ${lg('rsb')})))
      (local.set $j (i32.const 0))
      (if (i32.and (i32.eq ${lg('mr')} (i32.const ${MR})) (i32.eq ${lg('rs')} (i32.const 1)))
        (then
          (block $vend (loop $vloop
            (br_if $vend (i32.ge_u ${lg('j')} ${lg('k')}))
            ${contiguous}
            (local.set $s (i32.add ${lg('s')} ${lg('csb')}))
            (local.set $d (i32.add ${lg('d')} (i32.const ${MR * 4})))
            (local.set $j (i32.add ${lg('j')} (i32.const 1)))
            (br $vloop))))
        (else
          (if (i32.and (i32.eq ${lg('mr')} (i32.const ${MR})) (i32.eq ${lg('cs')} (i32.const 1)))
            (then
              (block $tend (loop $tloop
                (br_if $tend (i32.gt_u (i32.add ${lg('j')} (i32.const 4)) ${lg('k')}))
                (local.set $r0 (v128.load ${row(0)}))
                (local.set $r1 (v128.load ${row(1)}))
                (local.set $r2 (v128.load ${row(2)}))
                (local.set $r3 (v128.load ${row(3)}))
                ${transpose4}
                (v128.store offset=0 ${lg('d')} ${lg('t0')})
                (v128.store offset=${MR * 4} ${lg('d')} ${lg('t1')})
                (v128.store offset=${MR * 8} ${lg('d')} ${lg('t2')})
                (v128.store offset=${MR * 12} ${lg('d')} ${lg('t3')})
                ${tail}
                (local.set $s (i32.add ${lg('s')} (i32.const 16)))
                (local.set $d (i32.add ${lg('d')} (i32.const ${MR * 16})))
                (local.set $j (i32.add ${lg('j')} (i32.const 4)))
                (br $tloop)))))
          (block $send (loop $sloop
            (br_if $send (i32.ge_u ${lg('j')} ${lg('k')}))
            (local.set $ii (i32.const 0))
            (block $lend (loop $lloop
              (br_if $lend (i32.ge_u ${lg('ii')} (i32.const ${MR})))
              (f32.store (i32.add ${lg('d')} (i32.shl ${lg('ii')} (i32.const 2)))
                (if (result f32) (i32.lt_u ${lg('ii')} ${lg('mr')})
                  (then (f32.load (i32.add ${lg('s')} (i32.mul ${lg('ii')} ${lg('rsb')}))))
                  (else (f32.const 0))))
              (local.set $ii (i32.add ${lg('ii')} (i32.const 1)))
              (br $lloop)))
            (local.set $s (i32.add ${lg('s')} ${lg('csb')}))
            (local.set $d (i32.add ${lg('d')} (i32.const ${MR * 4})))
            (local.set $j (i32.add ${lg('j')} (i32.const 1)))
            (br $sloop)))))
      (local.set $i0 (i32.add ${lg('i0')} (i32.const ${MR})))
      (br $iloop))))`;
  }

  /**
   * `conv_rows(m, n, k, t0, taps, table, pb, c, ldc, acc, tmp, biasRelu)`: the GEMM of `gemm_rows`
   * for m output positions of a convolution, with each row of A read where it lies in x instead of
   * from an im2col copy: taps t0..t0+taps-1 of the filter (one k block, `taps` * k values, k = C
   * channels a tap), row pointers from `table` (`conv_tap_table`, [tap][position]). The k steps of
   * every element run in the order of the im2col row, so the bits are `gemm_rows`'s over im2col.
   */
  function convRows(fma) {
    const tablePtrs = range(MR)
      .map((r) => {
        const row =
          r === 0
            ? lg('i0')
            : `(if (result i32) (i32.gt_u ${lg('mr')} (i32.const ${r})) (then (i32.add ${lg('i0')} (i32.const ${r}))) (else ${lg('i0')}))`;
        return `(local.set $a${r} (i32.load (i32.add ${lg('trow')} (i32.shl ${row} (i32.const 2)))))`;
      })
      .join('\n');
    return `
  (func $conv_rows${suffix} (export "conv_rows${suffix}")
    (param $m i32) (param $n i32) (param $k i32) (param $t0 i32) (param $taps i32) (param $table i32)
    (param $pB i32) (param $c i32) (param $ldc i32) (param $acc i32) (param $tmp i32) (param $biasRelu i32)
    ${tileLocals} (local $t i32) (local $trow i32) (local $kc i32)
    (local.set $ldcb (i32.shl ${lg('ldc')} (i32.const 2)))
    (local.set $kc (i32.mul ${lg('k')} ${lg('taps')}))
    (local.set $j0 (i32.const 0))
    (block $jend (loop $jloop
      (br_if $jend (i32.ge_u ${lg('j0')} ${lg('n')}))
      (local.set $nr (i32.sub ${lg('n')} ${lg('j0')}))
      (if (i32.gt_u ${lg('nr')} (i32.const ${NR})) (then (local.set $nr (i32.const ${NR}))))
      (local.set $i0 (i32.const 0))
      (block $iend (loop $iloop
        (br_if $iend (i32.ge_u ${lg('i0')} ${lg('m')}))
        (local.set $mr (i32.sub ${lg('m')} ${lg('i0')}))
        (if (i32.gt_u ${lg('mr')} (i32.const ${MR})) (then (local.set $mr (i32.const ${MR}))))
        (local.set $pb (i32.add ${lg('pB')} (i32.mul (i32.mul ${lg('j0')} ${lg('kc')}) (i32.const 4))))
        ${zeroAccs}
        (local.set $t (i32.const 0))
        (block $tend (loop $tloop
          (br_if $tend (i32.ge_u ${lg('t')} ${lg('taps')}))
          (local.set $trow (i32.add ${lg('table')} (i32.shl (i32.mul (i32.add ${lg('t0')} ${lg('t')}) ${lg('m')}) (i32.const 2))))
          ${tablePtrs}
          ${kLoop(fma, 'rows')}
          (local.set $t (i32.add ${lg('t')} (i32.const 1)))
          (br $tloop)))
        (local.set $ct (i32.add ${lg('c')} (i32.add (i32.mul ${lg('i0')} ${lg('ldcb')}) (i32.shl ${lg('j0')} (i32.const 2)))))
        ${storeTile(true)}
        (local.set $i0 (i32.add ${lg('i0')} (i32.const ${MR})))
        (br $iloop)))
      (local.set $j0 (i32.add ${lg('j0')} (i32.const ${NR})))
      (br $jloop))))`;
  }

  return (fma) => [gemmPacked(fma), gemmRows(fma), convRows(fma), packA()].join('\n');
}

/**
 * `pack_b(k, n, src, rs, cs, dst)`: B[i][j] = src[i*rs + j*cs] into panels of 8 columns, [k][8]
 * each, columns past n zero. Vector copies when B is row major (cs == 1); 4x4 transposes when it is
 * a transposed row-major matrix (rs == 1: the dense layer's W^T); else element by element.
 */
function packB() {
  return `
(func $pack_b (export "pack_b")
  (param $k i32) (param $n i32) (param $src i32) (param $rs i32) (param $cs i32) (param $dst i32)
  (local $j0 i32) (local $nr i32) (local $i i32) (local $jj i32) (local $s i32) (local $d i32)
  (local $rsb i32) (local $csb i32) (local $h i32) (local $hs i32) ${transposeLocals}
  (local.set $rsb (i32.shl ${lg('rs')} (i32.const 2)))
  (local.set $csb (i32.shl ${lg('cs')} (i32.const 2)))
  (local.set $d ${lg('dst')})
  (local.set $j0 (i32.const 0))
  (block $jend (loop $jloop
    (br_if $jend (i32.ge_u ${lg('j0')} ${lg('n')}))
    (local.set $nr (i32.sub ${lg('n')} ${lg('j0')}))
    (if (i32.gt_u ${lg('nr')} (i32.const 8)) (then (local.set $nr (i32.const 8))))
    (local.set $s (i32.add ${lg('src')} (i32.mul ${lg('j0')} ${lg('csb')})))
    (local.set $i (i32.const 0))
    (if (i32.and (i32.eq ${lg('nr')} (i32.const 8)) (i32.eq ${lg('cs')} (i32.const 1)))
      (then
        (block $vend (loop $vloop
          (br_if $vend (i32.ge_u ${lg('i')} ${lg('k')}))
          (v128.store offset=0 ${lg('d')} (v128.load offset=0 ${lg('s')}))
          (v128.store offset=16 ${lg('d')} (v128.load offset=16 ${lg('s')}))
          (local.set $s (i32.add ${lg('s')} ${lg('rsb')}))
          (local.set $d (i32.add ${lg('d')} (i32.const 32)))
          (local.set $i (i32.add ${lg('i')} (i32.const 1)))
          (br $vloop))))
      (else
        (if (i32.and (i32.eq ${lg('nr')} (i32.const 8)) (i32.eq ${lg('rs')} (i32.const 1)))
          (then
            (block $tend (loop $tloop
              (br_if $tend (i32.gt_u (i32.add ${lg('i')} (i32.const 4)) ${lg('k')}))
              (local.set $h (i32.const 0))
              (block $hend (loop $hloop
                (br_if $hend (i32.ge_u ${lg('h')} (i32.const 2)))
                (local.set $hs (i32.add ${lg('s')} (i32.mul ${lg('h')} (i32.shl ${lg('csb')} (i32.const 2)))))
                (local.set $r0 (v128.load ${lg('hs')}))
                (local.set $r1 (v128.load (i32.add ${lg('hs')} ${lg('csb')})))
                (local.set $r2 (v128.load (i32.add ${lg('hs')} (i32.shl ${lg('csb')} (i32.const 1)))))
                (local.set $r3 (v128.load (i32.add ${lg('hs')} (i32.mul ${lg('csb')} (i32.const 3)))))
                ${transpose4}
                (local.set $hs (i32.add ${lg('d')} (i32.shl ${lg('h')} (i32.const 4))))
                (v128.store offset=0 ${lg('hs')} ${lg('t0')})
                (v128.store offset=32 ${lg('hs')} ${lg('t1')})
                (v128.store offset=64 ${lg('hs')} ${lg('t2')})
                (v128.store offset=96 ${lg('hs')} ${lg('t3')})
                (local.set $h (i32.add ${lg('h')} (i32.const 1)))
                (br $hloop)))
              (local.set $s (i32.add ${lg('s')} (i32.const 16)))
              (local.set $d (i32.add ${lg('d')} (i32.const 128)))
              (local.set $i (i32.add ${lg('i')} (i32.const 4)))
              (br $tloop)))))
        ;; A last panel of a row-major B (the 10 columns of an output layer leave 2): its nr values
        ;; of each k lane by lane into zeroed vectors, the tests of nr the same at every k.
        (if (i32.eq ${lg('cs')} (i32.const 1))
          (then
            (block $pend (loop $ploop
              (br_if $pend (i32.ge_u ${lg('i')} ${lg('k')}))
              (local.set $r0 (v128.load32_zero ${lg('s')}))
              ${[1, 2, 3].map((l) => `(if (i32.gt_u ${lg('nr')} (i32.const ${l})) (then (local.set $r0 (v128.load32_lane offset=${4 * l} ${l} ${lg('s')} ${lg('r0')}))))`).join('\n              ')}
              (local.set $r1 (v128.const i32x4 0 0 0 0))
              (if (i32.gt_u ${lg('nr')} (i32.const 4)) (then (local.set $r1 (v128.load32_zero offset=16 ${lg('s')}))))
              ${[1, 2].map((l) => `(if (i32.gt_u ${lg('nr')} (i32.const ${4 + l})) (then (local.set $r1 (v128.load32_lane offset=${16 + 4 * l} ${l} ${lg('s')} ${lg('r1')}))))`).join('\n              ')}
              (v128.store offset=0 ${lg('d')} ${lg('r0')})
              (v128.store offset=16 ${lg('d')} ${lg('r1')})
              (local.set $s (i32.add ${lg('s')} ${lg('rsb')}))
              (local.set $d (i32.add ${lg('d')} (i32.const 32)))
              (local.set $i (i32.add ${lg('i')} (i32.const 1)))
              (br $ploop)))))
        (block $send (loop $sloop
          (br_if $send (i32.ge_u ${lg('i')} ${lg('k')}))
          (local.set $jj (i32.const 0))
          (block $lend (loop $lloop
            (br_if $lend (i32.ge_u ${lg('jj')} (i32.const 8)))
            (f32.store (i32.add ${lg('d')} (i32.shl ${lg('jj')} (i32.const 2)))
              (if (result f32) (i32.lt_u ${lg('jj')} ${lg('nr')})
                (then (f32.load (i32.add ${lg('s')} (i32.mul ${lg('jj')} ${lg('csb')}))))
                (else (f32.const 0))))
            (local.set $jj (i32.add ${lg('jj')} (i32.const 1)))
            (br $lloop)))
          (local.set $s (i32.add ${lg('s')} ${lg('rsb')}))
          (local.set $d (i32.add ${lg('d')} (i32.const 32)))
          (local.set $i (i32.add ${lg('i')} (i32.const 1)))
          (br $sloop)))))
    (local.set $j0 (i32.add ${lg('j0')} (i32.const 8)))
    (br $jloop))))`;
}

/** Copies `count` floats from s to d (vectors, then a scalar tail); zero-fills when s is -1. */
function copyOrZero() {
  return `
(func $copy_or_zero (param $d i32) (param $s i32) (param $count i32)
  (local $e i32)
  (if (i32.eq ${lg('s')} (i32.const -1))
    (then
      (block $zend (loop $zloop
        (br_if $zend (i32.lt_u ${lg('count')} (i32.const 4)))
        (v128.store ${lg('d')} (v128.const i32x4 0 0 0 0))
        (local.set $d (i32.add ${lg('d')} (i32.const 16)))
        (local.set $count (i32.sub ${lg('count')} (i32.const 4)))
        (br $zloop)))
      (block $ztend (loop $ztloop
        (br_if $ztend (i32.eqz ${lg('count')}))
        (f32.store ${lg('d')} (f32.const 0))
        (local.set $d (i32.add ${lg('d')} (i32.const 4)))
        (local.set $count (i32.sub ${lg('count')} (i32.const 1)))
        (br $ztloop))))
    (else
      (block $cend (loop $cloop
        (br_if $cend (i32.lt_u ${lg('count')} (i32.const 4)))
        (v128.store ${lg('d')} (v128.load ${lg('s')}))
        (local.set $d (i32.add ${lg('d')} (i32.const 16)))
        (local.set $s (i32.add ${lg('s')} (i32.const 16)))
        (local.set $count (i32.sub ${lg('count')} (i32.const 4)))
        (br $cloop)))
      (block $ctend (loop $ctloop
        (br_if $ctend (i32.eqz ${lg('count')}))
        (f32.store ${lg('d')} (f32.load ${lg('s')}))
        (local.set $d (i32.add ${lg('d')} (i32.const 4)))
        (local.set $s (i32.add ${lg('s')} (i32.const 4)))
        (local.set $count (i32.sub ${lg('count')} (i32.const 1)))
        (br $ctloop))))))`;
}

/**
 * `im2col_rows(p0, count, x, dst, geometry)`: the im2col rows of output positions p0..p0+count of
 * an NHWC convolution (dilation 1), row major, fh*fw*C values per row in filter order (a, b, c), so
 * that row · filter[fh*fw*C, outC] is the output pixel. Out-of-image taps are zeros. A filter row
 * whose taps all lie inside the image is one contiguous copy of fw*C values.
 * `geometry` points at 11 i32: H, W, C, OH, OW, fh, fw, sh, sw, padTop, padLeft.
 */
function im2colRows() {
  const g = (i) => `(i32.load offset=${i * 4} ${lg('geo')})`;
  return `
(func $im2col_rows (export "im2col_rows")
  (param $p0 i32) (param $count i32) (param $x i32) (param $dst i32) (param $geo i32)
  (local $H i32) (local $W i32) (local $C i32) (local $OH i32) (local $OW i32) (local $fh i32)
  (local $fw i32) (local $sh i32) (local $sw i32) (local $pt i32) (local $pl i32)
  (local $n i32) (local $r i32) (local $c i32) (local $a i32) (local $b i32) (local $y i32)
  (local $xx i32) (local $d i32) (local $rowBase i32) (local $CB i32)
  (local.set $H ${g(0)}) (local.set $W ${g(1)}) (local.set $C ${g(2)}) (local.set $OH ${g(3)})
  (local.set $OW ${g(4)}) (local.set $fh ${g(5)}) (local.set $fw ${g(6)}) (local.set $sh ${g(7)})
  (local.set $sw ${g(8)}) (local.set $pt ${g(9)}) (local.set $pl ${g(10)})
  (local.set $CB (i32.shl ${lg('C')} (i32.const 2)))
  (local.set $n (i32.div_u ${lg('p0')} (i32.mul ${lg('OH')} ${lg('OW')})))
  (local.set $r (i32.rem_u ${lg('p0')} (i32.mul ${lg('OH')} ${lg('OW')})))
  (local.set $c (i32.rem_u ${lg('r')} ${lg('OW')}))
  (local.set $r (i32.div_u ${lg('r')} ${lg('OW')}))
  (local.set $d ${lg('dst')})
  (block $pend (loop $ploop
    (br_if $pend (i32.eqz ${lg('count')}))
    (local.set $a (i32.const 0))
    (block $aend (loop $aloop
      (br_if $aend (i32.ge_u ${lg('a')} ${lg('fh')}))
      (local.set $y (i32.sub (i32.add (i32.mul ${lg('r')} ${lg('sh')}) ${lg('a')}) ${lg('pt')}))
      (local.set $xx (i32.sub (i32.mul ${lg('c')} ${lg('sw')}) ${lg('pl')}))
      (if (i32.ge_u ${lg('y')} ${lg('H')})
        (then (call $copy_or_zero ${lg('d')} (i32.const -1) (i32.mul ${lg('fw')} ${lg('C')})))
        (else
          (local.set $rowBase (i32.add ${lg('x')} (i32.mul (i32.mul (i32.add (i32.mul ${lg('n')} ${lg('H')}) ${lg('y')}) ${lg('W')}) ${lg('CB')})))
          (if (i32.and (i32.ge_s ${lg('xx')} (i32.const 0)) (i32.le_s (i32.add ${lg('xx')} ${lg('fw')}) ${lg('W')}))
            (then (call $copy_or_zero ${lg('d')} (i32.add ${lg('rowBase')} (i32.mul ${lg('xx')} ${lg('CB')})) (i32.mul ${lg('fw')} ${lg('C')})))
            (else
              (local.set $b (i32.const 0))
              (block $bend (loop $bloop
                (br_if $bend (i32.ge_u ${lg('b')} ${lg('fw')}))
                (call $copy_or_zero (i32.add ${lg('d')} (i32.mul ${lg('b')} ${lg('CB')}))
                  (if (result i32) (i32.lt_u (i32.add ${lg('xx')} ${lg('b')}) ${lg('W')})
                    (then (i32.add ${lg('rowBase')} (i32.mul (i32.add ${lg('xx')} ${lg('b')}) ${lg('CB')})))
                    (else (i32.const -1)))
                  ${lg('C')})
                (local.set $b (i32.add ${lg('b')} (i32.const 1)))
                (br $bloop)))))))
      (local.set $d (i32.add ${lg('d')} (i32.mul ${lg('fw')} ${lg('CB')})))
      (local.set $a (i32.add ${lg('a')} (i32.const 1)))
      (br $aloop)))
    (local.set $c (i32.add ${lg('c')} (i32.const 1)))
    (if (i32.eq ${lg('c')} ${lg('OW')})
      (then
        (local.set $c (i32.const 0))
        (local.set $r (i32.add ${lg('r')} (i32.const 1)))
        (if (i32.eq ${lg('r')} ${lg('OH')}) (then (local.set $r (i32.const 0)) (local.set $n (i32.add ${lg('n')} (i32.const 1)))))))
    (local.set $count (i32.sub ${lg('count')} (i32.const 1)))
    (br $ploop))))`;
}

/**
 * `conv_tap_table(p0, count, x, zero, table, geometry)`: for output positions p0..p0+count and every
 * filter tap (a, b), the byte offset of the C channels that tap reads, x[n, r*sh + a - pt,
 * c*sw + b - pl, 0], or `zero` (C zero floats) outside the image: [tap][position] i32 at `table`, the
 * row pointers of `conv_rows`. Same geometry block as im2col_rows.
 */
function convTapTable() {
  const g = (i) => `(i32.load offset=${i * 4} ${lg('geo')})`;
  return `
(func $conv_tap_table (export "conv_tap_table")
  (param $p0 i32) (param $count i32) (param $x i32) (param $zero i32) (param $table i32) (param $geo i32)
  (local $H i32) (local $W i32) (local $C i32) (local $OH i32) (local $OW i32) (local $fh i32)
  (local $fw i32) (local $sh i32) (local $sw i32) (local $pt i32) (local $pl i32)
  (local $n i32) (local $r i32) (local $c i32) (local $a i32) (local $b i32) (local $y i32)
  (local $xx i32) (local $q i32) (local $d i32) (local $plane i32) (local $CB i32)
  (local.set $H ${g(0)}) (local.set $W ${g(1)}) (local.set $C ${g(2)}) (local.set $OH ${g(3)})
  (local.set $OW ${g(4)}) (local.set $fh ${g(5)}) (local.set $fw ${g(6)}) (local.set $sh ${g(7)})
  (local.set $sw ${g(8)}) (local.set $pt ${g(9)}) (local.set $pl ${g(10)})
  (local.set $CB (i32.shl ${lg('C')} (i32.const 2)))
  (local.set $plane (i32.shl ${lg('count')} (i32.const 2)))
  (local.set $n (i32.div_u ${lg('p0')} (i32.mul ${lg('OH')} ${lg('OW')})))
  (local.set $r (i32.rem_u ${lg('p0')} (i32.mul ${lg('OH')} ${lg('OW')})))
  (local.set $c (i32.rem_u ${lg('r')} ${lg('OW')}))
  (local.set $r (i32.div_u ${lg('r')} ${lg('OW')}))
  (local.set $q (i32.const 0))
  (block $pend (loop $ploop
    (br_if $pend (i32.ge_u ${lg('q')} ${lg('count')}))
    (local.set $d (i32.add ${lg('table')} (i32.shl ${lg('q')} (i32.const 2))))
    (local.set $a (i32.const 0))
    (block $aend (loop $aloop
      (br_if $aend (i32.ge_u ${lg('a')} ${lg('fh')}))
      (local.set $y (i32.sub (i32.add (i32.mul ${lg('r')} ${lg('sh')}) ${lg('a')}) ${lg('pt')}))
      (local.set $b (i32.const 0))
      (block $bend (loop $bloop
        (br_if $bend (i32.ge_u ${lg('b')} ${lg('fw')}))
        (local.set $xx (i32.sub (i32.add (i32.mul ${lg('c')} ${lg('sw')}) ${lg('b')}) ${lg('pl')}))
        (i32.store ${lg('d')}
          (if (result i32) (i32.and (i32.lt_u ${lg('y')} ${lg('H')}) (i32.lt_u ${lg('xx')} ${lg('W')}))
            (then (i32.add ${lg('x')} (i32.mul (i32.add (i32.mul (i32.add (i32.mul ${lg('n')} ${lg('H')}) ${lg('y')}) ${lg('W')}) ${lg('xx')}) ${lg('CB')})))
            (else ${lg('zero')})))
        (local.set $d (i32.add ${lg('d')} ${lg('plane')}))
        (local.set $b (i32.add ${lg('b')} (i32.const 1)))
        (br $bloop)))
      (local.set $a (i32.add ${lg('a')} (i32.const 1)))
      (br $aloop)))
    (local.set $c (i32.add ${lg('c')} (i32.const 1)))
    (if (i32.eq ${lg('c')} ${lg('OW')})
      (then
        (local.set $c (i32.const 0))
        (local.set $r (i32.add ${lg('r')} (i32.const 1)))
        (if (i32.eq ${lg('r')} ${lg('OH')}) (then (local.set $r (i32.const 0)) (local.set $n (i32.add ${lg('n')} (i32.const 1)))))))
    (local.set $q (i32.add ${lg('q')} (i32.const 1)))
    (br $ploop))))`;
}

/**
 * `pack_b_im2col(n, row0, rows, x, dst, geometry)`: the im2col matrix of output rows row0..row0+rows
 * (each OW positions; row index = n*OH + r) packed as `pack_b` packs B, with
 * B[t][j = (a, b, c)] = x[batch, r*sh + a - pt, col*sw + b - pl, c]: the right operand of the
 * filter gradient dW^T = dy^T · B, built straight from x. When C is a multiple of 8 each panel is 8
 * channels of one tap: two vectors per position, the columns outside the image zeros, with no
 * per-position test. Otherwise element by element. Same geometry block as im2col_rows.
 */
function packBIm2col() {
  const g = (i) => `(i32.load offset=${i * 4} ${lg('geo')})`;
  const zero32 = `(v128.store offset=0 ${lg('d')} (v128.const i32x4 0 0 0 0)) (v128.store offset=16 ${lg('d')} (v128.const i32x4 0 0 0 0))`;
  return `
(func $pack_b_im2col (export "pack_b_im2col")
  (param $nn i32) (param $row0 i32) (param $rows i32) (param $x i32) (param $dst i32) (param $geo i32)
  (local $H i32) (local $W i32) (local $C i32) (local $OH i32) (local $OW i32) (local $fh i32)
  (local $fw i32) (local $sh i32) (local $sw i32) (local $pt i32) (local $pl i32)
  (local $j0 i32) (local $jj i32) (local $mi i32) (local $a i32) (local $b i32) (local $ch i32)
  (local $row i32) (local $n i32) (local $r i32) (local $y i32) (local $col i32) (local $xx i32)
  (local $d i32) (local $s i32) (local $swb i32) (local $lo i32) (local $hi i32) (local $dl i32)
  (local.set $H ${g(0)}) (local.set $W ${g(1)}) (local.set $C ${g(2)}) (local.set $OH ${g(3)})
  (local.set $OW ${g(4)}) (local.set $fh ${g(5)}) (local.set $fw ${g(6)}) (local.set $sh ${g(7)})
  (local.set $sw ${g(8)}) (local.set $pt ${g(9)}) (local.set $pl ${g(10)})
  (local.set $swb (i32.shl (i32.mul ${lg('sw')} ${lg('C')}) (i32.const 2)))
  (local.set $d ${lg('dst')})
  (local.set $j0 (i32.const 0))
  (block $jend (loop $jloop
    (br_if $jend (i32.ge_u ${lg('j0')} ${lg('nn')}))
    (if (i32.and (i32.eqz (i32.and ${lg('C')} (i32.const 7))) (i32.le_u (i32.add ${lg('j0')} (i32.const 8)) ${lg('nn')}))
      (then
        ;; one tap (a, b), channels ch..ch+7
        (local.set $ch (i32.rem_u ${lg('j0')} ${lg('C')}))
        (local.set $b (i32.div_u ${lg('j0')} ${lg('C')}))
        (local.set $a (i32.div_u ${lg('b')} ${lg('fw')}))
        (local.set $b (i32.rem_u ${lg('b')} ${lg('fw')}))
        ;; the columns whose tap lies inside the image: lo <= col < hi
        (local.set $lo (i32.const 0))
        (block $loend (loop $loloop
          (br_if $loend (i32.ge_u ${lg('lo')} ${lg('OW')}))
          (br_if $loend (i32.ge_s (i32.sub (i32.add (i32.mul ${lg('lo')} ${lg('sw')}) ${lg('b')}) ${lg('pl')}) (i32.const 0)))
          (local.set $lo (i32.add ${lg('lo')} (i32.const 1)))
          (br $loloop)))
        (local.set $hi ${lg('OW')})
        (block $hiend (loop $hiloop
          (br_if $hiend (i32.le_u ${lg('hi')} ${lg('lo')}))
          (br_if $hiend (i32.lt_s (i32.sub (i32.add (i32.mul (i32.sub ${lg('hi')} (i32.const 1)) ${lg('sw')}) ${lg('b')}) ${lg('pl')}) ${lg('W')}))
          (local.set $hi (i32.sub ${lg('hi')} (i32.const 1)))
          (br $hiloop)))
        (local.set $row ${lg('row0')})
        (block $rend (loop $rloop
          (br_if $rend (i32.ge_u ${lg('row')} (i32.add ${lg('row0')} ${lg('rows')})))
          (local.set $n (i32.div_u ${lg('row')} ${lg('OH')}))
          (local.set $r (i32.rem_u ${lg('row')} ${lg('OH')}))
          (local.set $y (i32.sub (i32.add (i32.mul ${lg('r')} ${lg('sh')}) ${lg('a')}) ${lg('pt')}))
          (local.set $dl (i32.add ${lg('d')} (i32.shl ${lg('OW')} (i32.const 5))))
          (if (i32.ge_u ${lg('y')} ${lg('H')})
            (then
              (block $z0end (loop $z0loop
                (br_if $z0end (i32.ge_u ${lg('d')} ${lg('dl')}))
                ${zero32}
                (local.set $d (i32.add ${lg('d')} (i32.const 32)))
                (br $z0loop))))
            (else
              (local.set $col (i32.const 0))
              (block $z1end (loop $z1loop
                (br_if $z1end (i32.ge_u ${lg('col')} ${lg('lo')}))
                ${zero32}
                (local.set $d (i32.add ${lg('d')} (i32.const 32)))
                (local.set $col (i32.add ${lg('col')} (i32.const 1)))
                (br $z1loop)))
              (local.set $s (i32.add ${lg('x')} (i32.shl
                (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul ${lg('n')} ${lg('H')}) ${lg('y')}) ${lg('W')})
                  (i32.sub (i32.add (i32.mul ${lg('col')} ${lg('sw')}) ${lg('b')}) ${lg('pl')})) ${lg('C')}) ${lg('ch')})
                (i32.const 2))))
              (block $cend (loop $cloop
                (br_if $cend (i32.ge_u ${lg('col')} ${lg('hi')}))
                (v128.store offset=0 ${lg('d')} (v128.load offset=0 ${lg('s')}))
                (v128.store offset=16 ${lg('d')} (v128.load offset=16 ${lg('s')}))
                (local.set $d (i32.add ${lg('d')} (i32.const 32)))
                (local.set $s (i32.add ${lg('s')} ${lg('swb')}))
                (local.set $col (i32.add ${lg('col')} (i32.const 1)))
                (br $cloop)))
              (block $z2end (loop $z2loop
                (br_if $z2end (i32.ge_u ${lg('d')} ${lg('dl')}))
                ${zero32}
                (local.set $d (i32.add ${lg('d')} (i32.const 32)))
                (br $z2loop)))))
          (local.set $row (i32.add ${lg('row')} (i32.const 1)))
          (br $rloop))))
      (else
        ;; element by element: lane jj is column j0+jj of B (zero past nn)
        (local.set $row ${lg('row0')})
        (block $rend2 (loop $rloop2
          (br_if $rend2 (i32.ge_u ${lg('row')} (i32.add ${lg('row0')} ${lg('rows')})))
          (local.set $n (i32.div_u ${lg('row')} ${lg('OH')}))
          (local.set $r (i32.rem_u ${lg('row')} ${lg('OH')}))
          (local.set $col (i32.const 0))
          (block $cend2 (loop $cloop2
            (br_if $cend2 (i32.ge_u ${lg('col')} ${lg('OW')}))
            (local.set $jj (i32.const 0))
            (block $lend (loop $lloop
              (br_if $lend (i32.ge_u ${lg('jj')} (i32.const 8)))
              (local.set $mi (i32.add ${lg('j0')} ${lg('jj')}))
              (local.set $s (i32.const -1))
              (if (i32.lt_u ${lg('mi')} ${lg('nn')})
                (then
                  (local.set $ch (i32.rem_u ${lg('mi')} ${lg('C')}))
                  (local.set $b (i32.div_u ${lg('mi')} ${lg('C')}))
                  (local.set $a (i32.div_u ${lg('b')} ${lg('fw')}))
                  (local.set $b (i32.rem_u ${lg('b')} ${lg('fw')}))
                  (local.set $y (i32.sub (i32.add (i32.mul ${lg('r')} ${lg('sh')}) ${lg('a')}) ${lg('pt')}))
                  (local.set $xx (i32.sub (i32.add (i32.mul ${lg('col')} ${lg('sw')}) ${lg('b')}) ${lg('pl')}))
                  (if (i32.and (i32.lt_u ${lg('y')} ${lg('H')}) (i32.lt_u ${lg('xx')} ${lg('W')}))
                    (then (local.set $s (i32.add ${lg('x')} (i32.shl
                      (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul ${lg('n')} ${lg('H')}) ${lg('y')}) ${lg('W')}) ${lg('xx')}) ${lg('C')}) ${lg('ch')})
                      (i32.const 2))))))))
              (f32.store (i32.add ${lg('d')} (i32.shl ${lg('jj')} (i32.const 2)))
                (if (result f32) (i32.eq ${lg('s')} (i32.const -1)) (then (f32.const 0)) (else (f32.load ${lg('s')}))))
              (local.set $jj (i32.add ${lg('jj')} (i32.const 1)))
              (br $lloop)))
            (local.set $d (i32.add ${lg('d')} (i32.const 32)))
            (local.set $col (i32.add ${lg('col')} (i32.const 1)))
            (br $cloop2)))
          (local.set $row (i32.add ${lg('row')} (i32.const 1)))
          (br $rloop2)))))
    (local.set $j0 (i32.add ${lg('j0')} (i32.const 8)))
    (br $jloop))))`;
}

/**
 * `pad_c1(x, N, H, W, pt, pl, Hp, Wp, dst)`: a 1-channel NHWC image batch copied into
 * dst[N][Hp][Wp] at row pt, column pl, zeros around it and in 8 floats past the end (the direct
 * 3x3 kernels read whole tiles without bounds tests; their last tile of a row reads up to 5 floats
 * beyond it).
 */
function padC1() {
  return `
(func $pad_c1 (export "pad_c1")
  (param $x i32) (param $N i32) (param $H i32) (param $W i32) (param $pt i32) (param $pl i32)
  (param $Hp i32) (param $Wp i32) (param $dst i32)
  (local $q i32) (local $n i32) (local $y i32) (local $yp i32) (local $cnt i32) (local $d i32) (local $s i32) (local $e i32)
  (call $copy_or_zero ${lg('dst')} (i32.const -1) (i32.add (i32.mul (i32.mul ${lg('N')} ${lg('Hp')}) ${lg('Wp')}) (i32.const 8)))
  (local.set $cnt ${lg('W')})
  (if (i32.gt_s (i32.add ${lg('W')} ${lg('pl')}) ${lg('Wp')}) (then (local.set $cnt (i32.sub ${lg('Wp')} ${lg('pl')}))))
  (if (i32.le_s ${lg('cnt')} (i32.const 0)) (then (return)))
  ;; the image and row as counters: a division a row cost as much as the row's copy
  (local.set $n (i32.const 0))
  (local.set $y (i32.const 0))
  (local.set $q (i32.const 0))
  (block $qend (loop $qloop
    (br_if $qend (i32.ge_u ${lg('q')} (i32.mul ${lg('N')} ${lg('H')})))
    (local.set $yp (i32.add ${lg('y')} ${lg('pt')}))
    (if (i32.lt_u ${lg('yp')} ${lg('Hp')})
      (then
        ;; the row's copy inline, four vectors a step (a call and its loop tests per row of 28
        ;; floats took as long as the copy)
        (local.set $d (i32.add ${lg('dst')} (i32.shl (i32.add (i32.mul (i32.add (i32.mul ${lg('n')} ${lg('Hp')}) ${lg('yp')}) ${lg('Wp')}) ${lg('pl')}) (i32.const 2))))
        (local.set $s (i32.add ${lg('x')} (i32.shl (i32.mul ${lg('q')} ${lg('W')}) (i32.const 2))))
        (local.set $e (i32.add ${lg('s')} (i32.shl ${lg('cnt')} (i32.const 2))))
        (block $c4end (loop $c4loop
          (br_if $c4end (i32.gt_u (i32.add ${lg('s')} (i32.const 64)) ${lg('e')}))
          (v128.store ${lg('d')} (v128.load ${lg('s')}))
          (v128.store offset=16 ${lg('d')} (v128.load offset=16 ${lg('s')}))
          (v128.store offset=32 ${lg('d')} (v128.load offset=32 ${lg('s')}))
          (v128.store offset=48 ${lg('d')} (v128.load offset=48 ${lg('s')}))
          (local.set $s (i32.add ${lg('s')} (i32.const 64)))
          (local.set $d (i32.add ${lg('d')} (i32.const 64)))
          (br $c4loop)))
        (block $c1end (loop $c1loop
          (br_if $c1end (i32.gt_u (i32.add ${lg('s')} (i32.const 16)) ${lg('e')}))
          (v128.store ${lg('d')} (v128.load ${lg('s')}))
          (local.set $s (i32.add ${lg('s')} (i32.const 16)))
          (local.set $d (i32.add ${lg('d')} (i32.const 16)))
          (br $c1loop)))
        (block $ctend (loop $ctloop
          (br_if $ctend (i32.ge_u ${lg('s')} ${lg('e')}))
          (f32.store ${lg('d')} (f32.load ${lg('s')}))
          (local.set $s (i32.add ${lg('s')} (i32.const 4)))
          (local.set $d (i32.add ${lg('d')} (i32.const 4)))
          (br $ctloop)))))
    (local.set $y (i32.add ${lg('y')} (i32.const 1)))
    (if (i32.eq ${lg('y')} ${lg('H')})
      (then (local.set $y (i32.const 0)) (local.set $n (i32.add ${lg('n')} (i32.const 1)))))
    (local.set $q (i32.add ${lg('q')} (i32.const 1)))
    (br $qloop))))`;
}

/** Pixels of a tile of the direct 1-channel convolution (one output row, 8 output channels). */
const C1_TILE = 6;
/**
 * Pixels of the tile that takes a row's last 1-4 pixels: a 6-pixel tile there would compute 2-5
 * pixels for nothing (28 = 4 * 6 + 4: 7% of MNIST's first layer).
 */
const C1_TAIL_TILE = 4;

/**
 * `conv_c1_3x3(xp, Hp, Wp, rows, OH, OW, O, pw, y, biasRelu)`: a 3x3 stride-1 convolution of one input
 * channel (the first layer) without im2col: x padded by `pad_c1`, the filter packed by `pack_b`
 * (panels [9][8]); rows = N*OH, O a multiple of 8. A tile is 6 pixels of one output row times 8
 * channels in 12 accumulators; each of its 9 taps is two filter vectors and six broadcasts of x, so
 * the tile does 108 multiply-adds between its start and its 12 stores (the GEMM over im2col had
 * K = 9 k steps and a scalar im2col per pixel). A row's last 1-4 pixels take a 4-pixel tile.
 * `biasRelu`: 0, or a bias (O floats) added before a ReLU as the tile is stored.
 *
 * Each GEMM tile shape of `TILES` has its own copy (name + `suffix`), in the form that engine's
 * compiler does best with: `unrolledTaps` writes the 9 taps out (V8 13), else tap 0 is written out
 * and taps 1-8 are a loop of one tap an iteration (V8 12 regroups the unrolled taps by accumulator,
 * spills, and takes about 1.35 times as long). Both sum each output's 9 products in the same order
 * (row a, column b of the window), so they give the same bits.
 *
 * Without FMA each product needs a register of its own besides the 12 accumulators, b0, b1 and the
 * broadcast: 16 of x64's 16, and V8 spills. The `simd128` build's `4x8` copy (the one Node takes
 * for that build) therefore tiles 4 pixels (8 accumulators): 1.3 times as fast on V8 11 (Node 20)
 * and 1.05 on V8 13 (2026-12-04). The `6x8` copy, which pages get, keeps 6 on both builds (ARM has
 * 32 vector registers). The tile's width does not change any output's sum either.
 */
function convC1(fma, { unrolledTaps, c1PixelsWithoutFma, suffix }) {
  const mainPixels = fma ? C1_TILE : c1PixelsWithoutFma;
  const tailPixels = Math.min(C1_TAIL_TILE, mainPixels);
  // The products of tap `t` for the `pixels` pixels at `x` + `xOff` bytes (the tap's first input),
  // the filter vectors at `w` + `wOff`.
  const tap = (pixels, t, x, xOff, w, wOff) => {
    const lines = [
      `(local.set $b0 (v128.load offset=${wOff} ${w}))`,
      `(local.set $b1 (v128.load offset=${wOff + 16} ${w}))`,
    ];
    for (let i = 0; i < pixels; i++) {
      lines.push(`(local.set $av (v128.load32_splat offset=${xOff + i * 4} ${x}))`);
      for (const v of [0, 1]) {
        const product =
          t === 0
            ? `(f32x4.mul ${lg('av')} ${lg(`b${v}`)})`
            : madd(fma, lg('av'), lg(`b${v}`), lg(acc(i, v)));
        lines.push(`(local.set $${acc(i, v)} ${product})`);
      }
    }
    return lines.join('\n');
  };
  const body = (pixels) => {
    if (unrolledTaps) {
      return range(9)
        .map((t) => tap(pixels, t, lg(`q${Math.floor(t / 3)}`), (t % 3) * 4, lg('pb'), t * 32))
        .join('\n');
    }
    return `${tap(pixels, 0, lg('q0'), 0, lg('pb'), 0)}
      (local.set $pt (i32.add ${lg('pb')} (i32.const 32)))
      (local.set $xa ${lg('q0')}) (local.set $tb (i32.const 1)) (local.set $tn (i32.const 1))
      (loop $tap${pixels}
        ${tap(pixels, 1, `(i32.add ${lg('xa')} (i32.shl ${lg('tb')} (i32.const 2)))`, 0, lg('pt'), 0)}
        (local.set $pt (i32.add ${lg('pt')} (i32.const 32)))
        (local.set $tb (i32.add ${lg('tb')} (i32.const 1)))
        (if (i32.eq ${lg('tb')} (i32.const 3))
          (then (local.set $tb (i32.const 0)) (local.set $xa (i32.add ${lg('xa')} ${lg('Wpb')}))))
        (local.set $tn (i32.add ${lg('tn')} (i32.const 1)))
        (br_if $tap${pixels} (i32.lt_u ${lg('tn')} (i32.const 9))))`;
  };
  // With $biasRelu, each value gets its channel's bias and is clamped at zero as it is stored (the
  // bits of the add and relu passes: NaN kept, -0 made +0).
  const stored = (i, v, epilogue) =>
    epilogue
      ? `(local.set $ev (f32x4.add ${lg(acc(i, v))} ${lg(`bv${v}`)})) (v128.store offset=${v * 16} ${lg('cr')} (v128.andnot ${lg('ev')} (f32x4.le ${lg('ev')} (v128.const i32x4 0 0 0 0))))`
      : `(v128.store offset=${v * 16} ${lg('cr')} ${lg(acc(i, v))})`;
  const storeRows = (pixels, epilogue) => {
    const lines = [];
    for (let i = 0; i < pixels; i++) {
      const st = [0, 1].map((v) => stored(i, v, epilogue)).join(' ');
      lines.push(i === 0 ? st : `(if (i32.gt_u ${lg('mr')} (i32.const ${i})) (then ${st}))`);
      lines.push(`(local.set $cr (i32.add ${lg('cr')} ${lg('Ob')}))`);
    }
    return lines.join('\n');
  };
  const tile = (pixels) => `${body(pixels)}
        (local.set $cr ${lg('ct')})
        (if ${lg('biasRelu')} (then ${storeRows(pixels, true)}) (else ${storeRows(pixels, false)}))`;
  return `
(func $conv_c1_3x3${suffix} (export "conv_c1_3x3${suffix}")
  (param $xp i32) (param $Hp i32) (param $Wp i32) (param $rows i32) (param $OH i32) (param $OW i32)
  (param $O i32) (param $pw i32) (param $y i32) (param $biasRelu i32)
  (local $q i32) (local $base i32) (local $yo i32) (local $j0 i32) (local $pb i32) (local $ct i32)
  (local $c0 i32) (local $mr i32) (local $q0 i32) (local $q1 i32) (local $q2 i32) (local $cr i32)
  (local $Wpb i32) (local $Ob i32) (local $r i32) ${unrolledTaps ? '' : '(local $pt i32) (local $xa i32) (local $tb i32) (local $tn i32)'}
  (local $b0 v128) (local $b1 v128) (local $av v128) (local $bv0 v128) (local $bv1 v128) (local $ev v128)
  ${range(mainPixels)
    .flatMap((r) => [0, 1].map((v) => `(local $${acc(r, v)} v128)`))
    .join(' ')}
  (local.set $Wpb (i32.shl ${lg('Wp')} (i32.const 2)))
  (local.set $Ob (i32.shl ${lg('O')} (i32.const 2)))
  ;; row pointers step by a row, and past the padding rows between images, without a division
  (local.set $base ${lg('xp')})
  (local.set $yo ${lg('y')})
  (local.set $r (i32.const 0))
  (local.set $q (i32.const 0))
  (block $qend (loop $qloop
    (br_if $qend (i32.ge_u ${lg('q')} ${lg('rows')}))
    (local.set $j0 (i32.const 0))
    (block $jend (loop $jloop
      (br_if $jend (i32.ge_u ${lg('j0')} ${lg('O')}))
      (local.set $pb (i32.add ${lg('pw')} (i32.mul ${lg('j0')} (i32.const 36))))
      (local.set $ct (i32.add ${lg('yo')} (i32.shl ${lg('j0')} (i32.const 2))))
      (if ${lg('biasRelu')}
        (then
          (local.set $bv0 (v128.load (i32.add ${lg('biasRelu')} (i32.shl ${lg('j0')} (i32.const 2)))))
          (local.set $bv1 (v128.load offset=16 (i32.add ${lg('biasRelu')} (i32.shl ${lg('j0')} (i32.const 2)))))))
      (local.set $c0 (i32.const 0))
      (block $cend (loop $cloop
        (br_if $cend (i32.ge_u ${lg('c0')} ${lg('OW')}))
        (local.set $mr (i32.sub ${lg('OW')} ${lg('c0')}))
        (local.set $q0 (i32.add ${lg('base')} (i32.shl ${lg('c0')} (i32.const 2))))
        (local.set $q1 (i32.add ${lg('q0')} ${lg('Wpb')}))
        (local.set $q2 (i32.add ${lg('q1')} ${lg('Wpb')}))
        ${
          tailPixels === mainPixels
            ? tile(mainPixels)
            : `(if (i32.gt_u ${lg('mr')} (i32.const ${tailPixels}))
          (then ${tile(mainPixels)})
          (else ${tile(tailPixels)}))`
        }
        (local.set $ct ${lg('cr')})
        (local.set $c0 (i32.add ${lg('c0')} (i32.const ${mainPixels})))
        (br $cloop)))
      (local.set $j0 (i32.add ${lg('j0')} (i32.const 8)))
      (br $jloop)))
    (local.set $base (i32.add ${lg('base')} ${lg('Wpb')}))
    (local.set $yo (i32.add ${lg('yo')} (i32.mul ${lg('OW')} ${lg('Ob')})))
    (local.set $r (i32.add ${lg('r')} (i32.const 1)))
    (if (i32.eq ${lg('r')} ${lg('OH')})
      (then
        (local.set $r (i32.const 0))
        (local.set $base (i32.add ${lg('base')} (i32.mul (i32.sub ${lg('Hp')} ${lg('OH')}) ${lg('Wpb')})))))
    (local.set $q (i32.add ${lg('q')} (i32.const 1)))
    (br $qloop))))`;
}

/** Pixels per iteration of a `conv_c1_3x3_filter_grad` pass (a remainder loop takes the rest). */
const C1_GRAD_UNROLL = 4;

/**
 * One pass of `conv_c1_3x3_filter_grad` over the rows qb..qe of a block: the taps `taps` ([a, b]
 * pairs) times `nv` vectors of channels from $j0, per pixel nv loads of dy, one broadcast of x per
 * tap and taps.length * nv multiply-adds. With `phases` = 2 even and odd pixels go to separate
 * accumulators (taps.length * nv * phases <= 12 in all): 12 independent chains hide the
 * multiply-add latency when a pass has few taps. The pixels of a row are unrolled by
 * `unroll` (with phases = 2 it must stay even, and it decides which phase a row's last pixels go
 * to); row pointers advance without divisions (two
 * padding rows between images); the sums are added into dw at the end.
 */
function gradPass(fma, taps, nv, phases, unroll) {
  const zero = [];
  const add = [];
  const T = taps.length;
  const pixel = (u) => {
    const step = [];
    const ph = u % phases;
    const pd = u === 0 ? lg('pd') : `(i32.add ${lg('pd')} ${lg(`Ob${u}`)})`;
    for (let v = 0; v < nv; v++) step.push(`(local.set $d${v} (v128.load offset=${v * 16} ${pd}))`);
    taps.forEach(([a, b], t) => {
      step.push(`(local.set $av (v128.load32_splat offset=${(b + u) * 4} ${lg(`q${a}`)}))`);
      for (let v = 0; v < nv; v++) {
        const name = acc(t + ph * T, v);
        step.push(`(local.set $${name} ${madd(fma, lg('av'), lg(`d${v}`), lg(name))})`);
      }
    });
    return step.join('\n');
  };
  const bumpPixels = (count) => `
          (local.set $q0 (i32.add ${lg('q0')} (i32.const ${count * 4})))
          (local.set $q1 (i32.add ${lg('q1')} (i32.const ${count * 4})))
          (local.set $q2 (i32.add ${lg('q2')} (i32.const ${count * 4})))
          (local.set $pd (i32.add ${lg('pd')} ${lg(`Ob${count}`)}))`;
  for (let t = 0; t < T * phases; t++)
    for (let v = 0; v < nv; v++) zero.push(`(local.set $${acc(t, v)} (v128.const i32x4 0 0 0 0))`);
  taps.forEach(([a, b], t) => {
    add.push(
      `(local.set $pd (i32.add ${lg('dw')} (i32.shl (i32.add (i32.mul (i32.const ${a * 3 + b}) ${lg('O')}) ${lg('j0')}) (i32.const 2))))`,
    );
    for (let v = 0; v < nv; v++) {
      const sum = phases === 1 ? lg(acc(t, v)) : `(f32x4.add ${lg(acc(t, v))} ${lg(acc(t + T, v))})`;
      add.push(
        `(v128.store offset=${v * 16} ${lg('pd')} (f32x4.add (v128.load offset=${v * 16} ${lg('pd')}) ${sum}))`,
      );
    }
  });
  return `
      ${zero.join('\n')}
      (local.set $q ${lg('qb')})
      (local.set $r (i32.rem_u ${lg('qb')} ${lg('OH')}))
      (local.set $xrow (i32.add ${lg('xp')} (i32.mul (i32.add (i32.mul (i32.div_u ${lg('qb')} ${lg('OH')}) ${lg('Hp')}) ${lg('r')}) ${lg('Wpb')})))
      (local.set $pd0 (i32.add ${lg('dy')} (i32.shl (i32.add (i32.mul (i32.mul ${lg('qb')} ${lg('OW')}) ${lg('O')}) ${lg('j0')}) (i32.const 2))))
      (block $rend (loop $rloop
        (br_if $rend (i32.ge_u ${lg('q')} ${lg('qe')}))
        (local.set $q0 ${lg('xrow')})
        (local.set $q1 (i32.add ${lg('q0')} ${lg('Wpb')}))
        (local.set $q2 (i32.add ${lg('q1')} ${lg('Wpb')}))
        (local.set $end (i32.add ${lg('q0')} (i32.shl ${lg('OW')} (i32.const 2))))
        (local.set $pd ${lg('pd0')})
        (block $uend (loop $uloop
          (br_if $uend (i32.gt_u (i32.add ${lg('q0')} (i32.const ${unroll * 4})) ${lg('end')}))
          ${range(unroll).map(pixel).join('\n')}
          ${bumpPixels(unroll)}
          (br $uloop)))
        (block $pend (loop $ploop
          (br_if $pend (i32.ge_u ${lg('q0')} ${lg('end')}))
          ${pixel(0)}
          ${bumpPixels(1)}
          (br $ploop)))
        (local.set $pd0 ${lg('pd')})
        (local.set $xrow (i32.add ${lg('xrow')} ${lg('Wpb')}))
        (local.set $r (i32.add ${lg('r')} (i32.const 1)))
        (if (i32.eq ${lg('r')} ${lg('OH')})
          (then
            (local.set $r (i32.const 0))
            (local.set $xrow (i32.add ${lg('xrow')} (i32.shl ${lg('Wpb')} (i32.const 1))))))
        (local.set $q (i32.add ${lg('q')} (i32.const 1)))
        (br $rloop)))
      ${add.join('\n')}`;
}

/**
 * `conv_c1_3x3_filter_grad(xp, Hp, Wp, rows, OH, OW, O, dy, dw, blockRows)`: the filter gradient of
 * `conv_c1_3x3` (same layouts), dw[t][o] = sum over pixels of x_tap(t) * dy[o], written whole.
 * Per block of blockRows output rows (dy of a block stays in L1/L2) two kinds of pass over its
 * pixels, per 8 output channels: the 6 taps of filter rows 0-1 (12 accumulators), then the 3 of
 * row 2 with even and odd pixels apart (12 again); a block's sums are added into dw, which keeps
 * float32 error low. The `simd128` build cuts each into two passes of fewer taps (see `passes`).
 */
function convC1FilterGrad(fma) {
  const tapsA = [
    [0, 0],
    [0, 1],
    [0, 2],
    [1, 0],
    [1, 1],
    [1, 2],
  ];
  const tapsB = [
    [2, 0],
    [2, 1],
    [2, 2],
  ];
  // [taps, phases, unroll] of each pass. Without FMA, 12 accumulators leave no register for the
  // products, so each pass is cut by taps into passes of at most 8: every tap's sum still adds the
  // same pixels in the same order, in the same accumulator phase, so the bits are those of the two
  // passes. The one-phase passes take a pixel an iteration (their order does not depend on it):
  // V8 11 (Node 20) spilled the 4-pixel body. Together 0.75-0.8 of the two passes' time on V8 11 and
  // 0.6-0.65 on V8 13 (2026-12-04).
  const passes = fma
    ? [
        [tapsA, 1, C1_GRAD_UNROLL],
        [tapsB, 2, C1_GRAD_UNROLL],
      ]
    : [
        [tapsA.slice(0, 3), 1, 1],
        [tapsA.slice(3), 1, 1],
        [tapsB.slice(0, 2), 2, C1_GRAD_UNROLL],
        [tapsB.slice(2), 2, C1_GRAD_UNROLL],
      ];
  return `
(func $conv_c1_3x3_filter_grad (export "conv_c1_3x3_filter_grad")
  (param $xp i32) (param $Hp i32) (param $Wp i32) (param $rows i32) (param $OH i32) (param $OW i32)
  (param $O i32) (param $dy i32) (param $dw i32) (param $blockRows i32)
  (local $qb i32) (local $qe i32) (local $q i32) (local $j0 i32) (local $q0 i32) (local $q1 i32)
  (local $q2 i32) (local $end i32) (local $pd i32) (local $Wpb i32) (local $Ob i32)
  ${range(C1_GRAD_UNROLL)
    .slice(1)
    .map((u) => `(local $Ob${u} i32)`)
    .join(' ')} (local $Ob${C1_GRAD_UNROLL} i32)
  (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128) (local $av v128)
  (local $r i32) (local $xrow i32) (local $pd0 i32)
  ${range(6)
    .flatMap((r) => [0, 1].map((v) => `(local $${acc(r, v)} v128)`))
    .join(' ')}
  (local $acc0_2 v128) (local $acc0_3 v128) (local $acc1_2 v128) (local $acc1_3 v128) (local $acc2_2 v128) (local $acc2_3 v128)
  (local.set $Wpb (i32.shl ${lg('Wp')} (i32.const 2)))
  (local.set $Ob (i32.shl ${lg('O')} (i32.const 2)))
  ${range(C1_GRAD_UNROLL + 1)
    .slice(2)
    .map((u) => `(local.set $Ob${u} (i32.mul ${lg('Ob')} (i32.const ${u})))`)
    .join(' ')}
  (local.set $Ob1 ${lg('Ob')})
  (call $copy_or_zero ${lg('dw')} (i32.const -1) (i32.mul ${lg('O')} (i32.const 9)))
  (local.set $qb (i32.const 0))
  (block $bend (loop $bloop
    (br_if $bend (i32.ge_u ${lg('qb')} ${lg('rows')}))
    (local.set $qe (i32.add ${lg('qb')} ${lg('blockRows')}))
    (if (i32.gt_u ${lg('qe')} ${lg('rows')}) (then (local.set $qe ${lg('rows')})))
    ${passes
      .map(
        ([taps, phases, unroll], k) => `(local.set $j0 (i32.const 0))
    (block $pass${k}end (loop $pass${k}loop
      (br_if $pass${k}end (i32.ge_u ${lg('j0')} ${lg('O')}))
      ${gradPass(fma, taps, 2, phases, unroll)}
      (local.set $j0 (i32.add ${lg('j0')} (i32.const 8)))
      (br $pass${k}loop)))`,
      )
      .join('\n    ')}
    (local.set $qb ${lg('qe')})
    (br $bloop))))`;
}

/** `copy_f32(dst, src, n)`: a plain vector copy, the memory-bandwidth yardstick of the bench. */
function copyF32() {
  return `
(func $copy_f32 (export "copy_f32") (param $dst i32) (param $src i32) (param $n i32)
  (call $copy_or_zero ${lg('dst')} ${lg('src')} ${lg('n')}))`;
}

/** Rows of one partial sum in `col_sum`: the block sums are added up, which keeps float32 error low. */
const SUM_BLOCK = 256;

/**
 * `col_sum(src, rows, cols, dst)`: dst[c] = sum_r src[r*cols + c] (cols a multiple of 4): a
 * reduction over the leading axes, as the bias gradients are. Per block of SUM_BLOCK rows, each
 * group of 32 columns (then 16, then 4) is summed down the block in 8 (4, 1) vector accumulators,
 * and the block sums added into dst. Blocks outside, column groups inside: a block (256 rows) is
 * read from L2 by its later groups, not from memory once per group. Whatever the grouping, each
 * column adds its rows, and its block sums, in the same order, so the result has the same bits;
 * the groups only decide how many independent additions are in flight (one accumulator is bound
 * by the latency of f32x4.add: a 16-channel conv's bias gradient ran at a third of copy speed).
 */
function colSum() {
  /** The code of one group of `n` accumulators (4n columns) over the rows r..re of the block. */
  const group = (n) => {
    const accs = range(n);
    const add = accs
      .map((i) => `(local.set $s${i} (f32x4.add ${lg(`s${i}`)} (v128.load offset=${i * 16} ${lg('s')})))`)
      .join('\n');
    return `
          ${accs.map((i) => `(local.set $s${i} (v128.const i32x4 0 0 0 0))`).join(' ')}
          ;; two rows a step (each column still adds its rows in order)
          (block $r2end${n} (loop $r2loop${n}
            (br_if $r2end${n} (i32.gt_u (i32.add ${lg('r')} (i32.const 2)) ${lg('re')}))
            ${add}
            (local.set $s (i32.add ${lg('s')} ${lg('rowb')}))
            ${add}
            (local.set $s (i32.add ${lg('s')} ${lg('rowb')}))
            (local.set $r (i32.add ${lg('r')} (i32.const 2)))
            (br $r2loop${n})))
          (block $rend${n} (loop $rloop${n}
            (br_if $rend${n} (i32.ge_u ${lg('r')} ${lg('re')}))
            ${add}
            (local.set $s (i32.add ${lg('s')} ${lg('rowb')}))
            (local.set $r (i32.add ${lg('r')} (i32.const 1)))
            (br $rloop${n})))
          (local.set $s (i32.add ${lg('dst')} (i32.shl ${lg('c0')} (i32.const 2))))
          ${accs.map((i) => `(v128.store offset=${i * 16} ${lg('s')} (f32x4.add (v128.load offset=${i * 16} ${lg('s')}) ${lg(`s${i}`)}))`).join('\n')}
          (local.set $c0 (i32.add ${lg('c0')} (i32.const ${4 * n})))`;
  };
  return `
(func $col_sum (export "col_sum") (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32)
  (local $c0 i32) (local $w i32) (local $r0 i32) (local $r i32) (local $re i32) (local $s i32) (local $rowb i32)
  ${range(8)
    .map((i) => `(local $s${i} v128)`)
    .join(' ')}
  (local.set $rowb (i32.shl ${lg('cols')} (i32.const 2)))
  (call $copy_or_zero ${lg('dst')} (i32.const -1) ${lg('cols')})
  (local.set $r0 (i32.const 0))
  (block $bend (loop $bloop
    (br_if $bend (i32.ge_u ${lg('r0')} ${lg('rows')}))
    (local.set $re (i32.add ${lg('r0')} (i32.const ${SUM_BLOCK})))
    (if (i32.gt_u ${lg('re')} ${lg('rows')}) (then (local.set $re ${lg('rows')})))
    (local.set $c0 (i32.const 0))
    (block $cend (loop $cloop
      (br_if $cend (i32.ge_u ${lg('c0')} ${lg('cols')}))
      (local.set $w (i32.sub ${lg('cols')} ${lg('c0')}))
      (local.set $s (i32.add ${lg('src')} (i32.add (i32.mul ${lg('r0')} ${lg('rowb')}) (i32.shl ${lg('c0')} (i32.const 2)))))
      (local.set $r ${lg('r0')})
      (if (i32.ge_u ${lg('w')} (i32.const 32))
        (then ${group(8)})
        (else
          (if (i32.ge_u ${lg('w')} (i32.const 16))
            (then ${group(4)})
            (else ${group(1)}))))
      (br $cloop)))
    (local.set $r0 ${lg('re')})
    (br $bloop))))`;
}

/**
 * Vector constants a kernel keeps in registers. V8 emits a `v128.const` again at each use (three
 * instructions for a splat of one float), even inside the innermost loop; a value it cannot fold, made
 * once from a parameter, stays in a register instead. `nonZero` is an i32 that is not 0 whenever
 * the kernel does any work.
 */
const heldConstants = (nonZero) => ({
  locals: '(local $one v128) (local $minusInf v128) (local $signBits v128)',
  init: `(local.set $one (f32x4.splat (f32.convert_i32_u (i32.ne ${nonZero} (i32.const 0)))))
  (local.set $minusInf (f32x4.splat (f32.div (f32.const -1) (f32.convert_i32_u (i32.eqz ${nonZero})))))
  (local.set $signBits (i32x4.splat (i32.shl (i32.ne ${nonZero} (i32.const 0)) (i32.const 31))))`,
});

/**
 * Loop over the windows of a 2x2 stride-2 pool: $p00 at window (n, r, col), channel vector $v;
 * `body(offset)` is the code of one vector, `offset` bytes past $p00 and $py. With `redo`, a row
 * of output windows after which $bad has a lane set is computed again with `redo(offset)`.
 */
function poolWindows(body, redo, redoWhen = lg('bad')) {
  const columns = (vector, tag = '') => `
    (local.set $col (i32.const 0))
    (block $colend${tag} (loop $colloop${tag}
      (br_if $colend${tag} (i32.ge_u ${lg('col')} ${lg('OW')}))
      (local.set $p00 (i32.add ${lg('prow')} (i32.mul (i32.shl ${lg('col')} (i32.const 1)) ${lg('Cb')})))
      (local.set $v (i32.const 0))
      ;; two vectors a step while they last: the window's address arithmetic and the loop test
      ;; once per 32 bytes (the second vector's loads and stores take an offset)
      (block $v2end${tag} (loop $v2loop${tag}
        (br_if $v2end${tag} (i32.gt_u (i32.add ${lg('v')} (i32.const 32)) ${lg('Cb')}))
        ${vector(0)}
        ${vector(16)}
        (local.set $p00 (i32.add ${lg('p00')} (i32.const 32)))
        (local.set $py (i32.add ${lg('py')} (i32.const 32)))
        (local.set $v (i32.add ${lg('v')} (i32.const 32)))
        (br $v2loop${tag})))
      (block $vend${tag} (loop $vloop${tag}
        (br_if $vend${tag} (i32.ge_u ${lg('v')} ${lg('Cb')}))
        ${vector(0)}
        (local.set $p00 (i32.add ${lg('p00')} (i32.const 16)))
        (local.set $py (i32.add ${lg('py')} (i32.const 16)))
        (local.set $v (i32.add ${lg('v')} (i32.const 16)))
        (br $vloop${tag})))
      (local.set $col (i32.add ${lg('col')} (i32.const 1)))
      (br $colloop${tag})))`;
  const row =
    redo === undefined
      ? columns(body)
      : `
    (local.set $bad (v128.const i32x4 0 0 0 0))
    (local.set $pyrow ${lg('py')})
    ${columns(body)}
    (if (v128.any_true ${redoWhen})
      (then
        (local.set $py ${lg('pyrow')})
        ${columns(redo, '_redo')}))`;
  return `
  (local.set $Cb (i32.shl ${lg('C')} (i32.const 2)))
  (local.set $rowb (i32.mul ${lg('W')} ${lg('Cb')}))
  (local.set $q (i32.const 0))
  (block $nend (loop $nloop
    (br_if $nend (i32.ge_u ${lg('q')} (i32.mul ${lg('N')} ${lg('OH')})))
    (local.set $n (i32.div_u ${lg('q')} ${lg('OH')}))
    (local.set $r (i32.rem_u ${lg('q')} ${lg('OH')}))
    (local.set $prow (i32.add ${lg('x')} (i32.mul (i32.add (i32.mul ${lg('n')} ${lg('H')}) (i32.shl ${lg('r')} (i32.const 1))) ${lg('rowb')})))
    ${row}
    (local.set $q (i32.add ${lg('q')} (i32.const 1)))
    (br $nloop)))`;
}

const poolLocals = `(local $Cb i32) (local $rowb i32) (local $q i32) (local $n i32) (local $r i32) (local $prow i32)
  (local $col i32) (local $p00 i32) (local $py i32) (local $v i32)`;

/**
 * `max_pool_2x2(x, N, H, W, C, OH, OW, y)`: 2x2 stride-2 max pool without padding, NHWC, C a
 * multiple of 4, windows inside x (2*OH <= H, 2*OW <= W). y is written in order, one vector a step.
 * The result is f32x4.max's for every input (NaN if any is NaN, +0 above -0), but V8 compiles
 * f32x4.max to a NaN-safe sequence of about eight instructions: the maximum is taken with
 * `f32x4.pmax` (one each), which gives the same bits unless an input is NaN or the maximum is -0
 * (with a +0 it must be +0). A row of output windows where a lane could be either (the inputs'
 * sum is NaN, or the maximum is -0) is computed again with f32x4.max: the check is two compares
 * and two ors a vector, with one test and branch a row instead of one a vector (which cost a
 * third of the kernel's time).
 */
function maxPool2x2() {
  const loads = (o) => `(local.set $a (v128.load offset=${o} ${lg('p00')}))
        (local.set $b (v128.load offset=${o} (i32.add ${lg('p00')} ${lg('Cb')})))
        (local.set $c (v128.load offset=${o} (i32.add ${lg('p00')} ${lg('rowb')})))
        (local.set $d (v128.load offset=${o} (i32.add (i32.add ${lg('p00')} ${lg('rowb')}) ${lg('Cb')})))`;
  const fast = (o) => `${loads(o)}
        (local.set $m (f32x4.pmax (f32x4.pmax ${lg('a')} ${lg('b')}) (f32x4.pmax ${lg('c')} ${lg('d')})))
        (local.set $t (f32x4.add (f32x4.add ${lg('a')} ${lg('b')}) (f32x4.add ${lg('c')} ${lg('d')})))
        (local.set $bad (v128.or ${lg('bad')} (v128.or (f32x4.ne ${lg('t')} ${lg('t')})
          (i32x4.eq ${lg('m')} ${lg('signBits')}))))
        (v128.store offset=${o} ${lg('py')} ${lg('m')})`;
  const exact = (o) => `${loads(o)}
        (v128.store offset=${o} ${lg('py')} (f32x4.max (f32x4.max ${lg('a')} ${lg('b')}) (f32x4.max ${lg('c')} ${lg('d')})))`;
  const held = heldConstants(lg('N'));
  return `
(func $max_pool_2x2 (export "max_pool_2x2")
  (param $x i32) (param $N i32) (param $H i32) (param $W i32) (param $C i32) (param $OH i32) (param $OW i32) (param $y i32)
  ${poolLocals} (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $m v128) (local $t v128)
  (local $bad v128) (local $pyrow i32) ${held.locals}
  ${held.init}
  (local.set $py ${lg('y')})
  ${poolWindows(fast, exact)})`;
}

/**
 * The ReLU's step at `v`, lane by lane: 1 where v > 0, v itself (NaN) where v is NaN, else 0 (tfjs's
 * `Step`); `one` is a vector of 1s (`heldConstants`). Two ands and an or: V8 has no one-instruction
 * `v128.bitselect` without AVX-512 and spends three on it.
 */
const reluStep = (v, one) =>
  `(v128.or (v128.and ${one} (f32x4.gt ${v} (v128.const i32x4 0 0 0 0))) (v128.and ${v} (f32x4.ne ${v} ${v})))`;

/**
 * `max_pool_2x2_grad(x, dy, N, H, W, C, OH, OW, dx)`: each dy value goes to the first strict
 * maximum of its window in row-major order (as tfjs's cpu backend; a window of NaN or -Infinity
 * only gets nothing), the three other positions get 0. Same layout conditions as max_pool_2x2;
 * rows and columns of x outside every window are not written (the caller zeroes them).
 * The running maximum is `f32x4.pmax(best, v)` = v > best ? v : best (one instruction: ties and
 * NaN keep the earlier value), so `best` is -Infinity or one of the four values, never NaN. The
 * gradient `g` (dy where best is above -Infinity, else 0) goes to the first position equal to
 * `best` (+0 and -0 are equal, so the first of them wins, as with the strict compare): each
 * position takes `g` where it matches and passes on what is left (`andnot`), and the last one
 * takes what is left without a compare, since a maximum no earlier position equals is its own.
 *
 * With `relu`, `max_pool_2x2_relu_grad` (same parameters) also multiplies each value it stores by
 * the ReLU's step at that position (1 above 0, 0 at or below, NaN at NaN, as `relu_grad`): the
 * gradient of a max pool over a ReLU's output, which `relu_grad` would compute in a second pass
 * over all of x and dx, to the bit. A row of windows without NaN takes the step once a window (see
 * `windows`); a row with one is done again position by position.
 */
function maxPool2x2Grad({ relu }) {
  const loads = ['p00', 'p01', 'p10', 'p11'];
  const addr = {
    p00: lg('p00'),
    p01: `(i32.add ${lg('p00')} ${lg('Cb')})`,
    p10: `(i32.add ${lg('p00')} ${lg('rowb')})`,
    p11: `(i32.add (i32.add ${lg('p00')} ${lg('rowb')}) ${lg('Cb')})`,
  };
  // dx's twin of each x address: one add of the fixed distance between the two tensors.
  const dxAddr = (p) => `(i32.add ${addr[p]} ${lg('dxFromX')})`;
  const minusInf = lg('minusInf');
  const held = heldConstants(lg('N'));
  // One vector of windows. `stepOnce` (the ReLU's fast rows): with no NaN among a window's four
  // values, each position's step is the step of `best`: the position that takes the gradient holds
  // best itself (or the other zero), and every other position stores +0 times a step of 0 or 1,
  // which is +0. So it takes the step once a window, and sums the row's values into $bad: where a
  // lane of the sum is NaN (a NaN in, or +Infinity and -Infinity both), the row of windows is done
  // again without it.
  const windows = (stepOnce) => (o) => {
    const lines = [];
    loads.forEach((p, i) => {
      lines.push(`(local.set $v${i} (v128.load offset=${o} ${addr[p]}))`);
    });
    lines.push(
      `(local.set $best (f32x4.pmax (f32x4.pmax (f32x4.pmax (f32x4.pmax ${minusInf} ${lg('v0')}) ${lg('v1')}) ${lg('v2')}) ${lg('v3')}))`,
    );
    if (stepOnce) {
      // The row's running sum of every value: NaN from the first NaN in (or an infinity beside
      // the other) on, one add a vector where a compare and an or were two.
      lines.push(
        `(local.set $bad (f32x4.add ${lg('bad')} (f32x4.add (f32x4.add ${lg('v0')} ${lg('v1')}) (f32x4.add ${lg('v2')} ${lg('v3')}))))`,
      );
      // The step multiplies the gradient once a window, before it is handed out: masking a lane
      // to +0 before or after a multiply by 0 or 1 gives the same +0, and the kept lanes the same
      // product.
      lines.push(
        `(local.set $left (f32x4.mul (v128.and (v128.load offset=${o} ${lg('py')}) (f32x4.gt ${lg('best')} ${minusInf})) (v128.and ${lg('one')} (f32x4.gt ${lg('best')} (v128.const i32x4 0 0 0 0)))))`,
      );
    } else {
      lines.push(
        `(local.set $left (v128.and (v128.load offset=${o} ${lg('py')}) (f32x4.gt ${lg('best')} ${minusInf})))`,
      );
    }
    const masked = (i, value) => {
      if (stepOnce) return value;
      return relu ? `(f32x4.mul ${value} ${reluStep(lg(`v${i}`), lg('one'))})` : value;
    };
    loads.forEach((p, i) => {
      if (i === loads.length - 1) {
        lines.push(`(v128.store offset=${o} ${dxAddr(p)} ${masked(i, lg('left'))})`);
        return;
      }
      lines.push(`(local.set $hit (f32x4.eq ${lg(`v${i}`)} ${lg('best')}))`);
      lines.push(
        `(v128.store offset=${o} ${dxAddr(p)} ${masked(i, `(v128.and ${lg('left')} ${lg('hit')})`)})`,
      );
      lines.push(`(local.set $left (v128.andnot ${lg('left')} ${lg('hit')}))`);
    });
    return lines.join('\n');
  };
  const name = relu ? 'max_pool_2x2_relu_grad' : 'max_pool_2x2_grad';
  return `
(func $${name} (export "${name}")
  (param $x i32) (param $dy i32) (param $N i32) (param $H i32) (param $W i32) (param $C i32) (param $OH i32) (param $OW i32) (param $dx i32)
  ${poolLocals} (local $best v128) (local $left v128) (local $hit v128) (local $dxFromX i32)
  (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) ${held.locals}
  (local $bad v128) (local $pyrow i32)
  ${held.init}
  (local.set $dxFromX (i32.sub ${lg('dx')} ${lg('x')}))
  (local.set $py ${lg('dy')})
  ${relu ? poolWindows(windows(true), windows(false), `(f32x4.ne ${lg('bad')} ${lg('bad')})`) : poolWindows(windows(false))})`;
}

/**
 * `relu_grad_outside_pool(x, N, H, W, C, OH, OW, dx)`: the positions of x outside every window of a
 * 2x2 stride-2 pool (the last row and column of an odd side) get what `relu_grad` gives a gradient
 * of zero there, 0 times the ReLU's step of x: +0, or NaN where x is NaN. C a multiple of 4. With
 * `max_pool_2x2_relu_grad` over the windows, every position of dx is written once.
 */
function reluGradOutsidePool() {
  // 0 times the step is +0, or NaN where x is NaN: x's bits masked to its NaN lanes (two
  // instructions where the multiply by the step took six). Rows counted, not divided out: a
  // division a row was most of the pass's time on a 7 x 7 map.
  const vector = (o) => `(local.set $v (v128.load offset=${o} (i32.add ${lg('x')} ${lg('p')})))
      (v128.store offset=${o} (i32.add ${lg('dx')} ${lg('p')}) (v128.and ${lg('v')} (f32x4.ne ${lg('v')} ${lg('v')})))`;
  return `
(func $relu_grad_outside_pool (export "relu_grad_outside_pool")
  (param $x i32) (param $N i32) (param $H i32) (param $W i32) (param $C i32) (param $OH i32) (param $OW i32) (param $dx i32)
  (local $rows i32) (local $r i32) (local $rowStart i32) (local $rowb i32) (local $inside i32) (local $p i32) (local $end i32) (local $Cb i32) (local $v v128)
  (local.set $Cb (i32.shl ${lg('C')} (i32.const 2)))
  (local.set $rowb (i32.mul ${lg('W')} ${lg('Cb')}))
  ;; where a row of the windows' rows starts being outside them: past the last window's columns
  (local.set $inside (i32.mul (i32.shl ${lg('OW')} (i32.const 1)) ${lg('Cb')}))
  (local.set $rows (i32.mul ${lg('N')} ${lg('H')}))
  (local.set $r (i32.const 0))
  (local.set $rowStart (i32.const 0))
  (block $rowsend (loop $rowsloop
    (br_if $rowsend (i32.eqz ${lg('rows')}))
    ;; inside the windows' rows only the columns past the last window; below them the whole row
    (local.set $p (i32.add ${lg('rowStart')} (select ${lg('inside')} (i32.const 0) (i32.lt_u ${lg('r')} (i32.shl ${lg('OH')} (i32.const 1))))))
    (local.set $end (i32.add ${lg('rowStart')} ${lg('rowb')}))
    (block $p2end (loop $p2loop
      (br_if $p2end (i32.gt_u (i32.add ${lg('p')} (i32.const 32)) ${lg('end')}))
      ${vector(0)}
      ${vector(16)}
      (local.set $p (i32.add ${lg('p')} (i32.const 32)))
      (br $p2loop)))
    (if (i32.lt_u ${lg('p')} ${lg('end')}) (then ${vector(0)}))
    (local.set $rowStart ${lg('end')})
    (local.set $r (i32.add ${lg('r')} (i32.const 1)))
    (if (i32.eq ${lg('r')} ${lg('H')}) (then (local.set $r (i32.const 0))))
    (local.set $rows (i32.sub ${lg('rows')} (i32.const 1)))
    (br $rowsloop))))`;
}

/** `fill_zero(dst, n)`: n floats of zeros. */
function fillZero() {
  return `
(func $fill_zero (export "fill_zero") (param $dst i32) (param $n i32)
  (call $copy_or_zero ${lg('dst')} (i32.const -1) ${lg('n')}))`;
}

/**
 * `<name>(x, z, y, n, zlen)`: y[i] = x[i] <op> z[i % zlen] for n floats, n a multiple of zlen:
 * zlen = n (same shapes), 1 (a scalar) or the trailing size of x (a bias, zlen a multiple of 4).
 * Elementwise IEEE operations: the same bits as any other correct implementation.
 */
function binaryOp(name, vop, sop) {
  return `
(func $${name} (export "${name}") (param $x i32) (param $z i32) (param $y i32) (param $n i32) (param $zlen i32)
  (local $i i32) (local $j i32) (local $zs v128) (local $end i32)
  (if (i32.eq ${lg('zlen')} (i32.const 1))
    (then
      (local.set $zs (v128.load32_splat ${lg('z')}))
      (local.set $end (i32.add ${lg('x')} (i32.shl (i32.and ${lg('n')} (i32.const -4)) (i32.const 2))))
      (block $v4end (loop $v4loop
        (br_if $v4end (i32.gt_u (i32.add ${lg('x')} (i32.const 64)) ${lg('end')}))
        ${range(4)
          .map(
            (u) =>
              `(v128.store offset=${u * 16} ${lg('y')} (${vop} (v128.load offset=${u * 16} ${lg('x')}) ${lg('zs')}))`,
          )
          .join('\n')}
        (local.set $x (i32.add ${lg('x')} (i32.const 64)))
        (local.set $y (i32.add ${lg('y')} (i32.const 64)))
        (br $v4loop)))
      (block $vend (loop $vloop
        (br_if $vend (i32.ge_u ${lg('x')} ${lg('end')}))
        (v128.store ${lg('y')} (${vop} (v128.load ${lg('x')}) ${lg('zs')}))
        (local.set $x (i32.add ${lg('x')} (i32.const 16)))
        (local.set $y (i32.add ${lg('y')} (i32.const 16)))
        (br $vloop)))
      (local.set $i (i32.and ${lg('n')} (i32.const 3)))
      (block $tend (loop $tloop
        (br_if $tend (i32.eqz ${lg('i')}))
        (f32.store ${lg('y')} (${sop} (f32.load ${lg('x')}) (f32.load ${lg('z')})))
        (local.set $x (i32.add ${lg('x')} (i32.const 4)))
        (local.set $y (i32.add ${lg('y')} (i32.const 4)))
        (local.set $i (i32.sub ${lg('i')} (i32.const 1)))
        (br $tloop))))
    (else
      (local.set $i (i32.const 0))
      (block $oend (loop $oloop
        (br_if $oend (i32.ge_u ${lg('i')} ${lg('n')}))
        (local.set $j (i32.const 0))
        ;; 4 vectors a step: one test per 64 bytes (a one-vector loop was loop-bound, not memory-bound)
        (block $i4end (loop $i4loop
          (br_if $i4end (i32.gt_u (i32.add ${lg('j')} (i32.const 16)) ${lg('zlen')}))
          ${range(4)
            .map(
              (u) =>
                `(v128.store offset=${u * 16} ${lg('y')} (${vop} (v128.load offset=${u * 16} ${lg('x')}) (v128.load offset=${u * 16} (i32.add ${lg('z')} (i32.shl ${lg('j')} (i32.const 2))))))`,
            )
            .join('\n')}
          (local.set $x (i32.add ${lg('x')} (i32.const 64)))
          (local.set $y (i32.add ${lg('y')} (i32.const 64)))
          (local.set $j (i32.add ${lg('j')} (i32.const 16)))
          (br $i4loop)))
        (block $iend (loop $iloop
          (br_if $iend (i32.gt_u (i32.add ${lg('j')} (i32.const 4)) ${lg('zlen')}))
          (v128.store ${lg('y')} (${vop} (v128.load ${lg('x')}) (v128.load (i32.add ${lg('z')} (i32.shl ${lg('j')} (i32.const 2))))))
          (local.set $x (i32.add ${lg('x')} (i32.const 16)))
          (local.set $y (i32.add ${lg('y')} (i32.const 16)))
          (local.set $j (i32.add ${lg('j')} (i32.const 4)))
          (br $iloop)))
        (block $send (loop $sloop
          (br_if $send (i32.ge_u ${lg('j')} ${lg('zlen')}))
          (f32.store ${lg('y')} (${sop} (f32.load ${lg('x')}) (f32.load (i32.add ${lg('z')} (i32.shl ${lg('j')} (i32.const 2))))))
          (local.set $x (i32.add ${lg('x')} (i32.const 4)))
          (local.set $y (i32.add ${lg('y')} (i32.const 4)))
          (local.set $j (i32.add ${lg('j')} (i32.const 1)))
          (br $sloop)))
        (local.set $i (i32.add ${lg('i')} ${lg('zlen')}))
        (br $oloop))))))`;
}

/**
 * `<name>(x, y, n, alpha)`: y[i] = f(x[i]): 4 vectors a step (one pointer test per 64 bytes: the
 * loop, not memory, bounded a one-vector loop), then single vectors, then a scalar tail;
 * `vexpr`/`sexpr` read $v/$s.
 */
function unaryOp(name, vexpr, sexpr) {
  const at = (u) => `(local.set $v (v128.load offset=${u * 16} ${lg('x')}))
    (v128.store offset=${u * 16} ${lg('y')} ${vexpr})`;
  return `
(func $${name} (export "${name}") (param $x i32) (param $y i32) (param $n i32) (param $alpha f32)
  (local $v v128) (local $s f32) (local $end i32) (local $va v128)
  (local.set $va (f32x4.splat ${lg('alpha')}))
  (local.set $end (i32.add ${lg('x')} (i32.shl (i32.and ${lg('n')} (i32.const -4)) (i32.const 2))))
  (block $v4end (loop $v4loop
    (br_if $v4end (i32.gt_u (i32.add ${lg('x')} (i32.const 64)) ${lg('end')}))
    ${range(4).map(at).join('\n')}
    (local.set $x (i32.add ${lg('x')} (i32.const 64)))
    (local.set $y (i32.add ${lg('y')} (i32.const 64)))
    (br $v4loop)))
  (block $vend (loop $vloop
    (br_if $vend (i32.ge_u ${lg('x')} ${lg('end')}))
    ${at(0)}
    (local.set $x (i32.add ${lg('x')} (i32.const 16)))
    (local.set $y (i32.add ${lg('y')} (i32.const 16)))
    (br $vloop)))
  (local.set $n (i32.and ${lg('n')} (i32.const 3)))
  (block $tend (loop $tloop
    (br_if $tend (i32.eqz ${lg('n')}))
    (local.set $s (f32.load ${lg('x')}))
    (f32.store ${lg('y')} ${sexpr})
    (local.set $x (i32.add ${lg('x')} (i32.const 4)))
    (local.set $y (i32.add ${lg('y')} (i32.const 4)))
    (local.set $n (i32.sub ${lg('n')} (i32.const 1)))
    (br $tloop))))`;
}

// relu: IEEE max(x, 0) - NaN stays NaN, -0 becomes +0 - the stock wasm kernel's bits exactly. In
// vectors as x with the lanes where x <= 0 (-0 included) cleared: the same bits as f32x4.max with
// 0 (NaN compares false, so it is kept), in two instructions where V8 compiles f32x4.max to a
// NaN-safe sequence of about eight.
const reluOp = unaryOp(
  'relu',
  `(v128.andnot ${lg('v')} (f32x4.le ${lg('v')} (v128.const i32x4 0 0 0 0)))`,
  `(f32.max ${lg('s')} (f32.const 0))`,
);

// floor: IEEE roundTowardNegative (exact; dropout's mask is floor(u + keepProb)).
const floorOp = unaryOp('floor', `(f32x4.floor ${lg('v')})`, `(f32.floor ${lg('s')})`);

/**
 * `adam(w, m, v, g, ow, om, ov, n, beta1, oneMinusBeta1, beta2, oneMinusBeta2, oneMinusAccBeta1,
 * oneMinusAccBeta2, epsilon, negLr, keep, decay)`: one pass of tfjs's Adam update over n floats,
 * into new arrays ow, om, ov: with `decay` != 0 first w = w * keep (AdamW's decoupled decay), then
 *   m' = m * beta1 + g * oneMinusBeta1;  v' = v * beta2 + (g * g) * oneMinusBeta2
 *   w' = ((m' / oneMinusAccBeta1) / (sqrt(v' / oneMinusAccBeta2) + epsilon)) * negLr + w
 * each operation a float32 multiply, add, divide or square root in tfjs's order (correctly rounded
 * and never fused, not even in the fma build), so the result has tfjs's ops' bits. The divisions
 * bound it (three and a square root per vector), so once `oneMinusAccBeta1` is exactly 1 (float32
 * `1 - 0.9^t` is from step 165 on) the loop drops `m' / 1`, which is m' itself to the bit.
 */
/**
 * `x / c` lane by lane, for a float32 vector x and a float32 constant c whose float64 reciprocal
 * RN64(1 / c) is splatted in `recip`: float32(float64(x) * recip), the bits of `f32x4.div x c` without
 * the divider (Adam's three divisions and a square root kept the divider busy: 28-29 GB/s, divider-
 * bound on an AMD EPYC). Exact because the product is within 2^-52 (relative) of x / c, while x / c
 * is never a float32 rounding midpoint and never closer to one than 2^-49: x = X * 2^a and c = C * 2^b
 * with 24-bit X and C, a midpoint m = M * 2^e with odd 25-bit M, so x - c * m is a nonzero multiple of
 * 2^min(a, b + e) against c * m < 2^(49 + b + e); rounding to float32 then lands where the quotient
 * would (subnormal and overflowing quotients alike, the grid being the same). 0, infinities and NaN
 * go through float64 as through the division (0 / 0 and Infinity / Infinity are 0 * Infinity).
 */
const divideExactly = (x, recip) => `(i8x16.shuffle ${lanes(0, 1, 4, 5)}
        (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.promote_low_f32x4 ${x}) ${recip}))
        (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle ${lanes(2, 3, 2, 3)} ${x} ${x})) ${recip})))`;

function adam() {
  const params = [
    'beta1',
    'oneMinusBeta1',
    'beta2',
    'oneMinusBeta2',
    'oneMinusAccBeta1',
    'oneMinusAccBeta2',
    'epsilon',
    'negLr',
    'keep',
  ];
  const vector = (decay, unbiasM) => `
      (local.set $gv (v128.load ${lg('g')}))
      (local.set $mv (f32x4.add (f32x4.mul (v128.load ${lg('m')}) ${lg('vbeta1')}) (f32x4.mul ${lg('gv')} ${lg('voneMinusBeta1')})))
      (local.set $vv (f32x4.add (f32x4.mul (v128.load ${lg('v')}) ${lg('vbeta2')}) (f32x4.mul (f32x4.mul ${lg('gv')} ${lg('gv')}) ${lg('voneMinusBeta2')})))
      (v128.store ${lg('om')} ${lg('mv')})
      (v128.store ${lg('ov')} ${lg('vv')})
      (local.set $wv ${decay ? `(f32x4.mul (v128.load ${lg('w')}) ${lg('vkeep')})` : `(v128.load ${lg('w')})`})
      (v128.store ${lg('ow')} (f32x4.add (f32x4.mul (f32x4.div ${unbiasM ? divideExactly(lg('mv'), lg('recip1V')) : lg('mv')} (f32x4.add (f32x4.sqrt ${divideExactly(lg('vv'), lg('recip2V'))}) ${lg('vepsilon')})) ${lg('vnegLr')}) ${lg('wv')}))`;
  const scalar = `
      (local.set $gs (f32.load ${lg('g')}))
      (local.set $ms (f32.add (f32.mul (f32.load ${lg('m')}) ${lg('beta1')}) (f32.mul ${lg('gs')} ${lg('oneMinusBeta1')})))
      (local.set $vs (f32.add (f32.mul (f32.load ${lg('v')}) ${lg('beta2')}) (f32.mul (f32.mul ${lg('gs')} ${lg('gs')}) ${lg('oneMinusBeta2')})))
      (f32.store ${lg('om')} ${lg('ms')})
      (f32.store ${lg('ov')} ${lg('vs')})
      (local.set $ws (f32.load ${lg('w')}))
      (if ${lg('decay')} (then (local.set $ws (f32.mul ${lg('ws')} ${lg('keep')}))))
      (f32.store ${lg('ow')} (f32.add (f32.mul (f32.div (f32.div ${lg('ms')} ${lg('oneMinusAccBeta1')}) (f32.add (f32.sqrt (f32.div ${lg('vs')} ${lg('oneMinusAccBeta2')})) ${lg('epsilon')})) ${lg('negLr')}) ${lg('ws')}))`;
  const bump = (bytes) =>
    ['w', 'm', 'v', 'g', 'ow', 'om', 'ov']
      .map((p) => `(local.set $${p} (i32.add ${lg(p)} (i32.const ${bytes})))`)
      .join(' ');
  const vectorLoop = (decay, unbiasM, label) => `
    (block $${label}end (loop $${label}loop
      (br_if $${label}end (i32.ge_u ${lg('g')} ${lg('end')}))
      ${vector(decay, unbiasM)}
      ${bump(16)}
      (br $${label}loop)))`;
  return `
(func $adam (export "adam") (param $w i32) (param $m i32) (param $v i32) (param $g i32) (param $ow i32) (param $om i32) (param $ov i32) (param $n i32)
  ${params.map((p) => `(param $${p} f32)`).join(' ')} (param $decay i32) (param $recip1 f64) (param $recip2 f64)
  ${params.map((p) => `(local $v${p} v128)`).join(' ')} (local $recip1V v128) (local $recip2V v128)
  (local $gv v128) (local $mv v128) (local $vv v128) (local $wv v128)
  (local $gs f32) (local $ms f32) (local $vs f32) (local $ws f32) (local $end i32)
  ${params.map((p) => `(local.set $v${p} (f32x4.splat ${lg(p)}))`).join(' ')}
  (local.set $recip1V (f64x2.splat ${lg('recip1')}))
  (local.set $recip2V (f64x2.splat ${lg('recip2')}))
  (local.set $end (i32.add ${lg('g')} (i32.shl (i32.and ${lg('n')} (i32.const -4)) (i32.const 2))))
  (if (f32.eq ${lg('oneMinusAccBeta1')} (f32.const 1))
    (then (if ${lg('decay')}
      (then ${vectorLoop(true, false, 'd1')})
      (else ${vectorLoop(false, false, 'p1')})))
    (else (if ${lg('decay')}
      (then ${vectorLoop(true, true, 'd')})
      (else ${vectorLoop(false, true, 'p')}))))
  (local.set $n (i32.and ${lg('n')} (i32.const 3)))
  (block $tend (loop $tloop
    (br_if $tend (i32.eqz ${lg('n')}))
    ${scalar}
    ${bump(4)}
    (local.set $n (i32.sub ${lg('n')} (i32.const 1)))
    (br $tloop))))`;
}

/**
 * `relu_grad(x, dy, y, n)`: y[i] = dy[i] * step(x[i]), step as tfjs's `Step` with alpha 0 (1 where
 * x > 0, NaN where x is NaN, else 0): tfjs's relu gradient `dy * cast(step(x))` in one pass, the
 * same product, 4 vectors a step.
 */
function reluGrad() {
  const at = (u) => `(local.set $v (v128.load offset=${u * 16} ${lg('x')}))
    (v128.store offset=${u * 16} ${lg('y')} (f32x4.mul (v128.load offset=${u * 16} ${lg('dy')}) ${reluStep(lg('v'), lg('one'))}))`;
  const bump = (bytes) =>
    ['x', 'dy', 'y'].map((p) => `(local.set $${p} (i32.add ${lg(p)} (i32.const ${bytes})))`).join(' ');
  const held = heldConstants(lg('n'));
  return `
(func $relu_grad (export "relu_grad") (param $x i32) (param $dy i32) (param $y i32) (param $n i32)
  (local $v v128) (local $s f32) (local $end i32) ${held.locals}
  ${held.init}
  (local.set $end (i32.add ${lg('x')} (i32.shl (i32.and ${lg('n')} (i32.const -4)) (i32.const 2))))
  (block $v4end (loop $v4loop
    (br_if $v4end (i32.gt_u (i32.add ${lg('x')} (i32.const 64)) ${lg('end')}))
    ${range(4).map(at).join('\n')}
    ${bump(64)}
    (br $v4loop)))
  (block $vend (loop $vloop
    (br_if $vend (i32.ge_u ${lg('x')} ${lg('end')}))
    ${at(0)}
    ${bump(16)}
    (br $vloop)))
  (local.set $n (i32.and ${lg('n')} (i32.const 3)))
  (block $tend (loop $tloop
    (br_if $tend (i32.eqz ${lg('n')}))
    (local.set $s (f32.load ${lg('x')}))
    (f32.store ${lg('y')} (f32.mul (f32.load ${lg('dy')}) (select ${lg('s')} (select (f32.const 1) (f32.const 0) (f32.gt ${lg('s')} (f32.const 0))) (f32.ne ${lg('s')} ${lg('s')}))))
    ${bump(4)}
    (local.set $n (i32.sub ${lg('n')} (i32.const 1)))
    (br $tloop))))`;
}

/**
 * `scaled_add(a, b, y, n, alpha, beta)`: y[i] = a[i] * alpha + b[i] * beta for n floats: two
 * float32 products and their sum, never fused (the gradient threads' slices weighted by their
 * rows, as tfjs's `add(mul(a, alpha), mul(b, beta))` computes them).
 */
function scaledAdd() {
  return `
(func $scaled_add (export "scaled_add") (param $a i32) (param $b i32) (param $y i32) (param $n i32) (param $alpha f32) (param $beta f32)
  (local $va v128) (local $vb v128) (local $end i32)
  (local.set $va (f32x4.splat ${lg('alpha')}))
  (local.set $vb (f32x4.splat ${lg('beta')}))
  (local.set $end (i32.add ${lg('a')} (i32.shl (i32.and ${lg('n')} (i32.const -4)) (i32.const 2))))
  (block $vend (loop $vloop
    (br_if $vend (i32.ge_u ${lg('a')} ${lg('end')}))
    (v128.store ${lg('y')} (f32x4.add (f32x4.mul (v128.load ${lg('a')}) ${lg('va')}) (f32x4.mul (v128.load ${lg('b')}) ${lg('vb')})))
    (local.set $a (i32.add ${lg('a')} (i32.const 16)))
    (local.set $b (i32.add ${lg('b')} (i32.const 16)))
    (local.set $y (i32.add ${lg('y')} (i32.const 16)))
    (br $vloop)))
  (local.set $n (i32.and ${lg('n')} (i32.const 3)))
  (block $tend (loop $tloop
    (br_if $tend (i32.eqz ${lg('n')}))
    (f32.store ${lg('y')} (f32.add (f32.mul (f32.load ${lg('a')}) ${lg('alpha')}) (f32.mul (f32.load ${lg('b')}) ${lg('beta')})))
    (local.set $a (i32.add ${lg('a')} (i32.const 4)))
    (local.set $b (i32.add ${lg('b')} (i32.const 4)))
    (local.set $y (i32.add ${lg('y')} (i32.const 4)))
    (local.set $n (i32.sub ${lg('n')} (i32.const 1)))
    (br $tloop))))`;
}

/**
 * Alea chains the vector dropout loop runs side by side, two to an f64x2 vector. Measured on an AMD
 * EPYC (Node 24), 4, 6 and 8 chains ran alike, about 0.55 ns a value; 12 spilled and were slower.
 */
export const DROPOUT_CHAINS = 8;
const DROPOUT_VECTORS = DROPOUT_CHAINS / 2;

/**
 * One step of Baagoe's Alea generator as seedrandom's `alea` writes it in JavaScript:
 *   t = 2091639 * s0 + c * 2^-32;  s0 = s1;  s1 = s2;  c = t | 0;  s2 = t - c
 * on float64 values `t`, `c` (locals named by `t`, `c`) from the product `as0` = 2091639 * s0,
 * leaving the new s2 in `s`. Every value is exact: s0 has 32 fraction bits and c fewer than 21
 * integer bits, so 2091639 * s0 + c * 2^-32 fits in float64's 53 and neither the product nor the
 * sum rounds, which is also why a fused multiply-add gives the same bits as the two operations.
 * `t` is in [0, 2091640), so `t | 0` is truncation.
 */
function aleaStep({ type, fma, as0, t, c, s }) {
  const sum =
    fma && type === 'f64x2'
      ? `(f64x2.relaxed_madd ${lg(c)} ${lg('wordV')} ${as0})`
      : type === 'f64x2'
        ? `(f64x2.add ${as0} (f64x2.mul ${lg(c)} ${lg('wordV')}))`
        : `(f64.add ${as0} (f64.mul ${lg(c)} (f64.const 0x1p-32)))`;
  return `
    (local.set $${t} ${sum})
    (local.set $${c} (${type}.trunc ${lg(t)}))
    (local.set $${s} (${type}.sub ${lg(t)} ${lg(c)}))`;
}

/**
 * `dropout(x, y, mask, n, chunk, states, keep, scale, threshold)`: n values of Baagoe's Alea
 * generator (the generator tfjs's `randomUniform` uses, through seedrandom), each rounded to float32
 * as a Float32Array store does, give mask[i] = floor(u + keep) * scale and y[i] = x[i] * mask[i].
 * u + keep is in [0, 2), so floor(u + keep) * scale, with scale float32(1 / keep), is scale where
 * u + keep >= 1 and +0 elsewhere: tfjs's `floor(u + keep) / keep` to the bit. Rounding and adding
 * are monotonic, so u + keep >= 1 holds exactly for the generator's values (float64, before
 * rounding) at or above one `threshold` (the caller's, `dropoutThreshold`): the vector loop
 * compares each value with it, the tail computes u + keep.
 *
 * Each value needs the carry of the one before, so one generator is one serial chain of about ten
 * cycles a value. The caller splits the array instead: chain j of `DROPOUT_CHAINS` writes the
 * `chunk` values (a multiple of 4) from element j * chunk on, starting from the state the
 * generator has there (Alea is a multiply-with-carry generator, so that state is a modular power
 * away from the first: see alea-jump.ts); the chains run side by side, two to an f64x2
 * vector, four steps at a time so each chain's four values leave as one f32x4. The values from
 * DROPOUT_CHAINS * chunk to n follow one at a time. `states` (8-byte aligned) holds, as float64,
 * for each vector v the pairs s0, s1, s2, c of chains 2v and 2v + 1 (64 bytes a vector), then the
 * tail's s0, s1, s2, c.
 */
function dropout({ fma }) {
  const V = DROPOUT_VECTORS;
  const perVector = ['s0', 's1', 's2', 'c', 't', 'as0', 'd0', 'd1', 'd2', 'd3'];
  const vectorLocals = range(V)
    .flatMap((v) => perVector.map((name) => `(local $${name}_${v} v128)`))
    .join(' ');
  const chainLocals = range(DROPOUT_CHAINS)
    .map((j) => `(local $at${j} i32)`)
    .join(' ');
  const at = (j) => lg(`at${j}`);
  const stateOffset = (v, i) => (v * 4 + i) * 16;
  const loadStates = range(V)
    .flatMap((v) =>
      ['s0', 's1', 's2', 'c'].map(
        (name, i) => `(local.set $${name}_${v} (v128.load offset=${stateOffset(v, i)} ${lg('states')}))`,
      ),
    )
    .join('\n    ');
  // Step k of all vectors, s0 <- s1 <- s2, and whether each value keeps its element (s2 at or
  // above the threshold: all ones in both halves of its float64 lane) into d<k>. After steps 1 and
  // 3 the two steps' masks are interleaved into one vector (d0, d2), one 32-bit lane a value, so
  // that no more than one of them per vector waits in a register.
  const step = (k) =>
    range(V)
      .map(
        (v) => `
    (local.set $as0_${v} (f64x2.mul ${lg('aV')} ${lg(`s0_${v}`)}))
    (local.set $s0_${v} ${lg(`s1_${v}`)})
    (local.set $s1_${v} ${lg(`s2_${v}`)})${aleaStep({ type: 'f64x2', fma, as0: lg(`as0_${v}`), t: `t_${v}`, c: `c_${v}`, s: `s2_${v}` })}
    (local.set $d${k}_${v} (f64x2.ge ${lg(`s2_${v}`)} ${lg('thresholdV')}))${
      k % 2 === 1
        ? `
    (local.set $d${k - 1}_${v} (i8x16.shuffle ${lanes(0, 5, 2, 7)} ${lg(`d${k - 1}_${v}`)} ${lg(`d${k}_${v}`)}))`
        : ''
    }`,
      )
      .join('');
  // The four steps' masks of chains 2v and 2v + 1, as one vector each: floor(u + keep) * scale is
  // scale's bits where the value kept its element and zero elsewhere.
  const store = (j, keeps) => `
    (local.set $m (v128.and ${keeps} ${lg('scaleV')}))
    (v128.store (i32.add ${at(j)} ${lg('toMask')}) ${lg('m')})
    (v128.store (i32.add ${at(j)} ${lg('toY')}) (f32x4.mul (v128.load ${at(j)}) ${lg('m')}))
    (local.set $at${j} (i32.add ${at(j)} (i32.const 16)))`;
  const stores = range(V)
    .map(
      (v) =>
        `${store(2 * v, `(i8x16.shuffle ${lanes(0, 1, 4, 5)} ${lg(`d0_${v}`)} ${lg(`d2_${v}`)})`)}${store(2 * v + 1, `(i8x16.shuffle ${lanes(2, 3, 6, 7)} ${lg(`d0_${v}`)} ${lg(`d2_${v}`)})`)}`,
    )
    .join('');
  const tail = V * 64;
  return `
(func $dropout (export "dropout") (param $x i32) (param $y i32) (param $mask i32) (param $n i32) (param $chunk i32) (param $states i32) (param $keep f32) (param $scale f32) (param $threshold f64)
  (local $toY i32) (local $toMask i32) (local $chunkEnd i32) (local $end i32) (local $m v128) (local $thresholdV v128) (local $scaleV v128) (local $aV v128) (local $wordV v128)
  (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $c f64) (local $t f64) (local $ms f32)
  ${vectorLocals}
  ${chainLocals}
  ;; y and mask are addressed from x's position: at + toY, at + toMask.
  (local.set $toY (i32.sub ${lg('y')} ${lg('x')}))
  (local.set $toMask (i32.sub ${lg('mask')} ${lg('x')}))
  (local.set $thresholdV (f64x2.splat ${lg('threshold')}))
  (local.set $scaleV (f32x4.splat ${lg('scale')}))
  ;; Constants in locals: V8 materializes a v128.const at each use, inside the loop too.
  (local.set $aV (v128.const f64x2 2091639 2091639))
  (local.set $wordV (v128.const f64x2 0x1p-32 0x1p-32))
  (if (i32.gt_u ${lg('chunk')} (i32.const 0)) (then
    ${loadStates}
    ${range(DROPOUT_CHAINS)
      .map((j) => `(local.set $at${j} (i32.add ${lg('x')} (i32.mul ${lg('chunk')} (i32.const ${4 * j}))))`)
      .join('\n    ')}
    (local.set $chunkEnd (i32.add ${lg('x')} (i32.shl ${lg('chunk')} (i32.const 2))))
    (loop $steps
      ${range(4).map(step).join('')}
      ${stores}
      (br_if $steps (i32.lt_u ${at(0)} ${lg('chunkEnd')}))))) 
  ;; The values after the chains' chunks, one at a time from the tail's state.
  (local.set $s0 (f64.load offset=${tail} ${lg('states')}))
  (local.set $s1 (f64.load offset=${tail + 8} ${lg('states')}))
  (local.set $s2 (f64.load offset=${tail + 16} ${lg('states')}))
  (local.set $c (f64.load offset=${tail + 24} ${lg('states')}))
  (local.set $x (i32.add ${lg('x')} (i32.shl (i32.mul ${lg('chunk')} (i32.const ${DROPOUT_CHAINS})) (i32.const 2))))
  (local.set $end (i32.add ${lg('x')} (i32.shl (i32.sub ${lg('n')} (i32.mul ${lg('chunk')} (i32.const ${DROPOUT_CHAINS}))) (i32.const 2))))
  (block $done (loop $next
    (br_if $done (i32.ge_u ${lg('x')} ${lg('end')}))
    (local.set $t (f64.mul (f64.const 2091639) ${lg('s0')}))
    (local.set $s0 ${lg('s1')})
    (local.set $s1 ${lg('s2')})${aleaStep({ type: 'f64', fma, as0: lg('t'), t: 't', c: 'c', s: 's2' })}
    (local.set $ms (f32.mul (f32.floor (f32.add (f32.demote_f64 ${lg('s2')}) ${lg('keep')})) ${lg('scale')}))
    (f32.store (i32.add ${lg('x')} ${lg('toMask')}) ${lg('ms')})
    (f32.store (i32.add ${lg('x')} ${lg('toY')}) (f32.mul (f32.load ${lg('x')}) ${lg('ms')}))
    (local.set $x (i32.add ${lg('x')} (i32.const 4)))
    (br $next))))`;
}

/**
 * The module text of one build. `fma`: relaxed SIMD multiply-adds; `shared`: import a shared memory
 * (tfjs's threaded build, in cross-origin isolated pages).
 */
export function kernelsWat({ fma, shared }) {
  const memory = shared ? '(memory 1 65536 shared)' : '(memory 1)';
  return `(module
(import "env" "memory" ${memory})
${TILES.map((tile) => tileKernels(tile)(fma)).join('\n')}
${packB()}
${copyOrZero()}
${im2colRows()}
${convTapTable()}
${packBIm2col()}
${padC1()}
${TILES.map((tile) => convC1(fma, tile)).join('\n')}
${convC1FilterGrad(fma)}
${copyF32()}
${colSum()}
${maxPool2x2()}
${maxPool2x2Grad({ relu: false })}
${maxPool2x2Grad({ relu: true })}
${reluGradOutsidePool()}
${fillZero()}
${binaryOp('add', 'f32x4.add', 'f32.add')}
${binaryOp('mul', 'f32x4.mul', 'f32.mul')}
${reluOp}
${floorOp}
${adam()}
${scaledAdd()}
${reluGrad()}
${dropout({ fma })}
)`;
}

/** The builds this package ships, by name. */
export const builds = [
  { name: 'fma', fma: true, shared: false },
  { name: 'simd128', fma: false, shared: false },
  { name: 'fmaShared', fma: true, shared: true },
  { name: 'simd128Shared', fma: false, shared: true },
];
