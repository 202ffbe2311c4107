#!/usr/bin/env bash
# Installs the system packages the tests need on a fresh Debian/Ubuntu machine (idempotent):
# Chromium for the browser tests and redis-server for the scale-out store tests.
# ffmpeg is used only by the engine benchmark's decode floor. Chroma comes from npm.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ "${WITH_FFMPEG:-0}" = 1 ]; then command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg); fi
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
echo "installing system packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
