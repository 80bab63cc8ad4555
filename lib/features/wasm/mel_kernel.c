// Fast mel power spectrogram and DCT kernel for lib/features (librosa
// flavour), in float64 WebAssembly SIMD. Two frames are processed at once,
// one per f64x2 lane, so every step is the plain scalar algorithm.
//
// Build: deno task build:features-wasm  (clang --target=wasm32 -O3 -msimd128)
// All tables (window, twiddles, bit reversal, mel weights, DCT matrix) are
// computed by the TypeScript side and copied in, so both paths share them.
#include <wasm_simd128.h>
#include <stdint.h>

typedef v128_t v;

#define ADD wasm_f64x2_add
#define SUB wasm_f64x2_sub
#define MUL wasm_f64x2_mul
#define SPLAT wasm_f64x2_splat

// Complex FFT of size m in place on split re/im arrays whose input is
// already in bit-reversed order. tw_re/tw_im hold e^{-2πij/m}, j < m/2.
static void fft_pairs(v *re, v *im, int m, const double *tw_re,
                      const double *tw_im) {
  // First stage (size 2): twiddle 1.
  for (int a = 0; a < m; a += 2) {
    v xr = re[a + 1], xi = im[a + 1];
    re[a + 1] = SUB(re[a], xr);
    im[a + 1] = SUB(im[a], xi);
    re[a] = ADD(re[a], xr);
    im[a] = ADD(im[a], xi);
  }
  for (int size = 4; size <= m; size <<= 1) {
    int half = size >> 1;
    int step = m / size;
    for (int j = 0; j < half; j++) {
      v wr = SPLAT(tw_re[j * step]);
      v wi = SPLAT(tw_im[j * step]);
      for (int a = j; a < m; a += size) {
        int b = a + half;
        v br = re[b], bi = im[b];
        v tr = SUB(MUL(br, wr), MUL(bi, wi));
        v ti = ADD(MUL(br, wi), MUL(bi, wr));
        v ar = re[a], ai = im[a];
        re[b] = SUB(ar, tr);
        im[b] = SUB(ai, ti);
        re[a] = ADD(ar, tr);
        im[a] = ADD(ai, ti);
      }
    }
  }
}

// Mel power spectrogram (frames × n_mels, float64) of a zero-padded float32
// signal: frame t starts at padded[t * hop] and is n_fft samples long.
//   window[n_fft]            analysis window (zero outside the support)
//   tw_re/tw_im[n_fft/4]     e^{-2πij/(n_fft/2)}
//   post_re/post_im[n_fft/2+1] e^{-2πik/n_fft}
//   bitrev[n_fft/2]          bit reversal of log2(n_fft/2) bits
//   starts/offsets/weights   sparse mel filter bank
//   scratch                  ≥ 3 × (n_fft/2 + 1) v128 values
void mel_power(const float *padded, int frames, int hop, int n_fft,
               const double *window, const double *tw_re, const double *tw_im,
               const double *post_re, const double *post_im,
               const int32_t *bitrev, int n_mels, const int32_t *starts,
               const int32_t *offsets, const double *weights, double *out,
               v *scratch) {
  int m = n_fft >> 1;
  v *re = scratch;
  v *im = scratch + m;
  v *pw = scratch + 2 * m;
  v half = SPLAT(0.5);
  for (int t0 = 0; t0 < frames; t0 += 2) {
    int t1 = t0 + 1 < frames ? t0 + 1 : t0;
    const float *x0 = padded + (long)t0 * hop;
    const float *x1 = padded + (long)t1 * hop;
    for (int n = 0; n < m; n++) {
      int r = bitrev[n];
      double we = window[2 * n], wo = window[2 * n + 1];
      re[r] = wasm_f64x2_make(x0[2 * n] * we, x1[2 * n] * we);
      im[r] = wasm_f64x2_make(x0[2 * n + 1] * wo, x1[2 * n + 1] * wo);
    }
    fft_pairs(re, im, m, tw_re, tw_im);
    for (int k = 0; k <= m; k++) {
      int ka = k == m ? 0 : k;
      int kb = k == 0 ? 0 : m - k;
      v ar = re[ka], ai = im[ka], br = re[kb], bi = im[kb];
      v er = MUL(ADD(ar, br), half);
      v ei = MUL(SUB(ai, bi), half);
      v or = MUL(ADD(ai, bi), half);
      v oi = MUL(SUB(br, ar), half);
      v cr = SPLAT(post_re[k]), ci = SPLAT(post_im[k]);
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
      for (int i = 0; i < len; i++) acc = ADD(acc, MUL(SPLAT(w[i]), p[i]));
      o0[b] = wasm_f64x2_extract_lane(acc, 0);
      o1[b] = wasm_f64x2_extract_lane(acc, 1);
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

// In place: x ← 10·log10(max(amin, x)) − ref_db over n values (n even or
// not); returns the maximum. (librosa.power_to_db before top_db clipping.)
double power_to_db(double *x, int n, double amin, double ref_db) {
  v scale = SPLAT(4.3429448190325182765);  // 10 / ln 10
  v vmin = SPLAT(amin);
  v vref = SPLAT(ref_db);
  v vmax = SPLAT(-1.0 / 0.0);
  int i = 0;
  for (; i + 2 <= n; i += 2) {
    v y = wasm_f64x2_max(wasm_v128_load(x + i), vmin);
    y = SUB(MUL(log_pair(y), scale), vref);
    wasm_v128_store(x + i, y);
    vmax = wasm_f64x2_max(vmax, y);
  }
  double mx = wasm_f64x2_extract_lane(vmax, 0);
  double m1 = wasm_f64x2_extract_lane(vmax, 1);
  if (m1 > mx) mx = m1;
  if (i < n) {
    v y = wasm_f64x2_max(SPLAT(x[i]), vmin);
    double d = wasm_f64x2_extract_lane(SUB(MUL(log_pair(y), scale), vref), 0);
    x[i] = d;
    if (d > mx) mx = d;
  }
  return mx;
}

// In place: x ← max(x, floor) over n values.
void clip_below(double *x, int n, double floor) {
  for (int i = 0; i < n; i++) if (x[i] < floor) x[i] = floor;
}

// out[t][k] = Σ_n dct_t[n][k] · in[t][n] (frames × stride from frames ×
// n_mels), with the DCT matrix transposed (n_mels × stride) and its columns
// zero-padded to an even `stride` ≥ n_mfcc. Eight coefficients at a time.
void dct_frames(const double *in, int frames, int n_mels, const double *dct_t,
                int stride, double *out) {
  for (int t = 0; t < frames; t++) {
    const double *x = in + (long)t * n_mels;
    double *o = out + (long)t * stride;
    int k = 0;
    for (; k + 8 <= stride; k += 8) {
      v a0 = SPLAT(0.0), a1 = SPLAT(0.0), a2 = SPLAT(0.0), a3 = SPLAT(0.0);
      const double *d = dct_t + k;
      for (int n = 0; n < n_mels; n++, d += stride) {
        v xn = SPLAT(x[n]);
        a0 = ADD(a0, MUL(xn, wasm_v128_load(d)));
        a1 = ADD(a1, MUL(xn, wasm_v128_load(d + 2)));
        a2 = ADD(a2, MUL(xn, wasm_v128_load(d + 4)));
        a3 = ADD(a3, MUL(xn, wasm_v128_load(d + 6)));
      }
      wasm_v128_store(o + k, a0);
      wasm_v128_store(o + k + 2, a1);
      wasm_v128_store(o + k + 4, a2);
      wasm_v128_store(o + k + 6, a3);
    }
    for (; k < stride; k += 2) {
      v a0 = SPLAT(0.0);
      const double *d = dct_t + k;
      for (int n = 0; n < n_mels; n++, d += stride) {
        a0 = ADD(a0, MUL(SPLAT(x[n]), wasm_v128_load(d)));
      }
      wasm_v128_store(o + k, a0);
    }
  }
}
