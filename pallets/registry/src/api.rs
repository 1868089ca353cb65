//! The registry as other pallets see it (traits from `grid-primitives`).

use crate::{pallet::*, Config};
use frame::prelude::*;
use grid_primitives::registry::{
	AssignedIp, ContractId, FarmId, FarmInfo, GridRegistry, NodeId, NodeInfo, PublicIpPool, TwinId,
};

impl<T: Config> GridRegistry<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn twin_of(who: &T::AccountId) -> Option<TwinId> {
		TwinByAccount::<T>::get(who)
	}

	fn twin_account(twin: TwinId) -> Option<T::AccountId> {
		Twins::<T>::get(twin).map(|t| t.account)
	}

	fn node(node: NodeId) -> Option<NodeInfo<BlockNumberFor<T>>> {
		Nodes::<T>::get(node).map(|n| NodeInfo {
			farm_id: n.farm_id,
			twin_id: n.twin_id,
			resources: n.spec.resources,
			power: n.power,
			certification: n.certificate.level(),
			connection_price: n.connection_price,
			virtualized: n.spec.virtualized,
		})
	}

	fn node_of_twin(twin: TwinId) -> Option<NodeId> {
		NodeByTwin::<T>::get(twin)
	}

	fn farm(farm: FarmId) -> Option<FarmInfo<T::AccountId>> {
		Farms::<T>::get(farm).map(|f| FarmInfo {
			twin_id: f.twin_id,
			payout: f.payout,
			certification: f.certification,
			dedicated: f.dedicated,
		})
	}
}

impl<T: Config> PublicIpPool for Pallet<T> {
	fn reserve_ips(
		farm: FarmId,
		contract: ContractId,
		count: u32,
	) -> Result<alloc::vec::Vec<AssignedIp>, DispatchError> {
		Self::do_reserve_ips(farm, contract, count)
	}

	fn release_ips(farm: FarmId, contract: ContractId) -> u32 {
		Self::do_release_ips(farm, contract)
	}

	fn reserved_by(farm: FarmId, contract: ContractId) -> alloc::vec::Vec<AssignedIp> {
		FarmPublicIps::<T>::get(farm).reserved_by(contract)
	}

	fn all_reservations() -> alloc::vec::Vec<(FarmId, ContractId)> {
		FarmPublicIps::<T>::iter()
			.flat_map(|(farm, pool)| {
				pool.ips.into_iter().filter_map(move |ip| ip.contract.map(|c| (farm, c)))
			})
			.collect()
	}
}
