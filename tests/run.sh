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

if [ -z "${REGTRACK_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  step "installing Chromium for the browser tests"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: no chromium and no apt-get: install Chromium or set REGTRACK_CHROMIUM" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium >/dev/null
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked
