#!/usr/bin/env bash
# fetch_deps.sh: download Debian's libcjson packages and extract them into .deps/cjson (git
# ignores .deps/), for a machine that has no package registry, such as the GPU machine that
# bench/gpu_check.sh runs on. Run it here, then carry .deps to that machine.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .deps/debs .deps/cjson
(cd .deps/debs && apt-get download libcjson1 libcjson-dev >/dev/null)
for deb in .deps/debs/*.deb; do dpkg -x "$deb" .deps/cjson; done
ls .deps/cjson/usr/lib/x86_64-linux-gnu/libcjson.so* >/dev/null
echo "cJSON extracted into .deps/cjson"
