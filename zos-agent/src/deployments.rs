//! The deployments the agent holds, and the rules they live by.
//!
//! [`Deployments`] is the whole state: every deployment (decommissioned ones stay as
//! tombstones), each workload's state, the change log, the gateway routes and the traffic
//! counters. Every method takes the time (`now`, Unix seconds) so the rules are testable without
//! a clock or HTTP.
//!
//! ## Rules
//! - Requests that change nothing (the same deploy again, pausing what is paused, resuming what
//!   runs, decommissioning a tombstone) answer the current state and add no history entry: a
//!   bridge that replays its journal repeats no action.
//! - Every real change appends one [`Applied`] to the history, one [`WorkloadChange`] per
//!   workload whose state it set (the last [`MAX_CHANGES`] are kept), and is written to disk
//!   before it is answered.
//! - The reservations of active deployments (paused ones included) never exceed the machine's
//!   capacity (cores, memory, SSD, HDD; public IPv4s are the farm's, not checked here).
//!
//! ## Workloads
//! - `zmount`: a sparse file of exactly `size` bytes, `<data-dir>/disks/<contract>-<name>.img`;
//!   kept while paused, removed on decommission or when an update drops the workload.
//! - `zmachine`, `network`, `ip`: recorded only (this agent runs no hypervisor).
//! - `gateway-name-proxy`: the route `<name>.<gateway domain>` → its first backend, served by
//!   [`crate::gateway`]; an error on a node without a gateway.
//!
//! ## On disk
//! `<data-dir>/deployments/<contract>.json`: the [`DeploymentInfo`] and the change log, written
//! whole to a temporary file, synced, then renamed over the old one (a crash leaves the old
//! state or the new, never half of one).

use serde::{Deserialize, Serialize};
use std::{
	collections::{BTreeMap, VecDeque},
	fs,
	io::Write,
	path::{Path, PathBuf},
};
use zos_api::{
	code,
	deployment::{backend_authority, Workload, WorkloadData, MAX_TEXT_LEN},
	Applied, Capacity, ContractUsage, Deployment, DeploymentInfo, StateChange, UserCounters,
	WorkloadChange, WorkloadState, WorkloadStatus,
};

/// Most deployments (tombstones included) the agent holds.
pub const MAX_DEPLOYMENTS: usize = 10_000;
/// Most workload changes kept per deployment (the oldest go first).
pub const MAX_CHANGES: usize = 256;
/// Traffic counters reach the disk at most this often (and with every state change).
pub const TRAFFIC_WRITE_SECS: u64 = 5;
/// The state message of a gateway on a node without one.
pub const NO_GATEWAY: &str =
	"this node has no gateway (start the agent with --gateway-listen and --gateway-domain)";
/// The state message of a running machine.
pub const NO_HYPERVISOR: &str = "recorded: this reference agent runs no hypervisor";

/// A request the store refuses: a stable [`zos_api::code`] and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
	pub code: &'static str,
	pub message: String,
}

fn refused(code: &'static str, message: impl Into<String>) -> Refused {
	Refused { code, message: message.into() }
}

/// What the store is configured with.
#[derive(Clone, Debug)]
pub struct Config {
	/// Holds `deployments/` and `disks/`.
	pub data_dir: PathBuf,
	/// The machine's total capacity, which active reservations may not exceed.
	pub capacity: Capacity,
	/// The node's gateway domain (lowercase, no trailing dot), when it serves a gateway.
	pub gateway_domain: Option<String>,
	/// Most deployments held ([`MAX_DEPLOYMENTS`]).
	pub max_deployments: usize,
}

/// One deployment as held and written to disk.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Held {
	info: DeploymentInfo,
	changes: VecDeque<WorkloadChange>,
	/// The traffic counter moved since the last write.
	#[serde(skip)]
	traffic_unwritten: bool,
	/// When the record was last written (Unix seconds; 0 before the first write).
	#[serde(skip)]
	written_at: u64,
}

impl Held {
	/// Sets a workload's state and logs the change.
	fn set(&mut self, w: &Workload, state: WorkloadState, message: String, now: u64) {
		self.set_named(&w.name, w.data.kind(), w.version, state, message, now);
	}

	fn set_named(
		&mut self,
		name: &str,
		kind: &str,
		version: u32,
		state: WorkloadState,
		message: String,
		now: u64,
	) {
		let status = WorkloadStatus {
			name: name.into(),
			kind: kind.into(),
			version,
			state,
			message: message.clone(),
			changed_at: now,
		};
		match self.info.workloads.iter_mut().find(|s| s.name == name) {
			Some(old) => *old = status,
			None => self.info.workloads.push(status),
		}
		self.changes
			.push_back(WorkloadChange { at: now, name: name.into(), state, message });
		while self.changes.len() > MAX_CHANGES {
			self.changes.pop_front();
		}
	}

	fn state_of(&self, name: &str) -> Option<WorkloadState> {
		self.info.workloads.iter().find(|s| s.name == name).map(|s| s.state)
	}

	/// Why the deployment was paused (the last pause's reason).
	fn pause_reason(&self) -> String {
		let last = self.info.history.iter().rev().find(|a| a.action == "pause");
		last.map(|a| a.reason.clone()).unwrap_or_default()
	}
}

/// Where the gateway sends a host's requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
	pub contract_id: u64,
	/// `http://host:port[/path]`
	pub backend: String,
	/// The contract is in grace: answer 503.
	pub paused: bool,
}

/// Every deployment the agent holds; see the module docs for the rules.
pub struct Deployments {
	config: Config,
	held: BTreeMap<u64, Held>,
	/// Gateway name → the contract serving it (active deployments only).
	routes: BTreeMap<String, u64>,
}

fn capacity_of(d: &Deployment) -> Capacity {
	let r = d.reservation();
	Capacity { cru: r.cru, mru: r.mru, sru: r.sru, hru: r.hru, ipv4u: r.ipv4.into() }
}

fn add(a: Capacity, b: Capacity) -> Capacity {
	Capacity {
		cru: a.cru.saturating_add(b.cru),
		mru: a.mru.saturating_add(b.mru),
		sru: a.sru.saturating_add(b.sru),
		hru: a.hru.saturating_add(b.hru),
		ipv4u: a.ipv4u.saturating_add(b.ipv4u),
	}
}

/// A DNS label: 1 to 63 of `[a-z0-9-]`, no hyphen at either end.
fn is_label(name: &str) -> bool {
	(1..=63).contains(&name.len())
		&& name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
		&& !name.starts_with('-')
		&& !name.ends_with('-')
}

/// The gateway name a `Host` header asks for under `domain`: the port stripped, lowercased,
/// `<name>.<domain>` with `name` one DNS label. `None` for any other host.
pub fn gateway_name(host: &str, domain: &str) -> Option<String> {
	let host = host.trim().to_ascii_lowercase();
	let host = match host.rsplit_once(':') {
		Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
		_ => host.as_str(),
	};
	let name = host.trim_end_matches('.').strip_suffix(domain)?.strip_suffix('.')?;
	is_label(name).then(|| name.to_string())
}

/// A gateway domain as given on the command line, normalized (lowercase, no trailing dot), or
/// why it is not one.
pub fn normalize_domain(domain: &str) -> Result<String, String> {
	let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
	if domain.is_empty() || domain.len() > 200 || !domain.split('.').all(is_label) {
		return Err(format!(
			"{domain:?} is not a domain name (labels of [a-z0-9-], dot-separated)"
		));
	}
	Ok(domain)
}

fn write_record(dir: &Path, held: &mut Held, now: u64) -> Result<(), String> {
	let id = held.info.deployment.contract_id;
	let path = dir.join(format!("{id}.json"));
	let tmp = dir.join(format!("{id}.json.tmp"));
	let bytes = serde_json::to_vec_pretty(&*held)
		.map_err(|e| format!("cannot encode deployment {id}: {e}"))?;
	let write = || -> std::io::Result<()> {
		let mut file = fs::File::create(&tmp)?;
		file.write_all(&bytes)?;
		file.sync_all()?;
		fs::rename(&tmp, &path)?;
		// The rename itself reaches the disk with the directory.
		fs::File::open(dir)?.sync_all()
	};
	write().map_err(|e| format!("cannot write {}: {e}", path.display()))?;
	held.traffic_unwritten = false;
	held.written_at = now;
	Ok(())
}

impl Deployments {
	/// Opens the store in `config.data_dir` (creating its directories) and loads every
	/// deployment written there.
	pub fn open(config: Config, now: u64) -> Result<Self, String> {
		let mut store = Self { config, held: BTreeMap::new(), routes: BTreeMap::new() };
		for dir in [store.records_dir(), store.disks_dir()] {
			fs::create_dir_all(&dir)
				.map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
		}
		let dir = store.records_dir();
		let entries =
			fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
		for entry in entries {
			let path = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?.path();
			let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
			let Some(id) = name.as_deref().and_then(|n| n.strip_suffix(".json")) else {
				continue;
			};
			let Ok(id) = id.parse::<u64>() else { continue };
			let bytes =
				fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
			let mut held: Held = serde_json::from_slice(&bytes).map_err(|e| {
				format!(
					"{} is not a deployment record: {e} (move it away to start)",
					path.display()
				)
			})?;
			if held.info.deployment.contract_id != id {
				return Err(format!(
					"{} holds contract {}",
					path.display(),
					held.info.deployment.contract_id
				));
			}
			held.written_at = now;
			store.held.insert(id, held);
		}
		let ids: Vec<u64> = store.held.keys().copied().collect();
		for &id in &ids {
			store.reindex(id);
		}
		for id in ids {
			store.recheck_gateways(id, now)?;
		}
		Ok(store)
	}

	fn records_dir(&self) -> PathBuf {
		self.config.data_dir.join("deployments")
	}

	fn disks_dir(&self) -> PathBuf {
		self.config.data_dir.join("disks")
	}

	/// Where a `zmount` workload's disk lives.
	pub fn disk_path(&self, contract_id: u64, name: &str) -> PathBuf {
		self.disks_dir().join(format!("{contract_id}-{name}.img"))
	}

	/// A gateway's state at start: the domain may have come or gone since it was written.
	fn recheck_gateways(&mut self, id: u64, now: u64) -> Result<(), String> {
		let Some(held) = self.held.get(&id) else { return Ok(()) };
		if !held.info.active || held.info.paused {
			return Ok(());
		}
		let mut next = held.clone();
		let mut changed = false;
		for w in &held.info.deployment.workloads {
			let WorkloadData::GatewayNameProxy(_) = &w.data else { continue };
			let Some(status) = held.info.workloads.iter().find(|s| s.name == w.name) else {
				continue;
			};
			if status.state == WorkloadState::Deleted {
				continue;
			}
			let (state, message) = self.bring_up(id, w, None);
			if state != status.state || message != status.message {
				next.set(w, state, message, now);
				changed = true;
			}
		}
		if changed {
			write_record(&self.records_dir(), &mut next, now)?;
			self.held.insert(id, next);
			self.reindex(id);
		}
		Ok(())
	}

	/// Registers the routes of a deployment's running or paused gateways (a name another
	/// contract serves stays with it).
	fn reindex(&mut self, id: u64) {
		self.routes.retain(|_, owner| *owner != id);
		let Some(held) = self.held.get(&id) else { return };
		if !held.info.active || self.config.gateway_domain.is_none() {
			return;
		}
		for w in &held.info.deployment.workloads {
			let WorkloadData::GatewayNameProxy(g) = &w.data else { continue };
			if matches!(held.state_of(&w.name), Some(WorkloadState::Ok | WorkloadState::Paused)) {
				self.routes.entry(g.name.clone()).or_insert(id);
			}
		}
	}

	/// Brings a workload up (creates or resizes its disk, checks its gateway name); its state,
	/// `Paused` with the reason when the deployment is paused and nothing failed.
	fn bring_up(&self, id: u64, w: &Workload, paused: Option<&str>) -> (WorkloadState, String) {
		let (state, message) = match &w.data {
			WorkloadData::ZMount(disk) => {
				let path = self.disk_path(id, &w.name);
				let create = || -> std::io::Result<()> {
					let file = fs::OpenOptions::new()
						.write(true)
						.create(true)
						.truncate(false)
						.open(&path)?;
					// Sparse: no block is written until the machine writes one.
					file.set_len(disk.size)
				};
				match create() {
					Ok(()) => (
						WorkloadState::Ok,
						format!("disk of {} bytes at {}", disk.size, path.display()),
					),
					Err(e) => (
						WorkloadState::Error,
						format!("cannot create the disk {}: {e}", path.display()),
					),
				}
			},
			WorkloadData::ZMachine(_) => (WorkloadState::Ok, NO_HYPERVISOR.to_string()),
			WorkloadData::Network(n) => (
				WorkloadState::Ok,
				format!("recorded: subnet {} of network {}", n.subnet, n.ip_range),
			),
			WorkloadData::PublicIp(ip) => {
				(WorkloadState::Ok, format!("recorded: public IPv4 {}, IPv6 {}", ip.v4, ip.v6))
			},
			WorkloadData::GatewayNameProxy(g) => self.gateway_state(id, &g.name, &g.backends),
		};
		match paused {
			Some(reason) if state == WorkloadState::Ok => {
				(WorkloadState::Paused, format!("paused: {reason}"))
			},
			_ => (state, message),
		}
	}

	fn gateway_state(&self, id: u64, name: &str, backends: &[String]) -> (WorkloadState, String) {
		let Some(domain) = &self.config.gateway_domain else {
			return (WorkloadState::Error, NO_GATEWAY.to_string());
		};
		if !is_label(name) {
			return (
				WorkloadState::Error,
				format!("gateway name {name:?} is not a DNS label (1 to 63 of [a-z0-9-])"),
			);
		}
		match self.routes.get(name) {
			Some(&other) if other != id => {
				(WorkloadState::Error, format!("{name}.{domain} is served by contract {other}"))
			},
			_ => {
				let backend = backends.first().map_or("", String::as_str);
				(WorkloadState::Ok, format!("serving http://{name}.{domain} → {backend}"))
			},
		}
	}

	/// Removes a workload's data (a disk's file); what went wrong, if anything.
	fn tear_down(&self, id: u64, w: &Workload) -> Option<String> {
		let WorkloadData::ZMount(_) = &w.data else { return None };
		let path = self.disk_path(id, &w.name);
		match fs::remove_file(&path) {
			Ok(()) => None,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
			Err(e) => Some(format!("cannot remove the disk {}: {e}", path.display())),
		}
	}

	/// The reservations of active deployments, but for `except`.
	fn reserved(&self, except: Option<u64>) -> Capacity {
		self.held
			.iter()
			.filter(|(id, h)| h.info.active && Some(**id) != except)
			.fold(Capacity::default(), |sum, (_, h)| add(sum, capacity_of(&h.info.deployment)))
	}

	fn check_capacity(&self, d: &Deployment) -> Result<(), Refused> {
		let used = self.reserved(Some(d.contract_id));
		let want = capacity_of(d);
		let total = self.config.capacity;
		let checks = [
			("cores", want.cru, used.cru, total.cru),
			("memory bytes", want.mru, used.mru, total.mru),
			("SSD bytes", want.sru, used.sru, total.sru),
			("HDD bytes", want.hru, used.hru, total.hru),
		];
		for (what, want, used, total) in checks {
			if want.saturating_add(used) > total {
				return Err(refused(
					code::NO_CAPACITY,
					format!(
						"the workloads need {want} {what}; {} of the machine's {total} are free",
						total.saturating_sub(used)
					),
				));
			}
		}
		Ok(())
	}

	fn find(&self, id: u64) -> Result<&Held, Refused> {
		self.held
			.get(&id)
			.ok_or_else(|| refused(code::NOT_FOUND, format!("no deployment for contract {id}")))
	}

	/// A deployment that may still change.
	fn live(&self, id: u64) -> Result<&Held, Refused> {
		let held = self.find(id)?;
		if !held.info.active {
			return Err(refused(
				code::DECOMMISSIONED,
				format!("the deployment of contract {id} is decommissioned"),
			));
		}
		Ok(held)
	}

	/// Appends the action to the history, writes the record, then makes it current.
	fn commit(
		&mut self,
		mut held: Held,
		action: &str,
		reason: &str,
		now: u64,
	) -> Result<DeploymentInfo, Refused> {
		let id = held.info.deployment.contract_id;
		let version = held.info.deployment.version;
		held.info.history.push(Applied {
			at: now,
			action: action.into(),
			version,
			reason: reason.into(),
		});
		write_record(&self.records_dir(), &mut held, now)
			.map_err(|e| refused(code::INTERNAL, e))?;
		let info = held.info.clone();
		self.held.insert(id, held);
		self.reindex(id);
		let detail = if reason.is_empty() {
			let count = |s: WorkloadState| info.workloads.iter().filter(|w| w.state == s).count();
			format!(
				"{} workloads: {} ok, {} error, {} paused, {} deleted",
				info.workloads.len(),
				count(WorkloadState::Ok),
				count(WorkloadState::Error),
				count(WorkloadState::Paused),
				count(WorkloadState::Deleted)
			)
		} else {
			reason.to_string()
		};
		println!("deployment {id}: {action} (v{version}) — {detail}");
		Ok(info)
	}

	/// `zos.deployment.deploy`: a new deployment (version 0).
	pub fn deploy(&mut self, d: Deployment, now: u64) -> Result<DeploymentInfo, Refused> {
		let id = d.contract_id;
		if let Some(held) = self.held.get(&id) {
			let current = &held.info.deployment;
			if current.version == d.version && current.hash() == d.hash() {
				return Ok(held.info.clone());
			}
			return Err(refused(
				code::EXISTS,
				format!(
					"contract {id} has another deployment (version {}); change it with an update",
					current.version
				),
			));
		}
		if d.version != 0 {
			return Err(refused(
				code::INVALID_DEPLOYMENT,
				format!("a new deployment has version 0, not {}", d.version),
			));
		}
		d.check_shape().map_err(|e| refused(code::INVALID_DEPLOYMENT, e.to_string()))?;
		if self.held.len() >= self.config.max_deployments {
			return Err(refused(
				code::NO_CAPACITY,
				format!("the agent holds {} deployments, its most", self.held.len()),
			));
		}
		self.check_capacity(&d)?;
		let mut held = Held {
			info: DeploymentInfo {
				deployment: d.clone(),
				active: true,
				paused: false,
				workloads: vec![],
				history: vec![],
				traffic_bytes: 0,
			},
			changes: VecDeque::new(),
			traffic_unwritten: false,
			written_at: 0,
		};
		for w in &d.workloads {
			let (state, message) = self.bring_up(id, w, None);
			held.set(w, state, message, now);
		}
		self.commit(held, "deploy", "", now)
	}

	/// `zos.deployment.update`: a higher version. Workloads of the new version (or new ones)
	/// are (re)created, workloads it drops are deleted, the others are untouched.
	pub fn update(&mut self, d: Deployment, now: u64) -> Result<DeploymentInfo, Refused> {
		let id = d.contract_id;
		let held = self.live(id)?;
		let current = &held.info.deployment;
		if current.version == d.version && current.hash() == d.hash() {
			return Ok(held.info.clone());
		}
		if d.version <= current.version {
			return Err(refused(
				code::STALE_VERSION,
				format!(
					"contract {id} runs version {}; an update must be above it, not {}",
					current.version, d.version
				),
			));
		}
		d.check_shape().map_err(|e| refused(code::INVALID_DEPLOYMENT, e.to_string()))?;
		self.check_capacity(&d)?;
		let mut next = held.clone();
		let old = std::mem::replace(&mut next.info.deployment, d.clone());
		let paused = next.info.paused.then(|| next.pause_reason());
		for w in &old.workloads {
			let replacement = d.workloads.iter().find(|n| n.name == w.name);
			let was_disk = matches!(w.data, WorkloadData::ZMount(_));
			match replacement {
				None => {
					let why = format!("deleted: not in version {}", d.version);
					let message = match self.tear_down(id, w) {
						Some(problem) => format!("{why} ({problem})"),
						None => why,
					};
					next.set(w, WorkloadState::Deleted, message, now);
				},
				Some(n) if was_disk && !matches!(n.data, WorkloadData::ZMount(_)) => {
					// Renamed types: the old disk goes, the new workload is created below.
					if let Some(problem) = self.tear_down(id, w) {
						eprintln!("deployment {id}: {problem}");
					}
				},
				Some(_) => {},
			}
		}
		for w in &d.workloads {
			let existed = old.workloads.iter().any(|o| o.name == w.name);
			if w.version == d.version || !existed {
				let (state, message) = self.bring_up(id, w, paused.as_deref());
				next.set(w, state, message, now);
			}
		}
		// The statuses in the deployment's order, deleted ones after.
		let order: BTreeMap<&str, usize> =
			d.workloads.iter().enumerate().map(|(i, w)| (w.name.as_str(), i)).collect();
		next.info
			.workloads
			.sort_by_key(|s| order.get(s.name.as_str()).copied().unwrap_or(usize::MAX));
		self.commit(next, "update", "", now)
	}

	/// `bridge.deployment.pause`: every workload stops, data is kept, gateways answer 503.
	pub fn pause(&mut self, change: &StateChange, now: u64) -> Result<DeploymentInfo, Refused> {
		check_reason(change)?;
		let held = self.live(change.contract_id)?;
		if held.info.paused {
			return Ok(held.info.clone());
		}
		let mut next = held.clone();
		next.info.paused = true;
		let statuses = next.info.workloads.clone();
		for s in statuses.iter().filter(|s| s.state != WorkloadState::Deleted) {
			let message = format!("paused: {}", change.reason);
			next.set_named(&s.name, &s.kind, s.version, WorkloadState::Paused, message, now);
		}
		self.commit(next, "pause", &change.reason, now)
	}

	/// `bridge.deployment.resume`: paused workloads run again.
	pub fn resume(&mut self, change: &StateChange, now: u64) -> Result<DeploymentInfo, Refused> {
		check_reason(change)?;
		let id = change.contract_id;
		let held = self.live(id)?;
		if !held.info.paused {
			return Ok(held.info.clone());
		}
		let mut next = held.clone();
		next.info.paused = false;
		for w in &held.info.deployment.workloads {
			if held.state_of(&w.name) != Some(WorkloadState::Deleted) {
				let (state, message) = self.bring_up(id, w, None);
				next.set(w, state, message, now);
			}
		}
		self.commit(next, "resume", &change.reason, now)
	}

	/// `bridge.deployment.decommission`: every workload and its data goes; the deployment stays
	/// as a tombstone (`active: false`).
	pub fn decommission(
		&mut self,
		change: &StateChange,
		now: u64,
	) -> Result<DeploymentInfo, Refused> {
		check_reason(change)?;
		let id = change.contract_id;
		let held = self.find(id)?;
		if !held.info.active {
			return Ok(held.info.clone());
		}
		let mut next = held.clone();
		next.info.active = false;
		next.info.paused = false;
		for w in &held.info.deployment.workloads {
			if held.state_of(&w.name) == Some(WorkloadState::Deleted) {
				continue;
			}
			let why = format!("deleted: {}", change.reason);
			let message = match self.tear_down(id, w) {
				Some(problem) => format!("{why} ({problem})"),
				None => why,
			};
			next.set(w, WorkloadState::Deleted, message, now);
		}
		self.commit(next, "decommission", &change.reason, now)
	}

	/// `zos.deployment.get`
	pub fn get(&self, contract_id: u64) -> Result<DeploymentInfo, Refused> {
		Ok(self.find(contract_id)?.info.clone())
	}

	/// `zos.deployment.list`: every deployment, tombstones included, by contract.
	pub fn list(&self) -> Vec<DeploymentInfo> {
		self.held.values().map(|h| h.info.clone()).collect()
	}

	/// `zos.deployment.changes`: the workload changes kept, oldest first.
	pub fn changes(&self, contract_id: u64) -> Result<Vec<WorkloadChange>, Refused> {
		Ok(self.find(contract_id)?.changes.iter().cloned().collect())
	}

	/// One counter per active deployment: its reservation and its traffic.
	pub fn usage(&self) -> Vec<ContractUsage> {
		self.held
			.iter()
			.filter(|(_, h)| h.info.active)
			.map(|(&contract_id, h)| ContractUsage {
				contract_id,
				used: capacity_of(&h.info.deployment),
				public_traffic_bytes: h.info.traffic_bytes,
			})
			.collect()
	}

	/// What active deployments reserve, in all.
	pub fn used(&self) -> Capacity {
		self.reserved(None)
	}

	/// Active deployments, their live workloads, and the last deploy (Unix seconds).
	pub fn users(&self) -> UserCounters {
		let active = self.held.values().filter(|h| h.info.active);
		let workloads = active
			.clone()
			.flat_map(|h| &h.info.workloads)
			.filter(|w| w.state != WorkloadState::Deleted)
			.count();
		let last = self
			.held
			.values()
			.flat_map(|h| &h.info.history)
			.filter(|a| a.action == "deploy")
			.map(|a| a.at)
			.max();
		UserCounters {
			deployments: active.count() as u64,
			workloads: workloads as u64,
			last_deployment_timestamp: last.unwrap_or(0),
		}
	}

	/// Where the gateway sends requests for `host` (a `Host` header), if anywhere.
	pub fn route(&self, host: &str) -> Option<Route> {
		let name = gateway_name(host, self.config.gateway_domain.as_deref()?)?;
		let &contract_id = self.routes.get(&name)?;
		let held = self.held.get(&contract_id)?;
		let backend = held.info.deployment.workloads.iter().find_map(|w| match &w.data {
			WorkloadData::GatewayNameProxy(g) if g.name == name => g.backends.first().cloned(),
			_ => None,
		})?;
		backend_authority(&backend)?;
		Some(Route { contract_id, backend, paused: held.info.paused })
	}

	/// Counts `bytes` of public traffic for a contract; written at most every
	/// [`TRAFFIC_WRITE_SECS`] (see [`Self::flush`]).
	pub fn add_traffic(&mut self, contract_id: u64, bytes: u64, now: u64) {
		let dir = self.records_dir();
		let Some(held) = self.held.get_mut(&contract_id) else { return };
		held.info.traffic_bytes = held.info.traffic_bytes.saturating_add(bytes);
		held.traffic_unwritten = true;
		if now.saturating_sub(held.written_at) >= TRAFFIC_WRITE_SECS {
			if let Err(e) = write_record(&dir, held, now) {
				eprintln!("traffic of contract {contract_id}: {e}");
			}
		}
	}

	/// Writes every traffic counter that moved since its record was written.
	pub fn flush(&mut self, now: u64) {
		let dir = self.records_dir();
		for (id, held) in self.held.iter_mut().filter(|(_, h)| h.traffic_unwritten) {
			if let Err(e) = write_record(&dir, held, now) {
				eprintln!("traffic of contract {id}: {e}");
			}
		}
	}

	/// Gateway names served, for the start-up line.
	pub fn route_count(&self) -> usize {
		self.routes.len()
	}

	/// How many deployments are held, and how many of them are active.
	pub fn counts(&self) -> (usize, usize) {
		(self.held.len(), self.held.values().filter(|h| h.info.active).count())
	}
}

fn check_reason(change: &StateChange) -> Result<(), Refused> {
	if change.reason.len() > MAX_TEXT_LEN {
		return Err(refused(
			code::BAD_REQUEST,
			format!("a reason has at most {MAX_TEXT_LEN} bytes"),
		));
	}
	Ok(())
}
