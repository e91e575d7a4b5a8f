#!/usr/bin/env bash
# Runs every test of clusterdir. Sets up what it needs on a fresh machine: a Rust
# toolchain is expected (cargo); Chromium is installed from Debian when missing (as
# root); the browser tests' npm packages are installed from their lockfile. Nothing
# is skipped: a missing tool stops the run with a message saying what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
  echo "error: $1" >&2
  exit 1
}

echo "== tools for the browser tests"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    need "Chromium is missing: install Debian's chromium package (apt-get install -y chromium)"
  fi
fi
command -v java >/dev/null 2>&1 || need "Java is missing: the Nu Html Checker needs it (apt-get install -y default-jre-headless)"
command -v node >/dev/null 2>&1 || need "Node.js is missing: install nodejs and npm"
# --ignore-scripts: vnu-jar's install script would fetch a Java runtime; the system Java is used.
(cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

echo "== formatting and lints"
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings

echo "== unit, integration and documentation tests"
cargo test --all-targets --locked

echo "== the real site builds in release mode"
cargo build --release --locked
# Where cargo puts what it builds: target/, or CARGO_TARGET_DIR, or the build.target-dir
# of a cargo config file. cargo metadata says which (as an absolute path).
target_dir=$(cargo metadata --format-version 1 --no-deps --locked |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
[ -n "$target_dir" ] || target_dir=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)
bin="$target_dir/release/clusterdir"
test -x "$bin" || need "cargo built no $bin"
out=$(mktemp -d)
"$bin" build --output "$out/public"
test -f "$out/public/index.html"
rm -rf "$out"

echo "== every page in Chromium: axe-core, Nu Html Checker, reflow, CSP, keyboard, print, plain English"
(cd tests/browser && CLUSTERDIR_BIN="$bin" node --test)
