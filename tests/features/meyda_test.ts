import assert from "node:assert/strict";
import { hasLibrosaReference } from "../shared.ts";
import { meydaMfcc } from "../../lib/features/meyda.ts";
import { compareToReference, loadReferenceCases } from "./reference.ts";

/** Mean over coefficients of the Pearson correlation over time. */
function meanCorrelation(
  ours: Float64Array,
  frames: number,
  dims: number,
  ref: number[][],
): number {
  let total = 0;
  for (let d = 0; d < dims; d++) {
    let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (let t = 0; t < frames; t++) {
      const a = ours[t * dims + d];
      const b = ref[d][t];
      sa += a;
      sb += b;
      saa += a * a;
      sbb += b * b;
      sab += a * b;
    }
    const cov = sab / frames - (sa / frames) * (sb / frames);
    const va = saa / frames - (sa / frames) ** 2;
    const vb = sbb / frames - (sb / frames) ** 2;
    total += cov / Math.sqrt(va * vb);
  }
  return total / dims;
}

Deno.test({
  name: "meyda flavour: distance from librosa's MFCC, measured and bounded",
  ignore: !hasLibrosaReference(),
  fn() {
    const rows: string[] = [];
    for (
      const c of loadReferenceCases().filter((c) =>
        c.name.endsWith("@speech16k")
      )
    ) {
      const m = meydaMfcc(c.samples, c.options);
      assert.equal(
        m.frames,
        c.mfcc[0].length,
        "same centred framing as librosa",
      );
      const e = compareToReference(m.data, m.frames, m.dims, c.mfcc);
      const r = meanCorrelation(m.data, m.frames, m.dims, c.mfcc);
      rows.push(
        `${c.name.padEnd(40)} meyda vs librosa MFCC: max=${
          e.max.toFixed(1)
        } mean=${e.mean.toFixed(2)} mean per-coefficient r=${r.toFixed(3)}`,
      );
      // Meyda's MFCC is a different feature: far from librosa in value.
      assert.ok(e.mean > 1, `${c.name}: unexpectedly close to librosa`);
      assert.ok(Number.isFinite(e.max));
    }
    console.log(rows.join("\n"));
  },
});
