#!/bin/sh
# Builds mel_kernel.wasm from mel_kernel.c (needs clang ≥ 14 and wasm-ld:
# `apt-get install -y clang lld`). The .wasm is committed; rebuild after
# editing the C source.
set -eu
cd "$(dirname "$0")"
clang --target=wasm32 -O3 -msimd128 -nostdlib -fno-builtin \
  -Wl,--no-entry -Wl,--export=mel_db \
  -Wl,--export=clip_below -Wl,--export=dct_frames -Wl,--export=__heap_base \
  -Wl,--import-memory -Wl,--strip-all \
  -o mel_kernel.wasm mel_kernel.c
