#!/usr/bin/env bash
# Runs every test of clusterdir. Sets up what it needs on a fresh machine (a Rust
# toolchain is expected; rustup's cargo is on the project's machines).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== formatting and lints"
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings

echo "== unit, integration and documentation tests"
cargo test --all-targets --locked

echo "== the real site builds in release mode"
cargo build --release --locked
out=$(mktemp -d)
./target/release/clusterdir build --output "$out/public"
test -f "$out/public/index.html"
rm -rf "$out"
