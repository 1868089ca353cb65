//! Weights of the registry's calls.
//!
//! PLACEHOLDER until the benchmarks are run with the benchmark CLI (see the README): storage
//! accesses are counted by hand and ref_time is a conservative 50 µs per call plus 1 µs per
//! item where a component varies.

#![allow(unused_parens, unused_imports)]

use frame::weights_prelude::*;

pub trait WeightInfo {
	fn accept_terms() -> Weight;
	fn create_twin() -> Weight;
	fn update_twin() -> Weight;
	fn delete_twin() -> Weight;
	fn create_farm() -> Weight;
	fn rename_farm() -> Weight;
	fn set_farm_payout() -> Weight;
	fn set_node_policy() -> Weight;
	fn admit_node() -> Weight;
	fn revoke_node() -> Weight;
	fn add_farm_ip(n: u32) -> Weight;
	fn remove_farm_ip(n: u32) -> Weight;
	fn delete_farm(i: u32, a: u32) -> Weight;
	fn set_farm_certification() -> Weight;
	fn set_farm_dedicated() -> Weight;
	fn force_release_farm_ip(n: u32) -> Weight;
	fn register_node() -> Weight;
	fn update_node() -> Weight;
	fn set_node_public_config() -> Weight;
	fn delete_node() -> Weight;
	fn set_power_target() -> Weight;
	fn report_power_state() -> Weight;
	fn set_node_certification() -> Weight;
	fn add_node_certifier() -> Weight;
	fn remove_node_certifier() -> Weight;
	fn set_connection_price() -> Weight;
	fn set_zos_version() -> Weight;
}

/// Weights for the runtime, priced with its `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn accept_terms() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn create_twin() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn update_twin() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn delete_twin() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn create_farm() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn rename_farm() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn set_farm_payout() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn set_node_policy() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn admit_node() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn revoke_node() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn add_farm_ip(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
			.saturating_add(Weight::from_parts(1_000_000, 64).saturating_mul(n.into()))
	}
	fn remove_farm_ip(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
			.saturating_add(Weight::from_parts(1_000_000, 64).saturating_mul(n.into()))
	}
	fn delete_farm(i: u32, a: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
			.saturating_add(Weight::from_parts(1_000_000, 64).saturating_mul(i.into()))
			.saturating_add(Weight::from_parts(1_000_000, 64).saturating_mul(a.into()))
	}
	fn set_farm_certification() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn set_farm_dedicated() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn force_release_farm_ip(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
			.saturating_add(Weight::from_parts(1_000_000, 64).saturating_mul(n.into()))
	}
	fn register_node() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn update_node() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn set_node_public_config() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn delete_node() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn set_power_target() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn report_power_state() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn set_node_certification() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn add_node_certifier() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn remove_node_certifier() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn set_connection_price() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
	fn set_zos_version() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(6, 6))
	}
}

impl WeightInfo for () {
	fn accept_terms() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn create_twin() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn update_twin() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn delete_twin() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn create_farm() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn rename_farm() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn set_farm_payout() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn set_node_policy() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn admit_node() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn revoke_node() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn add_farm_ip(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
			.saturating_add(Weight::from_parts(1_000_000, 64).saturating_mul(n.into()))
	}
	fn remove_farm_ip(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
			.saturating_add(Weight::from_parts(1_000_000, 64).saturating_mul(n.into()))
	}
	fn delete_farm(i: u32, a: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
			.saturating_add(Weight::from_parts(1_000_000, 64).saturating_mul(i.into()))
			.saturating_add(Weight::from_parts(1_000_000, 64).saturating_mul(a.into()))
	}
	fn set_farm_certification() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn set_farm_dedicated() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn force_release_farm_ip(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
			.saturating_add(Weight::from_parts(1_000_000, 64).saturating_mul(n.into()))
	}
	fn register_node() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn update_node() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn set_node_public_config() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn delete_node() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn set_power_target() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn report_power_state() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn set_node_certification() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn add_node_certifier() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn remove_node_certifier() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn set_connection_price() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
	fn set_zos_version() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(RocksDbWeight::get().reads_writes(6, 6))
	}
}
