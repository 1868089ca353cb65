//! IP addresses as typed values: a client sends octets, never a string the runtime has to parse.
//!
//! The rules a farm's public IPs and a node's public config must follow live here, once:
//! an address is *public* when it is routable on the Internet (no private, loopback,
//! link-local, shared, documentation, benchmarking, multicast or reserved range), and a
//! gateway must be another host of the same subnet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// Why an address, subnet or gateway was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum IpError {
	/// The prefix length is larger than the address (32 for IPv4, 128 for IPv6).
	BadPrefix,
	/// The address or gateway is not public unicast.
	NotPublic,
	/// The address is the network or broadcast address of its subnet, not a host.
	NotAHost,
	/// The gateway is outside the subnet, or equal to the address itself.
	BadGateway,
}

macro_rules! addr_type {
	($name:ident, $len:literal, $doc:literal) => {
		#[doc = $doc]
		#[derive(
			Clone,
			Copy,
			PartialEq,
			Eq,
			PartialOrd,
			Ord,
			Debug,
			Encode,
			Decode,
			DecodeWithMemTracking,
			MaxEncodedLen,
			TypeInfo,
			Serialize,
			Deserialize,
		)]
		pub struct $name(pub [u8; $len]);

		impl $name {
			const BITS: u8 = $len * 8;

			fn as_u128(&self) -> u128 {
				self.0.iter().fold(0u128, |acc, b| (acc << 8) | u128::from(*b))
			}

			/// The address with the low `BITS - prefix` bits cleared (`prefix` ≤ `BITS`).
			fn network(&self, prefix: u8) -> u128 {
				let host_bits = u32::from(Self::BITS.saturating_sub(prefix));
				let value = self.as_u128();
				value.checked_shr(host_bits).unwrap_or(0).checked_shl(host_bits).unwrap_or(0)
			}

			/// `true` when the first `prefix` bits equal those of the network address `net`.
			fn in_range(&self, net: u128, prefix: u8) -> bool {
				self.network(prefix) == net
			}
		}
	};
}

addr_type!(Ipv4, 4, "An IPv4 address, four octets in network order.");
addr_type!(Ipv6, 16, "An IPv6 address, sixteen octets in network order.");

/// IPv4 ranges that are not routable on the Internet (RFC 6890 and friends).
const IPV4_NOT_PUBLIC: &[(u32, u8)] = &[
	(0x0000_0000, 8),  // 0.0.0.0/8 "this network"
	(0x0A00_0000, 8),  // 10.0.0.0/8 private
	(0x6440_0000, 10), // 100.64.0.0/10 shared (carrier-grade NAT)
	(0x7F00_0000, 8),  // 127.0.0.0/8 loopback
	(0xA9FE_0000, 16), // 169.254.0.0/16 link-local
	(0xAC10_0000, 12), // 172.16.0.0/12 private
	(0xC000_0000, 24), // 192.0.0.0/24 protocol assignments
	(0xC000_0200, 24), // 192.0.2.0/24 documentation
	(0xC0A8_0000, 16), // 192.168.0.0/16 private
	(0xC612_0000, 15), // 198.18.0.0/15 benchmarking
	(0xC633_6400, 24), // 198.51.100.0/24 documentation
	(0xCB00_7100, 24), // 203.0.113.0/24 documentation
	(0xE000_0000, 4),  // 224.0.0.0/4 multicast
	(0xF000_0000, 4),  // 240.0.0.0/4 reserved, including broadcast
];

impl Ipv4 {
	/// Routable on the Internet and unicast.
	pub fn is_public(&self) -> bool {
		!IPV4_NOT_PUBLIC
			.iter()
			.any(|(net, prefix)| self.in_range(u128::from(*net), *prefix))
	}
}

impl Ipv6 {
	/// Global unicast (2000::/3), excluding documentation (2001:db8::/32).
	pub fn is_public(&self) -> bool {
		let global_unicast = self.in_range(0x2 << 124, 3);
		let documentation = self.in_range(0x2001_0db8 << 96, 32);
		global_unicast && !documentation
	}
}

macro_rules! cidr_type {
	($name:ident, $addr:ident, $doc:literal) => {
		#[doc = $doc]
		#[derive(
			Clone,
			Copy,
			PartialEq,
			Eq,
			PartialOrd,
			Ord,
			Debug,
			Encode,
			Decode,
			DecodeWithMemTracking,
			MaxEncodedLen,
			TypeInfo,
			Serialize,
			Deserialize,
		)]
		pub struct $name {
			/// The address.
			pub ip: $addr,
			/// Length of the network part in bits.
			pub prefix: u8,
		}

		impl $name {
			/// A public host address of its subnet with a public gateway in the same subnet.
			pub fn check_with_gateway(&self, gateway: &$addr) -> Result<(), IpError> {
				if self.prefix > $addr::BITS {
					return Err(IpError::BadPrefix);
				}
				if !self.ip.is_public() || !gateway.is_public() {
					return Err(IpError::NotPublic);
				}
				if !self.is_host(&self.ip) {
					return Err(IpError::NotAHost);
				}
				let same_subnet = gateway.network(self.prefix) == self.ip.network(self.prefix);
				if !same_subnet || *gateway == self.ip || !self.is_host(gateway) {
					return Err(IpError::BadGateway);
				}
				Ok(())
			}

			/// Not the network address nor (for IPv4) the broadcast address, when the subnet has
			/// room for both (prefixes up to `BITS - 2`).
			fn is_host(&self, addr: &$addr) -> bool {
				let host_bits = u32::from($addr::BITS.saturating_sub(self.prefix));
				if host_bits < 2 {
					return true;
				}
				let host_mask =
					u128::MAX.checked_shr(128u32.saturating_sub(host_bits)).unwrap_or(0);
				let host = addr.as_u128() & host_mask;
				host != 0 && (host != host_mask || $addr::BITS == 128)
			}
		}
	};
}

cidr_type!(Ipv4Cidr, Ipv4, "An IPv4 address with its subnet prefix, e.g. 185.206.122.33/24.");
cidr_type!(Ipv6Cidr, Ipv6, "An IPv6 address with its subnet prefix, e.g. 2a02:1802:5e::33/64.");

/// An address of either family (for interface addresses, which need not be public).
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
	Serialize,
	Deserialize,
)]
pub enum IpAddr {
	/// An IPv4 address with its prefix.
	V4(Ipv4),
	/// An IPv6 address with its prefix.
	V6(Ipv6),
}

#[cfg(test)]
mod tests {
	use super::*;

	fn v4(a: u8, b: u8, c: u8, d: u8) -> Ipv4 {
		Ipv4([a, b, c, d])
	}
	fn cidr(ip: Ipv4, prefix: u8) -> Ipv4Cidr {
		Ipv4Cidr { ip, prefix }
	}
	fn v6(segments: [u16; 8]) -> Ipv6 {
		let mut octets = [0u8; 16];
		for (i, s) in segments.iter().enumerate() {
			octets[2 * i..2 * i + 2].copy_from_slice(&s.to_be_bytes());
		}
		Ipv6(octets)
	}

	#[test]
	fn ipv4_public_ranges() {
		assert!(v4(185, 206, 122, 33).is_public());
		assert!(v4(8, 8, 8, 8).is_public());
		assert!(v4(172, 32, 0, 1).is_public(), "just above 172.16/12");
		assert!(v4(100, 128, 0, 1).is_public(), "just above 100.64/10");
		for private in [
			v4(0, 1, 2, 3),
			v4(10, 0, 0, 1),
			v4(100, 64, 0, 1),
			v4(127, 0, 0, 1),
			v4(169, 254, 1, 1),
			v4(172, 16, 0, 1),
			v4(172, 31, 255, 254),
			v4(192, 0, 2, 1),
			v4(192, 168, 1, 1),
			v4(198, 19, 0, 1),
			v4(198, 51, 100, 7),
			v4(203, 0, 113, 9),
			v4(224, 0, 0, 1),
			v4(255, 255, 255, 255),
		] {
			assert!(!private.is_public(), "{private:?} is not public");
		}
	}

	#[test]
	fn ipv6_public_ranges() {
		assert!(v6([0x2a02, 0x1802, 0x5e, 0, 0, 0, 0, 0x33]).is_public());
		assert!(!v6([0x2001, 0x0db8, 0, 0, 0, 0, 0, 1]).is_public(), "documentation");
		assert!(!v6([0xfe80, 0, 0, 0, 0, 0, 0, 1]).is_public(), "link-local");
		assert!(!v6([0xfd00, 0, 0, 0, 0, 0, 0, 1]).is_public(), "unique local");
		assert!(!v6([0, 0, 0, 0, 0, 0, 0, 1]).is_public(), "loopback");
		assert!(!v6([0xff02, 0, 0, 0, 0, 0, 0, 1]).is_public(), "multicast");
	}

	#[test]
	fn ipv4_subnet_and_gateway() {
		let ip = cidr(v4(185, 206, 122, 33), 24);
		assert_eq!(ip.check_with_gateway(&v4(185, 206, 122, 1)), Ok(()));
		assert_eq!(ip.check_with_gateway(&v4(185, 206, 123, 1)), Err(IpError::BadGateway));
		assert_eq!(ip.check_with_gateway(&v4(185, 206, 122, 33)), Err(IpError::BadGateway));
		assert_eq!(ip.check_with_gateway(&v4(185, 206, 122, 0)), Err(IpError::BadGateway));
		assert_eq!(ip.check_with_gateway(&v4(185, 206, 122, 255)), Err(IpError::BadGateway));
		assert_eq!(ip.check_with_gateway(&v4(10, 0, 0, 1)), Err(IpError::NotPublic));
		assert_eq!(
			cidr(v4(185, 206, 122, 0), 24).check_with_gateway(&v4(185, 206, 122, 1)),
			Err(IpError::NotAHost)
		);
		assert_eq!(
			cidr(v4(185, 206, 122, 33), 33).check_with_gateway(&v4(185, 206, 122, 1)),
			Err(IpError::BadPrefix)
		);
		assert_eq!(
			cidr(v4(192, 168, 1, 10), 24).check_with_gateway(&v4(192, 168, 1, 1)),
			Err(IpError::NotPublic)
		);
		// A /31 point-to-point link has two hosts and no broadcast.
		assert_eq!(
			cidr(v4(185, 206, 122, 0), 31).check_with_gateway(&v4(185, 206, 122, 1)),
			Ok(())
		);
		// A /32 has no room for a gateway.
		assert_eq!(
			cidr(v4(185, 206, 122, 1), 32).check_with_gateway(&v4(185, 206, 122, 2)),
			Err(IpError::BadGateway)
		);
	}

	#[test]
	fn ipv6_subnet_and_gateway() {
		let ip = Ipv6Cidr { ip: v6([0x2a02, 0x1802, 0x5e, 0, 0, 0, 0, 0x33]), prefix: 64 };
		assert_eq!(ip.check_with_gateway(&v6([0x2a02, 0x1802, 0x5e, 0, 0, 0, 0, 1])), Ok(()));
		assert_eq!(
			ip.check_with_gateway(&v6([0x2a02, 0x1802, 0x5f, 0, 0, 0, 0, 1])),
			Err(IpError::BadGateway)
		);
		assert_eq!(
			Ipv6Cidr { prefix: 129, ..ip }
				.check_with_gateway(&v6([0x2a02, 0x1802, 0x5e, 0, 0, 0, 0, 1])),
			Err(IpError::BadPrefix)
		);
	}
}
