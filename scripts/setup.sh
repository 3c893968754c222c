#!/usr/bin/env bash
# Ferrodesk set-up: installs whatever is missing, quietly skips what is done.
#   system packages (Debian): rustc-web, cargo-web, rust-web-src, lld-22, chromium, redis-server
#   wasm32 standard library, built once into Debian's sysroot (see docs/toolchain.md)
#   wasm-pack and wasm-bindgen-cli (pinned to Cargo.lock) from crates.io
#   npm dependencies, the wasm engine and the app build
# Usage: scripts/setup.sh [--no-build]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD=1
for a in "$@"; do
  case "$a" in
    --no-build) BUILD=0 ;;
    *) echo "setup: unknown argument '$a' (expected --no-build)" >&2; exit 2 ;;
  esac
done

say() { printf '\033[36m[setup]\033[0m %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
export PATH="$HOME/.cargo/bin:$PATH"

# ---- 1. System packages -------------------------------------------------------------
need_pkgs=()
wasm_from_rustup=0
if have rustup && rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  wasm_from_rustup=1
fi
if [ "$wasm_from_rustup" = 0 ]; then
  [ -x /usr/bin/rustc ] || need_pkgs+=(rustc-web cargo-web)
  [ -d /usr/lib/rustlib/src/rust/library/vendor ] || need_pkgs+=(rust-web-src)
  [ -x /usr/lib/llvm-22/bin/wasm-ld ] || need_pkgs+=(lld-22)
fi
have chromium || [ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
have redis-server || need_pkgs+=(redis-server)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] && ! have sudo; then
    echo "setup: missing Debian packages ${need_pkgs[*]} and no root to install them" >&2; exit 1
  fi
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  say "installing Debian packages: ${need_pkgs[*]} (a few minutes, once per machine)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# ---- 2. A rustc that targets wasm32 -------------------------------------------------
if [ "$wasm_from_rustup" = 1 ]; then
  WASM_TOOLCHAIN=""
else
  WASM_TOOLCHAIN=system
  SYSROOT="$(/usr/bin/rustc --print sysroot)"
  DEST="$SYSROOT/lib/rustlib/wasm32-unknown-unknown/lib"
  if ! ls "$DEST"/libstd-*.rlib >/dev/null 2>&1; then
    say "building the wasm32 standard library from Debian's sources (about a minute, once per machine)"
    SRC="$SYSROOT/lib/rustlib/src/rust/library"
    TMP="$(mktemp -d)"
    mkdir -p "$TMP/src" "$TMP/.cargo"
    printf '[package]\nname="stdbuild"\nversion="0.0.0"\nedition="2021"\n[lib]\ncrate-type=["cdylib"]\n[profile.release]\npanic="abort"\n' >"$TMP/Cargo.toml"
    echo '#[no_mangle] pub extern "C" fn f() -> u32 { 1 }' >"$TMP/src/lib.rs"
    printf '[source.crates-io]\nreplace-with="vendored"\n[source.vendored]\ndirectory="%s/vendor"\n' "$SRC" >"$TMP/.cargo/config.toml"
    (cd "$TMP" && RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_HOME="$TMP/.cargo-home" \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/bin/wasm-ld-22 /usr/bin/cargo build -q --release \
      --target wasm32-unknown-unknown -Z build-std=std,panic_abort)
    mkdir -p "$DEST"
    cp "$TMP"/target/wasm32-unknown-unknown/release/deps/lib*.rlib "$DEST"/
    rm -f "$DEST"/libstdbuild*
    rm -rf "$TMP"
  fi
  if ! rustup toolchain list 2>/dev/null | grep -q '^system'; then
    say "linking Debian's rustc as the rustup toolchain 'system'"
    rustup toolchain link system /usr
  fi
fi
# scripts/build.mjs reads this: which rustup toolchain builds wasm32, and its linker (Debian's rustc looks for
# `rust-lld`, which Debian ships as wasm-ld-22).
if [ -n "$WASM_TOOLCHAIN" ]; then
  printf '{"RUSTUP_TOOLCHAIN":"system","CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER":"/usr/bin/wasm-ld-22"}\n' >"$ROOT/.wasm-toolchain.json"
else
  printf '{}\n' >"$ROOT/.wasm-toolchain.json"
fi

# ---- 3. wasm-pack and wasm-bindgen-cli ------------------------------------------------
if ! have wasm-pack; then
  say "installing wasm-pack from crates.io (a few minutes, once per machine)"
  cargo install -q wasm-pack --locked 2>/dev/null || cargo install -q wasm-pack
fi
BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' core-wasm/Cargo.lock)"
if [ -z "$BINDGEN_VERSION" ]; then echo "setup: wasm-bindgen not found in core-wasm/Cargo.lock" >&2; exit 1; fi
if ! have wasm-bindgen || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $BINDGEN_VERSION from crates.io (a few minutes, once per version)"
  # --locked first; the lock file of a release can name a dependency version the registry no longer serves,
  # in which case the newest compatible versions are used.
  cargo install -q wasm-bindgen-cli --version "$BINDGEN_VERSION" --locked --force 2>/dev/null \
    || cargo install -q wasm-bindgen-cli --version "$BINDGEN_VERSION" --force
fi

# ---- 4. npm dependencies --------------------------------------------------------------
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

# ---- 5. Build -------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  node scripts/build.mjs
fi
