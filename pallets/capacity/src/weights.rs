//! Weights for `pallet_capacity`: PROVISIONAL until `scripts/bench.sh pallet_capacity`
//! regenerates this file from its benchmarks (`benchmarking.rs`).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame::weights_prelude::*;

/// The weight of each call of `pallet_capacity`.
pub trait WeightInfo {
	fn create_node_contract(i: u32, ) -> Weight;
	fn update_node_contract() -> Weight;
	fn cancel_contract() -> Weight;
	fn create_rent_contract() -> Weight;
	fn create_name_contract() -> Weight;
	fn set_extra_fee() -> Weight;
	fn report_usage(n: u32, ) -> Weight;
	fn create_solution_provider() -> Weight;
	fn approve_solution_provider() -> Weight;
	fn remove_solution_provider() -> Weight;
	fn attach_solution_provider() -> Weight;
	fn force_end_contract(c: u32, ) -> Weight;
	fn node_removed(c: u32, ) -> Weight;
	fn start_grace(c: u32, ) -> Weight;
}

/// Weights for the runtime, priced with the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_node_contract(i: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(10))
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(i.into()))
			.saturating_add(T::DbWeight::get().reads_writes(4, 6).saturating_mul(i.into()))
	}
	fn update_node_contract() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn cancel_contract() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn create_rent_contract() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn create_name_contract() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn set_extra_fee() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn report_usage(n: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(10))
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(4, 6).saturating_mul(n.into()))
	}
	fn create_solution_provider() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn approve_solution_provider() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn remove_solution_provider() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn attach_solution_provider() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn force_end_contract(c: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(10))
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads_writes(4, 6).saturating_mul(c.into()))
	}
	fn node_removed(c: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(10))
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads_writes(4, 6).saturating_mul(c.into()))
	}
	fn start_grace(c: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().writes(10))
			.saturating_add(Weight::from_parts(20_000_000, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads_writes(4, 6).saturating_mul(c.into()))
	}
}

// For tests.
impl WeightInfo for () {
	fn create_node_contract(i: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_mul((i as u64).saturating_add(1))
	}
	fn update_node_contract() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
	}
	fn cancel_contract() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
	}
	fn create_rent_contract() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
	}
	fn create_name_contract() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
	}
	fn set_extra_fee() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
	}
	fn report_usage(n: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_mul((n as u64).saturating_add(1))
	}
	fn create_solution_provider() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
	}
	fn approve_solution_provider() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
	}
	fn remove_solution_provider() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
	}
	fn attach_solution_provider() -> Weight {
		Weight::from_parts(100_000_000, 10_000)
	}
	fn force_end_contract(c: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_mul((c as u64).saturating_add(1))
	}
	fn node_removed(c: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_mul((c as u64).saturating_add(1))
	}
	fn start_grace(c: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 10_000).saturating_mul((c as u64).saturating_add(1))
	}
}
