
//! Weights for `pallet_billing`: provisional until `scripts/bench.sh pallet_billing` measures
//! them on this machine (it rewrites this file).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame::weights_prelude::*;

/// The weight of each call and hook of `pallet_billing`.
pub trait WeightInfo {
	fn charge_idle() -> Weight;
	fn charge_start() -> Weight;
	fn charge_payer(c: u32, ) -> Weight;
	fn pay_debt(c: u32, ) -> Weight;
	fn commit() -> Weight;
	fn request_release() -> Weight;
	fn release() -> Weight;
	fn set_policy() -> Weight;
	fn set_params() -> Weight;
	fn settle() -> Weight;
	fn contract_created() -> Weight;
	fn contract_ended() -> Weight;
}

/// Weights for the runtime, priced with the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn charge_idle() -> Weight {
		Weight::from_parts(3_000_000, 1_500).saturating_add(T::DbWeight::get().reads(1))
	}
	fn charge_start() -> Weight {
		Weight::from_parts(20_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	fn charge_payer(c: u32, ) -> Weight {
		Weight::from_parts(80_000_000, 6_000)
			.saturating_add(Weight::from_parts(60_000_000, 12_000).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().reads((10_u64).saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes(5))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(c.into())))
	}
	fn pay_debt(c: u32, ) -> Weight {
		Weight::from_parts(80_000_000, 6_000)
			.saturating_add(Weight::from_parts(60_000_000, 12_000).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().reads((10_u64).saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes(5))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(c.into())))
	}
	fn commit() -> Weight {
		Weight::from_parts(40_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn request_release() -> Weight {
		Weight::from_parts(20_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn release() -> Weight {
		Weight::from_parts(40_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn set_policy() -> Weight {
		Weight::from_parts(15_000_000, 2_000)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn set_params() -> Weight {
		Weight::from_parts(10_000_000, 1_000)
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn settle() -> Weight {
		Weight::from_parts(150_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(24))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn contract_created() -> Weight {
		Weight::from_parts(30_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn contract_ended() -> Weight {
		Weight::from_parts(30_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(3))
	}
}

impl WeightInfo for () {
	fn charge_idle() -> Weight { Weight::from_parts(1, 0) }
	fn charge_start() -> Weight { Weight::from_parts(1, 0) }
	fn charge_payer(c: u32, ) -> Weight { Weight::from_parts(10, 0).saturating_mul((c + 1).into()) }
	fn pay_debt(c: u32, ) -> Weight { Weight::from_parts(10, 0).saturating_mul((c + 1).into()) }
	fn commit() -> Weight { Weight::from_parts(1, 0) }
	fn request_release() -> Weight { Weight::from_parts(1, 0) }
	fn release() -> Weight { Weight::from_parts(1, 0) }
	fn set_policy() -> Weight { Weight::from_parts(1, 0) }
	fn set_params() -> Weight { Weight::from_parts(1, 0) }
	fn settle() -> Weight { Weight::from_parts(1, 0) }
	fn contract_created() -> Weight { Weight::from_parts(1, 0) }
	fn contract_ended() -> Weight { Weight::from_parts(1, 0) }
}
