#!/usr/bin/env bash
# The whole regtrack test suite, from a machine that has only Rust (rustup).
# Installs what is missing (the wasm32 target, Debian's Chromium for the browser tests),
# then checks formatting and lints and runs every test. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

if command -v rustup >/dev/null 2>&1; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
APT_UPDATED=""
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: $1 is missing and there is no apt-get: install $*" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$APT_UPDATED" ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
  $SUDO apt-get install -y -qq "$@" >/dev/null
}

if [ -z "${REGTRACK_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  step "installing Chromium for the browser tests"
  apt_install chromium
fi

# Routing's tests make git repositories and ask the kernel's own get_maintainer.pl (perl).
if ! command -v git >/dev/null 2>&1; then
  step "installing git for the routing tests"
  apt_install git
fi
if ! perl -MFile::Find -MGetopt::Long -e1 >/dev/null 2>&1; then
  step "installing perl for the routing tests"
  apt_install perl
fi

# An unpacked kernel tree (Debian's linux-source-6.12, whose MAINTAINERS is the corpus' one)
# for the routing tests, outside the sources (target/ is ignored by git).
if [ -z "${REGTRACK_KERNEL_SOURCE:-}" ]; then
  export REGTRACK_KERNEL_SOURCE="$PWD/target/kernel-src/linux-source-6.12"
fi
if [ ! -f "$REGTRACK_KERNEL_SOURCE/MAINTAINERS" ]; then
  step "unpacking Debian's linux-source-6.12 into $REGTRACK_KERNEL_SOURCE"
  if [ -z "$APT_UPDATED" ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
  parent="$(dirname "$REGTRACK_KERNEL_SOURCE")"
  mkdir -p "$parent"
  (
    cd "$parent"
    apt-get download -qq linux-source-6.12
    dpkg-deb --fsys-tarfile linux-source-6.12_*.deb \
      | tar -xO ./usr/src/linux-source-6.12.tar.xz | tar -xJ
    rm -f linux-source-6.12_*.deb
  )
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked
