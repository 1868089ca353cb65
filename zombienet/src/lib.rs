//! The network tests' toolkit: spawn a network from a definition in `networks/`, read chain
//! facts over RPC, sign and submit calls, and wait for things with a deadline, saying what is
//! awaited.
//!
//! Every test runs its scenario through [`run`], which spawns the network, bounds the scenario
//! in time and destroys the network afterwards, whether the scenario passed, failed, panicked
//! or timed out. Processes left by an earlier run that was killed are stopped before a spawn.

use anyhow::{anyhow, bail, ensure, Context};
use codec::{Decode, Encode};
use futures::{future::BoxFuture, FutureExt};
use std::{
	future::Future,
	panic::AssertUnwindSafe,
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use zombienet_sdk::GlobalSettingsBuilder;
pub use zombienet_sdk::{
	subxt, subxt_signer, AddNodeOptions, LocalFileSystem, Network, NetworkConfig, NetworkConfigExt,
	NetworkNode,
};

use subxt::{
	blocks::ExtrinsicEvents,
	config::DefaultExtrinsicParamsBuilder,
	dynamic::Value,
	ext::subxt_rpcs::{client::RpcParams, RpcClient},
	tx::{Payload, TxStatus},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::Keypair;

pub type Net = Network<LocalFileSystem>;
pub type Api = OnlineClient<PolkadotConfig>;

/// Where the network tests keep their networks' files (one directory per test).
const BASE_DIR: &str = "/tmp/gridchain-zombienet";

/// `zombienet/networks/<name>`.
pub fn network_file(name: &str) -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("networks").join(name)
}

/// The repository's root.
pub fn repo_root() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `grid-node`: `$GRID_NODE`, else the scripts' build (`$CARGO_TARGET_DIR`, by default
/// `~/.cache/gridchain/target`).
pub fn node_binary() -> anyhow::Result<PathBuf> {
	let path = match std::env::var_os("GRID_NODE") {
		Some(path) => PathBuf::from(path),
		None => target_dir().join("release/grid-node"),
	};
	ensure!(path.is_file(), "{} is missing: build it with scripts/test.sh", path.display());
	Ok(path)
}

/// The persistent target directory the scripts build into.
pub fn target_dir() -> PathBuf {
	match std::env::var_os("CARGO_TARGET_DIR") {
		Some(dir) => PathBuf::from(dir),
		None => {
			PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/gridchain/target")
		},
	}
}

/// Prints what a test does and waits for, with the time since it started.
pub struct Clock {
	test: String,
	started: Instant,
}

impl Clock {
	pub fn new(test: &str) -> Self {
		Self { test: test.into(), started: Instant::now() }
	}

	pub fn step(&self, what: impl AsRef<str>) {
		eprintln!(
			"[{} {:>6.1} s] {}",
			self.test,
			self.started.elapsed().as_secs_f32(),
			what.as_ref()
		);
	}

	/// Polls `check` every second until it returns `Some`, for at most `timeout`.
	pub async fn wait_until<T, F, Fut>(
		&self,
		what: &str,
		timeout: Duration,
		mut check: F,
	) -> anyhow::Result<T>
	where
		F: FnMut() -> Fut,
		Fut: Future<Output = anyhow::Result<Option<T>>>,
	{
		let wait = self.deadline(what, timeout);
		loop {
			// A node being restarted refuses connections for a while: keep polling.
			match check().await {
				Ok(Some(value)) => {
					wait.done();
					return Ok(value);
				},
				Ok(None) => {},
				Err(e) if wait.passed() => return Err(e.context(what.to_string())),
				Err(_) => {},
			}
			wait.tick().await?;
		}
	}

	/// Waits until `node` has finalized block `target`, reconnecting at each poll (the node may
	/// be restarting).
	pub async fn wait_finalized(
		&self,
		node: &NetworkNode,
		target: u32,
		timeout: Duration,
	) -> anyhow::Result<()> {
		let what = format!("{} finalizes #{target}", node.name());
		self.wait_until(&what, timeout, || async {
			Ok((Rpc::to(node).await?.finalized().await? >= target).then_some(()))
		})
		.await
	}
}

/// A wait written as a loop: [`Clock::deadline`] announces it, [`Deadline::tick`] sleeps a
/// second or fails once it has passed.
pub struct Deadline<'a> {
	clock: &'a Clock,
	what: String,
	timeout: Duration,
	until: Instant,
}

impl Clock {
	pub fn deadline(&self, what: &str, timeout: Duration) -> Deadline<'_> {
		self.step(format!("waiting (up to {} s) until {what}", timeout.as_secs()));
		Deadline { clock: self, what: what.into(), timeout, until: Instant::now() + timeout }
	}
}

impl Deadline<'_> {
	fn passed(&self) -> bool {
		Instant::now() > self.until
	}

	pub async fn tick(&self) -> anyhow::Result<()> {
		if self.passed() {
			bail!("timed out after {} s waiting until {}", self.timeout.as_secs(), self.what);
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
		Ok(())
	}

	pub fn done(self) {
		self.clock.step(format!("done: {}", self.what));
	}
}

/// A scenario: what a test does with its running network.
pub type Scenario = for<'a> fn(&'a mut Net, &'a Clock) -> BoxFuture<'a, anyhow::Result<()>>;

/// Spawns the network of `definition` (a file in `networks/`; `{{VAR}}` in it is replaced by
/// the environment variable `VAR`), runs `scenario` on it for at most `limit`, and destroys
/// the network whatever happened.
pub async fn run(
	test: &str,
	definition: &str,
	limit: Duration,
	scenario: Scenario,
) -> anyhow::Result<()> {
	let clock = Clock::new(test);
	let mut net = spawn(test, &network_file(definition), &clock).await?;
	clock.step(format!("running the scenario (at most {} s)", limit.as_secs()));
	let outcome =
		tokio::time::timeout(limit, AssertUnwindSafe(scenario(&mut net, &clock)).catch_unwind())
			.await;
	let base = net.base_dir().unwrap_or_default().to_string();
	clock.step("stopping every node");
	if let Err(e) = net.destroy().await {
		clock.step(format!("destroying the network failed: {e}"));
	}
	stop_processes_under(Path::new(&format!("{base}/")));
	match outcome {
		Err(_) => {
			bail!("{test}: the scenario did not finish within {} s (logs: {base})", limit.as_secs())
		},
		Ok(Err(panic)) => std::panic::resume_unwind(panic),
		Ok(Ok(result)) => result.with_context(|| format!("{test} (logs: {base})")),
	}
}

/// Spawns `definition` natively with `grid-node` on PATH, its files in `BASE_DIR/<test>`.
async fn spawn(test: &str, definition: &Path, clock: &Clock) -> anyhow::Result<Net> {
	let node = node_binary()?;
	let bin_dir = node.parent().context("grid-node has no directory")?;
	let path = std::env::var("PATH").unwrap_or_default();
	if !path.split(':').any(|p| Path::new(p) == bin_dir) {
		std::env::set_var("PATH", format!("{}:{path}", bin_dir.display()));
	}
	let base = PathBuf::from(BASE_DIR).join(test);
	stop_processes_under(Path::new(&format!("{}/", base.display())));
	let _ = std::fs::remove_dir_all(&base);
	std::fs::create_dir_all(&base)?;
	// The definition's own settings, but files in `base`. A validator killed on purpose must
	// not tear the network down.
	let settings = GlobalSettingsBuilder::new()
		.with_base_dir(&base)
		.with_network_spawn_timeout(300)
		.with_node_spawn_timeout(120)
		.with_tear_down_on_failure(false)
		.build()
		.map_err(|e| anyhow!("settings: {e:?}"))?;
	let config = NetworkConfig::load_from_toml_with_settings(
		definition.to_str().context("a network file path that is not UTF-8")?,
		&settings,
	)
	.map_err(|e| anyhow!("{}: {e}", definition.display()))?;
	clock.step(format!("spawning {} in {}", definition.display(), base.display()));
	let net = config.spawn_native().await.map_err(|e| anyhow!("spawning: {e}"))?;
	clock.step(format!("spawned: {}", net.node_names().join(", ")));
	Ok(net)
}

/// The pids of processes whose command line names a path under `dir`.
fn processes_under(dir: &Path) -> Vec<u32> {
	let Some(dir) = dir.to_str().filter(|d| !d.is_empty()) else { return vec![] };
	let Ok(entries) = std::fs::read_dir("/proc") else { return vec![] };
	entries
		.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
		.filter(|pid| {
			std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmd| {
				cmd.split(|b| *b == 0)
					.any(|arg| std::str::from_utf8(arg).is_ok_and(|a| a.starts_with(dir)))
			})
		})
		.collect()
}

fn stop_processes_under(dir: &Path) {
	for pid in processes_under(dir) {
		let _ = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status();
	}
}

/// Kills a node's process (SIGKILL: no clean shutdown), keeping its database. Restart it with
/// `node.restart(None)`.
pub fn kill(node: &NetworkNode) -> anyhow::Result<()> {
	// The trailing slash keeps `alice` from matching `alice2`.
	let dir = PathBuf::from(format!("{}/", node.base_dir().display()));
	ensure!(!processes_under(&dir).is_empty(), "no process runs {}", node.name());
	stop_processes_under(&dir);
	Ok(())
}

/// JSON-RPC to a node.
pub struct Rpc(RpcClient);

impl Rpc {
	pub async fn to(node: &NetworkNode) -> anyhow::Result<Self> {
		Ok(Self(node.rpc().await?))
	}

	pub async fn call<R: serde::de::DeserializeOwned>(
		&self,
		method: &str,
		params: Vec<serde_json::Value>,
	) -> anyhow::Result<R> {
		let mut p = RpcParams::new();
		for param in params {
			p.push(param)?;
		}
		self.0.request(method, p).await.with_context(|| format!("RPC {method}"))
	}

	/// The best block's number.
	pub async fn best(&self) -> anyhow::Result<u32> {
		let header: serde_json::Value = self.call("chain_getHeader", vec![]).await?;
		number(&header)
	}

	/// The last finalized block's number.
	pub async fn finalized(&self) -> anyhow::Result<u32> {
		let hash: String = self.call("chain_getFinalizedHead", vec![]).await?;
		let header: serde_json::Value = self.call("chain_getHeader", vec![hash.into()]).await?;
		number(&header)
	}

	pub async fn block_hash(&self, n: u32) -> anyhow::Result<String> {
		let hash: Option<String> = self.call("chain_getBlockHash", vec![n.into()]).await?;
		hash.ok_or_else(|| anyhow!("no block #{n}"))
	}

	/// Raw storage at a block (the best if `None`).
	pub async fn storage(&self, key: &[u8], at: Option<&str>) -> anyhow::Result<Option<Vec<u8>>> {
		let mut params = vec![format!("0x{}", hex::encode(key)).into()];
		if let Some(at) = at {
			params.push(at.into());
		}
		let value: Option<String> = self.call("state_getStorage", params).await?;
		value.map(|v| unhex(&v)).transpose()
	}

	/// A storage value, decoded.
	pub async fn value<T: Decode>(
		&self,
		pallet: &str,
		item: &str,
		at: Option<&str>,
	) -> anyhow::Result<Option<T>> {
		match self.storage(&value_key(pallet, item), at).await? {
			Some(bytes) => Ok(Some(T::decode(&mut &bytes[..])?)),
			None => Ok(None),
		}
	}

	/// The Aura authorities (sr25519 public keys) at a block.
	pub async fn aura_authorities(&self, at: Option<&str>) -> anyhow::Result<Vec<[u8; 32]>> {
		Ok(self.value("Aura", "Authorities", at).await?.unwrap_or_default())
	}

	/// The GRANDPA authorities (ed25519 keys and weights) of the current set.
	pub async fn grandpa_authorities(&self) -> anyhow::Result<Vec<([u8; 32], u64)>> {
		let runtime = self.value::<Vec<([u8; 32], u64)>>("Grandpa", "Authorities", None).await?;
		Ok(runtime.unwrap_or_default())
	}

	/// `session.validators`: the accounts validating this session.
	pub async fn session_validators(&self) -> anyhow::Result<Vec<[u8; 32]>> {
		Ok(self.value("Session", "Validators", None).await?.unwrap_or_default())
	}

	/// The Aura key whose signature seals block `n`, among the authorities at its parent.
	pub async fn author_of(&self, n: u32) -> anyhow::Result<[u8; 32]> {
		let header = self.header(n).await?;
		let parent = header["parentHash"].as_str().context("no parent hash")?.to_string();
		for key in self.aura_authorities(Some(&parent)).await? {
			if sealed_by(&header, &key)? {
				return Ok(key);
			}
		}
		bail!("no Aura authority at #{n}'s parent sealed it")
	}

	/// Whether block `n`'s Aura seal is `key`'s signature: who authored it, checked whatever
	/// the runtime says the authorities are.
	pub async fn sealed_by(&self, n: u32, key: &[u8; 32]) -> anyhow::Result<bool> {
		sealed_by(&self.header(n).await?, key)
	}

	async fn header(&self, n: u32) -> anyhow::Result<serde_json::Value> {
		let hash = self.block_hash(n).await?;
		self.call("chain_getHeader", vec![hash.into()]).await
	}

	/// The runtime's `spec_version`.
	pub async fn spec_version(&self) -> anyhow::Result<u32> {
		let version: serde_json::Value = self.call("state_getRuntimeVersion", vec![]).await?;
		version["specVersion"].as_u64().map(|v| v as u32).context("no specVersion")
	}
}

fn number(header: &serde_json::Value) -> anyhow::Result<u32> {
	let n = header["number"].as_str().context("a header without a number")?;
	Ok(u32::from_str_radix(n.trim_start_matches("0x"), 16)?)
}

pub fn unhex(s: &str) -> anyhow::Result<Vec<u8>> {
	Ok(hex::decode(s.trim_start_matches("0x"))?)
}

/// Whether `header`'s Aura seal (its last digest item, `Seal(*b"aura", signature)`) is `key`'s
/// sr25519 signature of the hash of the header without it, as Aura signs.
fn sealed_by(header: &serde_json::Value, key: &[u8; 32]) -> anyhow::Result<bool> {
	let field = |name: &str| unhex(header[name].as_str().unwrap_or_default());
	let mut logs = header["digest"]["logs"]
		.as_array()
		.context("no digest")?
		.iter()
		.map(|l| unhex(l.as_str().unwrap_or_default()))
		.collect::<anyhow::Result<Vec<_>>>()?;
	let seal = logs.pop().context("no digest item")?;
	// DigestItem::Seal is variant 5: engine id, then the signature as a SCALE byte vector.
	ensure!(seal.first() == Some(&5) && seal.get(1..5) == Some(b"aura"), "no Aura seal");
	let signature: [u8; 64] = Vec::<u8>::decode(&mut &seal[5..])?
		.try_into()
		.map_err(|_| anyhow!("an Aura seal that is not a 64-byte signature"))?;
	let mut unsealed = field("parentHash")?;
	codec::Compact(number(header)?).encode_to(&mut unsealed);
	unsealed.extend(field("stateRoot")?);
	unsealed.extend(field("extrinsicsRoot")?);
	codec::Compact(logs.len() as u32).encode_to(&mut unsealed);
	logs.iter().for_each(|l| unsealed.extend(l));
	let hash = sp_crypto_hashing::blake2_256(&unsealed);
	Ok(subxt_signer::sr25519::verify(
		&subxt_signer::sr25519::Signature(signature),
		hash,
		&subxt_signer::sr25519::PublicKey(*key),
	))
}

/// The storage key of a plain storage value.
pub fn value_key(pallet: &str, item: &str) -> Vec<u8> {
	[sp_crypto_hashing::twox_128(pallet.as_bytes()), sp_crypto_hashing::twox_128(item.as_bytes())]
		.concat()
}

/// A dev account by name: its keypair.
pub fn dev(name: &str) -> anyhow::Result<Keypair> {
	use subxt_signer::sr25519::dev;
	Ok(match name {
		"alice" => dev::alice(),
		"bob" => dev::bob(),
		"charlie" => dev::charlie(),
		"dave" => dev::dave(),
		"eve" => dev::eve(),
		"ferdie" => dev::ferdie(),
		_ => bail!("no dev account {name}"),
	})
}

/// The dev account (by name) whose sr25519 key is `key`, for messages.
pub fn dev_name(key: &[u8; 32]) -> String {
	["alice", "bob", "charlie", "dave", "eve", "ferdie"]
		.into_iter()
		.find(|n| dev(n).is_ok_and(|k| &k.public_key().0 == key))
		.map(str::to_string)
		.unwrap_or_else(|| format!("0x{}", hex::encode(key)))
}

/// A node's subxt client and JSON-RPC, for submitting calls.
pub struct Client {
	pub api: Api,
	pub rpc: Rpc,
}

impl Client {
	pub async fn to(node: &NetworkNode) -> anyhow::Result<Self> {
		Ok(Self { api: Api::from_url(node.ws_uri()).await?, rpc: Rpc::to(node).await? })
	}

	/// Signs `call` with `signer`, submits it and waits until it is in a best block; returns
	/// its events, or the dispatch error. The nonce comes from the node's pool
	/// (`system_accountNextIndex`), so calls may follow each other before finality.
	pub async fn submit<Call: Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
	) -> anyhow::Result<ExtrinsicEvents<PolkadotConfig>> {
		let account = signer.public_key().to_account_id().to_string();
		let nonce: u64 = self.rpc.call("system_accountNextIndex", vec![account.into()]).await?;
		let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
		let mut progress = self.api.tx().sign_and_submit_then_watch(call, signer, params).await?;
		while let Some(status) = progress.next().await {
			match status? {
				TxStatus::InBestBlock(block) | TxStatus::InFinalizedBlock(block) => {
					return Ok(block.wait_for_success().await?)
				},
				TxStatus::Error { message }
				| TxStatus::Invalid { message }
				| TxStatus::Dropped { message } => bail!("transaction failed: {message}"),
				_ => {},
			}
		}
		bail!("the transaction's status stream ended before it was in a block")
	}
}

/// The fields of the first event `pallet::variant` in `events`, SCALE-encoded.
pub fn event_fields(
	events: &ExtrinsicEvents<PolkadotConfig>,
	pallet: &str,
	variant: &str,
) -> anyhow::Result<Option<Vec<u8>>> {
	for event in events.iter() {
		let event = event?;
		if event.pallet_name() == pallet && event.variant_name() == variant {
			return Ok(Some(event.field_bytes().to_vec()));
		}
	}
	Ok(None)
}

/// A call as a value for another call's `Box<RuntimeCall>` argument.
pub fn call_value(pallet: &str, call: &str, fields: Vec<Value>) -> Value {
	Value::unnamed_variant(pallet, [Value::unnamed_variant(call, fields)])
}

/// Passes `call` through the council: Alice proposes it, Alice and Bob vote aye, and with 2
/// of the 3 members (more than half) Alice closes it. Fails unless it executed with
/// success.
pub async fn council_motion(client: &Client, call: Value, clock: &Clock) -> anyhow::Result<()> {
	let (alice, bob) = (dev("alice")?, dev("bob")?);
	let length_bound = 10_000u32;
	let propose = subxt::dynamic::tx(
		"Council",
		"propose",
		vec![Value::u128(2), call, Value::u128(length_bound.into())],
	);
	let events = client.submit(&propose, &alice).await?;
	let proposed = event_fields(&events, "Council", "Proposed")?.context("no Council::Proposed")?;
	let (_, index, hash, _) = <([u8; 32], u32, [u8; 32], u32)>::decode(&mut &proposed[..])?;
	clock.step(format!("council motion #{index} proposed by Alice"));
	let vote = subxt::dynamic::tx(
		"Council",
		"vote",
		vec![Value::from_bytes(hash), Value::u128(index.into()), Value::bool(true)],
	);
	for (name, member) in [("Alice", &alice), ("Bob", &bob)] {
		client.submit(&vote, member).await?;
		clock.step(format!("council motion #{index}: {name} voted aye"));
	}
	let weight_bound = Value::named_composite([
		("ref_time", Value::u128(100_000_000_000)),
		("proof_size", Value::u128(100_000)),
	]);
	let close = subxt::dynamic::tx(
		"Council",
		"close",
		vec![
			Value::from_bytes(hash),
			Value::u128(index.into()),
			weight_bound,
			Value::u128(length_bound.into()),
		],
	);
	let events = client.submit(&close, &alice).await?;
	let executed = event_fields(&events, "Council", "Executed")?
		.context("the motion was closed but did not execute")?;
	// Executed { proposal_hash, result: Result<(), DispatchError> }: Ok is the byte 0.
	ensure!(executed.get(32) == Some(&0), "the motion executed with an error: {executed:?}");
	clock.step(format!("council motion #{index} executed"));
	Ok(())
}

/// The spec version of the runtime this build makes (`grid_runtime::VERSION`).
pub const NEW_SPEC: u32 = 106;

/// The raw spec of the node's `preset` chain with its genesis built by the runtime in `wasm`
/// (a path under the repository), written under `BASE_DIR/<name>-spec/raw.json`. `patch`
/// adapts the preset's genesis to that runtime first.
pub fn spec_with_runtime(
	name: &str,
	preset: &str,
	wasm: &str,
	patch: impl FnOnce(&mut serde_json::Value),
) -> anyhow::Result<PathBuf> {
	let dir = PathBuf::from(BASE_DIR).join(format!("{name}-spec"));
	std::fs::create_dir_all(&dir)?;
	let node = node_binary()?;
	let out = std::process::Command::new(&node)
		.args(["build-spec", "--chain", preset, "--disable-default-bootnode"])
		.output()?;
	ensure!(out.status.success(), "build-spec: {}", String::from_utf8_lossy(&out.stderr));
	let mut plain: serde_json::Value = serde_json::from_slice(&out.stdout)?;
	let code = std::fs::read(repo_root().join(wasm))?;
	plain["genesis"]["runtimeGenesis"]["code"] = format!("0x{}", hex::encode(code)).into();
	patch(&mut plain["genesis"]["runtimeGenesis"]["patch"]);
	let plain_path = dir.join("plain.json");
	std::fs::write(&plain_path, serde_json::to_vec(&plain)?)?;
	let out = std::process::Command::new(&node)
		.args(["build-spec", "--chain"])
		.arg(&plain_path)
		.args(["--raw", "--disable-default-bootnode"])
		.output()?;
	ensure!(out.status.success(), "build-spec --raw: {}", String::from_utf8_lossy(&out.stderr));
	let raw_path = dir.join("raw.json");
	std::fs::write(&raw_path, out.stdout)?;
	Ok(raw_path)
}

/// The runtime this build made: the node's own.
pub fn new_runtime() -> anyhow::Result<Vec<u8>> {
	let path =
		target_dir().join("release/wbuild/grid-runtime/grid_runtime.compact.compressed.wasm");
	std::fs::read(&path).map_err(|e| anyhow!("{}: {e}", path.display()))
}

/// Runs `grid-try-runtime` against the node at `ws`, state at block `at`: the new runtime's
/// pending migrations with their pre- and post-checks, then every pallet's `try_state`. Fails
/// unless all pass; returns the report (stdout) and the logs (stderr).
pub fn try_runtime(ws: &str, at: &str, clock: &Clock) -> anyhow::Result<(String, String)> {
	let tool = target_dir().join("release/grid-try-runtime");
	ensure!(tool.is_file(), "{} is missing: scripts/test.sh builds it", tool.display());
	clock.step(format!("grid-try-runtime --uri {ws} --at {at}"));
	let out = std::process::Command::new(&tool)
		.args(["--uri", ws, "--at", at])
		.env("NO_COLOR", "1")
		.env("RUST_LOG", "info")
		.output()?;
	let (report, logs) = (
		String::from_utf8_lossy(&out.stdout).into_owned(),
		String::from_utf8_lossy(&out.stderr).into_owned(),
	);
	clock.step(format!("grid-try-runtime said:\n{report}{logs}"));
	ensure!(out.status.success(), "the migration checks failed");
	Ok((report, logs))
}

/// After `events` (a transaction's) enacted new code at `upgraded_at`: every node of `names`
/// reports [`NEW_SPEC`], and `alice` finalizes two blocks past the upgrade (blocks the new
/// runtime built are final).
pub async fn await_upgrade(
	net: &Net,
	names: &[&str],
	events: &ExtrinsicEvents<PolkadotConfig>,
	alice: &Rpc,
	clock: &Clock,
) -> anyhow::Result<()> {
	ensure!(event_fields(events, "System", "CodeUpdated")?.is_some(), "no System::CodeUpdated");
	let upgraded_at = alice.best().await?;
	clock
		.wait_until(
			&format!("{} report spec {NEW_SPEC}", names.join(", ")),
			Duration::from_secs(60),
			|| async {
				for name in names {
					if Rpc::to(net.get_node(*name)?).await?.spec_version().await? != NEW_SPEC {
						return Ok(None);
					}
				}
				Ok(Some(()))
			},
		)
		.await?;
	let target = upgraded_at + 2;
	clock
		.wait_until(&format!("finality passes #{target}"), Duration::from_secs(90), || async {
			Ok((alice.finalized().await? >= target).then_some(()))
		})
		.await
}
