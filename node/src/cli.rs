//! Command line of `grid-node`.

/// A Gridchain node: produces blocks with Aura, finalizes them with GRANDPA and serves
/// JSON-RPC on port 9944.
///
/// Start a one-validator development chain with `grid-node --dev` (state in a temporary
/// directory: add `--tmp`), a two-validator local network with `--chain local --alice` and
/// `--chain local --bob` (four validators, Alice to Dave: `--chain local4`, see `zombienet/`),
/// or any network from a chain-spec file with `--chain <file>`.
#[derive(Debug, clap::Parser)]
#[command(
	propagate_version = true,
	args_conflicts_with_subcommands = true,
	subcommand_negates_reqs = true
)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	#[clap(flatten)]
	pub price_feed: crate::price_feed::PriceFeedArgs,
}

#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect, insert keys into the keystore.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Print a chain specification (`--chain dev|local|local4|testnet|<file>`; `--raw` for the
	/// storage form nodes start from).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification of `--chain` to a file.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks read from a file or the database.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks to a file.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state at a block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks from a file.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Delete the chain's database.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous block (unfinalized blocks only).
	Revert(sc_cli::RevertCmd),

	/// Benchmark runtime pallets, storage and the machine (build with
	/// `--features runtime-benchmarks`).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Information about the database's columns.
	ChainInfo(sc_cli::ChainInfoCmd),
}
