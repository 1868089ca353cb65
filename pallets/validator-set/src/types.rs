//! Domain types of the validator set.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::arithmetic::{Permill, Saturating, UniqueSaturatedInto, Zero};
use scale_info::TypeInfo;

/// When sessions end: every `length` blocks, counted from `started_at`, the block at which the
/// current session began.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SessionSchedule<BlockNumber> {
	/// Session length in blocks, set at genesis and by governance.
	pub length: BlockNumber,
	/// Block at which the current session started (0 at genesis).
	pub started_at: BlockNumber,
}

impl<B: Copy + PartialOrd + Saturating + Zero + UniqueSaturatedInto<u64>> SessionSchedule<B> {
	/// A schedule of `length`-block sessions, the current one started at block `started_at`.
	pub fn new(length: B, started_at: B) -> Self {
		Self { length, started_at }
	}

	/// Whether `length` is within the configured bounds.
	pub fn length_within(&self, min: B, max: B) -> bool {
		self.length >= min && self.length <= max
	}

	/// The first block at which the current session is over.
	pub fn next_rotation(&self) -> B {
		self.started_at.saturating_add(self.length)
	}

	/// Whether the session must end at block `now`.
	pub fn is_due(&self, now: B) -> bool {
		now >= self.next_rotation()
	}

	/// How far the current session has run at `now`, saturating at 100 %.
	pub fn progress(&self, now: B) -> Permill {
		let length: u64 = self.length.unique_saturated_into();
		let elapsed: u64 = now.saturating_sub(self.started_at).unique_saturated_into();
		if length == 0 {
			return Permill::one();
		}
		Permill::from_rational(elapsed.min(length), length)
	}
}

/// An operator's application to validate, filed with `apply` and decided by governance.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Application<Description, Balance, BlockNumber> {
	/// Free text from the operator for the council: who runs the node, where, how to reach
	/// them (at most `MaxDescriptionLength` bytes).
	pub description: Description,
	/// Held from the applicant under `HoldReason::ValidatorBond` while the application is
	/// pending, and kept held while the applicant validates (0 when `MinBond` is 0 and the
	/// applicant offered none).
	pub bond: Balance,
	/// The block at which the application was filed.
	pub applied_at: BlockNumber,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn rotation_is_due_exactly_length_blocks_after_start() {
		let s = SessionSchedule::<u32>::new(10, 20);
		assert!(!s.is_due(29));
		assert!(s.is_due(30));
		assert!(s.is_due(31));
		assert_eq!(s.next_rotation(), 30);
	}

	#[test]
	fn progress_is_proportional_and_saturates() {
		let s = SessionSchedule::<u32>::new(10, 20);
		assert_eq!(s.progress(20), Permill::zero());
		assert_eq!(s.progress(25), Permill::from_percent(50));
		assert_eq!(s.progress(99), Permill::one());
		// a block number before the start (cannot happen on chain) does not underflow
		assert_eq!(s.progress(5), Permill::zero());
	}

	#[test]
	fn saturates_instead_of_overflowing() {
		let s = SessionSchedule::<u32>::new(10, u32::MAX - 3);
		assert_eq!(s.next_rotation(), u32::MAX);
		assert!(!s.is_due(u32::MAX - 1));
	}

	#[test]
	fn bounds_are_inclusive() {
		let s = SessionSchedule::<u32>::new(10, 0);
		assert!(s.length_within(10, 10));
		assert!(!s.length_within(11, 20));
		assert!(!s.length_within(1, 9));
	}
}
