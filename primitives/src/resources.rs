//! Node capacity: what a Zero-OS machine offers to the grid.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// 2^30 bytes.
pub const GIB: u64 = 1 << 30;
/// 2^40 bytes.
pub const TIB: u64 = 1 << 40;

/// Capacity of a node: logical cores and bytes of memory, SSD and HDD.
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
pub struct Resources {
	/// Logical CPU cores.
	pub cru: u64,
	/// Memory, bytes.
	pub mru: u64,
	/// SSD storage, bytes.
	pub sru: u64,
	/// HDD storage, bytes.
	pub hru: u64,
}

/// Which minimum a node's capacity misses, or which plausibility maximum it exceeds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ResourcesError {
	/// Fewer than [`Resources::MIN_CRU`] cores.
	TooFewCores,
	/// Less than [`Resources::MIN_MRU`] of memory.
	TooLittleMemory,
	/// Less than [`Resources::MIN_SRU`] of SSD, and not an HDD-only storage node either
	/// (at least [`Resources::MIN_HRU_HDD_ONLY`] of HDD).
	TooLittleStorage,
	/// More cores than the plausibility maximum.
	TooManyCores,
	/// More memory than the plausibility maximum.
	TooMuchMemory,
	/// More SSD than the plausibility maximum.
	TooMuchSsd,
	/// More HDD than the plausibility maximum.
	TooMuchHdd,
}

/// Millionths of a cloud unit: `UNIT_SCALE` is one CU or one SU.
pub const UNIT_SCALE: u64 = 1_000_000;

/// A capacity in cloud units, in millionths ([`UNIT_SCALE`]) and rounded down.
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
pub struct CloudUnits {
	/// Compute units: 1 CU ≈ 2 vCPU, 4 GiB of memory and 50 GiB of SSD.
	pub cu: u64,
	/// Storage units: 1 SU = 1,200 GiB of HDD or 250 GiB of SSD.
	pub su: u64,
}

impl Resources {
	/// The grid's one cloud-unit formula (minting rewards and billing prices use it), with
	/// memory and storage in GiB:
	/// `CU = min(2·cru, (mru − 1)/4, sru/50)` and `SU = hru/1200 + sru/250`.
	/// Exact integer maths in `u128`, each unit rounded down once, to millionths.
	// `u64` inputs widened to `u128` times constants below 2^40 cannot overflow.
	#[allow(clippy::arithmetic_side_effects)]
	pub fn cloud_units(&self) -> CloudUnits {
		let scale = u128::from(UNIT_SCALE);
		let gib = u128::from(GIB);
		let by_cores = u128::from(self.cru) * 2 * scale;
		// One GiB of memory is the operating system's.
		let by_memory = u128::from(self.mru.saturating_sub(GIB)) * scale / (4 * gib);
		let by_ssd = u128::from(self.sru) * scale / (50 * gib);
		let cu = by_cores.min(by_memory).min(by_ssd);
		// hru/1200 + sru/250 = (5·hru + 24·sru) / 6000, so SU is rounded once.
		let su = (u128::from(self.hru) * 5 + u128::from(self.sru) * 24) * scale / (6_000 * gib);
		let narrow = |units: u128| u64::try_from(units).unwrap_or(u64::MAX);
		CloudUnits { cu: narrow(cu), su: narrow(su) }
	}

	/// The smaller of each resource of both.
	pub fn min(&self, other: &Resources) -> Resources {
		Resources {
			cru: self.cru.min(other.cru),
			mru: self.mru.min(other.mru),
			sru: self.sru.min(other.sru),
			hru: self.hru.min(other.hru),
		}
	}

	/// A node needs at least one core,
	pub const MIN_CRU: u64 = 1;
	/// ... 2 GiB of memory
	pub const MIN_MRU: u64 = 2 * GIB;
	/// ... and 100 GiB of SSD,
	pub const MIN_SRU: u64 = 100 * GIB;
	/// ... or, as an HDD-only storage node (quantum-safe storage runs on HDD capacity),
	/// 1 TiB of HDD.
	pub const MIN_HRU_HDD_ONLY: u64 = TIB;

	/// The smallest node the grid accepts.
	pub const MINIMUM: Resources =
		Resources { cru: Self::MIN_CRU, mru: Self::MIN_MRU, sru: Self::MIN_SRU, hru: 0 };

	/// The smallest HDD-only storage node the grid accepts.
	pub const MINIMUM_HDD_ONLY: Resources =
		Resources { cru: Self::MIN_CRU, mru: Self::MIN_MRU, sru: 0, hru: Self::MIN_HRU_HDD_ONLY };

	/// Default plausibility maximum of one machine (governance may change it): 1,024 logical
	/// cores, 8 TiB of memory, 4 PiB of SSD, 8 PiB of HDD. Each is above the largest single
	/// servers sold in 2026 and far below what would break the reward arithmetic.
	pub const PLAUSIBLE_MAX: Resources =
		Resources { cru: 1_024, mru: 8 * TIB, sru: 4_096 * TIB, hru: 8_192 * TIB };

	/// `Ok` when every minimum is met.
	pub fn check_minimum(&self) -> Result<(), ResourcesError> {
		if self.cru < Self::MIN_CRU {
			return Err(ResourcesError::TooFewCores);
		}
		if self.mru < Self::MIN_MRU {
			return Err(ResourcesError::TooLittleMemory);
		}
		if self.sru < Self::MIN_SRU && self.hru < Self::MIN_HRU_HDD_ONLY {
			return Err(ResourcesError::TooLittleStorage);
		}
		Ok(())
	}

	/// `Ok` when no resource is above `max`'s.
	pub fn check_at_most(&self, max: &Resources) -> Result<(), ResourcesError> {
		if self.cru > max.cru {
			return Err(ResourcesError::TooManyCores);
		}
		if self.mru > max.mru {
			return Err(ResourcesError::TooMuchMemory);
		}
		if self.sru > max.sru {
			return Err(ResourcesError::TooMuchSsd);
		}
		if self.hru > max.hru {
			return Err(ResourcesError::TooMuchHdd);
		}
		Ok(())
	}

	/// Whether every resource of `self` is at least that of `other` (`other` fits in `self`).
	pub fn covers(&self, other: &Resources) -> bool {
		self.cru >= other.cru
			&& self.mru >= other.mru
			&& self.sru >= other.sru
			&& self.hru >= other.hru
	}

	/// The sum of both, or `None` when a resource would overflow.
	pub fn checked_add(&self, other: &Resources) -> Option<Resources> {
		Some(Resources {
			cru: self.cru.checked_add(other.cru)?,
			mru: self.mru.checked_add(other.mru)?,
			sru: self.sru.checked_add(other.sru)?,
			hru: self.hru.checked_add(other.hru)?,
		})
	}

	/// `self` minus `other`, or `None` when `other` does not fit in `self`.
	pub fn checked_sub(&self, other: &Resources) -> Option<Resources> {
		Some(Resources {
			cru: self.cru.checked_sub(other.cru)?,
			mru: self.mru.checked_sub(other.mru)?,
			sru: self.sru.checked_sub(other.sru)?,
			hru: self.hru.checked_sub(other.hru)?,
		})
	}

	/// `true` when any dimension of `new` differs from `self` by more than `percent` % of
	/// `self`'s value (exact integer comparison; any change from 0 counts).
	pub fn changed_by_more_than(&self, new: &Resources, percent: u64) -> bool {
		let pairs =
			[(self.cru, new.cru), (self.mru, new.mru), (self.sru, new.sru), (self.hru, new.hru)];
		pairs.iter().any(|&(old, new)| {
			let diff = u128::from(old.abs_diff(new));
			diff.saturating_mul(100) > u128::from(old).saturating_mul(u128::from(percent))
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn minimums() {
		assert_eq!(Resources::MINIMUM.check_minimum(), Ok(()));
		let r = Resources::MINIMUM;
		assert_eq!(Resources { cru: 0, ..r }.check_minimum(), Err(ResourcesError::TooFewCores));
		assert_eq!(
			Resources { mru: 2 * GIB - 1, ..r }.check_minimum(),
			Err(ResourcesError::TooLittleMemory)
		);
		assert_eq!(
			Resources { sru: 100 * GIB - 1, ..r }.check_minimum(),
			Err(ResourcesError::TooLittleStorage)
		);
	}

	#[test]
	fn hdd_only_storage_nodes_are_welcome() {
		let hdd_only = Resources::MINIMUM_HDD_ONLY;
		assert_eq!(hdd_only.check_minimum(), Ok(()));
		assert_eq!(
			Resources { sru: 40 * GIB, ..hdd_only }.check_minimum(),
			Ok(()),
			"a small SSD cache is fine"
		);
		assert_eq!(
			Resources { hru: TIB - 1, ..hdd_only }.check_minimum(),
			Err(ResourcesError::TooLittleStorage)
		);
	}

	#[test]
	fn plausibility_maximum() {
		let max = Resources::PLAUSIBLE_MAX;
		assert_eq!(max.check_at_most(&max), Ok(()));
		assert_eq!(
			Resources { cru: max.cru + 1, ..max }.check_at_most(&max),
			Err(ResourcesError::TooManyCores)
		);
		assert_eq!(
			Resources { mru: max.mru + 1, ..max }.check_at_most(&max),
			Err(ResourcesError::TooMuchMemory)
		);
		assert_eq!(
			Resources { sru: max.sru + 1, ..max }.check_at_most(&max),
			Err(ResourcesError::TooMuchSsd)
		);
		assert_eq!(
			Resources { hru: max.hru + 1, ..max }.check_at_most(&max),
			Err(ResourcesError::TooMuchHdd)
		);
		let absurd = Resources { cru: u64::MAX, mru: u64::MAX, sru: u64::MAX, hru: u64::MAX };
		assert!(absurd.check_at_most(&max).is_err());
	}

	#[test]
	fn covers_is_per_resource() {
		let node = Resources { cru: 8, mru: 32 * GIB, sru: 1024 * GIB, hru: 0 };
		assert!(node.covers(&node));
		assert!(node.covers(&Resources::default()));
		assert!(!node.covers(&Resources { cru: 9, ..node }));
		assert!(!node.covers(&Resources { hru: 1, ..Resources::default() }));
	}

	#[test]
	fn checked_arithmetic_is_per_resource() {
		let a = Resources { cru: 2, mru: 4, sru: 6, hru: 8 };
		let b = Resources { cru: 1, mru: 1, sru: 1, hru: 1 };
		assert_eq!(a.checked_add(&b), Some(Resources { cru: 3, mru: 5, sru: 7, hru: 9 }));
		assert_eq!(a.checked_sub(&b), Some(Resources { cru: 1, mru: 3, sru: 5, hru: 7 }));
		assert_eq!(b.checked_sub(&a), None);
		assert_eq!(Resources { hru: 0, ..a }.checked_sub(&b), None, "one short resource is enough");
		assert_eq!(Resources { mru: u64::MAX, ..a }.checked_add(&b), None);
	}

	#[test]
	fn cloud_units_follow_the_formula_exactly() {
		// 16 threads, 64 GiB, 1 TB SSD, 4 TB HDD (decimal terabytes).
		let node =
			Resources { cru: 16, mru: 64 * GIB, sru: 1_000_000_000_000, hru: 4_000_000_000_000 };
		// CU = min(32, 63/4 = 15.75, 931.32…/50 = 18.63…) = 15.75: memory bounds it.
		// SU = (5·4e12 + 24·1e12)·10^6 / (6000·2^30) = 44·10^18 / 6,442,450,944,000 = 6,829,698.8…
		assert_eq!(node.cloud_units(), CloudUnits { cu: 15_750_000, su: 6_829_698 });
		// Each bound can be the smallest one.
		let cores = Resources { cru: 1, ..node };
		assert_eq!(cores.cloud_units().cu, 2 * UNIT_SCALE);
		let ssd = Resources { sru: 100 * GIB, ..node };
		assert_eq!(ssd.cloud_units().cu, 2 * UNIT_SCALE, "100 GiB / 50");
		assert_eq!(
			Resources { mru: GIB / 2, ..node }.cloud_units().cu,
			0,
			"no memory left after the OS"
		);
		assert_eq!(Resources::MINIMUM_HDD_ONLY.cloud_units(), CloudUnits { cu: 0, su: 853_333 });
		// The plausibility maximum is far from overflowing.
		let max = Resources::PLAUSIBLE_MAX.cloud_units();
		assert_eq!(max.cu, 2_047_750_000, "(8,192 GiB − 1) / 4");
		assert!(max.su < u64::MAX / 1_000_000);
	}

	#[test]
	fn min_is_per_resource() {
		let a = Resources { cru: 1, mru: 9, sru: 3, hru: 7 };
		let b = Resources { cru: 4, mru: 2, sru: 8, hru: 7 };
		assert_eq!(a.min(&b), Resources { cru: 1, mru: 2, sru: 3, hru: 7 });
	}

	#[test]
	fn one_percent_change() {
		let old = Resources { cru: 100, mru: 100 * GIB, sru: 1000 * GIB, hru: 0 };
		assert!(!old.changed_by_more_than(&old, 1));
		// exactly 1 % is not "more than"
		assert!(!old.changed_by_more_than(&Resources { cru: 101, ..old }, 1));
		assert!(old.changed_by_more_than(&Resources { cru: 102, ..old }, 1));
		assert!(old.changed_by_more_than(&Resources { mru: 98 * GIB, ..old }, 1));
		assert!(
			old.changed_by_more_than(&Resources { hru: 1, ..old }, 1),
			"any HDD where there was none"
		);
		let max = Resources { cru: u64::MAX, mru: u64::MAX, sru: u64::MAX, hru: u64::MAX };
		assert!(!max.changed_by_more_than(&max, 1), "no overflow at the extremes");
		assert!(max.changed_by_more_than(&Resources::default(), 1));
	}
}
