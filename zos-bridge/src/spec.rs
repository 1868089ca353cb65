//! What the agent measured, as the chain's node spec — checked before anything is sent.

use crate::chain::{NodeSpec, Resources};
use grid_client::{bounded, grid};
use std::net::IpAddr;
use zos_api::{Dmi, Interface, Location, Statistics};

use grid::runtime_types::{
	grid_primitives::net::{IpAddr as ChainIp, Ipv4, Ipv6},
	pallet_registry::types::{Coordinates, Interface as ChainInterface, Location as ChainLocation},
};

/// Interfaces and addresses per interface the chain keeps.
const MAX_INTERFACES: usize = 10;
const MAX_INTERFACE_IPS: usize = 10;

/// Why the agent's answer cannot be declared.
#[derive(Debug, PartialEq, Eq)]
pub struct Nonsense(pub String);

impl std::error::Error for Nonsense {}

impl std::fmt::Display for Nonsense {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(&self.0)
	}
}

/// The capacity the agent measured, if plausible: at least a core, some memory and some
/// storage, and no more than the chain's `MaxNodeResources`. (The chain's own minimums are its
/// to enforce; a refusal is logged with its error.)
pub fn capacity(stats: &Statistics, max: &Resources) -> Result<Resources, Nonsense> {
	let t = stats.total;
	let resources = Resources { cru: t.cru, mru: t.mru, sru: t.sru, hru: t.hru };
	if t.cru == 0 || t.mru == 0 || t.sru.saturating_add(t.hru) == 0 {
		return Err(Nonsense(format!(
			"the agent reports no cores, memory or storage ({} cores, {} B memory, {} B SSD, {} B HDD)",
			t.cru, t.mru, t.sru, t.hru
		)));
	}
	let over = [
		("cores", t.cru, max.cru),
		("memory", t.mru, max.mru),
		("SSD", t.sru, max.sru),
		("HDD", t.hru, max.hru),
	]
	.into_iter()
	.filter(|(_, has, most)| has > most)
	.map(|(what, has, most)| format!("{what} {has} > {most}"))
	.collect::<Vec<_>>();
	if !over.is_empty() {
		return Err(Nonsense(format!(
			"the agent reports more than any machine can have (the chain's MaxNodeResources): {}",
			over.join(", ")
		)));
	}
	Ok(resources)
}

/// `aa:bb:cc:dd:ee:ff` → bytes.
fn mac(text: &str) -> Option<[u8; 6]> {
	let mut bytes = [0u8; 6];
	let mut parts = text.split(':');
	for byte in bytes.iter_mut() {
		*byte = u8::from_str_radix(parts.next()?, 16).ok()?;
	}
	(parts.next().is_none() && bytes != [0; 6]).then_some(bytes)
}

fn ip(text: &str) -> Option<ChainIp> {
	// The chain stores addresses with a prefix; the agent sends plain addresses.
	match text.split('/').next()?.parse::<IpAddr>().ok()? {
		IpAddr::V4(v4) => Some(ChainIp::V4(Ipv4(v4.octets()))),
		IpAddr::V6(v6) => Some(ChainIp::V6(Ipv6(v6.octets()))),
	}
}

/// The interfaces the chain accepts (valid name and MAC); the rest are left out.
fn interfaces(list: &[Interface]) -> Vec<ChainInterface> {
	list.iter()
		.filter(|i| {
			!i.name.is_empty()
				&& i.name.len() <= 20
				&& i.name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
		})
		.filter_map(|i| {
			let ips = i.ips.iter().filter_map(|a| ip(a)).take(MAX_INTERFACE_IPS).collect();
			Some(ChainInterface {
				name: bounded(i.name.as_bytes().to_vec()),
				mac: mac(&i.mac)?,
				ips: bounded(ips),
			})
		})
		.take(MAX_INTERFACES)
		.collect()
}

fn location(l: &Location) -> ChainLocation {
	let coordinates = match (l.latitude, l.longitude) {
		(Some(latitude), Some(longitude)) => Some(Coordinates { latitude, longitude }),
		_ => None,
	};
	ChainLocation {
		city: bounded(l.city.as_bytes().to_vec()),
		country: bounded(l.country.as_bytes().to_vec()),
		coordinates,
	}
}

/// Everything the agent told about the machine.
pub struct Machine {
	pub stats: Statistics,
	pub dmi: Dmi,
	pub hypervisor: Option<String>,
	pub interfaces: Vec<Interface>,
	pub location: Location,
}

/// The node spec to declare for `machine`, never more than it measured.
pub fn node_spec(machine: &Machine, max: &Resources) -> Result<NodeSpec, Nonsense> {
	let serial = machine
		.dmi
		.serial_number
		.as_ref()
		.filter(|s| {
			!s.is_empty() && s.len() <= 128 && s.bytes().all(|b| (b' '..=b'~').contains(&b))
		})
		.map(|s| bounded(s.as_bytes().to_vec()));
	Ok(NodeSpec {
		resources: capacity(&machine.stats, max)?,
		location: location(&machine.location),
		interfaces: bounded(interfaces(&machine.interfaces)),
		serial_number: serial,
		secure_boot: machine.dmi.secure_boot,
		virtualized: machine.hypervisor.is_some(),
	})
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]
	use super::*;
	use zos_api::Capacity;

	const GIB: u64 = 1 << 30;
	const MAX: Resources = Resources { cru: 1024, mru: 16 << 40, sru: 1 << 50, hru: 1 << 50 };

	fn stats(cru: u64, mru: u64, sru: u64, hru: u64) -> Statistics {
		Statistics { total: Capacity { cru, mru, sru, hru, ipv4u: 0 }, ..Default::default() }
	}

	#[test]
	fn declared_capacity_is_what_the_agent_measured() {
		let r = capacity(&stats(4, 8 * GIB, 256 * GIB, 0), &MAX).unwrap();
		assert_eq!((r.cru, r.mru, r.sru, r.hru), (4, 8 * GIB, 256 * GIB, 0));
	}

	#[test]
	fn nonsense_capacity_is_refused_before_anything_is_sent() {
		let zero_cores = capacity(&stats(0, 8 * GIB, 256 * GIB, 0), &MAX).unwrap_err();
		assert!(zero_cores.0.contains("no cores"), "{zero_cores}");
		let huge = capacity(&stats(4, u64::MAX, 256 * GIB, 0), &MAX).unwrap_err();
		assert!(huge.0.contains("memory 18446744073709551615 >"), "{huge}");
	}

	#[test]
	fn interfaces_keep_what_the_chain_accepts() {
		let list = vec![
			Interface {
				name: "eth0".into(),
				mac: "52:54:00:12:34:56".into(),
				ips: vec!["10.0.0.2".into(), "fe80::1".into(), "junk".into()],
			},
			Interface { name: "bad name".into(), mac: "52:54:00:12:34:57".into(), ips: vec![] },
			Interface { name: "lo".into(), mac: "00:00:00:00:00:00".into(), ips: vec![] },
		];
		let kept = interfaces(&list);
		assert_eq!(kept.len(), 1);
		assert_eq!(kept[0].mac, [0x52, 0x54, 0, 0x12, 0x34, 0x56]);
		assert_eq!(kept[0].ips.0.len(), 2);
	}
}
