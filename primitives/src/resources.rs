//! Node capacity: what a Zero-OS machine offers to the grid.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// 2^30 bytes.
pub const GIB: u64 = 1 << 30;

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

/// Which minimum a node's capacity misses.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ResourcesError {
	/// Fewer than [`Resources::MIN_CRU`] cores.
	TooFewCores,
	/// Less than [`Resources::MIN_MRU`] of memory.
	TooLittleMemory,
	/// Less than [`Resources::MIN_SRU`] of SSD.
	TooLittleSsd,
}

impl Resources {
	/// A node needs at least one core, 2 GiB of memory and 100 GiB of SSD (no HDD minimum).
	pub const MIN_CRU: u64 = 1;
	pub const MIN_MRU: u64 = 2 * GIB;
	pub const MIN_SRU: u64 = 100 * GIB;

	/// The smallest node the grid accepts.
	pub const MINIMUM: Resources =
		Resources { cru: Self::MIN_CRU, mru: Self::MIN_MRU, sru: Self::MIN_SRU, hru: 0 };

	/// `Ok` when every minimum is met.
	pub fn check_minimum(&self) -> Result<(), ResourcesError> {
		if self.cru < Self::MIN_CRU {
			return Err(ResourcesError::TooFewCores);
		}
		if self.mru < Self::MIN_MRU {
			return Err(ResourcesError::TooLittleMemory);
		}
		if self.sru < Self::MIN_SRU {
			return Err(ResourcesError::TooLittleSsd);
		}
		Ok(())
	}

	/// `true` when any dimension of `new` differs from `self` by more than `percent` % of
	/// `self`'s value (exact integer comparison; any change from 0 counts).
	pub fn changed_by_more_than(&self, new: &Resources, percent: u64) -> bool {
		let pairs =
			[(self.cru, new.cru), (self.mru, new.mru), (self.sru, new.sru), (self.hru, new.hru)];
		pairs.iter().any(|&(old, new)| {
			let diff = u128::from(old.abs_diff(new));
			diff * 100 > u128::from(old) * u128::from(percent)
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
			Err(ResourcesError::TooLittleSsd)
		);
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
