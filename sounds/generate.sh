#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Speaks every line of the manifest into an 8 kHz mono 16-bit WAV with
# espeak-ng and sox. The output depends only on the manifest, the voice and
# the tools' versions: sox runs in repeatable mode (-R) without dither (-D).
#
# usage: generate.sh [VOICE] [OUT_DIR] [MANIFEST]
#   VOICE     espeak-ng voice: vi, vi-vn-x-central or vi-vn-x-south (default)
#   OUT_DIR   default: vi/hotline next to this script
#   MANIFEST  default: manifest.txt next to this script
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
voice=${1:-vi-vn-x-south}
out=${2:-$here/vi/hotline}
manifest=${3:-$here/manifest.txt}
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "generate.sh: $tool is missing (apt-get install espeak-ng sox)" >&2; exit 1; }
done
mkdir -p "$out"
rm -f "$out"/*.wav
n=0
while IFS=$'\t' read -r id text; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  espeak-ng -v "$voice" -s 145 --stdout "$text" |
    sox -R -D -V1 -t wav - -t wav -r 8000 -c 1 -b 16 -e signed-integer "$out/$id.wav" \
      silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse pad 0 0.15
  n=$((n + 1))
done <"$manifest"
echo "generate.sh: $n prompts in $out (voice $voice)"
