//! `zos-bridge`: see `zos-bridge --help` and the crate docs.

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use serde::Deserialize;
use std::{net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};
use zos_api::{Agent, HttpTransport};
use zos_bridge::{
	api,
	chain::{self, tft, Chain},
	daemon::{Bridge, Settings},
	identity::Identity,
	metrics::Metrics,
	store::Store,
	workloads::{DeploySettings, Deployer},
};

/// The chain-side half of a Zero-OS node.
///
/// On first start it creates the node's key in the data directory (mode 0600) and prints the
/// node's account. A new account has no TFT: the bridge says how much it needs (twin and node
/// deposits, minimum balance and fees, read from the chain) and waits until the farmer sends
/// it — and, on a farm that admits only listed nodes, until the farmer admits it. It then
/// registers the node with the capacity its agent measured and, from then on, reports uptime
/// on the chain's interval, follows the farmer's power target from finalized blocks, and
/// updates the node when the machine changes. Owners of the node's contracts submit their
/// deployments to it (`--deploy-listen`); it checks each against the finalized chain and hands
/// it to the agent, pauses it while the contract is in grace and decommissions it when the
/// contract ends. Every step is journaled in the data directory:
/// after a crash it resumes, never sending a report twice or skipping one.
///
/// Settings come from flags, environment variables, and `--config <file.toml>` (keys as the
/// long flags, e.g. `farm-id = 1`, `rpc = ["ws://a:9944", "ws://b:9944"]`); flags win.
///
/// Examples:
///   zos-bridge --farm-id 1 --rpc ws://127.0.0.1:9944 --agent-url http://127.0.0.1:7070 \
///       --agent-token-file /etc/zos/agent.token --data-dir /var/lib/zos-bridge
///   zos-bridge --config /etc/zos-bridge.toml status
#[derive(Parser, Debug)]
#[command(version, verbatim_doc_comment)]
struct Cli {
	/// TOML file with the settings below (flags override it).
	#[arg(long, global = true, env = "ZOS_BRIDGE_CONFIG")]
	config: Option<PathBuf>,
	#[command(flatten)]
	options: Options,
	#[command(subcommand)]
	command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
	/// Run the bridge (the default).
	Run,
	/// Print the node's state on chain: account, registration, capacity, power, last report,
	/// this period's uptime and projected reward. Reads only; needs the data directory's key.
	Status {
		/// Print JSON instead of text.
		#[arg(long)]
		json: bool,
	},
}

#[derive(Args, Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct Options {
	/// Directory of the node key (`node.key`) and the journal (`bridge.redb`).
	/// [default: ./zos-bridge-data]
	#[arg(long, env = "ZOS_BRIDGE_DATA_DIR")]
	data_dir: Option<PathBuf>,
	/// A chain RPC endpoint (`ws://…`); repeat for failover, in order of preference.
	/// [default: ws://127.0.0.1:9944]
	#[arg(long = "rpc", env = "ZOS_BRIDGE_RPC", value_delimiter = ',')]
	#[serde(default)]
	rpc: Vec<String>,
	/// The farm this node joins.
	#[arg(long, env = "ZOS_BRIDGE_FARM_ID")]
	farm_id: Option<u32>,
	/// The agent's URL. [default: http://127.0.0.1:7070]
	#[arg(long, env = "ZOS_BRIDGE_AGENT_URL")]
	agent_url: Option<String>,
	/// File with the agent's token (the same file as the agent's `--token-file`).
	#[arg(long, env = "ZOS_BRIDGE_AGENT_TOKEN_FILE")]
	agent_token_file: Option<PathBuf>,
	/// Serve Prometheus metrics at `http://<addr>/metrics` (e.g. 127.0.0.1:9616).
	#[arg(long, env = "ZOS_BRIDGE_METRICS")]
	metrics: Option<SocketAddr>,
	/// Log format: `text` or `json` (one JSON object per line). [default: text]
	#[arg(long, env = "ZOS_BRIDGE_LOG_FORMAT", value_parser = ["text", "json"])]
	log_format: Option<String>,
	/// Seconds between full reconciles with the chain and the agent (power target, reports
	/// in flight, the machine's spec). [default: 300]
	#[arg(long)]
	reconcile_secs: Option<u64>,
	/// Seconds between checks of the finalized head. [default: 1]
	#[arg(long)]
	poll_secs: Option<u64>,
	/// Seconds between checks while waiting for funds or admission. [default: 10]
	#[arg(long)]
	funding_secs: Option<u64>,
	/// Where contract owners submit deployments (`POST /api/v1/deployments`). Users reach it
	/// at the node's public config (domain, else IPv4) on this port: keep the port, open it
	/// in the firewall. [default: 0.0.0.0:2021]
	#[arg(long, env = "ZOS_BRIDGE_DEPLOY_LISTEN")]
	deploy_listen: Option<SocketAddr>,
	/// Seconds after a node contract's creation before one with no deployment submitted is
	/// reported as an orphan (logs and `zos_bridge_orphan_contracts`). [default: 600]
	#[arg(long)]
	orphan_secs: Option<u64>,
}

impl Options {
	/// `self` (from flags) over `file`.
	fn over(self, file: Options) -> Options {
		Options {
			data_dir: self.data_dir.or(file.data_dir),
			rpc: if self.rpc.is_empty() { file.rpc } else { self.rpc },
			farm_id: self.farm_id.or(file.farm_id),
			agent_url: self.agent_url.or(file.agent_url),
			agent_token_file: self.agent_token_file.or(file.agent_token_file),
			metrics: self.metrics.or(file.metrics),
			log_format: self.log_format.or(file.log_format),
			reconcile_secs: self.reconcile_secs.or(file.reconcile_secs),
			poll_secs: self.poll_secs.or(file.poll_secs),
			funding_secs: self.funding_secs.or(file.funding_secs),
			deploy_listen: self.deploy_listen.or(file.deploy_listen),
			orphan_secs: self.orphan_secs.or(file.orphan_secs),
		}
	}
}

fn init_logs(format: &str) {
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
	use std::io::IsTerminal;
	let builder = tracing_subscriber::fmt()
		.with_env_filter(filter)
		.with_writer(std::io::stderr)
		.with_ansi(std::io::stderr().is_terminal());
	if format == "json" {
		builder.json().flatten_event(true).init();
	} else {
		builder.init();
	}
}

fn read_token(path: &PathBuf) -> Result<String> {
	let text = std::fs::read_to_string(path)
		.with_context(|| format!("reading the agent token file {}", path.display()))?;
	Ok(text.lines().next().unwrap_or_default().trim().to_string())
}

#[tokio::main]
async fn main() {
	if let Err(e) = run().await {
		eprintln!("zos-bridge: {e:#}");
		std::process::exit(1);
	}
}

async fn run() -> Result<()> {
	let cli = Cli::parse();
	let file = match &cli.config {
		Some(path) => {
			let text = std::fs::read_to_string(path)
				.with_context(|| format!("reading {}", path.display()))?;
			toml::from_str(&text)
				.with_context(|| format!("{} is not a valid config", path.display()))?
		},
		None => Options::default(),
	};
	let o = cli.options.over(file);
	init_logs(o.log_format.as_deref().unwrap_or("text"));
	let data_dir = o.data_dir.clone().unwrap_or_else(|| PathBuf::from("zos-bridge-data"));
	let rpc =
		if o.rpc.is_empty() { vec!["ws://127.0.0.1:9944".to_string()] } else { o.rpc.clone() };
	let metrics = Metrics::new()?;
	match cli.command.unwrap_or(Command::Run) {
		Command::Status { json } => status(&data_dir, rpc, metrics, json).await,
		Command::Run => {
			let Some(farm_id) = o.farm_id else {
				bail!("--farm-id is required: the farm this node joins")
			};
			let Some(token_file) = &o.agent_token_file else {
				bail!("--agent-token-file is required: the file holding the agent's token")
			};
			let (id, created) = Identity::load_or_create(&data_dir)?;
			if created {
				tracing::info!(account = %id.account, key = %id.path.display(), "created the node's key");
			}
			tracing::info!(account = %id.account, farm_id, "zos-bridge starting");
			let store = Arc::new(Store::open(&data_dir)?);
			let agent_url = o.agent_url.clone().unwrap_or_else(|| "http://127.0.0.1:7070".into());
			let agent = Agent::new(HttpTransport::new(
				&agent_url,
				&read_token(token_file)?,
				Duration::from_secs(10),
			));
			if let Some(addr) = o.metrics {
				let registry = metrics.registry.clone();
				tokio::spawn(async move {
					if let Err(e) =
						substrate_prometheus_endpoint::init_prometheus(addr, registry).await
					{
						tracing::error!(error = %e, "metrics server stopped");
					}
				});
				tracing::info!(%addr, "serving metrics at /metrics");
			}
			let settings = Settings {
				farm_id,
				reconcile_every: Duration::from_secs(o.reconcile_secs.unwrap_or(300).max(1)),
				poll_every: Duration::from_secs(o.poll_secs.unwrap_or(1).max(1)),
				funding_every: Duration::from_secs(o.funding_secs.unwrap_or(10).max(1)),
			};
			let deploy_listen =
				o.deploy_listen.unwrap_or_else(|| SocketAddr::from(([0, 0, 0, 0], 2021)));
			// Bound before registering: a taken port is an operator's error to see at once.
			let listener = tokio::net::TcpListener::bind(deploy_listen)
				.await
				.with_context(|| format!("listening for deployments on {deploy_listen}"))?;
			let chain = Arc::new(Chain::new(rpc, metrics.clone()));
			let bridge = tokio::select! {
				bridge = Bridge::start(
					settings.clone(),
					chain.clone(),
					agent.clone(),
					store.clone(),
					id,
					metrics.clone(),
				) => bridge?,
				_ = shutdown() => return Ok(()),
			};
			let deployer = Arc::new(Deployer::new(
				chain,
				agent,
				store,
				metrics,
				bridge.node_id(),
				DeploySettings {
					reconcile_every: settings.reconcile_every,
					poll_every: settings.poll_every,
					orphan_after: Duration::from_secs(o.orphan_secs.unwrap_or(600)),
					fault: std::env::var("ZOS_BRIDGE_FAULT").ok(),
				},
			));
			tracing::info!(addr = %listener.local_addr()?, "serving deployments at /api/v1/deployments");
			tokio::spawn(api::serve(listener, deployer.clone()));
			tokio::spawn(deployer.run());
			bridge.run(shutdown()).await
		},
	}
}

/// SIGINT or SIGTERM.
async fn shutdown() {
	use tokio::signal::unix::{signal, SignalKind};
	match signal(SignalKind::terminate()) {
		Ok(mut term) => {
			tokio::select! {
				_ = tokio::signal::ctrl_c() => {},
				_ = term.recv() => {},
			}
		},
		Err(_) => {
			let _ = tokio::signal::ctrl_c().await;
		},
	}
}

async fn status(
	data_dir: &std::path::Path,
	rpc: Vec<String>,
	metrics: Metrics,
	json: bool,
) -> Result<()> {
	use grid_client::grid;
	if !data_dir.join(zos_bridge::identity::KEY_FILE).exists() {
		bail!("no node key in {}: start the bridge once to create it", data_dir.display());
	}
	let (id, _) = Identity::load_or_create(data_dir)?;
	let chain = Chain::new(rpc, metrics);
	let at = chain.finalized().await?;
	let free = grid_client::free_balance_at(&at, &id.account).await?;
	let (twin, node) = chain::node_of(&at, &id.account).await?;
	let mut out = serde_json::json!({
		"account": id.account.to_string(),
		"free": free.to_string(),
		"twin_id": twin,
		"finalized_block": at.block_number(),
	});
	let mut lines = vec![
		format!("account     {}", id.account),
		format!("free        {}", tft(free)),
		format!("twin        {}", twin.map_or("none".into(), |t| t.to_string())),
	];
	if let Some((node_id, node)) = node {
		let r = &node.spec.resources;
		let power = format!("target {:?}, state {:?}", node.power.target, node.power.state);
		let state = at
			.storage()
			.try_fetch(grid::storage().minting().node_states(), (node_id,))
			.await?;
		let last = match state {
			Some(s) => s.decode()?.last,
			None => None,
		};
		let now = chain::chain_secs(&at).await?;
		let so_far =
			grid_client::view_at(&at, grid::view_functions().minting().period_so_far(node_id))
				.await?;
		lines.push(format!("node        {node_id} on farm {}", node.farm_id));
		lines.push(format!(
			"capacity    {} cores, {} GiB memory, {} GiB SSD, {} GiB HDD",
			r.cru,
			r.mru >> 30,
			r.sru >> 30,
			r.hru >> 30
		));
		lines.push(format!("power       {power}"));
		match &last {
			Some(l) => lines.push(format!(
				"last report {} s ago (uptime {} s)",
				now.saturating_sub(l.at),
				l.uptime
			)),
			None => lines.push("last report never".into()),
		}
		if let Some(p) = &so_far {
			lines.push(format!(
				"this period #{}: uptime {}‰ ({} s), projected reward {}",
				p.period,
				p.uptime_permille,
				p.uptime,
				tft(p.projected_tft)
			));
		}
		out["node"] = serde_json::json!({
			"node_id": node_id,
			"farm_id": node.farm_id,
			"resources": { "cru": r.cru, "mru": r.mru, "sru": r.sru, "hru": r.hru },
			"power_target": format!("{:?}", node.power.target),
			"power_state": format!("{:?}", node.power.state),
			"last_report_age_s": last.as_ref().map(|l| now.saturating_sub(l.at)),
			"period": so_far.as_ref().map(|p| serde_json::json!({
				"index": p.period,
				"uptime_s": p.uptime,
				"uptime_permille": p.uptime_permille,
				"projected_tft": p.projected_tft.to_string(),
			})),
		});
	} else {
		lines.push("node        not registered".into());
	}
	if json {
		println!("{}", serde_json::to_string_pretty(&out)?);
	} else {
		println!("{}", lines.join("\n"));
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]
	use super::*;

	#[test]
	fn a_config_file_takes_the_flags_names_and_flags_win() {
		let file: Options = toml::from_str(
			r#"
			farm-id = 3
			rpc = ["ws://a:9944", "ws://b:9944"]
			agent-url = "http://127.0.0.1:7071"
			log-format = "json"
			"#,
		)
		.unwrap();
		let flags = Cli::parse_from(["zos-bridge", "--farm-id", "4"]).options;
		let o = flags.over(file);
		assert_eq!(o.farm_id, Some(4));
		assert_eq!(o.rpc, vec!["ws://a:9944", "ws://b:9944"]);
		assert_eq!(o.agent_url.as_deref(), Some("http://127.0.0.1:7071"));
		assert_eq!(o.log_format.as_deref(), Some("json"));
	}

	#[test]
	fn an_unknown_config_key_is_an_error() {
		assert!(toml::from_str::<Options>("farm = 3").is_err());
	}

	#[test]
	fn the_help_explains_itself() {
		use clap::CommandFactory;
		let help = Cli::command().render_long_help().to_string();
		for flag in
			["--farm-id", "--rpc", "--agent-token-file", "--metrics", "--log-format", "--config"]
		{
			assert!(help.contains(flag), "{flag} missing from --help");
		}
		assert!(help.contains("Examples:"));
	}
}
