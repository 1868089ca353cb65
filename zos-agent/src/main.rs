//! # zos-agent
//!
//! A reference Zero-OS agent: it speaks for one machine to that machine's `zos-bridge`, over the
//! HTTP/JSON interface of `zos-api`. It reports the host's real capacity (logical CPUs, memory,
//! disks), boot time, interfaces and firmware facts — or, for tests that run several "machines"
//! on one host, what its flags say — and simulates what a real machine does with power: once
//! told to power down it answers nothing but a wake request (Wake-on-LAN's stand-in), and a
//! woken machine boots anew. It serves only its own bridge: every request must carry the
//! shared token (`Authorization: Bearer …`), anything else gets 401.
//!
//! ## Deployments
//! The bridge deploys, updates, pauses, resumes and decommissions contracts' deployments
//! (`zos.deployment.*`, `bridge.deployment.*`; rules in [`deployments`]). Each is kept in
//! `<data-dir>/deployments/<contract>.json`, written atomically after every change and loaded at
//! start, so a restarted agent holds what it held. Disks (`zmount`) are sparse files in
//! `<data-dir>/disks/`; machines, networks and IPs are recorded only (this agent runs no
//! hypervisor). Every request that changes nothing answers the current state and repeats no
//! action; every applied action is one history entry and one line on stdout. Active
//! deployments' reservations count in `zos.statistics.get` and, with their gateway traffic, in
//! `bridge.usage.get`.
//!
//! ## Gateway
//! With `--gateway-listen` and `--gateway-domain`, the agent proxies HTTP for
//! `<name>.<domain>` to the backend of the `gateway-name-proxy` workload holding `name` (see
//! [`gateway`]): 404 for unknown names, 503 while the contract is paused, and the traffic
//! counted per contract.

mod deployments;
mod gateway;
mod machine;

use anyhow::{bail, Context, Result};
use bytes::Bytes;
use clap::Parser;
use deployments::{Deployments, Refused};
use http_body_util::{BodyExt, Full, Limited};
use hyper::{body::Incoming, server::conn::http1, service::service_fn, StatusCode};
use hyper_util::rt::TokioIo;
use machine::{unix_now, Facts, Machine};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::{
	collections::BTreeSet,
	net::SocketAddr,
	path::PathBuf,
	sync::{Arc, Mutex},
	time::{Duration, SystemTime, UNIX_EPOCH},
};
use zos_api::{
	code, command, Capacity, ContractRef, Deployment, Dmi, Location, PowerRequest, RemoteError,
	Request, Response, StateChange, Statistics,
};

/// A reference Zero-OS agent for zos-bridge.
///
/// Examples:
///   zos-agent --token-file /etc/zos/agent.token
///   zos-agent --listen 127.0.0.1:7071 --token-file t --capacity 4,8GiB,256GiB,1TiB --boot start
///   zos-agent --token-file t --data-dir /srv/zos-agent \
///     --gateway-listen 0.0.0.0:80 --gateway-domain gw.example
#[derive(Parser, Debug)]
#[command(version, verbatim_doc_comment)]
struct Cli {
	/// Address to serve on. Keep it on loopback or a private network: the token is sent in
	/// clear.
	#[arg(long, default_value = "127.0.0.1:7070", env = "ZOS_AGENT_LISTEN")]
	listen: SocketAddr,
	/// File holding the token the bridge must present (the first line; at least 16
	/// characters). Share it with the bridge's `--agent-token-file`.
	#[arg(long, env = "ZOS_AGENT_TOKEN_FILE")]
	token_file: PathBuf,
	/// Capacity to report instead of the host's: `cores,memory,ssd,hdd`, sizes with a unit
	/// (`B`, `KiB`, `MiB`, `GiB`, `TiB`), e.g. `4,8GiB,256GiB,1TiB`. Default: measured.
	#[arg(long, value_parser = parse_capacity)]
	capacity: Option<Capacity>,
	/// When the machine booted: `host` (the operating system's boot time) or `start` (when the
	/// agent started: a simulated machine that boots with its agent).
	#[arg(long, default_value = "host", value_parser = ["host", "start"])]
	boot: String,
	/// Whether the machine is virtualized: `auto` (the CPU's hypervisor flag), `yes` or `no`.
	/// A virtualized node earns no rewards.
	#[arg(long, default_value = "auto", value_parser = ["auto", "yes", "no"])]
	virtualized: String,
	/// Serial number to report instead of the board's.
	#[arg(long)]
	serial: Option<String>,
	/// Report secure boot as on (default: read from the UEFI variables).
	#[arg(long)]
	secure_boot: bool,
	/// City the machine is in.
	#[arg(long, default_value = "Unknown")]
	city: String,
	/// Country (name or code) the machine is in.
	#[arg(long, default_value = "Unknown")]
	country: String,
	/// Latitude in millionths of a degree.
	#[arg(long, allow_hyphen_values = true)]
	latitude: Option<i32>,
	/// Longitude in millionths of a degree.
	#[arg(long, allow_hyphen_values = true)]
	longitude: Option<i32>,
	/// JSON file of per-contract counters (`[{"contract_id":1,"used":{…},"public_traffic_bytes":…}]`),
	/// read at every `bridge.usage.get` and merged with the deployments' counters (a contract
	/// deployed here counts with its deployment's numbers).
	#[arg(long)]
	usage_file: Option<PathBuf>,
	/// Seconds a woken machine takes to boot.
	#[arg(long, default_value_t = 3)]
	boot_delay: u64,
	/// Directory for the deployments (`deployments/<contract>.json`, one file each, loaded at
	/// start) and their disks (`disks/<contract>-<workload>.img`, sparse files). Created if
	/// missing. Give each agent on one host its own.
	#[arg(long, default_value = "/var/lib/zos-agent", env = "ZOS_AGENT_DATA_DIR")]
	data_dir: PathBuf,
	/// Address to serve the gateway proxy on (e.g. `0.0.0.0:80`; port 0 picks a free one). The
	/// bound address is printed as `gateway proxy on http://ADDR for *.<domain>`. Without it,
	/// the node has no gateway and `gateway-name-proxy` workloads are in error.
	#[arg(long, requires = "gateway_domain")]
	gateway_listen: Option<SocketAddr>,
	/// The node's gateway domain (e.g. `gw.example`, its wildcard DNS pointing here): the proxy
	/// serves `<name>.<domain>` for each gateway workload's name. Required with
	/// `--gateway-listen`.
	#[arg(long, requires = "gateway_listen", value_parser = deployments::normalize_domain)]
	gateway_domain: Option<String>,
}

/// `4,8GiB,256GiB,1TiB` → capacity.
fn parse_capacity(s: &str) -> Result<Capacity, String> {
	let parts: Vec<&str> = s.split(',').map(str::trim).collect();
	let [cru, mru, sru, hru] = parts.as_slice() else {
		return Err("expected cores,memory,ssd,hdd (e.g. 4,8GiB,256GiB,1TiB)".into());
	};
	Ok(Capacity {
		cru: cru.parse().map_err(|e| format!("cores {cru:?}: {e}"))?,
		mru: parse_size(mru)?,
		sru: parse_size(sru)?,
		hru: parse_size(hru)?,
		ipv4u: 0,
	})
}

/// `8GiB` → bytes (binary units; a bare number is bytes).
fn parse_size(s: &str) -> Result<u64, String> {
	let units =
		[("TiB", 1u64 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("B", 1)];
	let (digits, unit) = units
		.iter()
		.find_map(|(suffix, unit)| s.strip_suffix(suffix).map(|d| (d, *unit)))
		.unwrap_or((s, 1));
	let n: u64 = digits.trim().parse().map_err(|e| format!("size {s:?}: {e}"))?;
	n.checked_mul(unit).ok_or_else(|| format!("size {s:?} is too large"))
}

fn read_token(path: &PathBuf) -> Result<String> {
	let text = std::fs::read_to_string(path)
		.with_context(|| format!("reading the agent token file {}", path.display()))?;
	let token = text.lines().next().unwrap_or_default().trim().to_string();
	if token.len() < 16 {
		bail!("the token in {} is shorter than 16 characters", path.display());
	}
	Ok(token)
}

/// A command the agent refuses: HTTP status, stable code, message.
struct Refusal(StatusCode, &'static str, String);

struct Server {
	machine: Machine,
	token: String,
	deployments: Arc<Mutex<Deployments>>,
}

impl From<Refused> for Refusal {
	fn from(refused: Refused) -> Self {
		let status = match refused.code {
			code::NOT_FOUND => StatusCode::NOT_FOUND,
			code::EXISTS | code::STALE_VERSION | code::NO_CAPACITY | code::DECOMMISSIONED => {
				StatusCode::CONFLICT
			},
			code::INVALID_DEPLOYMENT | code::BAD_REQUEST => StatusCode::BAD_REQUEST,
			_ => StatusCode::INTERNAL_SERVER_ERROR,
		};
		Refusal(status, refused.code, refused.message)
	}
}

/// A command's input, or 400.
fn input<T: DeserializeOwned>(call: &Request, expected: &str) -> Result<T, Refusal> {
	serde_json::from_value(call.data.clone()).map_err(|e| {
		Refusal(
			StatusCode::BAD_REQUEST,
			code::BAD_REQUEST,
			format!("{} expects {expected}: {e}", call.command),
		)
	})
}

/// Equal without telling by its timing how much of a guess matched.
fn same_token(a: &[u8], b: &[u8]) -> bool {
	a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

fn answer(status: StatusCode, response: &Response) -> hyper::Response<Full<Bytes>> {
	let body = serde_json::to_vec(response).unwrap_or_default();
	let mut reply = hyper::Response::new(Full::new(Bytes::from(body)));
	*reply.status_mut() = status;
	reply.headers_mut().insert(
		hyper::header::CONTENT_TYPE,
		hyper::header::HeaderValue::from_static("application/json"),
	);
	reply
}

fn error(
	status: StatusCode,
	code: &str,
	message: impl Into<String>,
) -> hyper::Response<Full<Bytes>> {
	let error = RemoteError { code: code.into(), message: message.into() };
	answer(status, &Response { data: None, error: Some(error) })
}

impl Server {
	async fn handle(
		&self,
		request: hyper::Request<Incoming>,
	) -> Result<hyper::Response<Full<Bytes>>, std::convert::Infallible> {
		let authorized = request
			.headers()
			.get(hyper::header::AUTHORIZATION)
			.and_then(|v| v.to_str().ok())
			.and_then(|v| v.strip_prefix("Bearer "))
			.is_some_and(|t| same_token(t.as_bytes(), self.token.as_bytes()));
		if !authorized {
			return Ok(error(
				StatusCode::UNAUTHORIZED,
				code::UNAUTHORIZED,
				"missing or wrong token",
			));
		}
		if request.method() != hyper::Method::POST || request.uri().path() != zos_api::CALL_PATH {
			return Ok(error(
				StatusCode::NOT_FOUND,
				code::UNKNOWN_COMMAND,
				format!("POST commands to {}", zos_api::CALL_PATH),
			));
		}
		// A deployment at its bounds (32 workloads of long texts) is well under 1 MiB.
		let body = match Limited::new(request.into_body(), 1 << 20).collect().await {
			Ok(body) => body.to_bytes(),
			Err(e) => return Ok(error(StatusCode::BAD_REQUEST, code::BAD_REQUEST, e.to_string())),
		};
		let call: Request = match serde_json::from_slice(&body) {
			Ok(call) => call,
			Err(e) => return Ok(error(StatusCode::BAD_REQUEST, code::BAD_REQUEST, e.to_string())),
		};
		Ok(match self.run(&call) {
			Ok(data) => answer(StatusCode::OK, &Response { data: Some(data), error: None }),
			Err(Refusal(status, code, message)) => error(status, code, message),
		})
	}

	fn run(&self, call: &Request) -> Result<Value, Refusal> {
		let now = unix_now();
		let facts = &self.machine.facts;
		// A machine that is off answers only a wake request.
		if !self.machine.is_on(now) && call.command != command::POWER_SET {
			return Err(Refusal(
				StatusCode::SERVICE_UNAVAILABLE,
				code::POWERED_OFF,
				"the machine is off".into(),
			));
		}
		let internal = |e: serde_json::Error| {
			Refusal(StatusCode::INTERNAL_SERVER_ERROR, code::INTERNAL, e.to_string())
		};
		let mut store = self.deployments.lock().unwrap_or_else(|e| e.into_inner());
		match call.command.as_str() {
			command::VERSION => {
				Ok(json!({ "zos": concat!("zos-agent ", env!("CARGO_PKG_VERSION")), "zinit": "" }))
			},
			command::DMI => serde_json::to_value(&facts.dmi).map_err(internal),
			command::HYPERVISOR => serde_json::to_value(&facts.hypervisor).map_err(internal),
			command::INTERFACES => serde_json::to_value(&facts.interfaces).map_err(internal),
			command::STATISTICS => serde_json::to_value(Statistics {
				total: facts.capacity,
				used: store.used(),
				system: Capacity::default(),
				users: store.users(),
				open_connections: 0,
			})
			.map_err(internal),
			command::UPTIME => serde_json::to_value(self.machine.uptime(now)).map_err(internal),
			command::LOCATION => serde_json::to_value(&facts.location).map_err(internal),
			command::POWER_GET => Ok(json!("up")),
			command::POWER_SET => {
				let request: PowerRequest =
					serde_json::from_value(call.data.clone()).map_err(|e| {
						Refusal(
							StatusCode::BAD_REQUEST,
							code::BAD_REQUEST,
							format!("expected {{\"target\": \"up\"|\"down\"}}: {e}"),
						)
					})?;
				let going_to = self.machine.set_power(request.target, now);
				let ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
				println!("power: {:?} requested at {ms} ms", request.target);
				serde_json::to_value(going_to).map_err(internal)
			},
			command::USAGE => {
				let mut usage = self
					.machine
					.usage(now)
					.map_err(|e| Refusal(StatusCode::INTERNAL_SERVER_ERROR, code::INTERNAL, e))?;
				// A contract both in the usage file and deployed here counts as deployed.
				let deployed = store.usage();
				let ids: BTreeSet<u64> = deployed.iter().map(|c| c.contract_id).collect();
				usage.contracts.retain(|c| !ids.contains(&c.contract_id));
				usage.contracts.extend(deployed);
				serde_json::to_value(usage).map_err(internal)
			},
			command::DEPLOY => {
				let deployment: Deployment = input(call, "a deployment")?;
				serde_json::to_value(store.deploy(deployment, now)?).map_err(internal)
			},
			command::UPDATE => {
				let deployment: Deployment = input(call, "a deployment")?;
				serde_json::to_value(store.update(deployment, now)?).map_err(internal)
			},
			command::GET => {
				let contract: ContractRef = input(call, "{\"contract_id\": …}")?;
				serde_json::to_value(store.get(contract.contract_id)?).map_err(internal)
			},
			command::LIST => serde_json::to_value(store.list()).map_err(internal),
			command::CHANGES => {
				let contract: ContractRef = input(call, "{\"contract_id\": …}")?;
				serde_json::to_value(store.changes(contract.contract_id)?).map_err(internal)
			},
			command::PAUSE | command::RESUME | command::DECOMMISSION => {
				let change: StateChange = input(call, "{\"contract_id\": …, \"reason\": \"…\"}")?;
				let info = match call.command.as_str() {
					command::PAUSE => store.pause(&change, now)?,
					command::RESUME => store.resume(&change, now)?,
					_ => store.decommission(&change, now)?,
				};
				serde_json::to_value(info).map_err(internal)
			},
			other => Err(Refusal(
				StatusCode::NOT_FOUND,
				code::UNKNOWN_COMMAND,
				format!("unknown command {other}"),
			)),
		}
	}
}

#[tokio::main]
async fn main() -> Result<()> {
	let cli = Cli::parse();
	let token = read_token(&cli.token_file)?;
	let capacity = cli.capacity.unwrap_or_else(machine::host_capacity);
	let hypervisor = match cli.virtualized.as_str() {
		"yes" => Some("declared".to_string()),
		"no" => None,
		_ => machine::host_hypervisor(),
	};
	let facts = Facts {
		capacity,
		dmi: Dmi {
			serial_number: cli.serial.clone().or_else(machine::host_serial),
			secure_boot: cli.secure_boot || machine::host_secure_boot(),
		},
		hypervisor,
		interfaces: machine::host_interfaces(),
		location: Location {
			city: cli.city.clone(),
			country: cli.country.clone(),
			latitude: cli.latitude,
			longitude: cli.longitude,
		},
		usage_file: cli.usage_file.clone(),
		boot_delay: cli.boot_delay,
	};
	let boot_time = match cli.boot.as_str() {
		"start" => unix_now(),
		_ => sysinfo::System::boot_time(),
	};
	let config = deployments::Config {
		data_dir: cli.data_dir.clone(),
		capacity: facts.capacity,
		gateway_domain: cli.gateway_domain.clone(),
		max_deployments: deployments::MAX_DEPLOYMENTS,
	};
	let store = Deployments::open(config, unix_now()).map_err(anyhow::Error::msg)?;
	let (held, active) = store.counts();
	println!(
		"deployments in {}: {held} held, {active} active, {} gateway names",
		cli.data_dir.display(),
		store.route_count()
	);
	let store = Arc::new(Mutex::new(store));
	if let (Some(listen), Some(domain)) = (cli.gateway_listen, &cli.gateway_domain) {
		let listener = tokio::net::TcpListener::bind(listen)
			.await
			.with_context(|| format!("listening for the gateway on {listen}"))?;
		println!("gateway proxy on http://{} for *.{domain}", listener.local_addr()?);
		tokio::spawn(Arc::new(gateway::Gateway::new(store.clone())).serve(listener));
	}
	// Traffic counters reach the disk every few seconds (state changes write at once).
	let flusher = store.clone();
	tokio::spawn(async move {
		let mut tick = tokio::time::interval(Duration::from_secs(deployments::TRAFFIC_WRITE_SECS));
		loop {
			tick.tick().await;
			flusher.lock().unwrap_or_else(|e| e.into_inner()).flush(unix_now());
		}
	});
	let listener = tokio::net::TcpListener::bind(cli.listen)
		.await
		.with_context(|| format!("listening on {}", cli.listen))?;
	println!(
		"zos-agent serving on http://{} (capacity {:?}, booted at {boot_time}, virtualized: {})",
		listener.local_addr()?,
		facts.capacity,
		facts.hypervisor.as_deref().unwrap_or("no"),
	);
	let server = Arc::new(Server {
		machine: Machine::new(facts, boot_time),
		token,
		deployments: store.clone(),
	});
	let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
		.context("listening for SIGTERM")?;
	loop {
		let (stream, _) = tokio::select! {
			accepted = listener.accept() => accepted?,
			_ = tokio::signal::ctrl_c() => break,
			_ = terminate.recv() => break,
		};
		let server = server.clone();
		tokio::spawn(async move {
			let service = service_fn(move |request| {
				let server = server.clone();
				async move { server.handle(request).await }
			});
			// A client that hangs up mid-request is no concern of ours.
			let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
		});
	}
	// The traffic counted since the last write.
	store.lock().unwrap_or_else(|e| e.into_inner()).flush(unix_now());
	Ok(())
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]
	use super::*;

	#[test]
	fn capacities_parse_with_units() {
		let c = parse_capacity("4, 8GiB,256GiB,1TiB").unwrap();
		assert_eq!(c, Capacity { cru: 4, mru: 8 << 30, sru: 256 << 30, hru: 1 << 40, ipv4u: 0 });
		assert_eq!(parse_capacity("0,18446744073709551615,0,0").unwrap().mru, u64::MAX);
		assert!(parse_capacity("4,8GiB").is_err());
		assert!(parse_capacity("4,99999999999TiB,1,1").unwrap_err().contains("too large"));
	}

	#[test]
	fn tokens_compare_whole() {
		assert!(same_token(b"abcdefghijklmnop", b"abcdefghijklmnop"));
		assert!(!same_token(b"abcdefghijklmnop", b"abcdefghijklmnoq"));
		assert!(!same_token(b"abc", b"abcdefghijklmnop"));
	}
}
