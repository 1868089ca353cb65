//! The registry's records and the rules their inputs follow.
//!
//! Every input type is bounded by its encoding (a longer value does not decode) and checked by a
//! method here that returns an [`InputError`]; the pallet turns each into its own named error.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::*;
use grid_primitives::{
	money::MusdPerTft,
	net::{IpAddr, IpError, Ipv4, Ipv4Cidr, Ipv6, Ipv6Cidr},
	quota::FreeQuota,
	registry::{
		AssignedIp, ContractId, FarmCertification, FarmId, NodeCertification, NodeId, NodePower,
		Power, PowerState, TwinId,
	},
	resources::{Resources, ResourcesError},
};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

pub use grid_primitives::registry::MAX_FARM_IPS;
/// Most relays a twin may list.
pub const MAX_RELAYS: u32 = 4;
/// Most network interfaces a node may declare.
pub const MAX_INTERFACES: u32 = 10;
/// Most addresses one network interface may list.
pub const MAX_INTERFACE_IPS: u32 = 10;

/// A farm's name: 3 to 40 of `[A-Za-z0-9_-]`, unique on the chain whatever its case.
pub type FarmName = BoundedVec<u8, ConstU32<40>>;
/// A DNS host name (RMB relay, node domain).
pub type HostName = BoundedVec<u8, ConstU32<253>>;
/// A twin's RMB relays: at most [`MAX_RELAYS`] distinct host names.
pub type Relays = BoundedVec<HostName, ConstU32<MAX_RELAYS>>;
/// A twin's public key for end-to-end encrypted messages (RMB), raw bytes.
pub type PublicKey = BoundedVec<u8, ConstU32<64>>;
/// A URL: short, so that an acceptance record stays small.
pub type TermsLink = BoundedVec<u8, ConstU32<256>>;
/// The hash of a terms document, as the client computed it: 1 to 50 of `[A-Za-z0-9_-]`.
pub type TermsHash = BoundedVec<u8, ConstU32<50>>;
/// A Zero-OS version, e.g. `v3.14.2`: printable ASCII without spaces, at most 64 bytes.
pub type ZosVersion = BoundedVec<u8, ConstU32<64>>;
/// A machine's serial number: printable ASCII (spaces allowed), at most 128 bytes.
pub type SerialNumber = BoundedVec<u8, ConstU32<128>>;
/// A city name: 1 to 58 bytes of UTF-8 without control characters.
pub type CityName = BoundedVec<u8, ConstU32<58>>;
/// A country name or code: 2 to 56 bytes of UTF-8 without control characters.
pub type CountryName = BoundedVec<u8, ConstU32<56>>;
/// A network interface name, e.g. `eth0`: 1 to 20 of `[A-Za-z0-9_.-]`.
pub type InterfaceName = BoundedVec<u8, ConstU32<20>>;
/// A node's network interfaces, at most [`MAX_INTERFACES`].
pub type Interfaces = BoundedVec<Interface, ConstU32<MAX_INTERFACES>>;
/// The addresses of one interface, at most [`MAX_INTERFACE_IPS`].
pub type InterfaceIps = BoundedVec<IpAddr, ConstU32<MAX_INTERFACE_IPS>>;

/// Why an input was refused; each maps to one pallet error.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InputError {
	/// A farm name is not 3 to 40 of `[A-Za-z0-9_-]`.
	FarmName,
	/// A host name is empty, or has a label that is empty, over 63 bytes or not `[A-Za-z0-9_-]`.
	HostName,
	/// A relay is listed twice.
	DuplicateRelay,
	/// A public key is given but empty.
	PublicKey,
	/// The terms link is empty or not printable ASCII without spaces.
	TermsLink,
	/// The terms hash is empty or not `[A-Za-z0-9_-]`.
	TermsHash,
	/// The Zero-OS version is empty or not printable ASCII without spaces.
	ZosVersion,
	/// The serial number is empty or not printable ASCII.
	SerialNumber,
	/// The city is empty, not UTF-8, or has control characters.
	City,
	/// The country is shorter than 2 bytes, not UTF-8, or has control characters.
	Country,
	/// The latitude is beyond ±90° or the longitude beyond ±180°.
	Coordinates,
	/// An interface name is empty or not `[A-Za-z0-9_.-]`.
	InterfaceName,
	/// A MAC address is all zero.
	Mac,
	/// An IP address, its prefix or its gateway breaks the rule given.
	Ip(IpError),
	/// The capacity is below a node's minimum in the resource given.
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

/// The key a name is unique under: names that differ only in case are the same name, so
/// `Alice-Farm` cannot impersonate `alice-farm`. Farm names and host names are ASCII.
pub fn name_key<S: Get<u32>>(name: &BoundedVec<u8, S>) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(name.to_ascii_lowercase())
}

/// A stored count cannot move as asked: it would overflow, or fall below zero, which means it
/// disagrees with what it counts (a bug; `try_state` reports it too). The call is refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CountError;

fn count_up(count: &mut u32) -> Result<(), CountError> {
	*count = count.checked_add(1).ok_or(CountError)?;
	Ok(())
}

/// Why a bounded count cannot grow.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CountLimit {
	/// It is at its maximum.
	Reached,
	/// The count disagrees with what it counts (see [`CountError`]).
	Count(CountError),
}

/// Counts one more, if the count is below `max`.
fn count_up_to(count: &mut u32, max: u32) -> Result<(), CountLimit> {
	if *count >= max {
		return Err(CountLimit::Reached);
	}
	count_up(count).map_err(CountLimit::Count)
}

fn count_down(count: &mut u32) -> Result<(), CountError> {
	*count = count.checked_sub(1).ok_or(CountError)?;
	Ok(())
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
		if relays.iter().skip(i.saturating_add(1)).any(|other| other == relay) {
			return Err(InputError::DuplicateRelay);
		}
	}
	Ok(())
}

/// A public key, if given, is not empty.
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
	/// Checks a terms link (printable ASCII without spaces) and hash (`[A-Za-z0-9_-]`), both
	/// non-empty.
	pub fn check(link: &TermsLink, hash: &TermsHash) -> Result<(), InputError> {
		text_ok(link, 1, printable).then_some(()).ok_or(InputError::TermsLink)?;
		text_ok(hash, 1, name_char).then_some(()).ok_or(InputError::TermsHash)
	}
}

/// An account's identity on the grid.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Twin<AccountId, Balance> {
	/// The account the twin belongs to; it signs the twin's calls.
	pub account: AccountId,
	/// RMB relays the twin can be reached through.
	pub relays: Relays,
	/// Public key for end-to-end encrypted messages (RMB); `None` if the twin set none.
	pub pk: Option<PublicKey>,
	/// How many farms this twin owns (it cannot be deleted while it owns one).
	pub farms: u32,
	/// Held from `account` while the twin exists.
	pub deposit: Balance,
}

impl<AccountId, Balance> Twin<AccountId, Balance> {
	/// Counts a new farm, if the twin owns fewer than `max`.
	pub fn add_farm(&mut self, max: u32) -> Result<(), CountLimit> {
		count_up_to(&mut self.farms, max)
	}

	/// Counts one farm fewer, when the twin deletes one.
	pub fn remove_farm(&mut self) -> Result<(), CountError> {
		count_down(&mut self.farms)
	}
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
	/// The node's account itself.
	Account(AccountId),
	/// The twin whose account is the node's (the twin must exist).
	Twin(TwinId),
}

/// A farm: the farmer's nodes and public IPs. The IPs live in their own storage map.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Farm<AccountId, Balance> {
	/// The farm's name, unique on the chain whatever its case.
	pub name: FarmName,
	/// The farmer.
	pub twin_id: TwinId,
	/// Receives the farm's rewards and its share of billing.
	pub payout: AccountId,
	/// Which nodes may register into the farm; set by the farmer.
	pub policy: NodePolicy,
	/// The farm's certification, set by governance.
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

impl<AccountId, Balance> Farm<AccountId, Balance> {
	/// Whether the farm lets `is_admitted` (the account's allow-list entry) register a node.
	pub fn admits(&self, is_admitted: impl FnOnce() -> bool) -> bool {
		match self.policy {
			NodePolicy::Open => true,
			NodePolicy::AllowList => is_admitted(),
		}
	}

	/// Counts a node that registered in the farm.
	pub fn add_node(&mut self) -> Result<(), CountError> {
		count_up(&mut self.nodes)
	}

	/// Counts one node fewer, when one leaves the farm.
	pub fn remove_node(&mut self) -> Result<(), CountError> {
		count_down(&mut self.nodes)
	}

	/// Counts an allow-list entry, if the list is shorter than `max`.
	pub fn admit(&mut self, max: u32) -> Result<(), CountLimit> {
		count_up_to(&mut self.admitted, max)
	}

	/// Counts one allow-list entry fewer.
	pub fn revoke(&mut self) -> Result<(), CountError> {
		count_down(&mut self.admitted)
	}
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
	/// The address with its subnet prefix.
	pub ip: Ipv4Cidr,
	/// The gateway of the address's subnet.
	pub gateway: Ipv4,
	/// The contract using it, if any.
	pub contract: Option<ContractId>,
}

/// Why the IP pool refused a change.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PoolError {
	/// The pool holds [`MAX_FARM_IPS`] addresses.
	Full,
	/// The pool has no such address.
	NotFound,
	/// A contract uses the address.
	Reserved,
	/// No contract uses the address.
	NotReserved,
	/// Fewer free addresses than asked for.
	NotEnoughFree,
}

/// A farm's pool of public IPv4s, which contracts reserve. Each method changes the pool only
/// when it succeeds. Addresses are unique in a pool; the pallet keeps them unique on the chain.
#[derive(
	Clone,
	Default,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct IpPool {
	/// The addresses in the order they were added, at most [`MAX_FARM_IPS`].
	pub ips: BoundedVec<PublicIp, ConstU32<MAX_FARM_IPS>>,
}

impl IpPool {
	/// How many addresses the pool holds.
	pub fn len(&self) -> u32 {
		self.ips.len() as u32
	}

	/// Whether the pool holds no address.
	pub fn is_empty(&self) -> bool {
		self.ips.is_empty()
	}

	/// How many addresses no contract holds.
	pub fn free(&self) -> u32 {
		self.ips.iter().filter(|p| p.contract.is_none()).count() as u32
	}

	/// Whether any address is reserved by a contract.
	pub fn in_use(&self) -> bool {
		self.ips.iter().any(|p| p.contract.is_some())
	}

	/// Adds a free address (the caller has checked it and its gateway).
	pub fn add(&mut self, ip: Ipv4Cidr, gateway: Ipv4) -> Result<(), PoolError> {
		self.ips
			.try_push(PublicIp { ip, gateway, contract: None })
			.map_err(|_| PoolError::Full)
	}

	/// Removes a free address.
	pub fn remove(&mut self, ip: Ipv4) -> Result<(), PoolError> {
		let index = self.position(ip)?;
		if self.ips.get(index).is_some_and(|p| p.contract.is_some()) {
			return Err(PoolError::Reserved);
		}
		self.ips.remove(index);
		Ok(())
	}

	/// Removes an address whether or not it is reserved; returns the contract that held it.
	pub fn force_remove(&mut self, ip: Ipv4) -> Result<Option<ContractId>, PoolError> {
		let index = self.position(ip)?;
		Ok(self.ips.remove(index).contract)
	}

	/// Reserves `count` free addresses for `contract`, all or none, in pool order.
	pub fn reserve(
		&mut self,
		contract: ContractId,
		count: u32,
	) -> Result<alloc::vec::Vec<AssignedIp>, PoolError> {
		if self.free() < count {
			return Err(PoolError::NotEnoughFree);
		}
		Ok(self
			.ips
			.iter_mut()
			.filter(|p| p.contract.is_none())
			.take(count as usize)
			.map(|p| {
				p.contract = Some(contract);
				AssignedIp { ip: p.ip, gateway: p.gateway }
			})
			.collect())
	}

	/// Frees every address `contract` holds; returns how many.
	pub fn release(&mut self, contract: ContractId) -> u32 {
		let mut count = 0u32;
		for p in self.ips.iter_mut().filter(|p| p.contract == Some(contract)) {
			p.contract = None;
			count = count.saturating_add(1);
		}
		count
	}

	/// The addresses `contract` holds, in pool order.
	pub fn reserved_by(&self, contract: ContractId) -> alloc::vec::Vec<AssignedIp> {
		self.ips
			.iter()
			.filter(|p| p.contract == Some(contract))
			.map(|p| AssignedIp { ip: p.ip, gateway: p.gateway })
			.collect()
	}

	/// Frees one reserved address; returns the contract that held it.
	pub fn force_release(&mut self, ip: Ipv4) -> Result<ContractId, PoolError> {
		let index = self.position(ip)?;
		let entry = self.ips.get_mut(index).ok_or(PoolError::NotFound)?;
		entry.contract.take().ok_or(PoolError::NotReserved)
	}

	fn position(&self, ip: Ipv4) -> Result<usize, PoolError> {
		self.ips.iter().position(|p| p.ip.ip == ip).ok_or(PoolError::NotFound)
	}
}

/// Where a public IPv4 is in use: in one farm's pool, or as one node's public address.
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
pub enum IpHolder {
	/// In this farm's public IP pool.
	Farm(FarmId),
	/// As this node's public IPv4, in its public config.
	Node(NodeId),
}

/// Where a node is. Coordinates are optional (unknown) and in micro-degrees.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Location {
	/// The city, free text in any script.
	pub city: CityName,
	/// The country's name or code, free text in any script.
	pub country: CountryName,
	/// Where exactly; `None` when unknown.
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
	/// Checks the city and country text and the coordinates' ranges.
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
	/// The addresses (IPv4 or IPv6) the node reports on the interface; not checked.
	pub ips: InterfaceIps,
}

impl Interface {
	/// Checks the name and that the MAC is not all zero.
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
	/// The node's capacity: logical cores, and bytes of memory, SSD and HDD.
	pub resources: Resources,
	/// Where the node is.
	pub location: Location,
	/// The node's network interfaces.
	pub interfaces: Interfaces,
	/// Printable ASCII, if the machine reports one.
	pub serial_number: Option<SerialNumber>,
	/// The node booted with secure boot, as it reports.
	pub secure_boot: bool,
	/// The node runs in a virtual machine (it then earns no rewards).
	pub virtualized: bool,
}

impl NodeSpec {
	/// Checks the capacity against a node's minimum, and the location, interfaces and serial
	/// number; the pallet checks the plausibility maximum.
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

/// A public IPv4 address with its gateway.
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
	/// The address with its subnet prefix.
	pub ip: Ipv4Cidr,
	/// The gateway: another host of the same subnet.
	pub gateway: Ipv4,
}

/// A public IPv6 address with its gateway.
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
	/// The address with its subnet prefix.
	pub ip: Ipv6Cidr,
	/// The gateway: another host of the same subnet.
	pub gateway: Ipv6,
}

/// How a node is reached from the Internet; set by the farmer, makes it a gateway node.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct PublicConfig {
	/// The node's public IPv4; no farm's pool and no other node may use the address.
	pub ip4: Ipv4WithGateway,
	/// The node's public IPv6, if it has one; no other node may use the address.
	pub ip6: Option<Ipv6WithGateway>,
	/// The node's domain, if it has one; no other node may use it, whatever its case.
	pub domain: Option<HostName>,
}

impl PublicConfig {
	/// Checks that each address is a public host with a gateway in its subnet, and that the
	/// domain is a valid host name.
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

/// A certified node keeps its certificate only while no resource is more than this many
/// percent away from the capacity that was certified.
pub const CERTIFIED_RESOURCE_TOLERANCE_PERCENT: u64 = 1;

/// A node's certification, and for a certified node the capacity a certifier vouched for.
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
)]
pub enum NodeCertificate {
	/// Not certified: do-it-yourself hardware (the default).
	#[default]
	Diy,
	/// Certified for this capacity.
	Certified {
		/// The capacity the certifier vouched for: the node's capacity when it was certified.
		capacity: Resources,
	},
}

impl NodeCertificate {
	/// A certificate of `level` for a node of `capacity`.
	pub fn new(level: NodeCertification, capacity: Resources) -> Self {
		match level {
			NodeCertification::Diy => Self::Diy,
			NodeCertification::Certified => Self::Certified { capacity },
		}
	}

	/// The certification level, without the certified capacity.
	pub fn level(&self) -> NodeCertification {
		match self {
			Self::Diy => NodeCertification::Diy,
			Self::Certified { .. } => NodeCertification::Certified,
		}
	}

	/// The certificate once the node declares `capacity`. It is compared with the certified
	/// capacity, not the previous declaration, so small steps cannot add up unnoticed.
	pub fn after_capacity_change(self, capacity: &Resources) -> Self {
		match self {
			Self::Certified { capacity: certified }
				if certified
					.changed_by_more_than(capacity, CERTIFIED_RESOURCE_TOLERANCE_PERCENT) =>
			{
				Self::Diy
			},
			same => same,
		}
	}
}

/// A registered node.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Node<Balance, BlockNumber> {
	/// The farm the node belongs to.
	pub farm_id: FarmId,
	/// The node's own twin (its Zero-OS identity); its account signs the node's calls.
	pub twin_id: TwinId,
	/// What the node last declared: capacity, location, interfaces, serial number, flags.
	pub spec: NodeSpec,
	/// How the node is reached from the Internet, set by the farmer.
	pub public_config: Option<PublicConfig>,
	/// DIY, or certified for a capacity (lapses to DIY when the capacity moves too far).
	pub certificate: NodeCertificate,
	/// The farmer's power target and the node's reported state.
	pub power: NodePower<BlockNumber>,
	/// Free power-state changes used in the current window.
	pub free_power_changes: FreeQuota<BlockNumber>,
	/// The TFT price at registration: converts the node's USD rewards to TFT.
	pub connection_price: MusdPerTft,
	/// Unix seconds of registration (0 for nodes created at genesis).
	pub created: u64,
	/// Held from the node's account while it is registered.
	pub deposit: Balance,
}

/// What a power report did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PowerReport<BlockNumber> {
	/// The node already was in the reported state.
	Unchanged,
	/// The state changed; `free` while the node has free changes left in the window.
	Changed {
		/// The node's new power state.
		state: PowerState<BlockNumber>,
		/// The change used one of the node's free changes: the report pays no fee.
		free: bool,
	},
}

impl<Balance, BlockNumber: frame::arithmetic::AtLeast32BitUnsigned + Copy>
	Node<Balance, BlockNumber>
{
	/// Applies the node's report that it is `reported` at block `now`. A change is free for at
	/// most `free_per_window` changes per `window` blocks; any other report pays its fee.
	pub fn report_power(
		&mut self,
		reported: Power,
		now: BlockNumber,
		window: BlockNumber,
		free_per_window: u32,
	) -> PowerReport<BlockNumber> {
		match self.power.apply_report(reported, now) {
			None => PowerReport::Unchanged,
			Some(state) => PowerReport::Changed {
				state,
				free: self.free_power_changes.try_take(now, window, free_per_window),
			},
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use grid_primitives::resources::GIB;

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

	fn cidr(host: u8) -> Ipv4Cidr {
		Ipv4Cidr { ip: Ipv4([185, 206, 122, host]), prefix: 24 }
	}

	fn pool_of(hosts: &[u8]) -> IpPool {
		let mut pool = IpPool::default();
		for host in hosts {
			pool.add(cidr(*host), Ipv4([185, 206, 122, 1])).unwrap();
		}
		pool
	}

	#[test]
	fn ip_pool_reserves_all_or_none_and_releases_exactly_once() {
		let mut pool = pool_of(&[2, 3, 4]);
		let before = pool.clone();
		assert_eq!(pool.reserve(7, 4), Err(PoolError::NotEnoughFree));
		assert_eq!(pool, before, "a refused reservation takes nothing");
		let taken = pool.reserve(7, 2).unwrap();
		assert_eq!(taken.iter().map(|a| a.ip).collect::<Vec<_>>(), vec![cidr(2), cidr(3)]);
		assert!(pool.in_use());
		assert_eq!(pool.reserve(8, 2), Err(PoolError::NotEnoughFree));
		assert_eq!(pool.reserve(8, 1).unwrap().len(), 1);
		assert_eq!(pool.release(7), 2);
		assert_eq!(pool.release(7), 0, "released once only");
		assert_eq!(pool.reserve(9, 0), Ok(vec![]));
	}

	#[test]
	fn ip_pool_removal_rules() {
		let mut pool = pool_of(&[2, 3]);
		pool.reserve(5, 1).unwrap();
		assert_eq!(pool.remove(Ipv4([185, 206, 122, 2])), Err(PoolError::Reserved));
		assert_eq!(pool.remove(Ipv4([185, 206, 122, 9])), Err(PoolError::NotFound));
		assert_eq!(pool.remove(Ipv4([185, 206, 122, 3])), Ok(()));
		assert_eq!(pool.force_release(Ipv4([185, 206, 122, 2])), Ok(5));
		assert_eq!(pool.force_release(Ipv4([185, 206, 122, 2])), Err(PoolError::NotReserved));
		pool.reserve(6, 1).unwrap();
		assert_eq!(pool.force_remove(Ipv4([185, 206, 122, 2])), Ok(Some(6)));
		assert!(pool.is_empty());
	}

	#[test]
	fn ip_pool_is_bounded() {
		let mut pool = IpPool::default();
		for i in 0..MAX_FARM_IPS {
			let ip =
				Ipv4Cidr { ip: Ipv4([185, 16, (i / 200) as u8, (i % 200) as u8 + 2]), prefix: 16 };
			assert_eq!(pool.add(ip, Ipv4([185, 16, 255, 254])), Ok(()));
		}
		assert_eq!(pool.add(cidr(2), Ipv4([185, 206, 122, 1])), Err(PoolError::Full));
		assert_eq!(pool.len(), MAX_FARM_IPS);
	}

	#[test]
	fn certification_does_not_creep_in_small_steps() {
		let certified = Resources { cru: 100, mru: 100 * GIB, sru: 1000 * GIB, hru: 0 };
		let mut cert = NodeCertificate::new(NodeCertification::Certified, certified);
		// 1 % up at each step: each step is within 1 % of the previous declaration.
		let mut cores = 100u64;
		let mut steps = 0;
		while cert.level() == NodeCertification::Certified {
			cores += cores / 100;
			cert = cert.after_capacity_change(&Resources { cru: cores, ..certified });
			steps += 1;
			assert!(steps < 10, "the certificate never lapsed");
		}
		assert_eq!(steps, 2, "101 cores is within 1 % of 100, 102 is not");
		assert_eq!(NodeCertificate::Diy.after_capacity_change(&certified), NodeCertificate::Diy);
		let back = NodeCertificate::new(NodeCertification::Certified, certified);
		assert_eq!(back.after_capacity_change(&certified), back);
	}

	#[test]
	fn counts_refuse_to_wrap() {
		let mut twin =
			Twin { account: 1u64, relays: Default::default(), pk: None, farms: 0, deposit: 0u64 };
		assert_eq!(twin.remove_farm(), Err(CountError));
		assert_eq!(twin.add_farm(1), Ok(()));
		assert_eq!(twin.add_farm(1), Err(CountLimit::Reached));
		assert_eq!(twin.farms, 1);
		let mut farm = Farm {
			name: bounded("farm"),
			twin_id: 1,
			payout: 1u64,
			policy: NodePolicy::AllowList,
			certification: FarmCertification::NotCertified,
			dedicated: false,
			nodes: 0,
			admitted: 0,
			deposit: 0u64,
		};
		assert_eq!(farm.remove_node(), Err(CountError));
		assert_eq!(farm.revoke(), Err(CountError));
		assert_eq!(farm.admit(1), Ok(()));
		assert_eq!(farm.admit(1), Err(CountLimit::Reached));
		assert!(!farm.admits(|| false));
		assert!(farm.admits(|| true));
		farm.policy = NodePolicy::Open;
		assert!(farm.admits(|| false));
	}

	#[test]
	fn names_are_unique_whatever_their_case() {
		let key = name_key(&bounded::<ConstU32<40>>("Alice-Farm_1"));
		assert_eq!(key, bounded::<ConstU32<40>>("alice-farm_1"));
		assert_eq!(name_key(&bounded::<ConstU32<40>>("alice-farm_1")), key);
	}
}
