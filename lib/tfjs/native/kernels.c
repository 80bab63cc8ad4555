/*
 * Training kernels in C for WASM SIMD, run directly on the TF.js wasm
 * backend's heap: the module imports the backend's WebAssembly.Memory, so
 * every pointer is a tensor's `memoryOffset` and nothing is copied.
 *
 * Rules that keep the shared heap safe (checked by lib/cli/build_wasm.ts): no
 * static data (no data segment, so instantiation writes nothing into the
 * heap) and no libc; any stack use lands in a region reserved with the
 * backend's malloc (see native.ts, which sets __stack_pointer).
 *
 * Matrix products use relaxed SIMD's fused multiply-add (f32x4.relaxed_madd,
 * built with clang ≥ 16), about twice the throughput of separate multiplies
 * and adds.
 *
 * Layouts: LSTM tensors are batch-major, row (b, t) of a [B, T, N] tensor at
 * (b·T + t)·N; gates in the stock order i, f, c (candidate, "g"), o.
 *
 * The non-static functions are the module's exports: abi.ts lists them with
 * their parameters (the build exports that list; a test checks these
 * definitions against it), so a change of signature here goes there too.
 */
#include <wasm_simd128.h>

typedef float f4 __attribute__((vector_size(16)));

static inline f4 splat(float x) { return (f4){x, x, x, x}; }

/* Loads four floats, or one (broadcast) for the tail of a row. */
static inline f4 load(const float *p, int full) {
  return full ? (f4)wasm_v128_load(p) : splat(*p);
}

static inline void store(float *p, f4 v, int full) {
  if (full) {
    wasm_v128_store(p, (v128_t)v);
  } else {
    *p = v[0];
  }
}

static inline f4 madd(f4 a, f4 b, f4 c) {
  return (f4)__builtin_wasm_relaxed_madd_f32x4(a, b, c); /* a·b + c */
}

static inline f4 vmin(f4 a, f4 b) {
  return (f4)wasm_f32x4_min((v128_t)a, (v128_t)b);
}

static inline f4 vmax(f4 a, f4 b) {
  return (f4)wasm_f32x4_max((v128_t)a, (v128_t)b);
}

/* e^x, about 1 ulp (Cephes expf), x clamped to the normal range. */
static inline f4 exp4(f4 x) {
  x = vmin(vmax(x, splat(-87.33654f)), splat(88.37626f));
  f4 n = (f4)wasm_f32x4_nearest((v128_t)(x * 1.44269504088896341f));
  f4 r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  f4 p = splat(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  v128_t e = wasm_i32x4_shl(
      wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4((v128_t)n),
                     wasm_i32x4_splat(127)),
      23);
  return p * (f4)e;
}

static inline f4 sigmoid4(f4 x) { return 1.0f / (1.0f + exp4(-x)); }

static inline f4 tanh4(f4 x) { return 1.0f - 2.0f / (exp4(2.0f * x) + 1.0f); }

/* Gate activation a and its derivative da/dz: sigmoid, or TF.js's
 * hardSigmoid clip(0.2·z + 0.5, 0, 1) with derivative 0.2 where the clip is
 * inactive (bounds included, as the stock clipByValue gradient). */
static inline f4 gate(f4 z, int hard, f4 *deriv) {
  if (hard) {
    f4 y = z * 0.2f + 0.5f;
    f4 a = vmin(vmax(y, splat(0.0f)), splat(1.0f));
    *deriv = (f4)wasm_v128_and(wasm_f32x4_eq((v128_t)a, (v128_t)y),
                               (v128_t)splat(0.2f));
    return a;
  }
  f4 a = sigmoid4(z);
  *deriv = a * (1.0f - a);
  return a;
}

/* Four (or, at the row's tail, one) units of one LSTM forward step. */
static inline void forward_units(const float *zrow, const float *bias,
                                 const float *rec, const float *cprev,
                                 float *act, float *der, float *c, float *tc,
                                 float *hseq, float *hstep, int u, int full,
                                 int hard) {
  f4 z[4];
  for (int k = 0; k < 4; k++) {
    z[k] = load(zrow + k * u, full);
    if (bias) z[k] += load(bias + k * u, full);
    if (rec) z[k] += load(rec + k * u, full);
  }
  f4 di, df, dg, dout;
  f4 i = gate(z[0], hard, &di);
  f4 f = gate(z[1], hard, &df);
  f4 g = tanh4(z[2]);
  dg = 1.0f - g * g;
  f4 o = gate(z[3], hard, &dout);
  f4 cell = i * g;
  if (cprev) cell += f * load(cprev, full);
  f4 t = tanh4(cell);
  f4 h = o * t;
  store(act, i, full);
  store(act + u, f, full);
  store(act + 2 * u, g, full);
  store(act + 3 * u, o, full);
  store(der, di, full);
  store(der + u, df, full);
  store(der + 2 * u, dg, full);
  store(der + 3 * u, dout, full);
  store(c, cell, full);
  store(tc, t, full);
  store(hseq, h, full);
  store(hstep, h, full);
}

/*
 * One LSTM forward step t for all B rows. Pre-activations are
 * proj[b, t] (the input projection x·W, batch-major [B, T, 4U]) + bias + rec
 * (h_{t-1}·R, [B, 4U] contiguous; null at t = 0). Writes the gates and their
 * derivatives at step t of act/der [B, T, 4U], the cell c, tanh(c) and h at
 * step t of c/tc/hseq [B, T, U], and h again to hstep [B, U] (the next
 * step's matmul operand). cprev is c at step t − 1 ([B, T, U]; null at t = 0).
 * All [B, T, ·] pointers point at step t already.
 */
static void lstm_forward_step(const float *proj, const float *bias, const float *rec,
                       const float *cprev, float *act, float *der, float *c,
                       float *tc, float *hseq, float *hstep, int batch,
                       int steps, int units, int hard) {
  int gs = steps * 4 * units; /* row stride of [B, T, 4U] */
  int us = steps * units;     /* row stride of [B, T, U] */
  for (int b = 0; b < batch; b++) {
    for (int j = 0; j < units;) {
      int full = j + 4 <= units;
      forward_units(proj + b * gs + j, bias ? bias + j : 0,
                    rec ? rec + b * 4 * units + j : 0,
                    cprev ? cprev + b * us + j : 0, act + b * gs + j,
                    der + b * gs + j, c + b * us + j, tc + b * us + j,
                    hseq + b * us + j, hstep + b * units + j, units, full,
                    hard);
      j += full ? 4 : 1;
    }
  }
}

/* Four (or one) units of one LSTM backward step. */
static inline void backward_units(const float *dout, const float *dhrec,
                                  float *carry, const float *act,
                                  const float *der, const float *tc,
                                  const float *cprev, float *dzall,
                                  float *dzstep, int u, int full) {
  f4 dh = splat(0.0f);
  if (dout) dh += load(dout, full);
  if (dhrec) dh += load(dhrec, full);
  f4 i = load(act, full), f = load(act + u, full);
  f4 g = load(act + 2 * u, full), o = load(act + 3 * u, full);
  f4 t = load(tc, full);
  f4 dc = dh * o * (1.0f - t * t) + load(carry, full);
  f4 dzi = dc * g * load(der, full);
  f4 dzf = cprev ? dc * load(cprev, full) * load(der + u, full) : splat(0.0f);
  f4 dzg = dc * i * load(der + 2 * u, full);
  f4 dzo = dh * t * load(der + 3 * u, full);
  store(carry, dc * f, full);
  store(dzall, dzi, full);
  store(dzall + u, dzf, full);
  store(dzall + 2 * u, dzg, full);
  store(dzall + 3 * u, dzo, full);
  store(dzstep, dzi, full);
  store(dzstep + u, dzf, full);
  store(dzstep + 2 * u, dzg, full);
  store(dzstep + 3 * u, dzo, full);
}

/*
 * One LSTM backward step t for all B rows: dh = dout (the output's gradient
 * at step t, row stride dout_stride; null if none) + dhrec (dz_{t+1}·Rᵀ,
 * [B, U]; null at the last step); carry [B, U] holds dc_{t+1}·f_{t+1} (plus
 * the final cell state's gradient) and is replaced by dc_t·f_t. Writes the
 * pre-activation gradients dz at step t of dzall [B, T, 4U] and to dzstep
 * [B, 4U]. act/der/tc/cprev as saved by lstm_forward_step, pointing at step
 * t (cprev at t − 1, null at t = 0).
 */
static void lstm_backward_step(const float *dout, int dout_stride, const float *dhrec,
                        float *carry, const float *act, const float *der,
                        const float *tc, const float *cprev, float *dzall,
                        float *dzstep, int batch, int steps, int units) {
  int gs = steps * 4 * units;
  int us = steps * units;
  for (int b = 0; b < batch; b++) {
    for (int j = 0; j < units;) {
      int full = j + 4 <= units;
      backward_units(dout ? dout + b * dout_stride + j : 0,
                     dhrec ? dhrec + b * units + j : 0,
                     carry + b * units + j, act + b * gs + j,
                     der + b * gs + j, tc + b * us + j,
                     cprev ? cprev + b * us + j : 0, dzall + b * gs + j,
                     dzstep + b * 4 * units + j, units, full);
      j += full ? 4 : 1;
    }
  }
}

/* out[b, t] = x[b, t − 1] for t ≥ 1 and 0 at t = 0 (rows of n floats). */
void shift_steps(const float *x, float *out, int batch, int steps, int n) {
  for (int b = 0; b < batch; b++) {
    const float *src = x + b * steps * n;
    float *dst = out + b * steps * n;
    for (int j = 0; j < n; j++) dst[j] = 0.0f;
    for (int j = n; j < steps * n; j++) dst[j] = src[j - n];
  }
}

/* out[j] = scale·Σ_r x[r, j] over a row-major [rows, cols] matrix. */
void column_sums(const float *x, float *out, int rows, int cols, float scale) {
  for (int j = 0; j < cols; j++) out[j] = 0.0f;
  for (int r = 0; r < rows; r++) {
    const float *row = x + r * cols;
    for (int j = 0; j < cols; j++) out[j] += row[j];
  }
  if (scale != 1.0f) {
    for (int j = 0; j < cols; j++) out[j] *= scale;
  }
}

/* ---- Windows over NHWC tensors (pooling, convolution) ------------------ */

/* Geometry of a 2-D window over NHWC input, as the kernels' last arguments:
 * batch, height, width, channels, out_height, out_width, filter_height,
 * filter_width, stride_height, stride_width, dilation_height,
 * dilation_width, pad_top, pad_left. */
#define WINDOW_PARAMS                                                        \
  int batch, int height, int width, int channels, int out_height,            \
      int out_width, int filter_height, int filter_width, int stride_height, \
      int stride_width, int dilation_height, int dilation_width, int pad_top, \
      int pad_left

/* Adds g to dx at base + lane for each lane whose window had a maximum. */
static inline void scatter4(float *dx, v128_t base, const float *g) {
  int i0 = wasm_i32x4_extract_lane(base, 0);
  int i1 = wasm_i32x4_extract_lane(base, 1);
  int i2 = wasm_i32x4_extract_lane(base, 2);
  int i3 = wasm_i32x4_extract_lane(base, 3);
  if (i0 >= 0) dx[i0] += g[0];
  if (i1 >= 0) dx[i1 + 1] += g[1];
  if (i2 >= 0) dx[i2 + 2] += g[2];
  if (i3 >= 0) dx[i3 + 3] += g[3];
}

/*
 * Gradient of a max pool over NHWC x [B, H, W, C] with output [B, OH, OW, C]:
 * each window's dy goes to the window's first maximum (row-major over the
 * window, positions outside x skipped), as TF.js's cpu kernel does. dx is
 * overwritten.
 */
void max_pool_grad(const float *x, const float *dy, float *dx, WINDOW_PARAMS) {
  int image = height * width * channels;
  for (int j = 0; j < batch * image; j++) dx[j] = 0.0f;
  for (int b = 0; b < batch; b++) {
    const float *xb = x + b * image;
    float *dxb = dx + b * image;
    for (int oh = 0; oh < out_height; oh++) {
      for (int ow = 0; ow < out_width; ow++) {
        const float *g =
            dy + ((b * out_height + oh) * out_width + ow) * channels;
        int ch = 0;
        /* Four channels at a time: running maxima and the flat index of
         * their first occurrence (strictly greater replaces). */
        for (; ch + 4 <= channels; ch += 4) {
          v128_t best = (v128_t)splat(-__builtin_inff());
          v128_t at = wasm_i32x4_splat(-1);
          for (int kh = 0; kh < filter_height; kh++) {
            int h = oh * stride_height + kh * dilation_height - pad_top;
            if (h < 0 || h >= height) continue;
            for (int kw = 0; kw < filter_width; kw++) {
              int w = ow * stride_width + kw * dilation_width - pad_left;
              if (w < 0 || w >= width) continue;
              int idx = (h * width + w) * channels + ch;
              v128_t v = wasm_v128_load(xb + idx);
              v128_t gt = wasm_f32x4_gt(v, best);
              best = wasm_v128_bitselect(v, best, gt);
              at = wasm_v128_bitselect(wasm_i32x4_splat(idx), at, gt);
            }
          }
          scatter4(dxb, at, g + ch);
        }
        for (; ch < channels; ch++) {
          float top = -__builtin_inff();
          int at = -1;
          for (int kh = 0; kh < filter_height; kh++) {
            int h = oh * stride_height + kh * dilation_height - pad_top;
            if (h < 0 || h >= height) continue;
            for (int kw = 0; kw < filter_width; kw++) {
              int w = ow * stride_width + kw * dilation_width - pad_left;
              if (w < 0 || w >= width) continue;
              int idx = (h * width + w) * channels + ch;
              if (xb[idx] > top) {
                top = xb[idx];
                at = idx;
              }
            }
          }
          if (at >= 0) dxb[at] += g[ch];
        }
      }
    }
  }
}

/* ---- Matrix product ---------------------------------------------------- */

/* Columns per packed panel of B (two f32x4), rows per register tile. */
#define NR 8
#define MR 4

/* Packs columns j0 … j0 + 7 of B (element (k, j) at b[k·sbk + j·sbn]) into
 * dst[k·8 + jj], zero past column n. */
static void pack_panel(const float *b, int sbk, int sbn, int depth, int n,
                       int j0, float *dst) {
  int w = n - j0 < NR ? n - j0 : NR;
  if (w == NR && sbn == 1) {
    for (int k = 0; k < depth; k++) {
      const float *src = b + k * sbk + j0;
      wasm_v128_store(dst + k * NR, wasm_v128_load(src));
      wasm_v128_store(dst + k * NR + 4, wasm_v128_load(src + 4));
    }
    return;
  }
  for (int jj = 0; jj < NR; jj++) {
    const float *src = b + (j0 + jj) * sbn;
    for (int k = 0; k < depth; k++) {
      dst[k * NR + jj] = jj < w ? src[k * sbk] : 0.0f;
    }
  }
}

/* Stores the first `cols` of a tile row (lo: columns 0–3, hi: 4–7). */
static inline void store_row(float *c, f4 lo, f4 hi, int cols) {
  if (cols == NR) {
    wasm_v128_store(c, (v128_t)lo);
    wasm_v128_store(c + 4, (v128_t)hi);
    return;
  }
  float tmp[NR];
  wasm_v128_store(tmp, (v128_t)lo);
  wasm_v128_store(tmp + 4, (v128_t)hi);
  for (int j = 0; j < cols; j++) c[j] = tmp[j];
}

/* A MR × 8 tile of C: rows a0 … (row stride sam, depth stride sak) times one
 * packed panel. */
static void tile4(const float *a0, int sam, int sak, const float *panel,
                  float *c, int ldc, int depth, int cols) {
  const float *a1 = a0 + sam, *a2 = a1 + sam, *a3 = a2 + sam;
  f4 z = splat(0.0f);
  f4 c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
  for (int k = 0; k < depth; k++) {
    f4 b0 = (f4)wasm_v128_load(panel), b1 = (f4)wasm_v128_load(panel + 4);
    panel += NR;
    int o = k * sak;
    f4 x = splat(a0[o]);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = splat(a1[o]);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = splat(a2[o]);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = splat(a3[o]);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
  }
  store_row(c, c00, c01, cols);
  store_row(c + ldc, c10, c11, cols);
  store_row(c + 2 * ldc, c20, c21, cols);
  store_row(c + 3 * ldc, c30, c31, cols);
}

/* One row of C times one packed panel (the rows left after the MR tiles). */
static void tile1(const float *a0, int sak, const float *panel, float *c,
                  int depth, int cols) {
  f4 lo = splat(0.0f), hi = splat(0.0f);
  for (int k = 0; k < depth; k++) {
    f4 x = splat(a0[k * sak]);
    lo = madd(x, (f4)wasm_v128_load(panel), lo);
    hi = madd(x, (f4)wasm_v128_load(panel + 4), hi);
    panel += NR;
  }
  store_row(c, lo, hi, cols);
}

/* Packs B [depth, n] (element (k, j) at b[k·sbk + j·sbn]) into panels of
 * 8 columns for gemm_packed: ⌈n / 8⌉·8·depth floats at pack. */
void pack_b(const float *b, int sbk, int sbn, int depth, int n, float *pack) {
  for (int p = 0; p < (n + NR - 1) / NR; p++) {
    pack_panel(b, sbk, sbn, depth, n, p * NR, pack + p * depth * NR);
  }
}

/* C = A·B for row-major C [m, n], A(i, k) = a[i·sam + k·sak], B packed by
 * pack_b. With abuf (MR·depth floats; 0 for none), blocks of MR rows of a
 * strided A (sak ≠ 1, e.g. a transposed operand) are first copied there
 * contiguously, so the tiles read whole cache lines. */
static void gemm_packed(const float *a, int sam, int sak, const float *pack,
                        float *abuf, float *c, int m, int n, int depth) {
  int panels = (n + NR - 1) / NR;
  int i = 0;
  for (; i + MR <= m; i += MR) {
    const float *rows = a + i * sam;
    int rs = sam, ks = sak;
    if (abuf && sak != 1) {
      for (int k = 0; k < depth; k++) {
        for (int r = 0; r < MR; r++) abuf[k * MR + r] = rows[r * sam + k * sak];
      }
      rows = abuf;
      rs = 1;
      ks = MR;
    }
    for (int p = 0; p < panels; p++) {
      int cols = n - p * NR < NR ? n - p * NR : NR;
      tile4(rows, rs, ks, pack + p * depth * NR, c + i * n + p * NR, n, depth,
            cols);
    }
  }
  for (; i < m; i++) {
    for (int p = 0; p < panels; p++) {
      int cols = n - p * NR < NR ? n - p * NR : NR;
      tile1(a + i * sam, sak, pack + p * depth * NR, c + i * n + p * NR, depth,
            cols);
    }
  }
}

/*
 * C = A·B for row-major C [m, n], with A(i, k) = a[i·sam + k·sak] and
 * B(k, j) = b[k·sbk + j·sbn] (strides express transposes). pack is scratch
 * of (⌈n / 8⌉·8 + MR)·depth floats: B in panels of 8 columns, then room for
 * MR rows of A.
 */
void gemm(const float *a, int sam, int sak, const float *b, int sbk, int sbn,
          float *c, int m, int n, int depth, float *pack) {
  pack_b(b, sbk, sbn, depth, n, pack);
  gemm_packed(a, sam, sak, pack, pack + (n + NR - 1) / NR * NR * depth, c, m,
              n, depth);
}

/*
 * Unfolds x [B, H, W, C] into cols [B·OH·OW, KH·KW·C]: row (b, oh, ow),
 * column (kh, kw, c) holds x[b, oh·sh + kh·dh − top, ow·sw + kw·dw − left, c],
 * or 0 outside x. A convolution is then cols × filter[KH·KW·C, Co].
 */
void im2col(const float *x, float *cols, WINDOW_PARAMS) {
  for (int b = 0; b < batch; b++) {
    const float *xb = x + b * height * width * channels;
    for (int oh = 0; oh < out_height; oh++) {
      for (int ow = 0; ow < out_width; ow++) {
        for (int kh = 0; kh < filter_height; kh++) {
          int h = oh * stride_height + kh * dilation_height - pad_top;
          for (int kw = 0; kw < filter_width; kw++) {
            int w = ow * stride_width + kw * dilation_width - pad_left;
            if (h < 0 || h >= height || w < 0 || w >= width) {
              for (int c = 0; c < channels; c++) cols[c] = 0.0f;
            } else {
              const float *src = xb + (h * width + w) * channels;
              for (int c = 0; c < channels; c++) cols[c] = src[c];
            }
            cols += channels;
          }
        }
      }
    }
  }
}

/* The adjoint of im2col: dx [B, H, W, C] = Σ of the cols entries that each
 * input position was copied to (dx is overwritten). */
void col2im(const float *cols, float *dx, WINDOW_PARAMS) {
  int image = height * width * channels;
  for (int j = 0; j < batch * image; j++) dx[j] = 0.0f;
  for (int b = 0; b < batch; b++) {
    float *db = dx + b * image;
    for (int oh = 0; oh < out_height; oh++) {
      for (int ow = 0; ow < out_width; ow++) {
        for (int kh = 0; kh < filter_height; kh++) {
          int h = oh * stride_height + kh * dilation_height - pad_top;
          for (int kw = 0; kw < filter_width; kw++) {
            int w = ow * stride_width + kw * dilation_width - pad_left;
            if (h >= 0 && h < height && w >= 0 && w < width) {
              float *dst = db + (h * width + w) * channels;
              for (int c = 0; c < channels; c++) dst[c] += cols[c];
            }
            cols += channels;
          }
        }
      }
    }
  }
}

/* ---- LSTM recurrence ---------------------------------------------------- */

/*
 * The LSTM forward recurrence over all steps: per step, rec = h_{t−1}·R
 * (R packed by pack_b in rpack) and lstm_forward_step. proj is the input
 * projection [B, T, 4U]; rec [B, 4U] and hstep [B, U] are scratch; act,
 * der [B, T, 4U] and c, tc, hseq [B, T, U] receive every step.
 */
void lstm_forward(const float *proj, const float *bias, const float *rpack,
                  float *rec, float *hstep, float *act, float *der, float *c,
                  float *tc, float *hseq, int batch, int steps, int units,
                  int hard) {
  for (int t = 0; t < steps; t++) {
    if (t > 0) {
      gemm_packed(hstep, units, 1, rpack, 0, rec, batch, 4 * units, units);
    }
    lstm_forward_step(proj + t * 4 * units, bias, t > 0 ? rec : 0,
                      t > 0 ? c + (t - 1) * units : 0, act + t * 4 * units,
                      der + t * 4 * units, c + t * units, tc + t * units,
                      hseq + t * units, hstep, batch, steps, units, hard);
  }
}

/*
 * Backpropagation through time over all steps, last to first: per step
 * lstm_backward_step, then dhrec = dz_t·Rᵀ (Rᵀ packed by pack_b in rtpack).
 * dout is every step's output gradient [B, T, U] when `sequences`, else the
 * last step's [B, U]; carry [B, U] starts as the final cell state's
 * gradient; dzstep [B, 4U] and dhrec [B, U] are scratch; dzall [B, T, 4U]
 * receives every step's pre-activation gradient.
 */
void lstm_backward(const float *dout, int sequences, const float *rtpack,
                   float *dhrec, float *dzstep, float *carry, const float *act,
                   const float *der, const float *tc, const float *c,
                   float *dzall, int batch, int steps, int units) {
  for (int t = steps - 1; t >= 0; t--) {
    const float *out = sequences ? dout + t * units
                       : t == steps - 1 ? dout
                                        : 0;
    lstm_backward_step(out, sequences ? steps * units : units,
                       t < steps - 1 ? dhrec : 0, carry, act + t * 4 * units,
                       der + t * 4 * units, tc + t * units,
                       t > 0 ? c + (t - 1) * units : 0, dzall + t * 4 * units,
                       dzstep, batch, steps, units);
    if (t > 0) {
      gemm_packed(dzstep, 4 * units, 1, rtpack, 0, dhrec, batch, units,
                  4 * units);
    }
  }
}

/* ---- Batch normalisation (training) ------------------------------------- */

/*
 * Batch statistics and normalisation of x [rows, channels] per channel:
 * mean and (biased) variance over the rows, then
 * y = (x − mean)·gamma/√(variance + eps) + beta; scale is scratch of
 * `channels` floats.
 */
void batch_norm_forward(const float *x, const float *gamma, const float *beta,
                        float *y, float *mean, float *variance, float *scale,
                        int rows, int channels, float eps) {
  for (int c = 0; c < channels; c++) mean[c] = variance[c] = 0.0f;
  for (int r = 0; r < rows; r++) {
    const float *xr = x + r * channels;
    for (int c = 0; c < channels; c++) mean[c] += xr[c];
  }
  for (int c = 0; c < channels; c++) mean[c] /= rows;
  for (int r = 0; r < rows; r++) {
    const float *xr = x + r * channels;
    for (int c = 0; c < channels; c++) {
      float d = xr[c] - mean[c];
      variance[c] += d * d;
    }
  }
  for (int c = 0; c < channels; c++) {
    variance[c] /= rows;
    scale[c] = gamma[c] / __builtin_sqrtf(variance[c] + eps);
  }
  for (int r = 0; r < rows; r++) {
    const float *xr = x + r * channels;
    float *yr = y + r * channels;
    for (int c = 0; c < channels; c++) {
      yr[c] = (xr[c] - mean[c]) * scale[c] + beta[c];
    }
  }
}

/*
 * Gradient of batch_norm_forward's y (through the batch statistics): with
 * r = 1/√(variance + eps), x̂ = (x − mean)·r and N rows,
 *   dbeta = Σ dy, dgamma = Σ dy·x̂,
 *   dx = gamma·r·(dy − dbeta/N − x̂·dgamma/N).
 * rstd is scratch of `channels` floats.
 */
void batch_norm_backward(const float *dy, const float *x, const float *mean,
                         const float *variance, const float *gamma, float *dx,
                         float *dgamma, float *dbeta, float *rstd, int rows,
                         int channels, float eps) {
  for (int c = 0; c < channels; c++) {
    dgamma[c] = dbeta[c] = 0.0f;
    rstd[c] = 1.0f / __builtin_sqrtf(variance[c] + eps);
  }
  for (int r = 0; r < rows; r++) {
    const float *g = dy + r * channels;
    const float *xr = x + r * channels;
    for (int c = 0; c < channels; c++) {
      dbeta[c] += g[c];
      dgamma[c] += g[c] * (xr[c] - mean[c]);
    }
  }
  for (int c = 0; c < channels; c++) dgamma[c] *= rstd[c];
  for (int r = 0; r < rows; r++) {
    const float *g = dy + r * channels;
    const float *xr = x + r * channels;
    float *d = dx + r * channels;
    for (int c = 0; c < channels; c++) {
      float xhat = (xr[c] - mean[c]) * rstd[c];
      d[c] = gamma[c] * rstd[c] *
             (g[c] - (dbeta[c] + xhat * dgamma[c]) / rows);
    }
  }
}
