//! # zos-api
//!
//! The interface between `zos-bridge` (the chain-side half of a Zero-OS node) and the node's
//! agent: the commands, the types they carry, and how they travel.
//!
//! ## Commands
//! Commands Zero-OS has keep its names (`zos.system.version`, `zos.statistics.get`, …); what
//! Zero-OS lacks lives under `bridge.` (uptime, location, power, usage counters). Each command
//! takes a JSON value and answers one; [`Agent`] gives them types.
//!
//! | command | input | answer |
//! |---|---|---|
//! | `zos.system.version` | – | [`Version`] |
//! | `zos.system.dmi` | – | [`Dmi`] |
//! | `zos.system.hypervisor` | – | `Option<String>` (the hypervisor when virtualized) |
//! | `zos.network.interfaces` | – | `Vec<`[`Interface`]`>` |
//! | `zos.statistics.get` | – | [`Statistics`] |
//! | `bridge.system.uptime` | – | [`Uptime`] |
//! | `bridge.system.location` | – | [`Location`] |
//! | `bridge.power.get` | – | [`Power`] |
//! | `bridge.power.set` | [`PowerRequest`] | [`Power`] (the state it is going to) |
//! | `bridge.usage.get` | – | [`UsageCounters`] |
//! | `zos.deployment.deploy` | [`Deployment`] (version 0) | [`DeploymentInfo`] |
//! | `zos.deployment.update` | [`Deployment`] (a higher version) | [`DeploymentInfo`] |
//! | `zos.deployment.get` | [`ContractRef`] | [`DeploymentInfo`] |
//! | `zos.deployment.list` | – | `Vec<`[`DeploymentInfo`]`>` (tombstones included) |
//! | `zos.deployment.changes` | [`ContractRef`] | `Vec<`[`WorkloadChange`]`>` |
//! | `bridge.deployment.pause` | [`StateChange`] | [`DeploymentInfo`] |
//! | `bridge.deployment.resume` | [`StateChange`] | [`DeploymentInfo`] |
//! | `bridge.deployment.decommission` | [`StateChange`] | [`DeploymentInfo`] |
//!
//! The deployment commands are idempotent: a request that changes nothing (deploying the same
//! version and hash again, pausing what is paused) answers the current state and adds no
//! history entry, so a bridge that replays its journal after a crash repeats no action. Zero-OS
//! has no pause, resume or decommission command (it acts on chain events itself); here the
//! bridge decides from the chain and the agent obeys.
//!
//! ## Transport
//! [`Transport`] carries a command and its value; [`HttpTransport`] posts
//! `{"command": …, "data": …}` ([`Request`]) to `<agent>/api/v1/call` with
//! `Authorization: Bearer <token>` and reads [`Response`]. A transport over ThreeFold's RMB
//! would implement the same trait (see the README for what that needs).

pub mod deployment;

pub use deployment::{
	Applied, ContractRef, Deployment, DeploymentInfo, StateChange, WorkloadChange, WorkloadState,
	WorkloadStatus,
};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::TokioExecutor,
};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::Value;
use std::{fmt, future::Future, time::Duration};

/// The path every command is posted to.
pub const CALL_PATH: &str = "/api/v1/call";

/// Command names.
pub mod command {
	/// [`super::Version`]
	pub const VERSION: &str = "zos.system.version";
	/// [`super::Dmi`]
	pub const DMI: &str = "zos.system.dmi";
	/// `Option<String>`: the hypervisor the machine runs under, `None` on bare metal.
	pub const HYPERVISOR: &str = "zos.system.hypervisor";
	/// `Vec<`[`super::Interface`]`>`
	pub const INTERFACES: &str = "zos.network.interfaces";
	/// [`super::Statistics`]
	pub const STATISTICS: &str = "zos.statistics.get";
	/// [`super::Uptime`]
	pub const UPTIME: &str = "bridge.system.uptime";
	/// [`super::Location`]
	pub const LOCATION: &str = "bridge.system.location";
	/// [`super::Power`]
	pub const POWER_GET: &str = "bridge.power.get";
	/// [`super::PowerRequest`] → [`super::Power`]
	pub const POWER_SET: &str = "bridge.power.set";
	/// [`super::UsageCounters`]
	pub const USAGE: &str = "bridge.usage.get";
	/// [`super::Deployment`] (version 0) → [`super::DeploymentInfo`]
	pub const DEPLOY: &str = "zos.deployment.deploy";
	/// [`super::Deployment`] (a higher version) → [`super::DeploymentInfo`]
	pub const UPDATE: &str = "zos.deployment.update";
	/// [`super::ContractRef`] → [`super::DeploymentInfo`]
	pub const GET: &str = "zos.deployment.get";
	/// – → `Vec<`[`super::DeploymentInfo`]`>` (tombstones included)
	pub const LIST: &str = "zos.deployment.list";
	/// [`super::ContractRef`] → `Vec<`[`super::WorkloadChange`]`>`
	pub const CHANGES: &str = "zos.deployment.changes";
	/// [`super::StateChange`] → [`super::DeploymentInfo`]: stop every workload, keep data
	pub const PAUSE: &str = "bridge.deployment.pause";
	/// [`super::StateChange`] → [`super::DeploymentInfo`]: run paused workloads again
	pub const RESUME: &str = "bridge.deployment.resume";
	/// [`super::StateChange`] → [`super::DeploymentInfo`]: remove every workload and its data
	pub const DECOMMISSION: &str = "bridge.deployment.decommission";
}

/// Capacity in the chain's units: logical cores, bytes of memory, SSD and HDD, public IPv4s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capacity {
	pub cru: u64,
	pub mru: u64,
	pub sru: u64,
	pub hru: u64,
	#[serde(default)]
	pub ipv4u: u64,
}

/// Deployment counters of `zos.statistics.get`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserCounters {
	pub deployments: u64,
	pub workloads: u64,
	pub last_deployment_timestamp: u64,
}

/// `zos.statistics.get`: what the machine has (`total`, measured), what workloads use, what
/// the system reserves for itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statistics {
	pub total: Capacity,
	pub used: Capacity,
	pub system: Capacity,
	pub users: UserCounters,
	pub open_connections: u64,
}

/// `zos.system.version`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
	pub zos: String,
	pub zinit: String,
}

/// `zos.system.dmi`: what the firmware says about the board.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dmi {
	pub serial_number: Option<String>,
	pub secure_boot: bool,
}

/// One network interface (`zos.network.interfaces`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interface {
	pub name: String,
	/// `aa:bb:cc:dd:ee:ff`
	pub mac: String,
	/// IPv4 or IPv6 addresses, without prefix length.
	pub ips: Vec<String>,
}

/// `bridge.system.uptime`: when the machine booted and its clock now, Unix seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uptime {
	pub boot_time: u64,
	pub now: u64,
}

impl Uptime {
	/// Seconds since boot (0 for a clock behind the boot time).
	pub fn uptime(&self) -> u64 {
		self.now.saturating_sub(self.boot_time)
	}
}

/// `bridge.system.location`: latitude and longitude in millionths of a degree.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
	pub city: String,
	pub country: String,
	pub latitude: Option<i32>,
	pub longitude: Option<i32>,
}

/// A machine's power state, or a target for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Power {
	Up,
	Down,
}

/// `bridge.power.set`: power the machine down, or wake it (the reference agent's stand-in for
/// Wake-on-LAN, the only command a machine that is off answers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PowerRequest {
	pub target: Power,
}

/// What one contract's workloads used: the resources now, and the public traffic since the
/// agent started counting (a counter that only grows).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractUsage {
	pub contract_id: u64,
	pub used: Capacity,
	pub public_traffic_bytes: u64,
}

/// `bridge.usage.get`: every contract's counters, read at `at` (Unix seconds).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageCounters {
	pub at: u64,
	pub contracts: Vec<ContractUsage>,
}

/// A command as it travels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
	pub command: String,
	#[serde(default)]
	pub data: Value,
}

/// An answer as it travels: `data`, or an `error`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub data: Option<Value>,
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub error: Option<RemoteError>,
}

/// An error the agent answered with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteError {
	/// Stable, machine-readable: `unauthorized`, `powered_off`, `unknown_command`,
	/// `bad_request`, `internal`.
	pub code: String,
	pub message: String,
}

/// Stable error codes.
pub mod code {
	pub const UNAUTHORIZED: &str = "unauthorized";
	pub const POWERED_OFF: &str = "powered_off";
	pub const UNKNOWN_COMMAND: &str = "unknown_command";
	pub const BAD_REQUEST: &str = "bad_request";
	pub const INTERNAL: &str = "internal";
	/// A deployment for the contract exists already (deploy), or none does (the others).
	pub const EXISTS: &str = "exists";
	pub const NOT_FOUND: &str = "not_found";
	/// An update whose version is not above the deployed one.
	pub const STALE_VERSION: &str = "stale_version";
	/// The workloads do not fit the machine's free capacity.
	pub const NO_CAPACITY: &str = "no_capacity";
	/// The deployment is malformed ([`super::deployment::Invalid`]).
	pub const INVALID_DEPLOYMENT: &str = "invalid_deployment";
	/// A decommissioned deployment cannot change any more.
	pub const DECOMMISSIONED: &str = "decommissioned";
}

/// Why a command did not give an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AgentError {
	/// No answer: connection refused, timed out, or broken.
	Unreachable(String),
	/// The agent refused our credentials (HTTP 401).
	Unauthorized,
	/// The machine is powered off (it answers only a wake request).
	PoweredOff,
	/// The agent answered with an error.
	Remote(RemoteError),
	/// The answer is not what the command promises.
	BadAnswer(String),
}

impl AgentError {
	/// A short label for metrics and logs.
	pub fn label(&self) -> &'static str {
		match self {
			AgentError::Unreachable(_) => "unreachable",
			AgentError::Unauthorized => "unauthorized",
			AgentError::PoweredOff => "powered_off",
			AgentError::Remote(_) => "remote_error",
			AgentError::BadAnswer(_) => "bad_answer",
		}
	}
}

impl fmt::Display for AgentError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			AgentError::Unreachable(why) => write!(f, "agent unreachable: {why}"),
			AgentError::Unauthorized => {
				f.write_str("the agent refused our token (401): check the agent token file")
			},
			AgentError::PoweredOff => f.write_str("the machine is powered off"),
			AgentError::Remote(e) => write!(f, "agent error {}: {}", e.code, e.message),
			AgentError::BadAnswer(why) => write!(f, "agent answered nonsense: {why}"),
		}
	}
}

impl std::error::Error for AgentError {}

/// Carries one command to the agent and brings its answer back.
pub trait Transport: Send + Sync {
	/// Sends `command` with `data`; the answer's `data`, or why there is none.
	fn call(
		&self,
		command: &str,
		data: Value,
	) -> impl Future<Output = Result<Value, AgentError>> + Send;
}

/// Commands over HTTP/JSON (what `zos-agent` serves).
#[derive(Clone)]
pub struct HttpTransport {
	url: String,
	token: String,
	timeout: Duration,
	client: Client<HttpConnector, Full<Bytes>>,
}

impl HttpTransport {
	/// An agent at `base_url` (e.g. `http://127.0.0.1:7070`), with its shared `token`; each
	/// call gives up after `timeout`.
	pub fn new(base_url: &str, token: &str, timeout: Duration) -> Self {
		let client = Client::builder(TokioExecutor::new()).build_http();
		let url = format!("{}{CALL_PATH}", base_url.trim_end_matches('/'));
		Self { url, token: token.to_string(), timeout, client }
	}

	async fn post(&self, body: Vec<u8>) -> Result<(u16, Bytes), AgentError> {
		let request = hyper::Request::post(&self.url)
			.header(hyper::header::CONTENT_TYPE, "application/json")
			.header(hyper::header::AUTHORIZATION, format!("Bearer {}", self.token))
			.body(Full::new(Bytes::from(body)))
			.map_err(|e| AgentError::Unreachable(format!("bad agent URL {}: {e}", self.url)))?;
		let unreachable = |e: &dyn fmt::Display| AgentError::Unreachable(e.to_string());
		let response = self.client.request(request).await.map_err(|e| unreachable(&e))?;
		let status = response.status().as_u16();
		let body = response.into_body().collect().await.map_err(|e| unreachable(&e))?;
		Ok((status, body.to_bytes()))
	}
}

impl Transport for HttpTransport {
	async fn call(&self, command: &str, data: Value) -> Result<Value, AgentError> {
		let request = Request { command: command.to_string(), data };
		let body = serde_json::to_vec(&request)
			.map_err(|e| AgentError::BadAnswer(format!("cannot encode {command}: {e}")))?;
		let (status, body) =
			tokio::time::timeout(self.timeout, self.post(body)).await.map_err(|_| {
				AgentError::Unreachable(format!("no answer within {:?}", self.timeout))
			})??;
		if status == 401 {
			return Err(AgentError::Unauthorized);
		}
		let response: Response = serde_json::from_slice(&body).map_err(|e| {
			AgentError::BadAnswer(format!("HTTP {status}, not a JSON answer to {command}: {e}"))
		})?;
		match (response.error, response.data) {
			(Some(e), _) if e.code == code::POWERED_OFF => Err(AgentError::PoweredOff),
			(Some(e), _) => Err(AgentError::Remote(e)),
			(None, Some(data)) => Ok(data),
			(None, None) => Ok(Value::Null),
		}
	}
}

/// A bridge's deployment endpoint, as a contract owner calls it (see `zos_bridge::api`).
#[derive(Clone)]
pub struct BridgeClient {
	base: String,
	timeout: Duration,
	client: Client<HttpConnector, Full<Bytes>>,
}

/// Why a submission gave no deployment: the bridge's refusal (`status` and stable `code`), or
/// no answer (`status` 0, code `unreachable`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
	pub status: u16,
	pub code: String,
	pub message: String,
}

impl fmt::Display for Refused {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "{} ({}): {}", self.code, self.status, self.message)
	}
}

impl std::error::Error for Refused {}

impl BridgeClient {
	/// The bridge at `base_url` (e.g. `http://node.example:2021`).
	pub fn new(base_url: &str, timeout: Duration) -> Self {
		let client = Client::builder(TokioExecutor::new()).build_http();
		Self { base: base_url.trim_end_matches('/').to_string(), timeout, client }
	}

	async fn send(&self, request: hyper::Request<Full<Bytes>>) -> Result<(u16, Bytes), Refused> {
		let unreachable =
			|why: String| Refused { status: 0, code: "unreachable".into(), message: why };
		let exchange = async {
			let response =
				self.client.request(request).await.map_err(|e| unreachable(e.to_string()))?;
			let status = response.status().as_u16();
			let body =
				response.into_body().collect().await.map_err(|e| unreachable(e.to_string()))?;
			Ok((status, body.to_bytes()))
		};
		tokio::time::timeout(self.timeout, exchange)
			.await
			.map_err(|_| unreachable(format!("no answer within {:?}", self.timeout)))?
	}

	/// Sends raw `body` to `POST /api/v1/deployments` (tests send malformed bodies with it).
	pub async fn submit_raw(&self, body: Vec<u8>) -> Result<DeploymentInfo, Refused> {
		let request = hyper::Request::post(format!("{}/api/v1/deployments", self.base))
			.header(hyper::header::CONTENT_TYPE, "application/json")
			.body(Full::new(Bytes::from(body)))
			.map_err(|e| Refused { status: 0, code: "bad_url".into(), message: e.to_string() })?;
		let (status, body) = self.send(request).await?;
		Self::answer(status, &body)
	}

	/// Submits a signed deployment (first deployment or update).
	pub async fn submit(&self, deployment: &Deployment) -> Result<DeploymentInfo, Refused> {
		let body = serde_json::to_vec(deployment).map_err(|e| Refused {
			status: 0,
			code: "malformed_json".into(),
			message: e.to_string(),
		})?;
		self.submit_raw(body).await
	}

	/// The deployment's state on the node (`GET /api/v1/deployments/<id>`).
	pub async fn get(&self, contract_id: u64) -> Result<DeploymentInfo, Refused> {
		let request =
			hyper::Request::get(format!("{}/api/v1/deployments/{contract_id}", self.base))
				.body(Full::new(Bytes::new()))
				.map_err(|e| Refused {
					status: 0,
					code: "bad_url".into(),
					message: e.to_string(),
				})?;
		let (status, body) = self.send(request).await?;
		Self::answer(status, &body)
	}

	fn answer(status: u16, body: &[u8]) -> Result<DeploymentInfo, Refused> {
		if status == 200 {
			return serde_json::from_slice(body).map_err(|e| Refused {
				status,
				code: "bad_answer".into(),
				message: e.to_string(),
			});
		}
		let error = serde_json::from_slice::<Value>(body).ok();
		let field = |name: &str| {
			error
				.as_ref()
				.and_then(|e| e["error"][name].as_str())
				.unwrap_or_default()
				.to_string()
		};
		Err(Refused { status, code: field("code"), message: field("message") })
	}
}

/// The agent's commands, typed, over any [`Transport`].
#[derive(Clone)]
pub struct Agent<T> {
	transport: T,
}

impl<T: Transport> Agent<T> {
	/// Commands over `transport`.
	pub fn new(transport: T) -> Self {
		Self { transport }
	}

	async fn call<R: DeserializeOwned>(&self, command: &str, data: Value) -> Result<R, AgentError> {
		let value = self.transport.call(command, data).await?;
		serde_json::from_value(value).map_err(|e| {
			AgentError::BadAnswer(format!("{command} answered an unexpected shape: {e}"))
		})
	}

	/// `zos.system.version`
	pub async fn version(&self) -> Result<Version, AgentError> {
		self.call(command::VERSION, Value::Null).await
	}

	/// `zos.system.dmi`
	pub async fn dmi(&self) -> Result<Dmi, AgentError> {
		self.call(command::DMI, Value::Null).await
	}

	/// `zos.system.hypervisor`
	pub async fn hypervisor(&self) -> Result<Option<String>, AgentError> {
		self.call(command::HYPERVISOR, Value::Null).await
	}

	/// `zos.network.interfaces`
	pub async fn interfaces(&self) -> Result<Vec<Interface>, AgentError> {
		self.call(command::INTERFACES, Value::Null).await
	}

	/// `zos.statistics.get`
	pub async fn statistics(&self) -> Result<Statistics, AgentError> {
		self.call(command::STATISTICS, Value::Null).await
	}

	/// `bridge.system.uptime`
	pub async fn uptime(&self) -> Result<Uptime, AgentError> {
		let uptime: Uptime = self.call(command::UPTIME, Value::Null).await?;
		if uptime.boot_time > uptime.now {
			return Err(AgentError::BadAnswer(format!(
				"booted at {} after its clock's now {}",
				uptime.boot_time, uptime.now
			)));
		}
		Ok(uptime)
	}

	/// `bridge.system.location`
	pub async fn location(&self) -> Result<Location, AgentError> {
		self.call(command::LOCATION, Value::Null).await
	}

	/// `bridge.power.get`
	pub async fn power(&self) -> Result<Power, AgentError> {
		self.call(command::POWER_GET, Value::Null).await
	}

	/// `bridge.power.set`
	pub async fn set_power(&self, target: Power) -> Result<Power, AgentError> {
		let data = serde_json::to_value(PowerRequest { target })
			.map_err(|e| AgentError::BadAnswer(e.to_string()))?;
		self.call(command::POWER_SET, data).await
	}

	/// `bridge.usage.get`
	pub async fn usage(&self) -> Result<UsageCounters, AgentError> {
		self.call(command::USAGE, Value::Null).await
	}

	/// `zos.deployment.deploy` (version 0) or `zos.deployment.update` (a higher version).
	pub async fn deploy(&self, deployment: &Deployment) -> Result<DeploymentInfo, AgentError> {
		let command = if deployment.version == 0 { command::DEPLOY } else { command::UPDATE };
		let data =
			serde_json::to_value(deployment).map_err(|e| AgentError::BadAnswer(e.to_string()))?;
		self.call(command, data).await
	}

	/// `zos.deployment.get`
	pub async fn deployment(&self, contract_id: u64) -> Result<DeploymentInfo, AgentError> {
		self.call(command::GET, serde_json::json!(ContractRef { contract_id })).await
	}

	/// `zos.deployment.list`
	pub async fn deployments(&self) -> Result<Vec<DeploymentInfo>, AgentError> {
		self.call(command::LIST, Value::Null).await
	}

	/// `zos.deployment.changes`
	pub async fn changes(&self, contract_id: u64) -> Result<Vec<WorkloadChange>, AgentError> {
		self.call(command::CHANGES, serde_json::json!(ContractRef { contract_id }))
			.await
	}

	/// `bridge.deployment.pause|resume|decommission` (`command`), for `reason`.
	pub async fn change_state(
		&self,
		command: &str,
		contract_id: u64,
		reason: &str,
	) -> Result<DeploymentInfo, AgentError> {
		let data = serde_json::json!(StateChange { contract_id, reason: reason.into() });
		self.call(command, data).await
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]
	use super::*;

	#[test]
	fn power_travels_lowercase() {
		let json = serde_json::to_string(&PowerRequest { target: Power::Down }).unwrap();
		assert_eq!(json, r#"{"target":"down"}"#);
		assert_eq!(serde_json::from_str::<Power>(r#""up""#).unwrap(), Power::Up);
	}

	#[test]
	fn a_response_carries_data_or_an_error() {
		let ok: Response = serde_json::from_str(r#"{"data":{"zos":"1","zinit":"2"}}"#).unwrap();
		assert!(ok.error.is_none() && ok.data.is_some());
		let err: Response =
			serde_json::from_str(r#"{"error":{"code":"powered_off","message":"off"}}"#).unwrap();
		assert_eq!(err.error.unwrap().code, code::POWERED_OFF);
	}

	#[test]
	fn uptime_never_underflows() {
		assert_eq!(Uptime { boot_time: 10, now: 5 }.uptime(), 0);
		assert_eq!(Uptime { boot_time: 5, now: 10 }.uptime(), 5);
	}
}
