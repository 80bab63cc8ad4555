/**
 * Names of the project's own kernels (those TF.js has no kernel for), in
 * the style of tfjs-core's kernel-name constants, which name the stock
 * kernels we replace. The layers of `lib/model/` call these kernels by name.
 *
 * @module
 */

/** The fused LSTM recurrence over all steps (forward). */
export const LstmSequence = "LstmSequence";

/** Backpropagation through time of {@linkcode LstmSequence}. */
export const LstmSequenceGrad = "LstmSequenceGrad";

/** Training-mode batch normalisation: batch statistics and normalisation. */
export const BatchNormTrain = "BatchNormTrain";

/** The gradient of {@linkcode BatchNormTrain} w.r.t. x, gamma and beta. */
export const BatchNormTrainGrad = "BatchNormTrainGrad";
