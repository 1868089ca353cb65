//! # Deployments: what a contract's owner asks a node to run
//!
//! One type for the client that builds a deployment, the bridge that checks it against the
//! chain, and the agent that runs it. A node contract's `deployment_hash` on chain is
//! [`Deployment::hash`]; the owner signs that hash, and the bridge deploys nothing whose hash
//! the contract does not hold at the finalized head.
//!
//! ## The hash, precisely
//! `blake2b-256` (32-byte output, no key) over the SCALE encoding of, in order:
//! 1. the 24 bytes `gridchain/deployment/v1\0` (domain separation; not length-prefixed);
//! 2. `version: u32`, `twin_id: u32`, `nonce: u64` (little endian, fixed width);
//! 3. `metadata`, `description`: strings (compact length prefix, then UTF-8 bytes);
//! 4. `workloads`: compact count, then per workload `version: u32`, `name`, `metadata`,
//!    `description`, then its data: one byte for the type (`zmachine` 0, `zmount` 1, `network` 2,
//!    `ip` 3, `gateway-name-proxy` 4) followed by the type's fields in declaration order
//!    ([`ZMachine`], [`ZMount`], [`Network`], [`PublicIp`], [`GatewayNameProxy`]); an
//!    `Option` is one byte 0 (none) or 1 then the value, a `Vec` a compact count then items,
//!    a `bool` one byte;
//! 5. `signature_requirement.requests`: compact count, then per request `twin_id: u32`,
//!    `required: bool`, `weight: u32`; then `weight_required: u32`.
//!
//! Left out: `contract_id` (the contract is created with the hash, so it cannot be in it) and
//! the signatures (they sign the hash). Every field is length-prefixed or fixed-width, so two
//! different deployments never encode alike (ThreeFold's md5 over concatenated text could).
//! `nonce` lets an owner give a second, otherwise identical deployment on the same node its own
//! hash (the chain keeps hashes unique among a node's live contracts). The unit tests pin the
//! hash of a sample deployment, so any change to this encoding fails them.
//!
//! ## Signatures
//! Each signer signs the 32-byte hash with the key of its twin's account on chain: sr25519
//! with signing context `substrate` (what polkadot.js and subxt sign with), or ed25519. The
//! owner (`twin_id`) must always sign; other requests add their weight, and the signed weight
//! must reach `weight_required`.

use codec::{Compact, Encode};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeSet, fmt};

/// Domain separation for [`Deployment::hash`].
pub const HASH_DOMAIN: &[u8; 24] = b"gridchain/deployment/v1\0";
/// Most workloads in one deployment.
pub const MAX_WORKLOADS: usize = 32;
/// Longest workload name, bytes.
pub const MAX_NAME_LEN: usize = 64;
/// Longest metadata, description, flist, entrypoint, backend or mount point, bytes.
pub const MAX_TEXT_LEN: usize = 1024;
/// Most signature requests (and signatures) in one deployment.
pub const MAX_SIGNERS: usize = 8;
/// Most backends of one gateway, mounts of one machine.
pub const MAX_ITEMS: usize = 8;

/// A deployment: what a node contract's owner asks its node to run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
	/// 0 when first deployed; each update raises it by one.
	pub version: u32,
	/// The twin that owns the contract.
	pub twin_id: u32,
	/// The node contract this deployment is for (not hashed).
	pub contract_id: u64,
	/// Any number, to give identical deployments different hashes.
	#[serde(default)]
	pub nonce: u64,
	#[serde(default)]
	pub metadata: String,
	#[serde(default)]
	pub description: String,
	pub workloads: Vec<Workload>,
	pub signature_requirement: SignatureRequirement,
}

/// One workload of a deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workload {
	/// The deployment version that last changed it.
	pub version: u32,
	/// Unique within the deployment: `[a-z0-9_-]`, 1 to [`MAX_NAME_LEN`] bytes.
	pub name: String,
	#[serde(default)]
	pub metadata: String,
	#[serde(default)]
	pub description: String,
	/// The type (`"type"`) and its fields (`"data"`).
	#[serde(flatten)]
	pub data: WorkloadData,
}

/// A workload's type and fields, as JSON `{"type": "zmount", "data": {…}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Encode)]
#[serde(tag = "type", content = "data")]
pub enum WorkloadData {
	/// A virtual machine.
	#[serde(rename = "zmachine")]
	#[codec(index = 0)]
	ZMachine(ZMachine),
	/// A disk (SSD).
	#[serde(rename = "zmount")]
	#[codec(index = 1)]
	ZMount(ZMount),
	/// A private network the twin's machines share.
	#[serde(rename = "network")]
	#[codec(index = 2)]
	Network(Network),
	/// A public IP from the farm's pool, reserved by the contract.
	#[serde(rename = "ip")]
	#[codec(index = 3)]
	PublicIp(PublicIp),
	/// HTTP for `<name>.<the node's domain>`, proxied to the backends.
	#[serde(rename = "gateway-name-proxy")]
	#[codec(index = 4)]
	GatewayNameProxy(GatewayNameProxy),
}

impl WorkloadData {
	/// The type's name, as in JSON.
	pub fn kind(&self) -> &'static str {
		match self {
			WorkloadData::ZMachine(_) => "zmachine",
			WorkloadData::ZMount(_) => "zmount",
			WorkloadData::Network(_) => "network",
			WorkloadData::PublicIp(_) => "ip",
			WorkloadData::GatewayNameProxy(_) => "gateway-name-proxy",
		}
	}
}

/// A virtual machine: `cpu` cores, `memory` and `rootfs_size` bytes, disks mounted by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Encode)]
pub struct ZMachine {
	/// The image (a Zero-OS flist URL).
	pub flist: String,
	#[serde(default)]
	pub entrypoint: String,
	pub cpu: u32,
	/// Bytes of memory.
	pub memory: u64,
	/// Bytes of SSD for the root filesystem.
	pub rootfs_size: u64,
	/// Disks (`zmount` workloads of this deployment) and where they are mounted.
	#[serde(default)]
	pub mounts: Vec<Mount>,
	/// The `network` workload it joins, if any.
	#[serde(default)]
	pub network: Option<String>,
	/// The `ip` workload it takes, if any.
	#[serde(default)]
	pub public_ip: Option<String>,
}

/// A disk mounted in a machine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Encode)]
pub struct Mount {
	/// The `zmount` workload.
	pub name: String,
	pub mountpoint: String,
}

/// A disk of `size` bytes of SSD.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Encode)]
pub struct ZMount {
	pub size: u64,
}

/// A private network: the twin's range and this node's subnet in it (CIDR text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Encode)]
pub struct Network {
	pub ip_range: String,
	pub subnet: String,
}

/// Public addresses: an IPv4 from the contract's reserved IPs, an IPv6 from the node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Encode)]
pub struct PublicIp {
	pub v4: bool,
	pub v6: bool,
}

/// A gateway name (held by a name contract of the owner) proxied to `backends`
/// (`http://host:port` URLs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Encode)]
pub struct GatewayNameProxy {
	pub name: String,
	pub backends: Vec<String>,
	#[serde(default)]
	pub tls_passthrough: bool,
}

/// Who must sign, with what weight.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureRequirement {
	pub requests: Vec<SignatureRequest>,
	pub weight_required: u32,
	#[serde(default)]
	pub signatures: Vec<Signature>,
}

/// A twin asked to sign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Encode)]
pub struct SignatureRequest {
	pub twin_id: u32,
	pub required: bool,
	pub weight: u32,
}

/// A signature over [`Deployment::hash`] by a twin's account key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
	pub twin_id: u32,
	/// The 64 signature bytes, hex (`0x` optional).
	pub signature: String,
	pub signature_type: SignatureType,
}

/// The key type a signature was made with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureType {
	Sr25519,
	Ed25519,
}

/// Why a deployment is refused before any chain state is consulted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invalid {
	/// Something in the deployment's shape: a duplicate name, a dangling reference, a bound.
	Shape(String),
	/// A signature is missing, malformed, from a twin not asked, or does not verify.
	Signature(String),
}

impl Invalid {
	/// The stable error code the bridge answers with.
	pub fn code(&self) -> &'static str {
		match self {
			Invalid::Shape(_) => "invalid_deployment",
			Invalid::Signature(_) => "bad_signature",
		}
	}
}

impl fmt::Display for Invalid {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Invalid::Shape(why) | Invalid::Signature(why) => f.write_str(why),
		}
	}
}

/// What a deployment reserves: cores, bytes of memory, SSD and HDD, public IPv4s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
	pub cru: u64,
	pub mru: u64,
	pub sru: u64,
	pub hru: u64,
	pub ipv4: u32,
}

impl Reservation {
	/// The first resource where `self` exceeds `limit`, named, or `None` when it fits.
	pub fn exceeds(&self, limit: &Reservation) -> Option<String> {
		let checks = [
			("cores", self.cru, limit.cru),
			("memory bytes", self.mru, limit.mru),
			("SSD bytes", self.sru, limit.sru),
			("HDD bytes", self.hru, limit.hru),
			("public IPv4s", self.ipv4.into(), limit.ipv4.into()),
		];
		checks.iter().find(|(_, want, have)| want > have).map(|(what, want, have)| {
			format!("the workloads need {want} {what}, the contract reserved {have}")
		})
	}
}

fn shape(why: impl Into<String>) -> Invalid {
	Invalid::Shape(why.into())
}

fn check_text(what: &str, text: &str) -> Result<(), Invalid> {
	if text.len() > MAX_TEXT_LEN {
		return Err(shape(format!("{what} is longer than {MAX_TEXT_LEN} bytes")));
	}
	Ok(())
}

/// Parses `http://host:port[/path]` (the only backend scheme the gateway proxies to).
pub fn backend_authority(url: &str) -> Option<&str> {
	let rest = url.strip_prefix("http://")?;
	let authority = rest.split('/').next()?;
	let (host, port) = authority.rsplit_once(':')?;
	(!host.is_empty() && port.parse::<u16>().is_ok()).then_some(authority)
}

impl Deployment {
	/// The hash the contract holds and the signers sign (see the module docs).
	pub fn hash(&self) -> [u8; 32] {
		let mut bytes = HASH_DOMAIN.to_vec();
		self.version.encode_to(&mut bytes);
		self.twin_id.encode_to(&mut bytes);
		self.nonce.encode_to(&mut bytes);
		self.metadata.encode_to(&mut bytes);
		self.description.encode_to(&mut bytes);
		Compact(self.workloads.len() as u32).encode_to(&mut bytes);
		for w in &self.workloads {
			w.version.encode_to(&mut bytes);
			w.name.encode_to(&mut bytes);
			w.metadata.encode_to(&mut bytes);
			w.description.encode_to(&mut bytes);
			w.data.encode_to(&mut bytes);
		}
		self.signature_requirement.requests.encode_to(&mut bytes);
		self.signature_requirement.weight_required.encode_to(&mut bytes);
		sp_crypto_hashing::blake2_256(&bytes)
	}

	/// What the workloads reserve.
	pub fn reservation(&self) -> Reservation {
		self.workloads.iter().fold(Reservation::default(), |mut r, w| {
			match &w.data {
				WorkloadData::ZMachine(m) => {
					r.cru = r.cru.saturating_add(m.cpu.into());
					r.mru = r.mru.saturating_add(m.memory);
					r.sru = r.sru.saturating_add(m.rootfs_size);
				},
				WorkloadData::ZMount(d) => r.sru = r.sru.saturating_add(d.size),
				WorkloadData::PublicIp(ip) if ip.v4 => r.ipv4 = r.ipv4.saturating_add(1),
				_ => {},
			}
			r
		})
	}

	/// The gateway names its workloads serve.
	pub fn gateway_names(&self) -> impl Iterator<Item = &str> {
		self.workloads.iter().filter_map(|w| match &w.data {
			WorkloadData::GatewayNameProxy(g) => Some(g.name.as_str()),
			_ => None,
		})
	}

	/// Checks the deployment's shape: bounds, unique names, references that resolve, workload
	/// versions no newer than the deployment's, the owner among the required signers and
	/// reachable weights.
	pub fn check_shape(&self) -> Result<(), Invalid> {
		check_text("metadata", &self.metadata)?;
		check_text("description", &self.description)?;
		if self.workloads.is_empty() || self.workloads.len() > MAX_WORKLOADS {
			return Err(shape(format!("a deployment has 1 to {MAX_WORKLOADS} workloads")));
		}
		let mut names = BTreeSet::new();
		for w in &self.workloads {
			let allowed =
				|b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_';
			if w.name.is_empty() || w.name.len() > MAX_NAME_LEN || !w.name.bytes().all(allowed) {
				return Err(shape(format!(
					"workload name {:?}: 1 to {MAX_NAME_LEN} of [a-z0-9_-]",
					w.name
				)));
			}
			if !names.insert(w.name.as_str()) {
				return Err(shape(format!("two workloads are named {:?}", w.name)));
			}
			if w.version > self.version {
				return Err(shape(format!(
					"workload {:?} has version {}, newer than the deployment's {}",
					w.name, w.version, self.version
				)));
			}
			check_text("workload metadata", &w.metadata)?;
			check_text("workload description", &w.description)?;
		}
		let kind_of =
			|name: &str| self.workloads.iter().find(|w| w.name == name).map(|w| w.data.kind());
		let refers = |from: &str, to: &str, want: &str| match kind_of(to) {
			Some(kind) if kind == want => Ok(()),
			_ => Err(shape(format!("workload {from:?} refers to {to:?}, which is no {want}"))),
		};
		let mut gateway_names = BTreeSet::new();
		for w in &self.workloads {
			match &w.data {
				WorkloadData::ZMachine(m) => {
					check_text("flist", &m.flist)?;
					check_text("entrypoint", &m.entrypoint)?;
					if m.cpu == 0 || m.memory == 0 {
						return Err(shape(format!("machine {:?} needs cores and memory", w.name)));
					}
					if m.mounts.len() > MAX_ITEMS {
						return Err(shape(format!(
							"machine {:?} has over {MAX_ITEMS} mounts",
							w.name
						)));
					}
					for mount in &m.mounts {
						check_text("mount point", &mount.mountpoint)?;
						refers(&w.name, &mount.name, "zmount")?;
					}
					if let Some(network) = &m.network {
						refers(&w.name, network, "network")?;
					}
					if let Some(ip) = &m.public_ip {
						refers(&w.name, ip, "ip")?;
					}
				},
				WorkloadData::ZMount(d) if d.size == 0 => {
					return Err(shape(format!("disk {:?} has no size", w.name)))
				},
				WorkloadData::ZMount(_) => {},
				WorkloadData::Network(n) => {
					check_text("ip range", &n.ip_range)?;
					check_text("subnet", &n.subnet)?;
				},
				WorkloadData::PublicIp(ip) if !ip.v4 && !ip.v6 => {
					return Err(shape(format!("ip {:?} asks for neither v4 nor v6", w.name)))
				},
				WorkloadData::PublicIp(_) => {},
				WorkloadData::GatewayNameProxy(g) => {
					if g.backends.is_empty() || g.backends.len() > MAX_ITEMS {
						return Err(shape(format!(
							"gateway {:?} has 1 to {MAX_ITEMS} backends",
							w.name
						)));
					}
					if let Some(bad) = g
						.backends
						.iter()
						.find(|b| b.len() > MAX_TEXT_LEN || backend_authority(b).is_none())
					{
						return Err(shape(format!(
							"gateway {:?}: backend {bad:?} is not http://host:port",
							w.name
						)));
					}
					if !gateway_names.insert(g.name.as_str()) {
						return Err(shape(format!("two gateways serve the name {:?}", g.name)));
					}
				},
			}
		}
		self.check_requirement()
	}

	fn check_requirement(&self) -> Result<(), Invalid> {
		let req = &self.signature_requirement;
		if req.requests.len() > MAX_SIGNERS || req.signatures.len() > MAX_SIGNERS {
			return Err(shape(format!("at most {MAX_SIGNERS} signature requests and signatures")));
		}
		let mut twins = BTreeSet::new();
		if let Some(dup) = req.requests.iter().find(|r| !twins.insert(r.twin_id)) {
			return Err(shape(format!("twin {} is asked to sign twice", dup.twin_id)));
		}
		if !req.requests.iter().any(|r| r.twin_id == self.twin_id && r.required) {
			return Err(shape(format!(
				"the owner, twin {}, must be a required signer",
				self.twin_id
			)));
		}
		let reachable =
			req.requests.iter().fold(0u64, |sum, r| sum.saturating_add(r.weight.into()));
		if reachable < req.weight_required.into() {
			return Err(shape(format!(
				"the requests weigh {reachable} in all, less than the {} required",
				req.weight_required
			)));
		}
		Ok(())
	}

	/// Checks the signatures against each signer's account key (`account(twin)`: the 32-byte
	/// public key of the twin's account, `None` if the twin does not exist): every signature
	/// from a twin asked, at most one per twin, each valid over [`Self::hash`]; every required
	/// request signed; the signed weight at least `weight_required`.
	pub fn verify_signatures(
		&self,
		mut account: impl FnMut(u32) -> Option<[u8; 32]>,
	) -> Result<(), Invalid> {
		let req = &self.signature_requirement;
		let hash = self.hash();
		let mut signed = BTreeSet::new();
		let mut weight = 0u64;
		for s in &req.signatures {
			let Some(request) = req.requests.iter().find(|r| r.twin_id == s.twin_id) else {
				return Err(Invalid::Signature(format!(
					"twin {} was not asked to sign",
					s.twin_id
				)));
			};
			if !signed.insert(s.twin_id) {
				return Err(Invalid::Signature(format!("twin {} signed twice", s.twin_id)));
			}
			let key = account(s.twin_id)
				.ok_or_else(|| Invalid::Signature(format!("twin {} does not exist", s.twin_id)))?;
			let bytes = parse_signature(&s.signature).ok_or_else(|| {
				Invalid::Signature(format!("twin {}'s signature is not 64 hex bytes", s.twin_id))
			})?;
			if !verify(s.signature_type, &key, &hash, &bytes) {
				return Err(Invalid::Signature(format!(
					"twin {}'s {:?} signature does not match its account key and this deployment's hash",
					s.twin_id, s.signature_type
				)));
			}
			weight = weight.saturating_add(request.weight.into());
		}
		if let Some(missing) =
			req.requests.iter().find(|r| r.required && !signed.contains(&r.twin_id))
		{
			return Err(Invalid::Signature(format!(
				"twin {} must sign and has not",
				missing.twin_id
			)));
		}
		if weight < req.weight_required.into() {
			return Err(Invalid::Signature(format!(
				"the signatures weigh {weight}, less than the {} required",
				req.weight_required
			)));
		}
		Ok(())
	}

	/// Adds (or replaces) `twin_id`'s signature, made over [`Self::hash`] with `signature_type`.
	pub fn add_signature(
		&mut self,
		twin_id: u32,
		signature_type: SignatureType,
		signature: [u8; 64],
	) {
		let signatures = &mut self.signature_requirement.signatures;
		signatures.retain(|s| s.twin_id != twin_id);
		signatures.push(Signature {
			twin_id,
			signature: format!("0x{}", hex::encode(signature)),
			signature_type,
		});
	}

	/// A deployment of `workloads` by `owner`, who alone must sign (weight 1 of 1).
	pub fn new(owner: u32, contract_id: u64, workloads: Vec<Workload>) -> Self {
		Self {
			version: 0,
			twin_id: owner,
			contract_id,
			nonce: 0,
			metadata: String::new(),
			description: String::new(),
			workloads,
			signature_requirement: SignatureRequirement {
				requests: vec![SignatureRequest { twin_id: owner, required: true, weight: 1 }],
				weight_required: 1,
				signatures: Vec::new(),
			},
		}
	}
}

impl Workload {
	/// A workload at version 0.
	pub fn new(name: &str, data: WorkloadData) -> Self {
		Self {
			version: 0,
			name: name.into(),
			metadata: String::new(),
			description: String::new(),
			data,
		}
	}
}

/// What a workload is doing on the agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkloadState {
	/// Accepted, not yet running.
	Init,
	/// Running (for a `zmachine` on the reference agent: recorded, see the message).
	Ok,
	/// Could not be brought up; the message says why.
	Error,
	/// Its contract is in grace: stopped, data kept.
	Paused,
	/// Decommissioned; the message says why (a tombstone, kept).
	Deleted,
}

/// One workload's state on the agent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadStatus {
	pub name: String,
	#[serde(rename = "type")]
	pub kind: String,
	pub version: u32,
	pub state: WorkloadState,
	pub message: String,
	/// Unix seconds of the last state change.
	pub changed_at: u64,
}

/// An action the agent applied to a deployment (its history; a repeated request that changes
/// nothing adds none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
	/// Unix seconds.
	pub at: u64,
	/// `deploy`, `update`, `pause`, `resume` or `decommission`.
	pub action: String,
	/// The deployment version it applied to.
	pub version: u32,
	#[serde(default)]
	pub reason: String,
}

/// `zos.deployment.get`: a deployment as the agent holds it. Decommissioned deployments stay
/// as tombstones (`active: false`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentInfo {
	pub deployment: Deployment,
	pub active: bool,
	pub paused: bool,
	pub workloads: Vec<WorkloadStatus>,
	pub history: Vec<Applied>,
	/// Public traffic through its gateways since it was deployed, bytes.
	pub traffic_bytes: u64,
}

impl DeploymentInfo {
	/// How many times `action` was applied.
	pub fn applied(&self, action: &str) -> usize {
		self.history.iter().filter(|a| a.action == action).count()
	}
}

/// Input of `zos.deployment.get` and `zos.deployment.changes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractRef {
	pub contract_id: u64,
}

/// Input of `bridge.deployment.pause|resume|decommission`: the contract and why (kept in the
/// history and the workloads' messages).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateChange {
	pub contract_id: u64,
	pub reason: String,
}

/// One entry of `zos.deployment.changes`: a workload's state change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadChange {
	pub at: u64,
	pub name: String,
	pub state: WorkloadState,
	pub message: String,
}

fn parse_signature(text: &str) -> Option<[u8; 64]> {
	let bytes = hex::decode(text.strip_prefix("0x").unwrap_or(text)).ok()?;
	bytes.try_into().ok()
}

fn verify(kind: SignatureType, key: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
	match kind {
		SignatureType::Sr25519 => {
			let (Ok(key), Ok(signature)) = (
				schnorrkel::PublicKey::from_bytes(key),
				schnorrkel::Signature::from_bytes(signature),
			) else {
				return false;
			};
			key.verify_simple(b"substrate", message, &signature).is_ok()
		},
		SignatureType::Ed25519 => {
			let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(key) else { return false };
			key.verify_strict(message, &ed25519_dalek::Signature::from_bytes(signature))
				.is_ok()
		},
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
	use super::*;

	type Edit = fn(&mut Deployment);

	fn sample() -> Deployment {
		Deployment::new(
			7,
			42,
			vec![
				Workload::new("data", WorkloadData::ZMount(ZMount { size: 1 << 30 })),
				Workload::new(
					"web",
					WorkloadData::GatewayNameProxy(GatewayNameProxy {
						name: "shop".into(),
						backends: vec!["http://127.0.0.1:8080".into()],
						tls_passthrough: false,
					}),
				),
				Workload::new(
					"vm",
					WorkloadData::ZMachine(ZMachine {
						flist: "https://hub.example/ubuntu.flist".into(),
						entrypoint: "/sbin/init".into(),
						cpu: 2,
						memory: 2 << 30,
						rootfs_size: 10 << 30,
						mounts: vec![Mount { name: "data".into(), mountpoint: "/data".into() }],
						network: None,
						public_ip: Some("pub".into()),
					}),
				),
				Workload::new("pub", WorkloadData::PublicIp(PublicIp { v4: true, v6: false })),
			],
		)
	}

	#[test]
	fn the_hash_is_pinned() {
		// Computed independently (the README's Python); a change to the encoding is a new
		// domain (`v2`), never an edit.
		assert_eq!(
			hex::encode(sample().hash()),
			"71429a18573a360d7b1e4976bd8285742b6e05e0afb6530073289b079257177f"
		);
	}

	#[test]
	fn what_is_left_out_does_not_change_the_hash_and_everything_else_does() {
		let base = sample();
		let mut other = base.clone();
		other.contract_id = 43;
		other.add_signature(7, SignatureType::Sr25519, [1; 64]);
		assert_eq!(other.hash(), base.hash());
		let edits: Vec<Edit> = vec![
			|d| d.version += 1,
			|d| d.twin_id += 1,
			|d| d.nonce += 1,
			|d| d.metadata.push('x'),
			|d| d.description.push('x'),
			|d| d.workloads[0].version += 1,
			|d| d.workloads[0].name.push('x'),
			|d| d.workloads[0].metadata.push('x'),
			|d| d.workloads[0].description.push('x'),
			|d| d.workloads[0].data = WorkloadData::ZMount(ZMount { size: 2 }),
			|d| d.workloads.swap(0, 1),
			|d| d.signature_requirement.requests[0].weight += 1,
			|d| d.signature_requirement.weight_required += 1,
		];
		for (i, edit) in edits.iter().enumerate() {
			let mut d = base.clone();
			edit(&mut d);
			assert_ne!(d.hash(), base.hash(), "edit {i} left the hash unchanged");
		}
	}

	#[test]
	fn field_boundaries_cannot_be_shifted() {
		// With ThreeFold's concatenated text these two hash alike.
		let mut a = sample();
		a.metadata = "ab".into();
		a.description = String::new();
		let mut b = sample();
		b.metadata = "a".into();
		b.description = "b".into();
		assert_ne!(a.hash(), b.hash());
	}

	#[test]
	fn json_looks_like_zero_os() {
		let json = serde_json::to_value(sample()).unwrap();
		assert_eq!(json["workloads"][0]["type"], "zmount");
		assert_eq!(json["workloads"][0]["data"]["size"], 1u64 << 30);
		assert_eq!(json["workloads"][1]["type"], "gateway-name-proxy");
		let back: Deployment = serde_json::from_value(json).unwrap();
		assert_eq!(back, sample());
	}

	#[test]
	fn the_reservation_sums_machines_disks_and_ipv4s() {
		let r = sample().reservation();
		assert_eq!(r, Reservation { cru: 2, mru: 2 << 30, sru: 11 << 30, hru: 0, ipv4: 1 });
		let limit = Reservation { sru: 10 << 30, ..r };
		assert_eq!(
			r.exceeds(&limit).unwrap(),
			format!(
				"the workloads need {} SSD bytes, the contract reserved {}",
				11u64 << 30,
				10u64 << 30
			)
		);
		assert_eq!(r.exceeds(&r), None);
	}

	#[test]
	fn bad_shapes_are_named() {
		let cases: Vec<(Edit, &str)> = vec![
			(|d| d.workloads.clear(), "1 to 32 workloads"),
			(|d| d.workloads[1].name = "data".into(), "two workloads are named"),
			(|d| d.workloads[1].name = "Web".into(), "of [a-z0-9_-]"),
			(|d| d.workloads[0].version = 1, "newer than the deployment's"),
			(|d| d.workloads.retain(|w| w.name != "data"), "which is no zmount"),
			(|d| d.workloads.retain(|w| w.name != "pub"), "which is no ip"),
			(|d| d.metadata = "x".repeat(MAX_TEXT_LEN + 1), "longer than"),
			(|d| d.workloads[0].data = WorkloadData::ZMount(ZMount { size: 0 }), "no size"),
			(
				|d| {
					d.workloads[1].data = WorkloadData::GatewayNameProxy(GatewayNameProxy {
						name: "shop".into(),
						backends: vec!["ftp://x:1".into()],
						tls_passthrough: false,
					})
				},
				"is not http://host:port",
			),
			(|d| d.signature_requirement.requests[0].required = false, "must be a required signer"),
			(|d| d.signature_requirement.weight_required = 2, "less than the 2 required"),
		];
		for (edit, expected) in cases {
			let mut d = sample();
			edit(&mut d);
			let err = d.check_shape().unwrap_err();
			assert!(err.to_string().contains(expected), "{err} does not say {expected:?}");
			assert_eq!(err.code(), "invalid_deployment");
		}
		sample().check_shape().unwrap();
	}

	fn sr25519(seed: u8) -> schnorrkel::Keypair {
		schnorrkel::MiniSecretKey::from_bytes(&[seed; 32])
			.unwrap()
			.expand_to_keypair(schnorrkel::ExpansionMode::Ed25519)
	}

	#[test]
	fn signatures_verify_against_the_account_key_of_each_twin() {
		use ed25519_dalek::Signer;
		let owner = sr25519(1);
		let cosigner = ed25519_dalek::SigningKey::from_bytes(&[2; 32]);
		let mut d = sample();
		d.signature_requirement.requests.push(SignatureRequest {
			twin_id: 8,
			required: false,
			weight: 1,
		});
		d.signature_requirement.weight_required = 2;
		let keys = |twin: u32| match twin {
			7 => Some(owner.public.to_bytes()),
			8 => Some(cosigner.verifying_key().to_bytes()),
			_ => None,
		};
		let hash = d.hash();
		d.add_signature(
			7,
			SignatureType::Sr25519,
			owner.sign_simple(b"substrate", &hash).to_bytes(),
		);
		// The owner alone weighs 1 of the 2 required.
		assert!(d.verify_signatures(keys).unwrap_err().to_string().contains("weigh 1"));
		d.add_signature(8, SignatureType::Ed25519, cosigner.sign(&hash).to_bytes());
		d.verify_signatures(keys).unwrap();

		// Another key, a changed deployment, a twin not asked, a key type mismatch: refused.
		let mut forged = d.clone();
		forged.add_signature(
			7,
			SignatureType::Sr25519,
			sr25519(3).sign_simple(b"substrate", &hash).to_bytes(),
		);
		assert!(matches!(forged.verify_signatures(keys), Err(Invalid::Signature(_))));
		let mut changed = d.clone();
		changed.nonce = 1;
		assert!(changed
			.verify_signatures(keys)
			.unwrap_err()
			.to_string()
			.contains("does not match"));
		let mut stranger = d.clone();
		stranger.add_signature(9, SignatureType::Sr25519, [0; 64]);
		assert!(stranger.verify_signatures(keys).unwrap_err().to_string().contains("not asked"));
		let mut mislabelled = d.clone();
		mislabelled.signature_requirement.signatures[1].signature_type = SignatureType::Sr25519;
		assert!(mislabelled.verify_signatures(keys).is_err());
		let mut unsigned = d.clone();
		unsigned.signature_requirement.signatures.retain(|s| s.twin_id != 7);
		assert!(unsigned.verify_signatures(keys).unwrap_err().to_string().contains("must sign"));
	}

	#[test]
	fn backends_are_plain_http_with_a_port() {
		assert_eq!(backend_authority("http://127.0.0.1:8080/x"), Some("127.0.0.1:8080"));
		assert_eq!(backend_authority("http://[::1]:80"), Some("[::1]:80"));
		assert_eq!(backend_authority("https://a:1"), None);
		assert_eq!(backend_authority("http://a"), None);
		assert_eq!(backend_authority("http://:80"), None);
	}
}
