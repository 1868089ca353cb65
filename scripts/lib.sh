# Shared by the scripts: environment and idempotent setup of a fresh Debian machine with Rust.
# Source it; do not run it.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
source scripts/env.sh
NODE_BIN="$CARGO_TARGET_DIR/release/grid-node"
export GRID_NODE="${GRID_NODE:-$NODE_BIN}"

say() { printf '\n==> %s\n' "$*"; }

# Debian packages: protoc for the networking stack, clang for C dependencies.
ensure_debian_packages() {
	local missing=()
	command -v protoc >/dev/null || missing+=(protobuf-compiler)
	command -v clang >/dev/null || missing+=(clang)
	command -v node >/dev/null || missing+=(nodejs)
	command -v npm >/dev/null || missing+=(npm)
	if ((${#missing[@]})); then
		say "installing Debian packages: ${missing[*]}"
		local sudo=""
		[ "$(id -u)" -eq 0 ] || sudo="sudo"
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
	fi
}

# The toolchain pinned in rust-toolchain.toml, with the wasm target the runtime needs.
ensure_rust() {
	local channel
	channel="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"
	local components
	components="$(rustup component list --installed --toolchain "$channel" 2>/dev/null || true)"
	if ! rustup target list --installed --toolchain "$channel" 2>/dev/null | grep -qx wasm32v1-none ||
		! grep -q '^clippy' <<<"$components" || ! grep -q '^rustfmt' <<<"$components"; then
		say "installing Rust $channel with rustfmt, clippy and the wasm32v1-none target"
		rustup toolchain install "$channel" --profile minimal \
			--component rustfmt,clippy --target wasm32v1-none
	fi
	# clippy-driver exists only now on a fresh machine.
	gridchain_lint_with_clippy
}

ensure_npm_packages() {
	if [ ! -d e2e/js/node_modules/@polkadot/api ]; then
		say "installing npm packages for e2e/js"
		(cd e2e/js && npm ci --no-audit --no-fund)
	fi
}

setup() {
	ensure_debian_packages
	ensure_rust
	ensure_npm_packages
}

# One build for everything: the node, the runtime and every test target. Selecting the same
# packages every time keeps cargo's feature unification identical, so the dev chain and the
# tests share every compiled crate instead of building the graph twice. The workspace's crates
# go through clippy (see env.sh): a lint is a build error.
build_all() {
	say "building and linting the workspace (release, clippy -D warnings) into $CARGO_TARGET_DIR"
	cargo build --locked --release --workspace --all-targets
}

# tools/try-runtime: the runtime natively with `try-runtime`, in a workspace of its own so the
# feature never reaches the node's build; no wasm (it runs natively).
build_try_runtime() {
	say "building grid-try-runtime (the runtime with try-runtime, native only)"
	SKIP_WASM_BUILD=1 cargo build --locked --release --manifest-path tools/try-runtime/Cargo.toml
}

# zombienet/: the network tests and grid-zombienet, on zombienet-sdk (its own workspace: it
# pulls an older polkadot-sdk stack the chain must not build).
build_zombienet() {
	say "building the network tests (zombienet/)"
	cargo build --locked --release --manifest-path zombienet/Cargo.toml --all-targets
}
