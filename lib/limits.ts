/**
 * Every bound on a size that input controls, in one place. File headers,
 * configs and flags are checked against these before anything is
 * allocated, so a lying header or a typo fails at once with an error naming
 * the file or flag — not after gigabytes, or as `Array buffer allocation
 * failed` naming nothing. Each bound sits far beyond real use and says why.
 *
 * @module
 */

/**
 * Lowest sample rate of a recording or of a feature config (Hz). Telephony
 * speech is 8 kHz and nothing real goes below 4 kHz; a 1 Hz header would
 * turn a 16 KB file into 8,000 s of audio, resampled to 128 M samples.
 */
export const MIN_SAMPLE_RATE = 1_000;

/** Highest sample rate (Hz): 768 kHz, the top rate of studio converters. */
export const MAX_SAMPLE_RATE = 768_000;

/** Most channels of a recording: 64, beyond ambisonic and array microphones. */
export const MAX_CHANNELS = 64;

/**
 * Longest recording (seconds): one hour. Emotional-speech clips last
 * seconds; a half-hour interview still passes with twice the margin (see the
 * README for what decoding one costs).
 */
export const MAX_DURATION_S = 3_600;

/**
 * Most decoded samples of one recording, all channels counted: an hour of
 * 48 kHz stereo (345.6 M samples, 1.4 GB as float32). Longer, wider or
 * higher-rate files are refused before decoding; resample or split them.
 */
export const MAX_AUDIO_SAMPLES = MAX_DURATION_S * 48_000 * 2;

/**
 * Largest audio file read (bytes): 4 GiB, the most a RIFF/WAVE file can
 * address. An hour of 96 kHz 24-bit stereo WAV is 2.1 GB.
 */
export const MAX_AUDIO_FILE_BYTES = 4 * 2 ** 30;

/** Largest FFT (and so analysis window) in samples: 2^16, 4 s at 16 kHz. */
export const MAX_N_FFT = 65_536;

/** Most mel bands: 512 (librosa's default is 128; speech uses 40–128). */
export const MAX_N_MELS = 512;

/** Most MFCC coefficients: 128 (speech uses 13–40; never more than nMels). */
export const MAX_N_MFCC = 128;

/**
 * Longest model input (frames): 10,000 — 100 s at the default 10 ms hop,
 * beyond any SER clip (RAVDESS 3–5 s, the default 300). Each clip's fixed
 * matrix is frames × dims floats, and training holds every clip's.
 */
export const MAX_FRAMES = 10_000;

/**
 * Most filters, LSTM units or dense units in one layer: 1,024, four times
 * the widest layer SER models of this size use; a `units: 1e6` config fails
 * here instead of after gigabytes.
 */
export const MAX_LAYER_UNITS = 1_024;

/** Most convolution blocks or dense layers of a model config. */
export const MAX_LAYERS = 8;

/** Most epochs a run may ask for (`epochs`, `patience`). */
export const MAX_EPOCHS = 1_000;

/** Largest training batch. */
export const MAX_BATCH_SIZE = 1_024;

/** Most augmented waveform copies per training clip (each is a full copy of its features). */
export const MAX_AUGMENT_COPIES = 16;
