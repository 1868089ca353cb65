//! The endpoint where a contract's owner submits its deployment (`--deploy-listen`).
//!
//! - `POST /api/v1/deployments` with a [`Deployment`] as JSON (at most 64 KiB): deploys it, or
//!   updates the contract's deployment to it. Answers `200` with the agent's
//!   [`DeploymentInfo`], or an error `{"error": {"code", "message"}}`.
//! - `GET /api/v1/deployments/<contract id>`: the agent's [`DeploymentInfo`] (workload states).
//!
//! A submission is accepted only when, at the finalized head, its contract is a live node
//! contract on this node owned by the deployment's twin, the contract's `deployment_hash` is
//! the deployment's [`Deployment::hash`], the twins asked to sign did so with their accounts'
//! keys, the workloads fit what the contract reserved, every gateway name is held by the owner
//! (on a node with a domain), and its version is above the one accepted before. Anything else
//! is refused with one of the stable codes below, and nothing reaches the agent.
//!
//! | code | HTTP | meaning |
//! |---|---|---|
//! | `malformed_json` | 400 | the body is not a deployment |
//! | `body_too_large` | 413 | over 64 KiB |
//! | `invalid_deployment` | 400 | shape: names, references, bounds, signature requests |
//! | `contract_not_found` | 404 | no live contract with that id at the finalized head |
//! | `not_a_node_contract` | 409 | a rent or name contract |
//! | `wrong_node` | 409 | a node contract on another node |
//! | `not_owner` | 403 | the contract belongs to another twin |
//! | `hash_mismatch` | 409 | the contract holds another hash (an old or a future version) |
//! | `bad_signature` | 403 | a signature missing, malformed, or not by the twin's account |
//! | `exceeds_reservation` | 409 | the workloads need more than the contract reserved |
//! | `no_gateway` | 409 | a gateway workload on a node without a domain |
//! | `name_not_held` | 403 | a gateway name no name contract of the owner holds |
//! | `stale_version` | 409 | not above the version accepted before (a replay) |
//! | `bad_version` | 409 | a first deployment whose version is not 0 |
//! | `contract_ended` | 410 | the contract's deployment was decommissioned |
//! | `no_capacity`, … | 409 | the agent refused it (its own codes) |
//! | `chain_unavailable` | 503 | no RPC endpoint answers: try again |
//! | `busy` | 503 | [`MAX_CONCURRENT`] requests are being checked: try again |
//! | `agent_unavailable` | 503 | accepted and journaled; the agent gets it when it answers |

use crate::workloads::{fetch_contract, Action, Deployer, Record};
use bytes::Bytes;
use grid_client::grid;
use http_body_util::{BodyExt, Full, Limited};
use hyper::{body::Incoming, server::conn::http1, service::service_fn, Method, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;
use std::sync::Arc;
use tracing::{info, warn};
use zos_api::{
	code,
	deployment::{Reservation, SignatureType},
	AgentError, Deployment, DeploymentInfo, Transport,
};

use grid::runtime_types::pallet_capacity::types::ContractKind;

/// The submission path.
pub const DEPLOYMENTS_PATH: &str = "/api/v1/deployments";
/// The largest body accepted.
pub const MAX_BODY: usize = 64 * 1024;
/// Submissions checked at once; more are answered `busy` (503) rather than queued, so a
/// flood costs the chain's RPC no more than this.
pub const MAX_CONCURRENT: usize = 16;

/// A refused request: HTTP status, stable code, message for a person.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
	pub status: StatusCode,
	pub code: String,
	pub message: String,
}

fn refuse(status: StatusCode, code: &str, message: impl Into<String>) -> Refusal {
	Refusal { status, code: code.into(), message: message.into() }
}

fn reply(status: StatusCode, body: serde_json::Value) -> hyper::Response<Full<Bytes>> {
	let mut response = hyper::Response::new(Full::new(Bytes::from(body.to_string())));
	*response.status_mut() = status;
	response.headers_mut().insert(
		hyper::header::CONTENT_TYPE,
		hyper::header::HeaderValue::from_static("application/json"),
	);
	response
}

fn refusal_reply(r: &Refusal) -> hyper::Response<Full<Bytes>> {
	reply(r.status, json!({ "error": { "code": r.code, "message": r.message } }))
}

/// Serves the endpoint on `listener` until the process ends.
pub async fn serve<T: Transport + 'static>(
	listener: tokio::net::TcpListener,
	deployer: Arc<Deployer<T>>,
) {
	let permits = Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT));
	loop {
		let stream = match listener.accept().await {
			Ok((stream, _)) => stream,
			Err(e) => {
				warn!(error = %e, "accepting a connection failed");
				continue;
			},
		};
		let (deployer, permits) = (deployer.clone(), permits.clone());
		tokio::spawn(async move {
			let service = service_fn(move |request| {
				let (deployer, permits) = (deployer.clone(), permits.clone());
				async move {
					let Ok(_permit) = permits.try_acquire() else {
						let busy = refuse(
							StatusCode::SERVICE_UNAVAILABLE,
							"busy",
							format!("{MAX_CONCURRENT} requests are being checked: try again"),
						);
						return Ok::<_, std::convert::Infallible>(refusal_reply(&busy));
					};
					Ok(handle(&deployer, request).await)
				}
			});
			// A client that sends its headers slowly holds nothing for long.
			let _ = http1::Builder::new()
				.timer(TokioTimer::new())
				.header_read_timeout(std::time::Duration::from_secs(10))
				.serve_connection(TokioIo::new(stream), service)
				.await;
		});
	}
}

async fn handle<T: Transport>(
	deployer: &Deployer<T>,
	request: hyper::Request<Incoming>,
) -> hyper::Response<Full<Bytes>> {
	let path = request.uri().path().to_string();
	let result = match (request.method().clone(), path.strip_prefix(DEPLOYMENTS_PATH)) {
		(Method::POST, Some("" | "/")) => match read_deployment(request).await {
			Ok(deployment) => submit(deployer, deployment).await,
			Err(refusal) => Err(refusal),
		},
		(Method::GET, Some(id)) => match id.trim_start_matches('/').parse::<u64>() {
			Ok(id) => deployer.agent.deployment(id).await.map_err(agent_refusal),
			Err(_) => Err(refuse(
				StatusCode::NOT_FOUND,
				"not_found",
				"GET /api/v1/deployments/<contract id>",
			)),
		},
		_ => Err(refuse(
			StatusCode::NOT_FOUND,
			"not_found",
			format!("POST {DEPLOYMENTS_PATH} or GET {DEPLOYMENTS_PATH}/<contract id>"),
		)),
	};
	match result {
		Ok(info) => reply(StatusCode::OK, json!(info)),
		Err(refusal) => refusal_reply(&refusal),
	}
}

async fn read_deployment(request: hyper::Request<Incoming>) -> Result<Deployment, Refusal> {
	let too_large = || {
		refuse(
			StatusCode::PAYLOAD_TOO_LARGE,
			"body_too_large",
			format!("the body is over {MAX_BODY} bytes"),
		)
	};
	let declared = request
		.headers()
		.get(hyper::header::CONTENT_LENGTH)
		.and_then(|v| v.to_str().ok())
		.and_then(|v| v.parse::<usize>().ok());
	if declared.is_some_and(|n| n > MAX_BODY) {
		return Err(too_large());
	}
	let body = Limited::new(request.into_body(), MAX_BODY)
		.collect()
		.await
		.map_err(|_| too_large())?;
	serde_json::from_slice(&body.to_bytes()).map_err(|e| {
		refuse(StatusCode::BAD_REQUEST, "malformed_json", format!("not a deployment: {e}"))
	})
}

fn agent_refusal(e: AgentError) -> Refusal {
	match e {
		AgentError::Remote(e) if e.code == code::NOT_FOUND => {
			refuse(StatusCode::NOT_FOUND, "not_found", e.message)
		},
		AgentError::Remote(e) => refuse(StatusCode::CONFLICT, &e.code, e.message),
		other => refuse(
			StatusCode::SERVICE_UNAVAILABLE,
			"agent_unavailable",
			format!("the node's agent does not answer: {other}"),
		),
	}
}

fn stale(deployment: &Deployment, accepted: &Record) -> Refusal {
	refuse(
		StatusCode::CONFLICT,
		"stale_version",
		format!(
			"version {} is not above the accepted version {}",
			deployment.version, accepted.deployment.version
		),
	)
}

/// Checks `deployment` against the finalized chain, journals it and hands it to the agent.
pub async fn submit<T: Transport>(
	deployer: &Deployer<T>,
	deployment: Deployment,
) -> Result<DeploymentInfo, Refusal> {
	let result = accept(deployer, deployment).await;
	let label = match &result {
		Ok(_) => "accepted".to_string(),
		Err(r) => r.code.clone(),
	};
	deployer.metrics.submissions.with_label_values(&[&label]).inc();
	result
}

async fn accept<T: Transport>(
	deployer: &Deployer<T>,
	deployment: Deployment,
) -> Result<DeploymentInfo, Refusal> {
	deployment
		.check_shape()
		.map_err(|e| refuse(StatusCode::BAD_REQUEST, e.code(), e.to_string()))?;
	let unavailable = |e: anyhow::Error| {
		refuse(
			StatusCode::SERVICE_UNAVAILABLE,
			"chain_unavailable",
			format!("cannot read the chain: {e:#}"),
		)
	};
	let at = deployer.chain.finalized().await.map_err(unavailable)?;
	let id = deployment.contract_id;
	let contract = fetch_contract(&at, id).await.map_err(unavailable)?.ok_or_else(|| {
		refuse(
			StatusCode::NOT_FOUND,
			"contract_not_found",
			format!("no live contract {id} at finalized block #{} (ended, or not created or not final yet)", at.block_number()),
		)
	})?;
	let ContractKind::Node(node_contract) = &contract.kind else {
		return Err(refuse(
			StatusCode::CONFLICT,
			"not_a_node_contract",
			format!("contract {id} is a rent or name contract"),
		));
	};
	if node_contract.node_id != deployer.node_id {
		return Err(refuse(
			StatusCode::CONFLICT,
			"wrong_node",
			format!(
				"contract {id} is for node {}, this is node {}",
				node_contract.node_id, deployer.node_id
			),
		));
	}
	if contract.twin_id != deployment.twin_id {
		return Err(refuse(
			StatusCode::FORBIDDEN,
			"not_owner",
			format!(
				"contract {id} belongs to twin {}, the deployment names twin {}",
				contract.twin_id, deployment.twin_id
			),
		));
	}
	// A replay of an older version is named as such (its hash is no longer the contract's).
	if let Ok(Some(r)) = deployer.store.deployment::<Record>(id) {
		if deployment.version < r.deployment.version {
			return Err(stale(&deployment, &r));
		}
	}
	let hash = deployment.hash();
	if hash != node_contract.deployment_hash {
		return Err(refuse(
			StatusCode::CONFLICT,
			"hash_mismatch",
			format!(
				"the deployment hashes to 0x{}, contract {id} holds 0x{}: update the contract first, or submit the version it holds",
				hex::encode(hash),
				hex::encode(node_contract.deployment_hash)
			),
		));
	}
	let mut keys = std::collections::BTreeMap::new();
	for s in &deployment.signature_requirement.signatures {
		let twin = at
			.storage()
			.try_fetch(grid::storage().registry().twins(), (s.twin_id,))
			.await
			.map_err(|e| unavailable(e.into()))?;
		if let Some(twin) = twin {
			let twin = twin.decode().map_err(|e| unavailable(e.into()))?;
			keys.insert(s.twin_id, twin.account.0);
		}
	}
	deployment
		.verify_signatures(|twin| keys.get(&twin).copied())
		.map_err(|e| refuse(StatusCode::FORBIDDEN, e.code(), e.to_string()))?;
	let r = &node_contract.resources;
	let reserved = Reservation {
		cru: r.cru,
		mru: r.mru,
		sru: r.sru,
		hru: r.hru,
		ipv4: node_contract.public_ips.0.len() as u32,
	};
	if let Some(why) = deployment.reservation().exceeds(&reserved) {
		return Err(refuse(StatusCode::CONFLICT, "exceeds_reservation", why));
	}
	if deployment.gateway_names().next().is_some() {
		let node = at
			.storage()
			.try_fetch(grid::storage().registry().nodes(), (deployer.node_id,))
			.await
			.map_err(|e| unavailable(e.into()))?;
		let domain = match node {
			Some(node) => node
				.decode()
				.map_err(|e| unavailable(e.into()))?
				.public_config
				.and_then(|c| c.domain),
			None => None,
		};
		if domain.is_none() {
			return Err(refuse(
				StatusCode::CONFLICT,
				"no_gateway",
				format!(
					"node {} has no domain in its public config: it serves no gateway",
					deployer.node_id
				),
			));
		}
		let names = deployer.names(&at, &deployment).await.map_err(unavailable)?;
		if let Some((name, _)) = names.iter().find(|(_, held)| held.is_none()) {
			return Err(refuse(
				StatusCode::FORBIDDEN,
				"name_not_held",
				format!("no name contract of twin {} holds {name:?}", deployment.twin_id),
			));
		}
	}
	{
		let _one_at_a_time = deployer.lock.lock().await;
		let existing = deployer
			.store
			.deployment::<Record>(id)
			.map_err(|e| refuse(StatusCode::INTERNAL_SERVER_ERROR, "journal", format!("{e:#}")))?;
		let mut record = match existing {
			Some(r) if r.ended.is_some() => {
				return Err(refuse(
					StatusCode::GONE,
					"contract_ended",
					format!("deployment {id} was decommissioned: {}", r.ended.unwrap_or_default()),
				))
			},
			Some(r) if deployment.version <= r.deployment.version => {
				if r.deployment == deployment && r.deployed == Some(deployment.version) {
					// The same submission again: nothing to do, answer the state.
					drop(_one_at_a_time);
					return deployer.agent.deployment(id).await.map_err(agent_refusal);
				}
				return Err(stale(&deployment, &r));
			},
			Some(mut r) => {
				r.deployment = deployment.clone();
				r.refused = None;
				r
			},
			None if deployment.version != 0 => {
				return Err(refuse(
					StatusCode::CONFLICT,
					"bad_version",
					format!(
						"the first deployment of contract {id} has version 0, not {}",
						deployment.version
					),
				))
			},
			None => Record::new(deployment.clone()),
		};
		let version = deployment.version;
		let signer = deployment.signature_requirement.signatures.first().map(|s| s.signature_type);
		info!(contract_id = id, version, twin_id = deployment.twin_id, signature = ?signer.unwrap_or(SignatureType::Sr25519), "deployment accepted");
		deployer
			.apply(&mut record, Action::Deploy { version })
			.await
			.map_err(|e| match record.refused.as_deref() {
				Some(why) => {
					let code = why.split(':').next().unwrap_or("agent_refused").to_string();
					Refusal { status: StatusCode::CONFLICT, code, message: why.to_string() }
				},
				None => refuse(
					StatusCode::SERVICE_UNAVAILABLE,
					"agent_unavailable",
					format!("accepted and journaled; the agent gets it when it answers: {e:#}"),
				),
			})?;
	}
	// In grace already, or a name in grace: the workloads start paused.
	if let Err(e) = deployer.converge(&at, id, None).await {
		warn!(contract_id = id, error = %format!("{e:#}"), "aligning a new deployment with its contract failed; the next reconcile retries");
	}
	deployer.agent.deployment(id).await.map_err(agent_refusal)
}
