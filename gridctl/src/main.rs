//! # gridctl
//!
//! The command line of Gridchain: keys and accounts, a farmer's farms, nodes and rewards, a
//! user's contracts, deployments and bills, and a validator operator's view of the set. Every
//! command prints a table or lines for a person, and with `--json` one JSON document for a
//! script (schemas in the README, section "gridctl"). Transactions show their fee first, ask
//! (`--yes` skips), then wait for inclusion and finality.
//!
//! Everything it shows comes from the chain's view functions and runtime APIs through
//! `grid-client`: it computes no quote, reward or status itself.
//!
//! Exit codes: 0 done; 1 the chain refused (failed in the runtime, or rejected by the pool);
//! 2 bad input, nothing sent; 3 no node reachable; 4 declined at the prompt.

mod account;
mod amount;
mod chain;
mod fail;
mod farmer;
mod keys;
mod out;
mod user;

use clap::{Parser, Subcommand};
use fail::Failure;
use grid_client::Wait;
use std::{io::Write, path::PathBuf, process::ExitCode};

/// Gridchain from the command line: farms, nodes, rewards, contracts, deployments, bills.
#[derive(Parser)]
#[command(
	name = "gridctl",
	version,
	after_help = "Examples:
  gridctl key new                              # a new key in ~/.config/gridctl/key.json
  gridctl account                              # its address, balances and twin
  gridctl farm create my-farm --yes            # become a farmer
  gridctl nodes --min-cru 4 --public-ips 1     # where to deploy
  gridctl quote 7 --cru 2 --mru 4GiB --sru 50GiB
  GRIDCTL_URL=ws://a:9944,ws://b:9944 gridctl farm receipts my-farm --json

Exit codes: 0 done, 1 refused by the chain, 2 bad input (nothing sent), 3 no node reachable,
4 declined at the prompt."
)]
struct Cli {
	/// The node's JSON-RPC URL; give several (or a comma-separated GRIDCTL_URL) to fail over in
	/// order.
	#[arg(
		long = "url",
		global = true,
		env = "GRIDCTL_URL",
		value_delimiter = ',',
		default_value = "ws://127.0.0.1:9944"
	)]
	urls: Vec<String>,
	/// The key file that signs [default: ~/.config/gridctl/key.json].
	#[arg(long, global = true, env = "GRIDCTL_KEY")]
	key: Option<PathBuf>,
	/// Print one JSON document on standard output instead of tables.
	#[arg(long, global = true)]
	json: bool,
	/// Send transactions without asking (the fee is still printed).
	#[arg(long, short = 'y', global = true)]
	yes: bool,
	/// Return once a transaction is in a block, without waiting for finality.
	#[arg(long, global = true)]
	no_finality: bool,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Create, import or show the signing key.
	#[command(subcommand)]
	Key(account::KeyCommand),
	/// An account's address, balances (free, held, committed) and twin.
	Account(account::AccountArgs),
	/// Send TFT to an account.
	Transfer(account::TransferArgs),
	/// Create the twin (on-chain identity) every farmer and user needs first.
	#[command(subcommand)]
	Twin(account::TwinCommand),
	/// A farmer's farms: create, IPs, payout, node policy, admitting nodes, nodes, rewards.
	#[command(subcommand)]
	Farm(farmer::FarmCommand),
	/// Claim a farm's unclaimed rewards (paid to its payout account).
	Claim(farmer::ClaimArgs),
	/// A farmer's node: its power target.
	#[command(subcommand)]
	Node(farmer::NodeCommand),
	/// Nodes on the grid with free capacity, filtered (one call for up to 1,000 nodes).
	Nodes(user::NodesArgs),
	/// What a contract would cost per hour and month, in TFT and USD, with your discount.
	Quote(user::QuoteArgs),
	/// Contracts: create node, rent and name contracts, list, show, cancel.
	#[command(subcommand)]
	Contract(user::ContractCommand),
	/// Deploy workloads on a node: contract, signature, submission to its bridge, states.
	Deploy(user::DeployArgs),
	/// Commit TFT to billing for a holding discount.
	Commit(user::AmountArgs),
	/// Ask for committed TFT back (after billing's delay), or complete a due release.
	Release(user::ReleaseArgs),
	/// Your bills: monthly spend, discount, debt, what you can pay with, runway.
	#[command(after_help = "Example:\n  gridctl bills --json")]
	Bills,
	/// Pay your debt now.
	#[command(after_help = "Example:\n  gridctl pay-debt")]
	PayDebt,
	/// The validator set, the session, this node's keys, and the council's validator motions.
	Validators(account::ValidatorsArgs),
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	let global = chain::Global {
		urls: cli
			.urls
			.iter()
			.map(|u| u.trim().to_string())
			.filter(|u| !u.is_empty())
			.collect(),
		key: cli.key.clone(),
		yes: cli.yes,
		wait: if cli.no_finality { Wait::InBlock } else { Wait::Finalized },
		out: out::Out::new(cli.json),
	};
	let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
		Ok(runtime) => runtime,
		Err(e) => {
			eprintln!("error: cannot start: {e}");
			return ExitCode::from(2);
		},
	};
	match runtime.block_on(run(cli.command, global.clone())) {
		Ok(()) => ExitCode::SUCCESS,
		Err(failure) => report(&failure, global.out.json),
	}
}

/// Prints a failure (on standard error, and as JSON on standard output with `--json`).
fn report(failure: &Failure, json: bool) -> ExitCode {
	if json {
		let doc = serde_json::json!({
			"error": {
				"kind": failure.kind.name(),
				"message": failure.message,
				"name": failure.error,
				"docs": failure.docs,
			}
		});
		let _ = writeln!(
			std::io::stdout(),
			"{}",
			serde_json::to_string_pretty(&doc).unwrap_or_default()
		);
	}
	eprintln!("error: {failure}");
	ExitCode::from(failure.kind.code())
}

async fn run(command: Command, global: chain::Global) -> fail::Result<()> {
	// Commands that need no chain.
	if let Command::Key(account::KeyCommand::Show) = command {
		return account::key_show(&global);
	}
	let chain = chain::connect(&global).await?;
	match command {
		Command::Key(cmd) => account::key(&chain, cmd).await,
		Command::Account(args) => account::account(&chain, args).await,
		Command::Transfer(args) => account::transfer(&chain, args).await,
		Command::Twin(cmd) => account::twin(&chain, cmd).await,
		Command::Farm(cmd) => farmer::farm(&chain, cmd).await,
		Command::Claim(args) => farmer::claim(&chain, args).await,
		Command::Node(cmd) => farmer::node(&chain, cmd).await,
		Command::Nodes(args) => user::nodes(&chain, args).await,
		Command::Quote(args) => user::quote(&chain, args).await,
		Command::Contract(cmd) => user::contract(&chain, cmd).await,
		Command::Deploy(args) => user::deploy(&chain, args).await,
		Command::Commit(args) => user::commit(&chain, args).await,
		Command::Release(args) => user::release(&chain, args).await,
		Command::Bills => user::bills(&chain).await,
		Command::PayDebt => user::pay_debt(&chain).await,
		Command::Validators(args) => account::validators(&chain, args).await,
	}
}
