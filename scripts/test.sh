#!/usr/bin/env bash
# The whole test suite: formatting, lints, every crate's tests (the seeds and
# the own-words development set included), then the scores for the record.
# Needs only a Rust toolchain (cargo, rustfmt, clippy); run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null; then
  echo "cargo not found: install Rust (https://rustup.rs) first" >&2
  exit 2
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings
echo "== cargo test"
cargo test --workspace --quiet 2>&1 | tee /tmp/muster-test.log
echo "== scores (informational)"
if [ -f ../shared/seeds/gold.jsonl ]; then
  cargo run --quiet --release -p muster -- eval ../shared/seeds/gold.jsonl --texts ../shared/seeds
fi
cargo run --quiet --release -p muster -- eval tests/devset/own/gold.jsonl
