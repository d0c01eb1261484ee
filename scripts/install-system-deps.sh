#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages VVM Desk's tests and demo need. Idempotent; run as root (or sudo).
#   pcscd, libpcsclite-dev, vsmartcard-vpcd, pcsc-tools: PC/SC and the virtual reader the simulated ISIM plugs into
#   libsecret-1-dev, gnome-keyring, dbus: keytar (OS keychain) built from source and a Secret Service to test it
#   ffmpeg, sox, espeak-ng: audio decoding, independent checks of exported files, real speech for tests and demo data
#   chromium: the renderer's end-to-end tests (driven by playwright-core)
#   build-essential, python3: native modules (pcsclite, keytar) build from source
set -euo pipefail
PACKAGES=(pcscd libpcsclite-dev pcsc-tools vsmartcard-vpcd libsecret-1-dev gnome-keyring dbus dbus-x11 ffmpeg sox libsox-fmt-all espeak-ng chromium build-essential python3 openssl)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
