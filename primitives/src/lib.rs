//! Types shared by the Gridchain runtime, its pallets, the node and clients.
//!
//! One definition of the chain's basic types and of the TFT token's units, so that a pallet,
//! the node and an off-chain client never disagree on what an amount or an account is.

#![cfg_attr(not(feature = "std"), no_std)]
// Tests may panic and index: they are not the runtime.
#![cfg_attr(
	test,
	allow(
		clippy::arithmetic_side_effects,
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::indexing_slicing
	)
)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
pub mod contracts;
pub mod governance;
pub mod liveness;
pub mod money;
pub mod net;
pub mod quota;
pub mod registry;
pub mod resources;

use sp_runtime::{
	traits::{IdentifyAccount, Verify},
	MultiSignature,
};

/// Block number: a `u32` lasts 800 years at 6-second blocks.
pub type BlockNumber = u32;
/// Signatures: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;
/// An account: the public key behind a [`Signature`] (SS58 prefix [`SS58_PREFIX`]).
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// An amount of TFT in planck (see [`tft`]).
pub type Balance = u128;
/// Transaction counter of an account.
pub type Nonce = u32;
/// Block and state hashes.
pub type Hash = sp_core::H256;
/// Milliseconds since the Unix epoch.
pub type Moment = u64;

/// SS58 address prefix (the generic Substrate prefix).
pub const SS58_PREFIX: u16 = 42;

/// Whether no item appears twice in `items` (for bounded lists: sorts a copy).
pub fn all_distinct<T: Ord + Clone>(items: &[T]) -> bool {
	let mut sorted = items.to_vec();
	sorted.sort();
	sorted.windows(2).all(|pair| !matches!(pair, [a, b] if a == b))
}

/// TFT, the native token: 7 decimals, as on the ThreeFold chains.
pub mod tft {
	use super::Balance;

	/// Ticker shown by wallets.
	pub const SYMBOL: &str = "TFT";
	/// Decimal places: 1 TFT = 10^7 planck.
	pub const DECIMALS: u8 = 7;
	/// One TFT in planck.
	pub const UNIT: Balance = 10_000_000;
	/// 0.001 TFT.
	pub const MILLI: Balance = UNIT / 1_000;
	/// 0.000001 TFT.
	pub const MICRO: Balance = UNIT / 1_000_000;
}

/// Block timing: 6-second blocks.
pub mod time {
	use super::BlockNumber;

	/// Target block time; Aura slots have this length.
	pub const MILLISECS_PER_BLOCK: u64 = 6_000;
	/// Aura's slot length in milliseconds: one block per slot.
	pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;
	/// Blocks in a minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
	/// Blocks in an hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks in a day.
	pub const DAYS: BlockNumber = HOURS * 24;
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn token_units_match_seven_decimals() {
		assert_eq!(tft::UNIT, 10u128.pow(tft::DECIMALS as u32));
		assert_eq!(tft::MILLI * 1_000, tft::UNIT);
		assert_eq!(tft::MICRO * 1_000_000, tft::UNIT);
	}

	#[test]
	fn distinct_items() {
		assert!(all_distinct::<u8>(&[]));
		assert!(all_distinct(&[3, 1, 2]));
		assert!(!all_distinct(&[3, 1, 3]));
	}

	#[test]
	fn ten_blocks_per_minute() {
		assert_eq!(time::MINUTES, 10);
		assert_eq!(time::HOURS, 600);
		assert_eq!(time::DAYS, 14_400);
	}
}
