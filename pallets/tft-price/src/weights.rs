//! Weights for `pallet_tft_price`. Placeholder until `scripts/bench.sh pallet_tft_price` runs.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame::weights_prelude::*;

/// The weight of each call of `pallet_tft_price`.
pub trait WeightInfo {
	fn authorize_submit_price() -> Weight;
	fn submit_price() -> Weight;
	fn block_without_close() -> Weight;
	fn close_window(s: u32, p: u32, ) -> Weight;
	fn add_feeder() -> Weight;
	fn remove_feeder() -> Weight;
	fn set_params() -> Weight;
	fn force_price(p: u32, ) -> Weight;
}

/// Weights for the runtime, priced with the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn authorize_submit_price() -> Weight { Weight::from_parts(80_000_000, 4000).saturating_add(T::DbWeight::get().reads(3)) }
	fn submit_price() -> Weight { Weight::from_parts(40_000_000, 4000).saturating_add(T::DbWeight::get().reads(3)).saturating_add(T::DbWeight::get().writes(1)) }
	fn block_without_close() -> Weight { Weight::from_parts(5_000_000, 2000).saturating_add(T::DbWeight::get().reads(2)) }
	fn close_window(s: u32, p: u32, ) -> Weight { Weight::from_parts(40_000_000, 4000).saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(s.into())).saturating_add(T::DbWeight::get().reads(6)).saturating_add(T::DbWeight::get().writes(5)).saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(p.into()))).saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into()))) }
	fn add_feeder() -> Weight { Weight::from_parts(20_000_000, 2000).saturating_add(T::DbWeight::get().reads(1)).saturating_add(T::DbWeight::get().writes(1)) }
	fn remove_feeder() -> Weight { Weight::from_parts(20_000_000, 2000).saturating_add(T::DbWeight::get().reads(3)).saturating_add(T::DbWeight::get().writes(2)) }
	fn set_params() -> Weight { Weight::from_parts(20_000_000, 2000).saturating_add(T::DbWeight::get().reads(2)).saturating_add(T::DbWeight::get().writes(2)) }
	fn force_price(p: u32, ) -> Weight { Weight::from_parts(20_000_000, 2000).saturating_add(T::DbWeight::get().reads(3)).saturating_add(T::DbWeight::get().writes(4)).saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into()))) }
}

impl WeightInfo for () {
	fn authorize_submit_price() -> Weight { Weight::zero() }
	fn submit_price() -> Weight { Weight::zero() }
	fn block_without_close() -> Weight { Weight::zero() }
	fn close_window(_s: u32, _p: u32, ) -> Weight { Weight::zero() }
	fn add_feeder() -> Weight { Weight::zero() }
	fn remove_feeder() -> Weight { Weight::zero() }
	fn set_params() -> Weight { Weight::zero() }
	fn force_price(_p: u32, ) -> Weight { Weight::zero() }
}
