#!/usr/bin/env bash
# Runs every test of clusterdir. Sets up what it needs on a fresh machine: a Rust
# toolchain is expected (cargo); moto, the deploy tests' S3 server, is installed from
# PyPI into the target folder; Chromium is installed from Debian when missing (as
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

echo "== the S3-compatible server for the deploy tests (moto, in a virtual environment)"
# Where cargo puts what it builds: target/, or CARGO_TARGET_DIR, or the build.target-dir
# of a cargo config file. cargo metadata says which (as an absolute path).
target_dir=$(cargo metadata --format-version 1 --no-deps --locked |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
[ -n "$target_dir" ] || target_dir=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)
# tests/common/s3.rs looks for it here; keep the version in step with MOTO there.
moto="$target_dir/moto"
if ! "$moto/bin/moto_server" --help >/dev/null 2>&1; then
  command -v python3 >/dev/null 2>&1 || need "Python 3 is missing: the deploy tests' S3 server needs it (apt-get install -y python3 python3-venv)"
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    else
      need "Python's venv module is missing: install python3-venv"
    fi
  fi
  rm -rf "$moto"
  python3 -m venv "$moto"
  "$moto/bin/pip" install --quiet --disable-pip-version-check "moto[server]==5.2.5" ||
    need "could not install moto[server] from PyPI into $moto (the deploy tests' S3 server)"
fi

echo "== formatting and lints"
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings

echo "== unit, integration and documentation tests"
cargo test --all-targets --locked

echo "== the real site builds in release mode"
cargo build --release --locked
bin="$target_dir/release/clusterdir"
test -x "$bin" || need "cargo built no $bin"
out=$(mktemp -d)
"$bin" build --output "$out/public"
test -f "$out/public/index.html"
rm -rf "$out"

echo "== every page in Chromium: axe-core, Nu Html Checker, reflow, CSP, keyboard, print, plain English"
(cd tests/browser && CLUSTERDIR_BIN="$bin" node --test)
