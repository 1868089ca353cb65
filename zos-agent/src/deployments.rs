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
//! `<data-dir>/agent.lock` is locked while an agent uses the directory (a second agent there
//! refuses to start). `<data-dir>/deployments/<contract>.json`: the [`DeploymentInfo`] and the change log, written
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
	/// `<data-dir>/agent.lock`, locked while the store is open: one agent per data directory.
	_lock: fs::File,
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
		let data_dir = &config.data_dir;
		fs::create_dir_all(data_dir)
			.map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
		let lock_path = data_dir.join("agent.lock");
		let lock = fs::OpenOptions::new()
			.create(true)
			.write(true)
			.truncate(false)
			.open(&lock_path)
			.map_err(|e| format!("cannot open {}: {e}", lock_path.display()))?;
		lock.try_lock().map_err(|e| {
			format!(
				"another zos-agent uses {} ({}: {e}); give each agent its own --data-dir",
				data_dir.display(),
				lock_path.display()
			)
		})?;
		let mut store =
			Self { config, held: BTreeMap::new(), routes: BTreeMap::new(), _lock: lock };
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

#[cfg(test)]
pub(crate) mod tests {
	#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
	use super::*;
	use std::{
		os::unix::fs::MetadataExt,
		sync::atomic::{AtomicU32, Ordering},
	};
	use zos_api::deployment::{GatewayNameProxy, Mount, ZMachine, ZMount};

	/// A fresh directory under the system's temporary one.
	pub(crate) fn temp_dir(name: &str) -> PathBuf {
		static NEXT: AtomicU32 = AtomicU32::new(0);
		let n = NEXT.fetch_add(1, Ordering::Relaxed);
		let dir = std::env::temp_dir().join(format!(
			"zos-agent-test-{}-{n}-{name}-{}",
			std::process::id(),
			unix_now_nanos()
		));
		let _ = fs::remove_dir_all(&dir);
		dir
	}

	fn unix_now_nanos() -> u128 {
		std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.map(|d| d.as_nanos())
			.unwrap_or(0)
	}

	pub(crate) fn config(dir: &Path, domain: Option<&str>) -> Config {
		Config {
			data_dir: dir.to_path_buf(),
			capacity: Capacity { cru: 4, mru: 8 << 30, sru: 100 << 30, hru: 0, ipv4u: 0 },
			gateway_domain: domain.map(String::from),
			max_deployments: MAX_DEPLOYMENTS,
		}
	}

	pub(crate) fn disk(name: &str, size: u64) -> Workload {
		Workload::new(name, WorkloadData::ZMount(ZMount { size }))
	}

	pub(crate) fn gateway(workload: &str, name: &str, backend: &str) -> Workload {
		Workload::new(
			workload,
			WorkloadData::GatewayNameProxy(GatewayNameProxy {
				name: name.into(),
				backends: vec![backend.into()],
				tls_passthrough: false,
			}),
		)
	}

	fn machine(cpu: u32, mounts: &[&str]) -> Workload {
		Workload::new(
			"vm",
			WorkloadData::ZMachine(ZMachine {
				flist: "https://hub.example/ubuntu.flist".into(),
				entrypoint: String::new(),
				cpu,
				memory: 1 << 30,
				rootfs_size: 1 << 30,
				mounts: mounts
					.iter()
					.map(|m| Mount { name: (*m).into(), mountpoint: format!("/{m}") })
					.collect(),
				network: None,
				public_ip: None,
			}),
		)
	}

	fn change(contract_id: u64, reason: &str) -> StateChange {
		StateChange { contract_id, reason: reason.into() }
	}

	fn state(info: &DeploymentInfo, name: &str) -> (WorkloadState, String) {
		let s = info.workloads.iter().find(|s| s.name == name).unwrap();
		(s.state, s.message.clone())
	}

	#[test]
	fn repeated_requests_apply_once() {
		let dir = temp_dir("idempotence");
		let mut store = Deployments::open(config(&dir, None), 10).unwrap();
		let d = Deployment::new(1, 7, vec![disk("data", 1 << 20), machine(1, &["data"])]);
		let first = store.deploy(d.clone(), 100).unwrap();
		let again = store.deploy(d.clone(), 200).unwrap();
		assert_eq!(first, again);
		assert_eq!(again.applied("deploy"), 1);
		assert_eq!(store.changes(7).unwrap().len(), 2);
		// Another deployment for the same contract is not a replay.
		let mut other = d.clone();
		other.nonce = 1;
		assert_eq!(store.deploy(other, 200).unwrap_err().code, code::EXISTS);

		let paused = store.pause(&change(7, "grace since block 40"), 300).unwrap();
		let paused_again = store.pause(&change(7, "grace since block 41"), 400).unwrap();
		assert_eq!(paused, paused_again);
		assert_eq!(paused_again.applied("pause"), 1);
		assert_eq!(paused_again.history.len(), 2);
		assert_eq!(
			state(&paused, "vm"),
			(WorkloadState::Paused, "paused: grace since block 40".into())
		);
		// Paused data stays.
		assert!(store.disk_path(7, "data").exists());
		// The deploy replayed while paused changes nothing either.
		assert_eq!(store.deploy(d, 450).unwrap().history.len(), 2);

		let resumed = store.resume(&change(7, "paid"), 500).unwrap();
		assert_eq!(store.resume(&change(7, "paid"), 600).unwrap(), resumed);
		assert_eq!(state(&resumed, "vm"), (WorkloadState::Ok, NO_HYPERVISOR.into()));

		let gone = store.decommission(&change(7, "cancelled"), 700).unwrap();
		assert_eq!(store.decommission(&change(7, "cancelled"), 800).unwrap(), gone);
		let actions: Vec<&str> = gone.history.iter().map(|a| a.action.as_str()).collect();
		assert_eq!(actions, ["deploy", "pause", "resume", "decommission"]);
		// deploy 2, pause 2, resume 2, decommission 2: nothing from the replays.
		assert_eq!(store.changes(7).unwrap().len(), 8);
		fs::remove_dir_all(dir).unwrap();
	}

	#[test]
	fn active_reservations_stay_within_the_machine() {
		let dir = temp_dir("capacity");
		let mut store = Deployments::open(config(&dir, None), 10).unwrap();
		store.deploy(Deployment::new(1, 1, vec![machine(3, &[])]), 100).unwrap();
		let err = store.deploy(Deployment::new(1, 2, vec![machine(2, &[])]), 100).unwrap_err();
		assert_eq!(err.code, code::NO_CAPACITY);
		assert!(err.message.contains("need 2 cores; 1 of the machine's 4"), "{}", err.message);
		assert!(store.get(2).is_err(), "a refused deploy is not held");
		// A disk beyond the SSD left.
		let big = Deployment::new(1, 3, vec![disk("d", 100 << 30)]);
		assert_eq!(store.deploy(big, 100).unwrap_err().code, code::NO_CAPACITY);
		// An update is checked against the others only; a paused deployment still reserves.
		let mut grown = store.get(1).unwrap().deployment;
		grown.version = 1;
		grown.workloads = vec![Workload { version: 1, ..machine(4, &[]) }];
		store.pause(&change(1, "grace"), 150).unwrap();
		assert_eq!(store.update(grown, 200).unwrap().deployment.version, 1);
		assert_eq!(store.used().cru, 4);
		assert_eq!(
			store
				.deploy(Deployment::new(1, 2, vec![machine(1, &[])]), 300)
				.unwrap_err()
				.code,
			code::NO_CAPACITY
		);
		// A tombstone reserves nothing.
		store.decommission(&change(1, "cancelled"), 400).unwrap();
		store.deploy(Deployment::new(1, 2, vec![machine(4, &[])]), 500).unwrap();
		assert_eq!(store.used().cru, 4);
		fs::remove_dir_all(dir).unwrap();
	}

	#[test]
	fn one_agent_per_data_directory() {
		let dir = temp_dir("lock");
		let store = Deployments::open(config(&dir, None), 1).unwrap();
		let err = Deployments::open(config(&dir, None), 1).err().unwrap();
		assert!(err.contains("another zos-agent uses"), "{err}");
		drop(store);
		Deployments::open(config(&dir, None), 1).unwrap();
		fs::remove_dir_all(dir).unwrap();
	}

	#[test]
	fn the_number_of_deployments_is_bounded() {
		let dir = temp_dir("bound");
		let mut store =
			Deployments::open(Config { max_deployments: 2, ..config(&dir, None) }, 1).unwrap();
		for id in 1..=2 {
			store.deploy(Deployment::new(1, id, vec![disk("d", 1)]), 10).unwrap();
		}
		let err = store.deploy(Deployment::new(1, 3, vec![disk("d", 1)]), 10).unwrap_err();
		assert_eq!(err.code, code::NO_CAPACITY);
		fs::remove_dir_all(dir).unwrap();
	}

	#[test]
	fn updates_go_up_and_only_up() {
		let dir = temp_dir("stale");
		let mut store = Deployments::open(config(&dir, None), 10).unwrap();
		let v0 = Deployment::new(1, 5, vec![disk("a", 1 << 20)]);
		assert_eq!(store.update(v0.clone(), 50).unwrap_err().code, code::NOT_FOUND);
		store.deploy(v0.clone(), 100).unwrap();
		// The deploy again as an update: identical, so nothing to do.
		assert_eq!(store.update(v0.clone(), 110).unwrap().history.len(), 1);
		let mut v0b = v0.clone();
		v0b.metadata = "other".into();
		assert_eq!(store.update(v0b, 120).unwrap_err().code, code::STALE_VERSION);

		let mut v1 = v0.clone();
		v1.version = 1;
		v1.metadata = "one".into();
		store.update(v1.clone(), 200).unwrap();
		assert_eq!(store.update(v1.clone(), 210).unwrap().applied("update"), 1);
		let mut v1b = v1.clone();
		v1b.metadata = "another one".into();
		let err = store.update(v1b, 220).unwrap_err();
		assert_eq!(err.code, code::STALE_VERSION);
		assert!(err.message.contains("runs version 1"), "{}", err.message);
		let mut bad = v1.clone();
		bad.version = 2;
		bad.workloads[0].version = 3;
		assert_eq!(store.update(bad, 230).unwrap_err().code, code::INVALID_DEPLOYMENT);
		let mut not_zero = Deployment::new(1, 6, vec![disk("a", 1)]);
		not_zero.version = 1;
		assert_eq!(store.deploy(not_zero, 240).unwrap_err().code, code::INVALID_DEPLOYMENT);

		store.decommission(&change(5, "gone"), 300).unwrap();
		let mut v2 = v1;
		v2.version = 2;
		assert_eq!(store.update(v2, 400).unwrap_err().code, code::DECOMMISSIONED);
		assert_eq!(store.pause(&change(5, "x"), 400).unwrap_err().code, code::DECOMMISSIONED);
		assert_eq!(store.resume(&change(5, "x"), 400).unwrap_err().code, code::DECOMMISSIONED);
		assert_eq!(store.pause(&change(9, "x"), 400).unwrap_err().code, code::NOT_FOUND);
		fs::remove_dir_all(dir).unwrap();
	}

	#[test]
	fn an_update_creates_and_removes_disks() {
		let dir = temp_dir("disks");
		let mut store = Deployments::open(config(&dir, None), 10).unwrap();
		let v0 = Deployment::new(1, 8, vec![disk("a", 1 << 20), disk("keep", 4096)]);
		store.deploy(v0.clone(), 100).unwrap();
		let (a, keep, b) =
			(store.disk_path(8, "a"), store.disk_path(8, "keep"), store.disk_path(8, "b"));
		assert_eq!(fs::metadata(&a).unwrap().len(), 1 << 20);
		fs::write(&keep, b"data").unwrap();

		let mut v1 = v0;
		v1.version = 1;
		v1.workloads = vec![v1.workloads[1].clone(), Workload { version: 1, ..disk("b", 3 << 30) }];
		let info = store.update(v1, 200).unwrap();
		assert!(!a.exists(), "the dropped disk is removed");
		let meta = fs::metadata(&b).unwrap();
		assert_eq!(meta.len(), 3 << 30, "sized exactly");
		assert!(meta.blocks() * 512 < 1 << 20, "sparse: {} blocks", meta.blocks());
		// The untouched disk keeps its data and its state.
		assert_eq!(&fs::read(&keep).unwrap()[..4], b"data");
		assert_eq!(info.workloads.iter().find(|s| s.name == "keep").unwrap().changed_at, 100);
		let names: Vec<(&str, WorkloadState)> =
			info.workloads.iter().map(|s| (s.name.as_str(), s.state)).collect();
		assert_eq!(
			names,
			[("keep", WorkloadState::Ok), ("b", WorkloadState::Ok), ("a", WorkloadState::Deleted)]
		);
		assert_eq!(state(&info, "a").1, "deleted: not in version 1");
		assert_eq!(store.used().sru, (3 << 30) + 4096);
		fs::remove_dir_all(dir).unwrap();
	}

	#[test]
	fn decommission_removes_the_data_and_keeps_a_tombstone() {
		let dir = temp_dir("decommission");
		let mut store = Deployments::open(config(&dir, Some("gw.example")), 10).unwrap();
		let d = Deployment::new(
			1,
			9,
			vec![disk("data", 1 << 20), gateway("web", "shop", "http://127.0.0.1:1")],
		);
		store.deploy(d, 100).unwrap();
		assert!(store.route("shop.gw.example").is_some());
		let info = store.decommission(&change(9, "contract cancelled"), 200).unwrap();
		assert!(!store.disk_path(9, "data").exists());
		assert!(!info.active && !info.paused);
		assert!(info.workloads.iter().all(
			|w| w.state == WorkloadState::Deleted && w.message == "deleted: contract cancelled"
		));
		assert_eq!(store.route("shop.gw.example"), None);
		assert_eq!(store.list(), vec![info.clone()]);
		assert_eq!(store.get(9).unwrap(), info);
		assert!(store.usage().is_empty());
		assert_eq!(store.users().deployments, 0);
		assert_eq!(store.users().last_deployment_timestamp, 100);
		fs::remove_dir_all(dir).unwrap();
	}

	#[test]
	fn a_restart_keeps_everything() {
		let dir = temp_dir("restart");
		let mut store = Deployments::open(config(&dir, Some("gw.example")), 10).unwrap();
		let web = |id, name: &str| {
			Deployment::new(1, id, vec![gateway("web", name, "http://127.0.0.1:1")])
		};
		store.deploy(web(1, "one"), 100).unwrap();
		store.deploy(web(2, "two"), 100).unwrap();
		store.deploy(web(3, "three"), 100).unwrap();
		store.pause(&change(2, "grace"), 200).unwrap();
		store.decommission(&change(3, "gone"), 200).unwrap();
		store.add_traffic(1, 1234, 300);
		store.flush(301);
		let before = store.list();
		let changes = store.changes(2).unwrap();
		drop(store);

		let store = Deployments::open(config(&dir, Some("gw.example")), 1000).unwrap();
		assert_eq!(store.list(), before);
		assert_eq!(store.changes(2).unwrap(), changes);
		assert_eq!(store.get(1).unwrap().traffic_bytes, 1234);
		assert!(!store.route("one.gw.example").unwrap().paused);
		assert!(store.get(2).unwrap().paused);
		assert!(store.route("two.gw.example").unwrap().paused, "paused stays paused");
		assert_eq!(store.route("three.gw.example"), None);
		drop(store);

		// The same data without a gateway: the running one is in error, the paused one waits.
		let store = Deployments::open(config(&dir, None), 2000).unwrap();
		assert_eq!(state(&store.get(1).unwrap(), "web"), (WorkloadState::Error, NO_GATEWAY.into()));
		assert_eq!(state(&store.get(2).unwrap(), "web").0, WorkloadState::Paused);
		assert_eq!(store.get(1).unwrap().history.len(), 1, "a recheck is no action");
		fs::remove_dir_all(dir).unwrap();
	}

	#[test]
	fn hosts_route_by_name_under_the_domain() {
		assert_eq!(gateway_name("Shop.GW.Example:8080", "gw.example").as_deref(), Some("shop"));
		assert_eq!(gateway_name("shop.gw.example.", "gw.example").as_deref(), Some("shop"));
		assert_eq!(gateway_name("gw.example", "gw.example"), None);
		assert_eq!(gateway_name("a.b.gw.example", "gw.example"), None);
		assert_eq!(gateway_name("shop.gw.example.evil", "gw.example"), None);
		assert_eq!(gateway_name("shopgw.example", "gw.example"), None);
		assert_eq!(normalize_domain("GW.Example.").unwrap(), "gw.example");
		assert!(normalize_domain("bad domain").is_err());

		let dir = temp_dir("routes");
		let mut store = Deployments::open(config(&dir, Some("gw.example")), 10).unwrap();
		store
			.deploy(Deployment::new(1, 1, vec![gateway("web", "shop", "http://h:1")]), 1)
			.unwrap();
		let route = store.route("SHOP.gw.example:443").unwrap();
		assert_eq!(route, Route { contract_id: 1, backend: "http://h:1".into(), paused: false });
		assert_eq!(store.route("other.gw.example"), None);
		// A name another contract serves is an error, not a takeover.
		let info = store
			.deploy(Deployment::new(1, 2, vec![gateway("web", "shop", "http://x:2")]), 1)
			.unwrap();
		assert_eq!(
			state(&info, "web"),
			(WorkloadState::Error, "shop.gw.example is served by contract 1".into())
		);
		assert_eq!(store.route("shop.gw.example").unwrap().contract_id, 1);
		// Paused, the error becomes "paused", still without the name.
		store.pause(&change(2, "grace"), 2).unwrap();
		assert_eq!(store.route("shop.gw.example").unwrap().contract_id, 1);
		drop(store);

		let mut store = Deployments::open(config(&dir, None), 10).unwrap();
		let info = store
			.deploy(Deployment::new(1, 3, vec![gateway("web", "x", "http://h:1")]), 1)
			.unwrap();
		assert_eq!(state(&info, "web"), (WorkloadState::Error, NO_GATEWAY.into()));
		assert_eq!(store.route("x.gw.example"), None);
		fs::remove_dir_all(dir).unwrap();
	}

	#[test]
	fn usage_counts_active_reservations_and_traffic() {
		let dir = temp_dir("usage");
		let mut store = Deployments::open(config(&dir, None), 10).unwrap();
		let mut d = Deployment::new(1, 4, vec![disk("data", 1 << 20), machine(2, &["data"])]);
		d.workloads.push(Workload::new(
			"pub",
			WorkloadData::PublicIp(zos_api::deployment::PublicIp { v4: true, v6: false }),
		));
		store.deploy(d, 100).unwrap();
		store.add_traffic(4, 10, 101);
		store.add_traffic(4, 5, 102);
		let usage = store.usage();
		assert_eq!(usage.len(), 1);
		assert_eq!(
			usage[0].used,
			Capacity { cru: 2, mru: 1 << 30, sru: (1 << 30) + (1 << 20), hru: 0, ipv4u: 1 }
		);
		assert_eq!(usage[0].public_traffic_bytes, 15);
		let users = store.users();
		assert_eq!(
			(users.deployments, users.workloads, users.last_deployment_timestamp),
			(1, 3, 100)
		);
		fs::remove_dir_all(dir).unwrap();
	}
}
