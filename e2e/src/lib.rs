//! Helpers for end-to-end tests against a real `grid-node` process.
//!
//! [`DevNode::start`] runs `grid-node --dev --tmp` on free local ports, waits until its RPC
//! answers, and kills it when dropped; [`DevNode::start_with`] runs it with other arguments,
//! e.g. several nodes of one network (each reports its [`DevNode::p2p_port`]). Tests talk to it through [`grid_client`], the same
//! client the bridge and the CLI use.
//!
//! The node binary is `$GRID_NODE` if set, else `grid-node` next to the test executable's
//! profile directory (what `cargo build --release -p grid-node` produces).

use anyhow::{anyhow, bail, Context, Result};
use std::{
	net::TcpListener,
	path::PathBuf,
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};
use subxt::{
	rpcs::{rpc_params, RpcClient},
	OnlineClient, PolkadotConfig,
};

pub use grid_client::{bounded, grid, text, Failed, GridClient, Wait};

pub type Client = OnlineClient<PolkadotConfig>;

/// Where the `grid-node` binary is.
pub fn node_binary() -> Result<PathBuf> {
	workspace_binary("grid-node", "GRID_NODE")
}

/// Where a binary of the workspace is: `$<env>` if set, else next to the test executable's
/// profile directory (where `cargo build --release -p <package>` puts it).
pub fn workspace_binary(name: &str, env: &str) -> Result<PathBuf> {
	if let Some(path) = std::env::var_os(env) {
		return Ok(PathBuf::from(path));
	}
	// target/<profile>/deps/<test-exe> -> target/<profile>/<name>
	let exe = std::env::current_exe()?;
	let profile_dir = exe
		.parent()
		.and_then(|deps| deps.parent())
		.ok_or_else(|| anyhow!("unexpected test executable location {}", exe.display()))?;
	let binary = profile_dir.join(name);
	if !binary.exists() {
		bail!(
			"{} does not exist: build it with `cargo build --release -p {name}` (or set {env})",
			binary.display()
		);
	}
	Ok(binary)
}

fn free_port() -> Result<u16> {
	Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A running `grid-node`; killed on drop.
pub struct DevNode {
	child: Child,
	pub ws_url: String,
	/// The local TCP port the node listens on for peers (`/ip4/127.0.0.1/tcp/<p2p_port>`).
	pub p2p_port: u16,
	log: PathBuf,
}

impl DevNode {
	/// Starts a dev node (`--dev --tmp`) and waits (up to 120 s) until its RPC answers.
	pub async fn start(name: &str) -> Result<Self> {
		Self::start_with(name, &["--dev", "--tmp"]).await
	}

	/// Starts `grid-node` with `args` (chain, role, base path, keys, bootnodes, ...) on free
	/// local RPC and p2p ports, without mDNS and Prometheus, and waits (up to 120 s) until its
	/// RPC answers. Its log is in the temporary directory, named after `name`.
	pub async fn start_with(name: &str, args: &[&str]) -> Result<Self> {
		let rpc_port = free_port()?;
		let p2p_port = free_port()?;
		let log = std::env::temp_dir().join(format!("grid-e2e-{name}-{rpc_port}.log"));
		let log_file = std::fs::File::create(&log)?;
		let child = Command::new(node_binary()?)
			.args(args)
			.args(["--no-mdns", "--no-prometheus"])
			.args(["--rpc-port", &rpc_port.to_string()])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{p2p_port}")])
			.stdout(Stdio::null())
			.stderr(log_file)
			.spawn()
			.context("starting grid-node")?;
		let mut node = Self { child, ws_url: format!("ws://127.0.0.1:{rpc_port}"), p2p_port, log };
		let deadline = Instant::now() + Duration::from_secs(120);
		loop {
			if let Some(status) = node.child.try_wait()? {
				bail!("grid-node exited with {status}:\n{}", node.log_tail());
			}
			if RpcClient::from_insecure_url(&node.ws_url).await.is_ok() {
				return Ok(node);
			}
			if Instant::now() > deadline {
				bail!("grid-node RPC did not come up:\n{}", node.log_tail());
			}
			tokio::time::sleep(Duration::from_millis(250)).await;
		}
	}

	pub async fn rpc(&self) -> Result<RpcClient> {
		Ok(RpcClient::from_insecure_url(&self.ws_url).await?)
	}

	pub async fn client(&self) -> Result<Client> {
		Ok(Client::from_rpc_client(self.rpc().await?).await?)
	}

	/// A [`GridClient`] connected to this node.
	pub async fn grid(&self) -> Result<GridClient> {
		GridClient::connect(&self.ws_url).await
	}

	/// The last lines the node logged, for failure messages.
	pub fn log_tail(&self) -> String {
		let text = std::fs::read_to_string(&self.log).unwrap_or_default();
		let lines: Vec<&str> = text.lines().collect();
		lines[lines.len().saturating_sub(40)..].join("\n")
	}

	/// The number of the node's finalized head.
	pub async fn finalized_number(&self) -> Result<u32> {
		finalized_number_on(&self.rpc().await?).await
	}

	/// Waits until the finalized head is at least `number`.
	pub async fn wait_finalized(&self, number: u32, timeout: Duration) -> Result<u32> {
		let rpc = self.rpc().await?;
		let deadline = Instant::now() + timeout;
		loop {
			let finalized = finalized_number_on(&rpc).await?;
			if finalized >= number {
				return Ok(finalized);
			}
			if Instant::now() > deadline {
				bail!("finalized head stuck at #{finalized}:\n{}", self.log_tail());
			}
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}
}

async fn finalized_number_on(rpc: &RpcClient) -> Result<u32> {
	let hash: String = rpc.request("chain_getFinalizedHead", rpc_params![]).await?;
	let header: serde_json::Value = rpc.request("chain_getHeader", rpc_params![hash]).await?;
	let hex = header["number"].as_str().ok_or_else(|| anyhow!("header without number"))?;
	Ok(u32::from_str_radix(hex.trim_start_matches("0x"), 16)?)
}

impl Drop for DevNode {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}
