//! The registry's records and the rules their inputs follow.
//!
//! Every input type is bounded by its encoding (a longer value does not decode) and checked by a
//! method here that returns an [`InputError`]; the pallet turns each into its own named error.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::*;
use grid_primitives::{
	net::{IpAddr, IpError, Ipv4, Ipv4Cidr, Ipv6, Ipv6Cidr},
	registry::{ContractId, FarmCertification, NodeCertification, NodePower, TwinId},
	resources::{Resources, ResourcesError},
};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// Most public IPv4s one farm may hold.
pub const MAX_FARM_IPS: u32 = 256;
/// Most relays a twin may list.
pub const MAX_RELAYS: u32 = 4;
/// Most network interfaces a node may declare, and addresses per interface.
pub const MAX_INTERFACES: u32 = 10;
pub const MAX_INTERFACE_IPS: u32 = 10;

pub type FarmName = BoundedVec<u8, ConstU32<40>>;
/// A DNS host name (RMB relay, node domain).
pub type HostName = BoundedVec<u8, ConstU32<253>>;
pub type Relays = BoundedVec<HostName, ConstU32<MAX_RELAYS>>;
/// A twin's public key for end-to-end encrypted messages (RMB), raw bytes.
pub type PublicKey = BoundedVec<u8, ConstU32<64>>;
pub type TermsLink = BoundedVec<u8, ConstU32<2048>>;
pub type TermsHash = BoundedVec<u8, ConstU32<50>>;
pub type ZosVersion = BoundedVec<u8, ConstU32<64>>;
pub type SerialNumber = BoundedVec<u8, ConstU32<128>>;
pub type CityName = BoundedVec<u8, ConstU32<58>>;
pub type CountryName = BoundedVec<u8, ConstU32<56>>;
pub type InterfaceName = BoundedVec<u8, ConstU32<20>>;
pub type Interfaces = BoundedVec<Interface, ConstU32<MAX_INTERFACES>>;
pub type InterfaceIps = BoundedVec<IpAddr, ConstU32<MAX_INTERFACE_IPS>>;
pub type FarmIps = BoundedVec<PublicIp, ConstU32<MAX_FARM_IPS>>;

/// Why an input was refused; each maps to one pallet error.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InputError {
	FarmName,
	HostName,
	DuplicateRelay,
	PublicKey,
	TermsLink,
	TermsHash,
	ZosVersion,
	SerialNumber,
	City,
	Country,
	Coordinates,
	InterfaceName,
	Mac,
	Ip(IpError),
	Resources(ResourcesError),
}

/// `bytes` has at least `min` bytes and each passes `allowed`.
fn text_ok(bytes: &[u8], min: usize, allowed: impl Fn(u8) -> bool) -> bool {
	bytes.len() >= min && bytes.iter().all(|b| allowed(*b))
}

fn name_char(b: u8) -> bool {
	b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// UTF-8 without control characters (place names are free text in any script).
fn free_text(bytes: &[u8], min: usize) -> bool {
	bytes.len() >= min
		&& core::str::from_utf8(bytes)
			.map(|s| !s.chars().any(char::is_control))
			.unwrap_or(false)
}

/// Farm names: 3 to 40 of `[A-Za-z0-9_-]`.
pub fn check_farm_name(name: &FarmName) -> Result<(), InputError> {
	text_ok(name, 3, name_char).then_some(()).ok_or(InputError::FarmName)
}

/// Host names: dot-separated labels of 1..=63 `[A-Za-z0-9_-]`; no empty label (so no leading,
/// trailing or double dot).
pub fn check_host_name(host: &HostName) -> Result<(), InputError> {
	let ok = !host.is_empty()
		&& host
			.split(|b| *b == b'.')
			.all(|label| (1..=63).contains(&label.len()) && text_ok(label, 1, name_char));
	ok.then_some(()).ok_or(InputError::HostName)
}

/// Relays are valid host names, each listed once.
pub fn check_relays(relays: &Relays) -> Result<(), InputError> {
	for (i, relay) in relays.iter().enumerate() {
		check_host_name(relay)?;
		if relays.iter().skip(i + 1).any(|other| other == relay) {
			return Err(InputError::DuplicateRelay);
		}
	}
	Ok(())
}

pub fn check_public_key(pk: &Option<PublicKey>) -> Result<(), InputError> {
	match pk {
		Some(pk) if pk.is_empty() => Err(InputError::PublicKey),
		_ => Ok(()),
	}
}

/// Printable ASCII without spaces, 1 or more bytes.
fn printable(b: u8) -> bool {
	b.is_ascii_graphic()
}

/// A ZOS version, e.g. `v3.14.2`: printable ASCII, non-empty.
pub fn check_zos_version(version: &ZosVersion) -> Result<(), InputError> {
	text_ok(version, 1, printable).then_some(()).ok_or(InputError::ZosVersion)
}

/// Acceptance of the grid's terms and conditions: which document, by link and hash, and when.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Terms {
	/// URL of the document (printable ASCII).
	pub link: TermsLink,
	/// Hash of the document (`[A-Za-z0-9_-]`).
	pub hash: TermsHash,
	/// Unix seconds of the acceptance.
	pub accepted_at: u64,
}

impl Terms {
	pub fn check(link: &TermsLink, hash: &TermsHash) -> Result<(), InputError> {
		text_ok(link, 1, printable).then_some(()).ok_or(InputError::TermsLink)?;
		text_ok(hash, 1, name_char).then_some(()).ok_or(InputError::TermsHash)
	}
}

/// An account's identity on the grid.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Twin<AccountId, Balance> {
	pub account: AccountId,
	/// RMB relays the twin can be reached through.
	pub relays: Relays,
	pub pk: Option<PublicKey>,
	/// How many farms this twin owns (it cannot be deleted while it owns one).
	pub farms: u32,
	/// Held from `account` while the twin exists.
	pub deposit: Balance,
}

/// Which nodes may register into a farm.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub enum NodePolicy {
	/// Any node may join.
	Open,
	/// Only node accounts the farmer admitted may join (the default).
	#[default]
	AllowList,
}

/// A node account the farmer admits, named by account or by its twin.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum NodeRef<AccountId> {
	Account(AccountId),
	Twin(TwinId),
}

/// A farm: the farmer's nodes and public IPs. The IPs live in their own storage map.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Farm<AccountId, Balance> {
	pub name: FarmName,
	/// The farmer.
	pub twin_id: TwinId,
	/// Receives the farm's rewards and its share of billing.
	pub payout: AccountId,
	pub policy: NodePolicy,
	pub certification: FarmCertification,
	/// Nodes are only rented whole.
	pub dedicated: bool,
	/// Nodes registered in the farm.
	pub nodes: u32,
	/// Node accounts on the farm's allow-list.
	pub admitted: u32,
	/// Held from the farmer while the farm exists.
	pub deposit: Balance,
}

/// A public IPv4 of a farm's pool.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct PublicIp {
	pub ip: Ipv4Cidr,
	pub gateway: Ipv4,
	/// The contract using it, if any.
	pub contract: Option<ContractId>,
}

/// Where a node is. Coordinates are optional (unknown) and in micro-degrees.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Location {
	pub city: CityName,
	pub country: CountryName,
	pub coordinates: Option<Coordinates>,
}

/// Latitude and longitude in millionths of a degree (integers: no floats in the runtime).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Coordinates {
	/// -90_000_000..=90_000_000
	pub latitude: i32,
	/// -180_000_000..=180_000_000
	pub longitude: i32,
}

impl Location {
	pub fn check(&self) -> Result<(), InputError> {
		free_text(&self.city, 1).then_some(()).ok_or(InputError::City)?;
		free_text(&self.country, 2).then_some(()).ok_or(InputError::Country)?;
		match self.coordinates {
			Some(c)
				if c.latitude.unsigned_abs() > 90_000_000
					|| c.longitude.unsigned_abs() > 180_000_000 =>
			{
				Err(InputError::Coordinates)
			},
			_ => Ok(()),
		}
	}
}

/// A network interface of a node.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Interface {
	/// 1 to 20 of `[A-Za-z0-9_.-]`.
	pub name: InterfaceName,
	/// Not all-zero.
	pub mac: [u8; 6],
	pub ips: InterfaceIps,
}

impl Interface {
	pub fn check(&self) -> Result<(), InputError> {
		text_ok(&self.name, 1, |b| name_char(b) || b == b'.')
			.then_some(())
			.ok_or(InputError::InterfaceName)?;
		(self.mac != [0; 6]).then_some(()).ok_or(InputError::Mac)
	}
}

/// What a node declares about itself when it registers or updates.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct NodeSpec {
	pub resources: Resources,
	pub location: Location,
	pub interfaces: Interfaces,
	/// Printable ASCII, if the machine reports one.
	pub serial_number: Option<SerialNumber>,
	pub secure_boot: bool,
	pub virtualized: bool,
}

impl NodeSpec {
	pub fn check(&self) -> Result<(), InputError> {
		self.resources.check_minimum().map_err(InputError::Resources)?;
		self.location.check()?;
		self.interfaces.iter().try_for_each(Interface::check)?;
		match &self.serial_number {
			Some(serial) if !text_ok(serial, 1, |b| b == b' ' || printable(b)) => {
				Err(InputError::SerialNumber)
			},
			_ => Ok(()),
		}
	}
}

/// A public IPv4 (or IPv6) address with its gateway.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Ipv4WithGateway {
	pub ip: Ipv4Cidr,
	pub gateway: Ipv4,
}

#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Ipv6WithGateway {
	pub ip: Ipv6Cidr,
	pub gateway: Ipv6,
}

/// How a node is reached from the Internet; set by the farmer, makes it a gateway node.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct PublicConfig {
	pub ip4: Ipv4WithGateway,
	pub ip6: Option<Ipv6WithGateway>,
	pub domain: Option<HostName>,
}

impl PublicConfig {
	pub fn check(&self) -> Result<(), InputError> {
		self.ip4.ip.check_with_gateway(&self.ip4.gateway).map_err(InputError::Ip)?;
		if let Some(ip6) = &self.ip6 {
			ip6.ip.check_with_gateway(&ip6.gateway).map_err(InputError::Ip)?;
		}
		match &self.domain {
			Some(domain) => check_host_name(domain),
			None => Ok(()),
		}
	}
}

/// A registered node.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Node<Balance, BlockNumber> {
	pub farm_id: grid_primitives::registry::FarmId,
	/// The node's own twin (its Zero-OS identity); its account signs the node's calls.
	pub twin_id: TwinId,
	pub spec: NodeSpec,
	pub public_config: Option<PublicConfig>,
	pub certification: NodeCertification,
	pub power: NodePower<BlockNumber>,
	/// mUSD per TFT at registration.
	pub connection_price: u32,
	/// Unix seconds of registration (0 for nodes created at genesis).
	pub created: u64,
	/// Held from the node's account while it is registered.
	pub deposit: Balance,
}

/// A node certified before a change keeps its certificate only if no resource moved by more
/// than this many percent.
pub const CERTIFIED_RESOURCE_TOLERANCE_PERCENT: u64 = 1;

#[cfg(test)]
mod tests {
	use super::*;

	fn bounded<S: Get<u32>>(s: &str) -> BoundedVec<u8, S> {
		BoundedVec::truncate_from(s.as_bytes().to_vec())
	}

	#[test]
	fn farm_names() {
		assert_eq!(check_farm_name(&bounded("my_farm-01")), Ok(()));
		assert_eq!(check_farm_name(&bounded("abc")), Ok(()));
		assert_eq!(check_farm_name(&bounded("ab")), Err(InputError::FarmName));
		assert_eq!(check_farm_name(&bounded("my farm")), Err(InputError::FarmName));
		assert_eq!(check_farm_name(&bounded("färm")), Err(InputError::FarmName));
	}

	#[test]
	fn host_names() {
		assert_eq!(check_host_name(&bounded("relay.grid.tf")), Ok(()));
		assert_eq!(check_host_name(&bounded("relay_1.dev-net.grid.tf")), Ok(()));
		for bad in
			["", ".relay.grid.tf", "relay.grid.tf.", "relay..grid.tf", "relay grid", "relay/x"]
		{
			assert_eq!(check_host_name(&bounded(bad)), Err(InputError::HostName), "{bad:?}");
		}
		let long_label = "a".repeat(64);
		assert_eq!(check_host_name(&bounded(&long_label)), Err(InputError::HostName));
	}

	#[test]
	fn relays_are_distinct() {
		let relays: Relays = BoundedVec::truncate_from(vec![bounded("a.tf"), bounded("b.tf")]);
		assert_eq!(check_relays(&relays), Ok(()));
		let dup: Relays = BoundedVec::truncate_from(vec![bounded("a.tf"), bounded("a.tf")]);
		assert_eq!(check_relays(&dup), Err(InputError::DuplicateRelay));
	}

	#[test]
	fn terms() {
		assert_eq!(Terms::check(&bounded("https://grid.tf/tc.pdf"), &bounded("9f2c_a-1")), Ok(()));
		assert_eq!(Terms::check(&bounded(""), &bounded("9f2c")), Err(InputError::TermsLink));
		assert_eq!(
			Terms::check(&bounded("https://x y"), &bounded("9f2c")),
			Err(InputError::TermsLink)
		);
		assert_eq!(Terms::check(&bounded("https://x"), &bounded("")), Err(InputError::TermsHash));
		assert_eq!(
			Terms::check(&bounded("https://x"), &bounded("9f:2c")),
			Err(InputError::TermsHash)
		);
	}

	fn location() -> Location {
		Location { city: bounded("Gent"), country: bounded("BE"), coordinates: None }
	}

	#[test]
	fn locations() {
		assert_eq!(location().check(), Ok(()));
		assert_eq!(Location { city: bounded("São Paulo"), ..location() }.check(), Ok(()));
		assert_eq!(Location { city: bounded(""), ..location() }.check(), Err(InputError::City));
		assert_eq!(
			Location { country: bounded("B"), ..location() }.check(),
			Err(InputError::Country)
		);
		assert_eq!(Location { city: bounded("a\nb"), ..location() }.check(), Err(InputError::City));
		let invalid_utf8 =
			Location { city: BoundedVec::truncate_from(vec![0xff, 0xfe]), ..location() };
		assert_eq!(invalid_utf8.check(), Err(InputError::City));
		let edge = Coordinates { latitude: -90_000_000, longitude: 180_000_000 };
		assert_eq!(Location { coordinates: Some(edge), ..location() }.check(), Ok(()));
		let off = Coordinates { latitude: 90_000_001, longitude: 0 };
		assert_eq!(
			Location { coordinates: Some(off), ..location() }.check(),
			Err(InputError::Coordinates)
		);
		let min = Coordinates { latitude: 0, longitude: i32::MIN };
		assert_eq!(
			Location { coordinates: Some(min), ..location() }.check(),
			Err(InputError::Coordinates)
		);
	}

	#[test]
	fn node_specs() {
		let iface = Interface {
			name: bounded("zos"),
			mac: [2, 0, 0, 0, 0, 1],
			ips: BoundedVec::truncate_from(vec![IpAddr::V4(Ipv4([10, 0, 0, 2]))]),
		};
		let spec = NodeSpec {
			resources: Resources::MINIMUM,
			location: location(),
			interfaces: BoundedVec::truncate_from(vec![iface.clone()]),
			serial_number: Some(bounded("SN 1234")),
			secure_boot: true,
			virtualized: false,
		};
		assert_eq!(spec.check(), Ok(()));
		let no_cores = Resources { cru: 0, ..Resources::MINIMUM };
		assert_eq!(
			NodeSpec { resources: no_cores, ..spec.clone() }.check(),
			Err(InputError::Resources(ResourcesError::TooFewCores))
		);
		let zero_mac = Interface { mac: [0; 6], ..iface.clone() };
		assert_eq!(
			NodeSpec { interfaces: BoundedVec::truncate_from(vec![zero_mac]), ..spec.clone() }
				.check(),
			Err(InputError::Mac)
		);
		let bad_name = Interface { name: bounded("eth 0"), ..iface };
		assert_eq!(
			NodeSpec { interfaces: BoundedVec::truncate_from(vec![bad_name]), ..spec.clone() }
				.check(),
			Err(InputError::InterfaceName)
		);
		assert_eq!(
			NodeSpec { serial_number: Some(bounded("\u{7}")), ..spec }.check(),
			Err(InputError::SerialNumber)
		);
	}

	#[test]
	fn public_configs() {
		let config = PublicConfig {
			ip4: Ipv4WithGateway {
				ip: Ipv4Cidr { ip: Ipv4([185, 206, 122, 40]), prefix: 24 },
				gateway: Ipv4([185, 206, 122, 1]),
			},
			ip6: None,
			domain: Some(bounded("gw1.grid.tf")),
		};
		assert_eq!(config.check(), Ok(()));
		let private = Ipv4WithGateway {
			ip: Ipv4Cidr { ip: Ipv4([10, 0, 0, 2]), prefix: 24 },
			gateway: Ipv4([10, 0, 0, 1]),
		};
		assert_eq!(
			PublicConfig { ip4: private, ..config.clone() }.check(),
			Err(InputError::Ip(IpError::NotPublic))
		);
		assert_eq!(
			PublicConfig { domain: Some(bounded("bad..domain")), ..config }.check(),
			Err(InputError::HostName)
		);
	}
}
