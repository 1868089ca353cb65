//! Real processes for the bridge's tests: `zos-agent` machines, `zos-bridge` daemons, a TCP
//! proxy that can be cut, and chain helpers.

#![allow(dead_code)]

use anyhow::{anyhow, bail, Context, Result};
use grid_client::{grid, GridClient, Wait};
use std::{
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};
use subxt::utils::{AccountId32, MultiAddress};
use subxt_signer::{sr25519::Keypair, SecretUri};
use zos_api::{Agent, HttpTransport};

pub const TFT: u128 = 10_000_000;

pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.and_then(|l| l.local_addr())
		.map(|a| a.port())
		.unwrap_or(0)
}

pub fn unix_millis() -> u128 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_millis())
		.unwrap_or(0)
}

pub fn unix_now() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_secs())
		.unwrap_or(0)
}

/// A fresh working directory for one process.
pub fn work_dir(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("zos-bridge-test-{name}-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	let _ = std::fs::create_dir_all(&dir);
	dir
}

/// A key derived from a name (`//name`).
pub fn key(name: &str) -> Keypair {
	let uri: SecretUri = format!("//{name}").parse().expect("a valid derivation path");
	Keypair::from_uri(&uri).expect("a derivable key")
}

/// A child process, killed (SIGKILL) on drop; its output goes to a log file.
pub struct Proc {
	child: Child,
	pub log: PathBuf,
}

impl Proc {
	pub fn spawn(program: &Path, args: &[String], log: &Path) -> Result<Self> {
		Self::spawn_env(program, args, &[], log)
	}

	pub fn spawn_env(
		program: &Path,
		args: &[String],
		env: &[(&str, &str)],
		log: &Path,
	) -> Result<Self> {
		let out = std::fs::OpenOptions::new().create(true).append(true).open(log)?;
		let child = Command::new(program)
			.args(args)
			.envs(env.iter().copied())
			.env("RUST_LOG", "info")
			.stdout(out.try_clone()?)
			.stderr(out)
			.stdin(Stdio::null())
			.spawn()
			.with_context(|| format!("starting {}", program.display()))?;
		Ok(Self { child, log: log.to_path_buf() })
	}

	pub fn text(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}

	/// `kill -9`.
	pub fn kill9(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}

	/// The exit status, once it exited.
	pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
		self.child.try_wait().ok().flatten()
	}
}

impl Drop for Proc {
	fn drop(&mut self) {
		self.kill9();
	}
}

/// Waits for `what` to hold, polling every 500 ms.
pub async fn wait_until<F, Fut>(what: &str, within: Duration, mut check: F) -> Result<()>
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = Result<bool>>,
{
	let deadline = Instant::now() + within;
	loop {
		if check().await? {
			return Ok(());
		}
		if Instant::now() > deadline {
			bail!("{what}: not within {within:?}");
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

/// A simulated machine: a `zos-agent` process with its own capacity and boot.
pub struct Machine {
	pub name: String,
	pub port: u16,
	pub dir: PathBuf,
	args: Vec<String>,
	proc: Option<Proc>,
}

impl Machine {
	pub const TOKEN: &'static str = "test-token-0123456789abcdef";

	/// Starts an agent reporting `capacity` (`cores,memory,ssd,hdd`).
	pub async fn start(name: &str, capacity: &str) -> Result<Self> {
		Self::start_with(name, capacity, &[]).await
	}

	/// [`Self::start`] with more agent flags.
	pub async fn start_with(name: &str, capacity: &str, extra: &[String]) -> Result<Self> {
		let dir = work_dir(&format!("agent-{name}"));
		let token = dir.join("token");
		std::fs::write(&token, Self::TOKEN)?;
		let port = free_port();
		let args = [
			"--listen",
			&format!("127.0.0.1:{port}"),
			"--token-file",
			&token.to_string_lossy(),
			"--capacity",
			capacity,
			"--boot",
			"start",
			"--virtualized",
			"no",
			"--city",
			"Ghent",
			"--country",
			"BE",
			"--boot-delay",
			"2",
			"--usage-file",
			&dir.join("usage.json").to_string_lossy(),
			"--data-dir",
			&dir.join("data").to_string_lossy(),
		]
		.map(String::from)
		.to_vec();
		let args = [args, extra.to_vec()].concat();
		let mut machine = Self { name: name.into(), port, dir, args, proc: None };
		machine.restart().await?;
		Ok(machine)
	}

	pub fn url(&self) -> String {
		format!("http://127.0.0.1:{}", self.port)
	}

	pub fn token_file(&self) -> PathBuf {
		self.dir.join("token")
	}

	pub fn agent(&self) -> Agent<HttpTransport> {
		Agent::new(HttpTransport::new(&self.url(), Self::TOKEN, Duration::from_secs(5)))
	}

	/// The machine crashes (its agent is killed).
	pub fn crash(&mut self) {
		if let Some(mut p) = self.proc.take() {
			p.kill9();
		}
	}

	/// Starts the agent (again: the machine boots anew) and waits until it answers.
	pub async fn restart(&mut self) -> Result<()> {
		self.crash();
		let binary = grid_e2e::workspace_binary("zos-agent", "ZOS_AGENT")?;
		self.proc = Some(Proc::spawn(&binary, &self.args, &self.dir.join("agent.log"))?);
		let agent = self.agent();
		wait_until(&format!("agent {} answers", self.name), Duration::from_secs(30), || {
			let agent = agent.clone();
			async move { Ok(agent.version().await.is_ok()) }
		})
		.await
	}

	pub fn log(&self) -> String {
		std::fs::read_to_string(self.dir.join("agent.log")).unwrap_or_default()
	}

	/// What the machine's workloads counted: per contract, public traffic since they started.
	pub fn set_traffic(&self, counters: &[(u64, u64)]) -> Result<()> {
		let list: Vec<zos_api::ContractUsage> = counters
			.iter()
			.map(|&(contract_id, bytes)| zos_api::ContractUsage {
				contract_id,
				used: zos_api::Capacity { cru: 1, mru: 1 << 30, sru: 10 << 30, hru: 0, ipv4u: 0 },
				public_traffic_bytes: bytes,
			})
			.collect();
		// Written whole, then renamed: the agent never reads half a file.
		let tmp = self.dir.join("usage.json.tmp");
		std::fs::write(&tmp, serde_json::to_vec(&list)?)?;
		std::fs::rename(&tmp, self.dir.join("usage.json"))?;
		Ok(())
	}
}

impl Drop for Machine {
	fn drop(&mut self) {
		self.crash();
		forget(&self.dir);
	}
}

/// A `zos-bridge` process for a machine.
pub struct Bridge {
	pub name: String,
	pub dir: PathBuf,
	pub metrics_port: u16,
	/// Where it serves deployments.
	pub deploy_port: u16,
	args: Vec<String>,
	proc: Option<Proc>,
}

impl Bridge {
	/// Starts a bridge for `machine` joining `farm_id` through `rpc` endpoints.
	pub fn start(name: &str, machine: &Machine, farm_id: u32, rpc: &[String]) -> Result<Self> {
		let dir = work_dir(&format!("bridge-{name}"));
		let metrics_port = free_port();
		let deploy_port = free_port();
		let mut args = vec![
			"--data-dir".to_string(),
			dir.join("data").to_string_lossy().into_owned(),
			"--farm-id".into(),
			farm_id.to_string(),
			"--agent-url".into(),
			machine.url(),
			"--agent-token-file".into(),
			machine.token_file().to_string_lossy().into_owned(),
			"--metrics".into(),
			format!("127.0.0.1:{metrics_port}"),
			"--funding-secs".into(),
			"2".into(),
			"--reconcile-secs".into(),
			"20".into(),
			"--deploy-listen".into(),
			format!("127.0.0.1:{deploy_port}"),
			"--orphan-secs".into(),
			"10".into(),
		];
		for url in rpc {
			args.extend(["--rpc".to_string(), url.clone()]);
		}
		let mut bridge =
			Self { name: name.into(), dir, metrics_port, deploy_port, args, proc: None };
		bridge.restart()?;
		Ok(bridge)
	}

	/// Its deployment endpoint, as an owner calls it.
	pub fn deployments(&self) -> zos_api::BridgeClient {
		zos_api::BridgeClient::new(
			&format!("http://127.0.0.1:{}", self.deploy_port),
			Duration::from_secs(30),
		)
	}

	/// Starts the process again with `env` (e.g. a fault to inject).
	pub fn restart_env(&mut self, env: &[(&str, &str)]) -> Result<()> {
		self.kill9();
		let log = self.dir.join("bridge.log");
		self.proc = Some(Proc::spawn_env(&Self::binary()?, &self.args, env, &log)?);
		Ok(())
	}

	pub fn binary() -> Result<PathBuf> {
		Ok(PathBuf::from(env!("CARGO_BIN_EXE_zos-bridge")))
	}

	pub fn data_dir(&self) -> PathBuf {
		self.dir.join("data")
	}

	/// Starts the process (again).
	pub fn restart(&mut self) -> Result<()> {
		self.restart_env(&[])
	}

	pub fn kill9(&mut self) {
		if let Some(mut p) = self.proc.take() {
			p.kill9();
		}
	}

	pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
		self.proc.as_mut().and_then(Proc::exited)
	}

	pub fn pid(&self) -> Option<u32> {
		self.proc.as_ref().map(|p| p.child.id())
	}

	pub fn log(&self) -> String {
		std::fs::read_to_string(self.dir.join("bridge.log")).unwrap_or_default()
	}

	/// Waits until the log has a line containing `text`.
	pub async fn wait_log(&mut self, text: &str, within: Duration) -> Result<()> {
		let log = self.dir.join("bridge.log");
		let result = wait_until(&format!("bridge {} logs {text:?}", self.name), within, || {
			let log = log.clone();
			async move { Ok(std::fs::read_to_string(&log).unwrap_or_default().contains(text)) }
		})
		.await;
		result.map_err(|e| anyhow!("{e}\n--- bridge log ---\n{}", tail(&self.log(), 30)))
	}

	/// The node account, once the bridge created its key.
	pub async fn account(&self) -> Result<AccountId32> {
		let key = self.data_dir().join(zos_bridge::identity::KEY_FILE);
		wait_until("the bridge creates its key", Duration::from_secs(30), || {
			let key = key.clone();
			async move { Ok(key.exists()) }
		})
		.await?;
		Ok(zos_bridge::identity::Identity::load_or_create(&self.data_dir())?.0.account)
	}

	/// The value of a metric line starting with `prefix` (0 when absent).
	pub async fn metric(&self, prefix: &str) -> u64 {
		let text = http_get(self.metrics_port, "/metrics").await.unwrap_or_default();
		text.lines()
			.find(|l| l.starts_with(prefix))
			.and_then(|l| l.rsplit(' ').next())
			.and_then(|v| v.parse::<f64>().ok())
			.map_or(0, |v| v as u64)
	}
}

impl Drop for Bridge {
	fn drop(&mut self) {
		self.kill9();
		forget(&self.dir);
	}
}

/// Removes a test's working directory, unless `ZOS_TEST_KEEP` asks to keep it for a look.
fn forget(dir: &Path) {
	if std::env::var_os("ZOS_TEST_KEEP").is_none() {
		let _ = std::fs::remove_dir_all(dir);
	}
}

pub fn tail(text: &str, lines: usize) -> String {
	let all: Vec<&str> = text.lines().collect();
	all[all.len().saturating_sub(lines)..].join("\n")
}

/// A plain HTTP GET on loopback.
pub async fn http_get(port: u16, path: &str) -> Result<String> {
	use tokio::io::{AsyncReadExt, AsyncWriteExt};
	let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
	stream
		.write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
		.await?;
	let mut body = String::new();
	stream.read_to_string(&mut body).await?;
	Ok(body)
}

/// A TCP proxy to `target` that can be cut: every connection through it dies.
pub struct Proxy {
	pub port: u16,
	task: tokio::task::JoinHandle<()>,
}

impl Proxy {
	pub async fn start(target: u16) -> Result<Self> {
		let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
		let port = listener.local_addr()?.port();
		let task = tokio::spawn(async move {
			let mut connections = tokio::task::JoinSet::new();
			while let Ok((mut inbound, _)) = listener.accept().await {
				connections.spawn(async move {
					if let Ok(mut outbound) =
						tokio::net::TcpStream::connect(("127.0.0.1", target)).await
					{
						let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
					}
				});
			}
		});
		Ok(Self { port, task })
	}

	pub fn url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.port)
	}

	/// The endpoint dies: the listener and every connection through it.
	pub fn cut(&self) {
		self.task.abort();
	}
}

impl Drop for Proxy {
	fn drop(&mut self) {
		self.task.abort();
	}
}

// ---- chain ----

/// Sends `amount` from `from` to `to`.
pub async fn fund(
	client: &GridClient,
	from: &Keypair,
	to: AccountId32,
	amount: u128,
) -> Result<()> {
	let tx = grid::tx().balances().transfer_keep_alive(MultiAddress::Id(to), amount);
	client.submit_ok(&tx, from, Wait::InBlock).await?;
	Ok(())
}

/// A farm of `farmer` (funded by `funder`): open to any node or allow-list only, paying to a
/// fresh account. Returns the farm id and the payout account.
pub async fn new_farm(
	client: &GridClient,
	funder: &Keypair,
	farmer: &Keypair,
	name: &str,
	open: bool,
) -> Result<(u32, Keypair)> {
	let payout = key(&format!("{name}-payout"));
	fund(client, funder, farmer.public_key().to_account_id(), 20 * TFT).await?;
	fund(client, funder, payout.public_key().to_account_id(), TFT).await?;
	client
		.submit_ok(
			&grid::tx().registry().create_twin(grid_client::bounded(vec![]), None),
			farmer,
			Wait::InBlock,
		)
		.await?;
	let created = client
		.submit_ok(
			&grid::tx().registry().create_farm(grid_client::text(name)),
			farmer,
			Wait::InBlock,
		)
		.await?;
	let farm_id = created
		.find_first::<grid::registry::events::FarmCreated>()
		.ok_or_else(|| anyhow!("no FarmCreated"))??
		.farm_id;
	let payout_account = MultiAddress::Id(payout.public_key().to_account_id());
	client
		.submit_ok(
			&grid::tx().registry().set_farm_payout(farm_id, payout_account),
			farmer,
			Wait::InBlock,
		)
		.await?;
	if open {
		use grid::runtime_types::pallet_registry::types::NodePolicy;
		client
			.submit_ok(
				&grid::tx().registry().set_node_policy(farm_id, NodePolicy::Open),
				farmer,
				Wait::InBlock,
			)
			.await?;
	}
	Ok((farm_id, payout))
}

/// A machine (an agent reporting `capacity`, with `extra` agent flags) whose bridge joined a new
/// open farm of `<name>-farmer`, all funded by `funder`: the machine, its bridge, the farm, the
/// node and the farmer.
pub async fn joined(
	client: &GridClient,
	rpc: &[String],
	funder: &Keypair,
	name: &str,
	capacity: &str,
	extra: &[String],
) -> Result<(Machine, Bridge, u32, u32, Keypair)> {
	let farmer = key(&format!("{name}-farmer"));
	let (farm_id, _) = new_farm(client, funder, &farmer, name, true).await?;
	let machine = Machine::start_with(name, capacity, extra).await?;
	let bridge = Bridge::start(name, &machine, farm_id, rpc)?;
	let account = bridge.account().await?;
	fund(client, funder, account, 10 * TFT).await?;
	let node_id = wait_node(client, &account, Duration::from_secs(90)).await?;
	Ok((machine, bridge, farm_id, node_id, farmer))
}

/// Registers a node of `key` on `farm_id` directly (no agent, no bridge: it never reports).
pub async fn register_bare_node(client: &GridClient, key: &Keypair, farm_id: u32) -> Result<u32> {
	use grid::runtime_types::{
		grid_primitives::resources::Resources,
		pallet_registry::types::{Location, NodeSpec},
	};
	client
		.submit_ok(
			&grid::tx().registry().create_twin(grid_client::bounded(vec![]), None),
			key,
			Wait::InBlock,
		)
		.await?;
	let spec = NodeSpec {
		resources: Resources { cru: 4, mru: 8 << 30, sru: 256 << 30, hru: 0 },
		location: Location {
			city: grid_client::text("Ghent"),
			country: grid_client::text("BE"),
			coordinates: None,
		},
		interfaces: grid_client::bounded(vec![]),
		serial_number: None,
		secure_boot: false,
		virtualized: false,
	};
	let done = client
		.submit_ok(&grid::tx().registry().register_node(farm_id, spec), key, Wait::InBlock)
		.await?;
	Ok(done
		.find_first::<grid::registry::events::NodeRegistered>()
		.ok_or_else(|| anyhow!("no NodeRegistered"))??
		.node_id)
}

/// The chain's report timing.
pub async fn minting_params(
	client: &GridClient,
) -> Result<grid::runtime_types::pallet_minting::types::MintingParams> {
	let at = client.best().await?;
	Ok(at.storage().fetch(grid::storage().minting().params(), ()).await?.decode()?)
}

/// The node of `account`, at the best block.
pub async fn node_of(client: &GridClient, account: &AccountId32) -> Result<Option<u32>> {
	let at = client.best().await?;
	Ok(zos_bridge::chain::node_of(&at, account).await?.1.map(|(id, _)| id))
}

/// Whether `account` has a twin, at the best block.
pub async fn has_twin(client: &GridClient, account: &AccountId32) -> Result<bool> {
	let at = client.best().await?;
	Ok(zos_bridge::chain::node_of(&at, account).await?.0.is_some())
}

/// Waits until `account` is a registered node; its id.
pub async fn wait_node(
	client: &GridClient,
	account: &AccountId32,
	within: Duration,
) -> Result<u32> {
	let deadline = Instant::now() + within;
	loop {
		if let Some(node) = node_of(client, account).await? {
			return Ok(node);
		}
		if Instant::now() > deadline {
			bail!("{account} registered no node within {within:?}");
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

/// One uptime report the chain accepted.
#[derive(Clone, Copy, Debug)]
pub struct Landed {
	pub block: u32,
	/// The chain's time of the block, Unix seconds.
	pub at: u64,
	pub uptime: u64,
}

/// The uptime reports of `node_id` in best blocks `from..=to`.
pub async fn reports(client: &GridClient, node_id: u32, from: u32, to: u32) -> Result<Vec<Landed>> {
	let mut found = vec![];
	for n in from..=to {
		let hash: subxt::utils::H256 =
			client.rpc().request("chain_getBlockHash", subxt::rpcs::rpc_params![n]).await?;
		let at = client.at(hash).await?;
		let events = at.events().fetch().await?;
		for e in events.find::<grid::minting::events::UptimeReported>() {
			let e = e?;
			if e.node_id == node_id {
				let time = zos_bridge::chain::chain_secs(&at).await?;
				found.push(Landed { block: n, at: time, uptime: e.uptime });
			}
		}
	}
	Ok(found)
}

/// Waits until `count` more reports of `node_id` landed after block `after`; the block of the
/// last.
pub async fn wait_reports(
	client: &GridClient,
	node_id: u32,
	after: u32,
	count: usize,
	within: Duration,
) -> Result<u32> {
	let deadline = Instant::now() + within;
	let mut seen = 0;
	let mut next = after + 1;
	loop {
		let best = client.block_number(false).await?;
		if best >= next {
			seen += reports(client, node_id, next, best).await?.len();
			next = best + 1;
			if seen >= count {
				return Ok(best);
			}
		}
		if Instant::now() > deadline {
			bail!("node {node_id}: {seen} of {count} reports after #{after} within {within:?}");
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}
