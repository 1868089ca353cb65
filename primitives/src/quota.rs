//! A budget of free actions per window of blocks, for calls that are free when used sparingly.
//!
//! A free call still costs the chain a block's space. [`FreeQuota`] lets each caller make at
//! most `max` free calls per window of `window` blocks; callers decide what happens beyond it
//! (the call pays its fee, or is refused).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::traits::AtLeast32BitUnsigned;

/// Free uses taken in the window that started at `window_start`.
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
pub struct FreeQuota<BlockNumber> {
	/// First block of the current window.
	pub window_start: BlockNumber,
	/// Free uses taken since `window_start`.
	pub used: u32,
}

impl<B: AtLeast32BitUnsigned + Copy> FreeQuota<B> {
	/// Takes one free use at block `now` and returns `true`, or returns `false` (changing
	/// nothing) when `max` were already taken in the current window. A window lasts `window`
	/// blocks from the first use after the previous window ended (or the first use ever).
	pub fn try_take(&mut self, now: B, window: B, max: u32) -> bool {
		let expired = now < self.window_start || now.saturating_sub(self.window_start) >= window;
		if self.used == 0 || expired {
			*self = Self { window_start: now, used: 0 };
		}
		if self.used >= max {
			return false;
		}
		self.used = self.used.saturating_add(1);
		true
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn at_most_max_uses_per_window() {
		let mut quota = FreeQuota::<u32>::default();
		assert!(quota.try_take(10, 100, 2));
		assert!(quota.try_take(50, 100, 2));
		let spent = quota;
		assert!(!quota.try_take(109, 100, 2), "third use in the window starting at 10");
		assert_eq!(quota, spent, "a refused use changes nothing");
		// The window [10, 110) is over at block 110: a new one starts there.
		assert!(quota.try_take(110, 100, 2));
		assert_eq!(quota, FreeQuota { window_start: 110, used: 1 });
	}

	#[test]
	fn no_free_use_when_max_is_zero_and_no_overflow_at_the_end_of_time() {
		let mut quota = FreeQuota::<u32>::default();
		assert!(!quota.try_take(5, 10, 0));
		let mut late = FreeQuota { window_start: u32::MAX - 1, used: 0 };
		assert!(late.try_take(u32::MAX, 10, 1));
		assert!(!late.try_take(u32::MAX, 10, 1));
	}
}
