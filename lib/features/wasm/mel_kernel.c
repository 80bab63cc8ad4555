// Fast log-mel spectrogram and DCT kernel for lib/features (librosa
// flavour), in float64 WebAssembly SIMD. Two frames are processed at once,
// one per f64x2 lane, so every step is the plain scalar algorithm.
//
// Build: deno task build:wasm mel_kernel  (writes mel_kernel_wasm.ts)
// All tables (window, twiddles, bit reversal, mel weights, DCT matrix) are
// computed by the TypeScript side and copied in, so both paths share them.
#include <wasm_simd128.h>
#include <stdint.h>

typedef v128_t v;

#define ADD wasm_f64x2_add
#define SUB wasm_f64x2_sub
#define MUL wasm_f64x2_mul
#define SPLAT wasm_f64x2_splat

// Complex FFT of size m (a power of two ≥ 4) in place on split re/im arrays
// whose input is already in bit-reversed order; tw_re/tw_im hold
// e^{-2πij/m}, j < m/2. Radix-2 DIT stages, fused two at a time (one pass
// over memory per pair of stages); the first pass has trivial twiddles.
static void fft_pairs(v *re, v *im, int m, const double *tw_re,
                      const double *tw_im) {
  int stages = 0;
  while ((1 << stages) < m) stages++;
  int q;  // a fused pass joins the stages of size 2q and 4q
  if (stages & 1) {
    // Odd count: one plain size-2 stage first.
    for (int a = 0; a < m; a += 2) {
      v xr = re[a + 1], xi = im[a + 1];
      re[a + 1] = SUB(re[a], xr);
      im[a + 1] = SUB(im[a], xi);
      re[a] = ADD(re[a], xr);
      im[a] = ADD(im[a], xi);
    }
    q = 2;
  } else {
    // Sizes 2 and 4: twiddles 1 and −i, no multiplications.
    for (int a = 0; a < m; a += 4) {
      v x0r = re[a], x0i = im[a], x1r = re[a + 1], x1i = im[a + 1];
      v x2r = re[a + 2], x2i = im[a + 2], x3r = re[a + 3], x3i = im[a + 3];
      v y0r = ADD(x0r, x1r), y0i = ADD(x0i, x1i);
      v y1r = SUB(x0r, x1r), y1i = SUB(x0i, x1i);
      v y2r = ADD(x2r, x3r), y2i = ADD(x2i, x3i);
      v y3r = SUB(x2r, x3r), y3i = SUB(x2i, x3i);
      re[a] = ADD(y0r, y2r);
      im[a] = ADD(y0i, y2i);
      re[a + 2] = SUB(y0r, y2r);
      im[a + 2] = SUB(y0i, y2i);
      re[a + 1] = ADD(y1r, y3i);
      im[a + 1] = SUB(y1i, y3r);
      re[a + 3] = SUB(y1r, y3i);
      im[a + 3] = ADD(y1i, y3r);
    }
    q = 4;
  }
  for (; 2 * q <= m; q *= 4) {
    int s1 = m / (2 * q);  // twiddle stride of the size-2q stage
    int s2 = m / (4 * q);  // … and of the size-4q stage
    for (int j = 0; j < q; j++) {
      v w1r = SPLAT(tw_re[j * s1]), w1i = SPLAT(tw_im[j * s1]);
      v w2r = SPLAT(tw_re[j * s2]), w2i = SPLAT(tw_im[j * s2]);
      for (int a = j; a < m; a += 4 * q) {
        int b = a + q, c = a + 2 * q, d = a + 3 * q;
        v x0r = re[a], x0i = im[a];
        v x2r = re[c], x2i = im[c];
        // t1 = w1·x1, t3 = w1·x3
        v t1r = SUB(MUL(re[b], w1r), MUL(im[b], w1i));
        v t1i = ADD(MUL(re[b], w1i), MUL(im[b], w1r));
        v t3r = SUB(MUL(re[d], w1r), MUL(im[d], w1i));
        v t3i = ADD(MUL(re[d], w1i), MUL(im[d], w1r));
        v y0r = ADD(x0r, t1r), y0i = ADD(x0i, t1i);
        v y1r = SUB(x0r, t1r), y1i = SUB(x0i, t1i);
        v y2r = ADD(x2r, t3r), y2i = ADD(x2i, t3i);
        v y3r = SUB(x2r, t3r), y3i = SUB(x2i, t3i);
        // u2 = w2·y2, u3 = w2·y3 (then × −i for the odd pair)
        v u2r = SUB(MUL(y2r, w2r), MUL(y2i, w2i));
        v u2i = ADD(MUL(y2r, w2i), MUL(y2i, w2r));
        v u3r = SUB(MUL(y3r, w2r), MUL(y3i, w2i));
        v u3i = ADD(MUL(y3r, w2i), MUL(y3i, w2r));
        re[a] = ADD(y0r, u2r);
        im[a] = ADD(y0i, u2i);
        re[c] = SUB(y0r, u2r);
        im[c] = SUB(y0i, u2i);
        re[b] = ADD(y1r, u3i);
        im[b] = SUB(y1i, u3r);
        re[d] = SUB(y1r, u3i);
        im[d] = ADD(y1i, u3r);
      }
    }
  }
}

// Natural log of positive normal doubles, two at a time (|rel err| < 1e-13):
// x = 2^e·m with m in [√½, √2), ln m = 2·atanh(s), s = (m−1)/(m+1),
// |s| < 0.172, atanh series to s^15.
static v log_pair(v x) {
  // The biased exponent as a double: OR its bits into 2^52's mantissa.
  v ebits = wasm_v128_or(wasm_u64x2_shr(x, 52), wasm_i64x2_splat(0x4330000000000000LL));
  v ef = SUB(ebits, SPLAT(4503599627370496.0 + 1023.0));
  v mant = wasm_v128_or(wasm_v128_and(x, wasm_i64x2_splat(0x000FFFFFFFFFFFFFLL)),
                        wasm_i64x2_splat(0x3FF0000000000000LL));
  v big = wasm_f64x2_gt(mant, SPLAT(1.4142135623730951));
  mant = wasm_v128_bitselect(MUL(mant, SPLAT(0.5)), mant, big);
  ef = ADD(ef, wasm_v128_and(big, SPLAT(1.0)));
  v s = wasm_f64x2_div(SUB(mant, SPLAT(1.0)), ADD(mant, SPLAT(1.0)));
  v s2 = MUL(s, s);
  v p = SPLAT(1.0 / 15);
  p = ADD(MUL(p, s2), SPLAT(1.0 / 13));
  p = ADD(MUL(p, s2), SPLAT(1.0 / 11));
  p = ADD(MUL(p, s2), SPLAT(1.0 / 9));
  p = ADD(MUL(p, s2), SPLAT(1.0 / 7));
  p = ADD(MUL(p, s2), SPLAT(1.0 / 5));
  p = ADD(MUL(p, s2), SPLAT(1.0 / 3));
  p = ADD(MUL(p, s2), SPLAT(1.0));
  v lnm = MUL(ADD(s, s), p);
  v ln2hi = SPLAT(6.93147180369123816490e-01);
  v ln2lo = SPLAT(1.90821492927058770002e-10);
  return ADD(MUL(ef, ln2hi), ADD(MUL(ef, ln2lo), lnm));
}

// Mel spectrogram in dB (frames × n_mels, float64) of a zero-padded float32
// signal: librosa's power_to_db(ref=1, amin) before top_db clipping. Frame
// t starts at padded[t * hop] and is n_fft samples long. Returns the max.
//   window[n_fft]              analysis window (zero outside the support)
//   tw_re/tw_im[n_fft/4]       e^{-2πij/(n_fft/2)}
//   post_re/post_im[n_fft/2+1] e^{-2πik/n_fft}
//   bitrev[n_fft/2]            bit reversal of log2(n_fft/2) bits
//   starts/offsets/weights     sparse mel filter bank
//   scratch                    ≥ 3 × (n_fft/2 + 1) v128 values
double mel_db(const float *padded, int frames, int hop, int n_fft,
              const double *window, const double *tw_re, const double *tw_im,
              const double *post_re, const double *post_im,
              const int32_t *bitrev, int n_mels, const int32_t *starts,
              const int32_t *offsets, const double *weights, double amin,
              double *out, v *scratch) {
  int m = n_fft >> 1;
  v *re = scratch;
  v *im = scratch + m;
  v *pw = scratch + 2 * m;
  v half = SPLAT(0.5);
  v vmin = SPLAT(amin);
  v db_scale = SPLAT(4.3429448190325182765);  // 10 / ln 10
  v vmax = SPLAT(-1.0 / 0.0);
  for (int t0 = 0; t0 < frames; t0 += 2) {
    int t1 = t0 + 1 < frames ? t0 + 1 : t0;
    const float *x0 = padded + (long)t0 * hop;
    const float *x1 = padded + (long)t1 * hop;
    for (int n = 0; n < m; n++) {
      // (even, odd) samples of each frame widened to f64 and regrouped so
      // that each lane holds one frame: re = even samples, im = odd ones.
      v a = wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(x0 + 2 * n));
      v b = wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(x1 + 2 * n));
      int r = bitrev[n];
      re[r] = MUL(wasm_i64x2_shuffle(a, b, 0, 2),
                  wasm_v128_load64_splat(window + 2 * n));
      im[r] = MUL(wasm_i64x2_shuffle(a, b, 1, 3),
                  wasm_v128_load64_splat(window + 2 * n + 1));
    }
    fft_pairs(re, im, m, tw_re, tw_im);
    // Spectrum of the real frame from the half-size complex one.
    for (int k = 0; k <= m; k++) {
      int ka = k == m ? 0 : k;
      int kb = k == 0 ? 0 : m - k;
      v ar = re[ka], ai = im[ka], br = re[kb], bi = im[kb];
      v er = MUL(ADD(ar, br), half);
      v ei = MUL(SUB(ai, bi), half);
      v or = MUL(ADD(ai, bi), half);
      v oi = MUL(SUB(br, ar), half);
      v cr = wasm_v128_load64_splat(post_re + k);
      v ci = wasm_v128_load64_splat(post_im + k);
      v xr = ADD(er, SUB(MUL(cr, or), MUL(ci, oi)));
      v xi = ADD(ei, ADD(MUL(cr, oi), MUL(ci, or)));
      pw[k] = ADD(MUL(xr, xr), MUL(xi, xi));
    }
    double *o0 = out + (long)t0 * n_mels;
    double *o1 = out + (long)t1 * n_mels;
    for (int b = 0; b < n_mels; b++) {
      v acc = SPLAT(0.0);
      const double *w = weights + offsets[b];
      const v *p = pw + starts[b];
      int len = offsets[b + 1] - offsets[b];
      for (int i = 0; i < len; i++) {
        acc = ADD(acc, MUL(wasm_v128_load64_splat(w + i), p[i]));
      }
      v db = MUL(log_pair(wasm_f64x2_max(acc, vmin)), db_scale);
      vmax = wasm_f64x2_max(vmax, db);
      o0[b] = wasm_f64x2_extract_lane(db, 0);
      o1[b] = wasm_f64x2_extract_lane(db, 1);
    }
  }
  double mx = wasm_f64x2_extract_lane(vmax, 0);
  double m1 = wasm_f64x2_extract_lane(vmax, 1);
  return m1 > mx ? m1 : mx;
}

// In place: x ← max(x, floor) over n values.
void clip_below(double *x, int n, double floor) {
  for (int i = 0; i < n; i++) if (x[i] < floor) x[i] = floor;
}

// Dot products of `vec` (length half) with the columns of `cols` (half ×
// stride, row-major); column c is coefficient first_k + 2c, stored to
// o[first_k + 2c] when below n_mfcc. Eight columns at a time.
static void fold_dot(const double *vec, int half, const double *cols,
                     int stride, int ncols, double *o, int first_k,
                     int n_mfcc) {
  int c = 0;
  for (; c + 8 <= ncols; c += 8) {
    v a0 = SPLAT(0.0), a1 = SPLAT(0.0), a2 = SPLAT(0.0), a3 = SPLAT(0.0);
    const double *d = cols + c;
    for (int n = 0; n < half; n++, d += stride) {
      v xn = SPLAT(vec[n]);
      a0 = ADD(a0, MUL(xn, wasm_v128_load(d)));
      a1 = ADD(a1, MUL(xn, wasm_v128_load(d + 2)));
      a2 = ADD(a2, MUL(xn, wasm_v128_load(d + 4)));
      a3 = ADD(a3, MUL(xn, wasm_v128_load(d + 6)));
    }
    v acc[4] = {a0, a1, a2, a3};
    for (int i = 0; i < 4; i++) {
      int k = first_k + 2 * (c + 2 * i);
      if (k < n_mfcc) o[k] = wasm_f64x2_extract_lane(acc[i], 0);
      if (k + 2 < n_mfcc) o[k + 2] = wasm_f64x2_extract_lane(acc[i], 1);
    }
  }
  for (; c < ncols; c += 2) {
    v a0 = SPLAT(0.0);
    const double *d = cols + c;
    for (int n = 0; n < half; n++, d += stride) {
      a0 = ADD(a0, MUL(SPLAT(vec[n]), wasm_v128_load(d)));
    }
    int k = first_k + 2 * c;
    if (k < n_mfcc) o[k] = wasm_f64x2_extract_lane(a0, 0);
    if (k + 2 < n_mfcc) o[k + 2] = wasm_f64x2_extract_lane(a0, 1);
  }
}

// MFCC: out[t][k] = Σ_n dct[k][n] · in[t][n] (frames × n_mfcc from frames ×
// n_mels). DCT-II rows are even (k even) or odd (k odd) about the centre,
// so each frame is folded into sums s[n] = x[n] + x[N−1−n] and differences
// d[n] = x[n] − x[N−1−n] (n < ⌈N/2⌉), halving the multiplications. `fold`
// is ⌈N/2⌉ × (n_even + n_odd): first the even rows' left halves as columns,
// then the odd rows' (each count padded to even; padding columns are 0).
// scratch holds 2·⌈N/2⌉ doubles.
void dct_frames(const double *in, int frames, int n_mels, const double *fold,
                int n_even, int n_odd, int n_mfcc, double *out,
                double *scratch) {
  int half = (n_mels + 1) / 2;
  int stride = n_even + n_odd;
  double *s = scratch;
  double *d = scratch + half;
  for (int t = 0; t < frames; t++) {
    const double *x = in + (long)t * n_mels;
    for (int n = 0; n < n_mels / 2; n++) {
      s[n] = x[n] + x[n_mels - 1 - n];
      d[n] = x[n] - x[n_mels - 1 - n];
    }
    if (n_mels & 1) {
      s[half - 1] = x[half - 1];
      d[half - 1] = 0.0;
    }
    double *o = out + (long)t * n_mfcc;
    fold_dot(s, half, fold, stride, n_even, o, 0, n_mfcc);
    fold_dot(d, half, fold + n_even, stride, n_odd, o, 1, n_mfcc);
  }
}
