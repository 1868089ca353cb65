//! Weights for `pallet_validator_set`.
//!
//! STATUS: estimated, not yet measured on reference hardware. Storage access is counted
//! from the code (exact); the `ref_time` terms are conservative upper estimates (a linear
//! scan of up to `MaxValidators` 32-byte accounts). Replace this file with measured weights by
//! running the `benchmarking.rs` benchmarks through `frame-omni-bencher` on a runtime built
//! with `--features runtime-benchmarks` (command in the README, "Development notes").

#![allow(unused_parens, unused_imports)]

use core::marker::PhantomData;
use frame::weights_prelude::*;

pub trait WeightInfo {
	fn add_validator(n: u32) -> Weight;
	fn remove_validator(n: u32) -> Weight;
	fn set_session_length() -> Weight;
}

/// Weights for the runtime, priced with the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Session::NextKeys` (r:1), `ValidatorSet::Validators` (r:1 w:1),
	/// `ValidatorSet::SetChanged` (w:1). `n` is the size of the set before the call.
	fn add_validator(n: u32) -> Weight {
		Weight::from_parts(20_000_000, 3_000)
			.saturating_add(Weight::from_parts(60_000, 32).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: `ValidatorSet::Validators` (r:1 w:1), `ValidatorSet::SetChanged` (w:1).
	fn remove_validator(n: u32) -> Weight {
		Weight::from_parts(18_000_000, 1_500)
			.saturating_add(Weight::from_parts(60_000, 32).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: `ValidatorSet::Schedule` (r:1 w:1).
	fn set_session_length() -> Weight {
		Weight::from_parts(12_000_000, 1_500)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
}

/// For tests: the same shape, priced with `RocksDbWeight`.
impl WeightInfo for () {
	fn add_validator(n: u32) -> Weight {
		Weight::from_parts(20_000_000, 3_000)
			.saturating_add(Weight::from_parts(60_000, 32).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn remove_validator(n: u32) -> Weight {
		Weight::from_parts(18_000_000, 1_500)
			.saturating_add(Weight::from_parts(60_000, 32).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(2))
	}
	fn set_session_length() -> Weight {
		Weight::from_parts(12_000_000, 1_500)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
}
