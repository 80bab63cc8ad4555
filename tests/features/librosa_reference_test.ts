import assert from "node:assert/strict";
import { hasLibrosaReference } from "../shared.ts";
import { logMelSpectrogram, mfcc } from "../../lib/features/mod.ts";
import { delta } from "../../lib/features/delta.ts";
import { trimBounds } from "../../lib/dsp/mod.ts";
import {
  compareToReference,
  loadReferenceCases,
  referenceLogMel,
  referenceMfcc,
} from "./reference.ts";

const cases = loadReferenceCases();
const fmt = (e: { max: number; mean: number }) =>
  `max=${e.max.toExponential(2)} mean=${e.mean.toExponential(2)}`;

for (
  const [label, logMel, mfccOf] of [
    ["step-by-step", referenceLogMel, referenceMfcc],
    ["wasm kernel", logMelSpectrogram, mfcc],
  ] as const
) {
  Deno.test({
    name:
      `librosa flavour (${label}) matches librosa 0.10.2 on every reference case`,
    ignore: !hasLibrosaReference(),
    fn() {
      assert.ok(cases.length >= 8, "index.json lists at least 8 cases");
      const rows: string[] = [];
      for (const c of cases) {
        const db = logMel(c.samples, c.options);
        const m = mfccOf(c.samples, c.options);
        const d = delta(m.data, m.frames, m.dims, { order: 1 });
        const eDb = compareToReference(db.data, db.frames, db.dims, c.melDb);
        const eMfcc = compareToReference(m.data, m.frames, m.dims, c.mfcc);
        const eDelta = compareToReference(d, m.frames, m.dims, c.delta);
        let trimErr = 0;
        for (const [topDb, [s, e]] of c.trims) {
          const [ts, te] = trimBounds(c.samples, { topDb });
          trimErr = Math.max(trimErr, Math.abs(ts - s), Math.abs(te - e));
        }
        rows.push(
          `${c.name.padEnd(48)} melDb ${fmt(eDb)} | mfcc ${
            fmt(eMfcc)
          } | delta ${
            fmt(eDelta)
          } | trim max=${trimErr} samples (${c.trims.length} cases)`,
        );
        assert.ok(
          eDb.max <= 1e-3,
          `${c.name}: log-mel max error ${eDb.max} dB`,
        );
        assert.ok(eMfcc.max <= 1e-2, `${c.name}: MFCC max error ${eMfcc.max}`);
        assert.ok(
          eDelta.max <= 1e-3,
          `${c.name}: delta max error ${eDelta.max}`,
        );
        assert.ok(c.trims.length >= 2);
        assert.equal(trimErr, 0, `${c.name}: trim bounds`);
      }
      console.log(`[${label}]\n` + rows.join("\n"));
    },
  });
}
