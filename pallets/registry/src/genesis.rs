//! Genesis: builds the configured grid through the same `do_*` code the calls use.

use crate::{pallet::*, types::*, Config};
use frame::prelude::*;
use grid_primitives::resources::Resources;

pub(crate) fn build<T: Config>(config: &GenesisConfig<T>) {
	if let Some(max) = config.max_node_resources {
		Pallet::<T>::do_set_max_node_resources(max).unwrap_or_else(|e| fail("max resources", e));
	}
	for who in &config.twins {
		Pallet::<T>::do_create_twin(who, Default::default(), None)
			.unwrap_or_else(|e| fail("twin", e));
	}
	for (owner, name, open) in &config.farms {
		let name = FarmName::try_from(name.as_bytes().to_vec())
			.unwrap_or_else(|_| fail("farm name too long", name));
		let id = Pallet::<T>::do_create_farm(owner, name).unwrap_or_else(|e| fail("farm", e));
		if *open {
			Pallet::<T>::do_set_node_policy(owner, id, NodePolicy::Open)
				.unwrap_or_else(|e| fail("farm policy", e));
		}
	}
	for (farm, ip, gateway) in &config.farm_ips {
		let owner = Pallet::<T>::farm_owner_account(*farm)
			.unwrap_or_else(|| fail("farm ip", Error::<T>::FarmNotFound));
		Pallet::<T>::do_add_farm_ip(&owner, *farm, *ip, *gateway)
			.unwrap_or_else(|e| fail("farm ip", e));
	}
	if let Some(price) = config.connection_price {
		Pallet::<T>::do_set_connection_price(price).unwrap_or_else(|e| fail("connection price", e));
	}
	for (who, farm, resources) in &config.nodes {
		Pallet::<T>::do_register_node(who, *farm, spec(*resources))
			.unwrap_or_else(|e| fail("node", e));
	}
	for who in &config.node_certifiers {
		Pallet::<T>::do_add_node_certifier(who.clone()).unwrap_or_else(|e| fail("certifier", e));
	}
	let version = ZosVersion::try_from(config.zos_version.as_bytes().to_vec())
		.unwrap_or_else(|_| fail("zos version too long", &config.zos_version));
	if !version.is_empty() {
		Pallet::<T>::do_set_zos_version(version).unwrap_or_else(|e| fail("zos version", e));
	}
}

/// A bad preset must abort chain-spec building, so genesis failures panic (genesis only: no
/// call or hook reaches this).
fn fail<R>(what: &str, e: impl core::fmt::Debug) -> R {
	panic!("registry genesis: {what}: {e:?}")
}

/// A genesis node: the given capacity, unknown location, no interfaces.
fn spec(resources: Resources) -> NodeSpec {
	NodeSpec {
		resources,
		location: Location {
			city: BoundedVec::truncate_from(b"Unknown".to_vec()),
			country: BoundedVec::truncate_from(b"Unknown".to_vec()),
			coordinates: None,
		},
		interfaces: Default::default(),
		serial_number: None,
		secure_boot: false,
		virtualized: false,
	}
}
