# The build environment of every script. `source scripts/env.sh` in a shell to build and test
# exactly as the scripts do, sharing their compiled crates (any other environment rebuilds the
# workspace's own crates).

# One persistent build directory outside the clone, so every clone (and CI) builds
# incrementally on top of the last build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gridchain/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# The workspace's own crates compile through clippy-driver with warnings denied, so the build
# is also the lint (`cargo clippy --workspace --all-targets -- -D warnings`) without checking
# every dependency a second time. Dependencies compile with plain rustc.
gridchain_lint_with_clippy() {
	local driver
	driver="$(rustup which clippy-driver 2>/dev/null)" || return 0
	export RUSTC_WORKSPACE_WRAPPER="$driver"
	export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
}
gridchain_lint_with_clippy
