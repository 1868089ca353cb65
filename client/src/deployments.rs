//! Deploying on a node, as a contract owner does it: build a [`Deployment`], create the node
//! contract with its hash ([`GridClient::create_node_contract_for`]), sign it ([`sign`]), submit
//! it to the node's bridge ([`BridgeClient::submit`], at [`GridClient::bridge_url`]) and wait
//! for its workloads ([`wait_for`]).
//!
//! Where the bridge is: a node's bridge serves deployments on port [`BRIDGE_PORT`] of the
//! node's public config — its domain if it has one, else its public IPv4. A node without a
//! public config has no address the chain knows: its farmer must tell users the URL.

use crate::{bounded, grid, text, GridClient, Wait};
use anyhow::{anyhow, bail, Result};
use std::time::{Duration, Instant};
pub use zos_api::{
	deployment::{self, Deployment, SignatureType, Workload, WorkloadData},
	BridgeClient, DeploymentInfo, Refused,
};

/// The port a bridge serves deployments on (`zos-bridge --deploy-listen`'s default).
pub const BRIDGE_PORT: u16 = 2021;

/// Signs `deployment`'s hash with `signer` (sr25519, the key of `twin_id`'s account).
pub fn sign(deployment: &mut Deployment, twin_id: u32, signer: &subxt_signer::sr25519::Keypair) {
	let signature = signer.sign(&deployment.hash());
	deployment.add_signature(twin_id, SignatureType::Sr25519, signature.0);
}

/// The chain's resources for what a deployment reserves (its IPv4 count travels apart).
pub fn resources(
	r: &deployment::Reservation,
) -> grid::runtime_types::grid_primitives::resources::Resources {
	grid::runtime_types::grid_primitives::resources::Resources {
		cru: r.cru,
		mru: r.mru,
		sru: r.sru,
		hru: r.hru,
	}
}

/// Polls the bridge until `done` holds for the deployment's state, or `timeout` passes.
pub async fn wait_for(
	bridge: &BridgeClient,
	contract_id: u64,
	timeout: Duration,
	done: impl Fn(&DeploymentInfo) -> bool,
) -> Result<DeploymentInfo> {
	let start = Instant::now();
	loop {
		let last = bridge.get(contract_id).await;
		if let Ok(info) = &last {
			if done(info) {
				return Ok(info.clone());
			}
		}
		if start.elapsed() >= timeout {
			bail!("deployment {contract_id} not there within {timeout:?}; last answer: {last:?}");
		}
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
}

impl GridClient {
	/// Creates the node contract for `deployment` on `node_id`: its hash, and the resources and
	/// public IPv4s its workloads reserve, and waits until it is final (a bridge accepts the
	/// deployment only then). Sets `deployment.contract_id` and returns it.
	pub async fn create_node_contract_for(
		&self,
		signer: &subxt_signer::sr25519::Keypair,
		node_id: u32,
		deployment: &mut Deployment,
	) -> Result<u64> {
		let r = deployment.reservation();
		let resources = resources(&r);
		let tx = grid::tx().capacity().create_node_contract(
			node_id,
			deployment.hash(),
			text(&deployment.metadata),
			resources,
			r.ipv4,
			None,
		);
		// Final before it is submitted: bridges accept only what the finalized chain holds.
		let included = self.submit_ok(&tx, signer, Wait::Finalized).await?;
		let created = included
			.find_first::<grid::capacity::events::NodeContractCreated>()
			.ok_or_else(|| anyhow!("no NodeContractCreated event"))??;
		deployment.contract_id = created.contract_id;
		Ok(created.contract_id)
	}

	/// Points the contract at `deployment`'s hash and reservation, and waits until that is
	/// final (before submitting it as an update).
	pub async fn update_node_contract_for(
		&self,
		signer: &subxt_signer::sr25519::Keypair,
		deployment: &Deployment,
	) -> Result<()> {
		let r = deployment.reservation();
		let resources = resources(&r);
		let tx = grid::tx().capacity().update_node_contract(
			deployment.contract_id,
			deployment.hash(),
			text(&deployment.metadata),
			resources,
		);
		self.submit_ok(&tx, signer, Wait::Finalized).await?;
		Ok(())
	}

	/// The URL of `node_id`'s bridge from its public config: `http://<domain>:2021`, else
	/// `http://<public IPv4>:2021`.
	pub async fn bridge_url(&self, node_id: u32) -> Result<String> {
		let node = self
			.best()
			.await?
			.storage()
			.try_fetch(grid::storage().registry().nodes(), (node_id,))
			.await?
			.ok_or_else(|| anyhow!("node {node_id} does not exist"))?
			.decode()?;
		let Some(config) = node.public_config else {
			bail!("node {node_id} has no public config: ask its farmer for its bridge's URL");
		};
		let host = match config.domain {
			Some(domain) => String::from_utf8_lossy(&domain.0).into_owned(),
			None => {
				let [a, b, c, d] = config.ip4.ip.ip.0;
				format!("{a}.{b}.{c}.{d}")
			},
		};
		Ok(format!("http://{host}:{BRIDGE_PORT}"))
	}
}

/// A gateway name as the chain takes it.
pub fn gateway_name(name: &str) -> crate::BoundedVec<u8> {
	bounded(name.as_bytes().to_vec())
}
