//! What this pallet answers and is told through the traits in `grid-primitives`: the
//! registry's observer and usage oracle, billing's contract lifecycle, and network usage.

use crate::{pallet::*, types::*, Config, WeightInfo};
use frame::{deps::sp_runtime::Percent, prelude::*};
use grid_primitives::{
	contracts::{
		Billable, BillableKind, ContractLifecycle, ContractObserver, EndCause, NetworkUsage,
		ProviderId,
	},
	net::Ipv4,
	registry::{ContractId, FarmId, GridRegistry, NodeId, NodeUsage, RegistryObserver, TwinId},
	resources::Resources,
};

impl<T: Config> RegistryObserver<BlockNumberFor<T>> for Pallet<T> {
	fn node_removed(node: NodeId) -> Weight {
		let ended = Self::end_all_on_node(node);
		T::WeightInfo::node_removed(ended)
			.saturating_add(T::Billing::max_weight().saturating_mul(ended.into()))
	}

	fn node_removed_max_weight() -> Weight {
		// Every node contract, plus the rent contract.
		let most = T::MaxContractsPerNode::get().saturating_add(1);
		T::WeightInfo::node_removed(most)
			.saturating_add(T::Billing::max_weight().saturating_mul(most.into()))
	}

	// Power changes need no bookkeeping here; billing will follow them itself.

	fn ip_force_released(_farm: FarmId, _ip: Ipv4, contract: ContractId) {
		// The contract cannot keep its deployment without the address: it ends.
		if let Err(e) = Self::end_contract(contract, EndCause::Farmer) {
			log::error!(target: "runtime::capacity", "contract {contract} kept a lost IP: {e:?}");
		}
	}

	fn ip_force_released_max_weight() -> Weight {
		Self::end_weight(0)
	}
}

impl<T: Config> NodeUsage for Pallet<T> {
	fn node_has_active_contracts(node: NodeId) -> bool {
		Self::node_in_use(node)
	}

	fn twin_has_contracts(twin: TwinId) -> bool {
		TwinContractCount::<T>::get(twin) > 0
	}

	fn reserved_capacity(node: NodeId) -> Resources {
		if RentOf::<T>::contains_key(node) {
			// A rented node is sold whole: it may grow, not shrink.
			return T::Registry::node(node).map(|n| n.resources).unwrap_or_default();
		}
		NodeLoads::<T>::get(node).reserved
	}

	fn query_weight() -> Weight {
		// At most: the rent index, the node load, and the registry's node.
		T::DbWeight::get().reads(3)
	}
}

impl<T: Config> ContractLifecycle<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn billable(contract: ContractId) -> Option<Billable<T::AccountId, BlockNumberFor<T>>> {
		let c = Contracts::<T>::get(contract)?;
		let kind = match &c.kind {
			ContractKind::Node(n) => BillableKind::Node {
				node_id: n.node_id,
				resources: n.resources,
				public_ips: n.public_ips.len() as u32,
				rented: RentOf::<T>::contains_key(n.node_id),
			},
			ContractKind::Rent { node_id, resources, extra_fee } => BillableKind::Rent {
				node_id: *node_id,
				resources: *resources,
				extra_fee: *extra_fee,
			},
			ContractKind::Name { .. } => BillableKind::Name,
		};
		Some(Billable {
			twin_id: c.twin_id,
			payer: c.payer,
			kind,
			state: c.state,
			solution_provider: c.solution_provider,
		})
	}

	fn provider_shares(provider: ProviderId) -> alloc::vec::Vec<(T::AccountId, Percent)> {
		Providers::<T>::get(provider)
			.filter(|p| p.approved)
			.map(|p| p.shares.into_iter().map(|(a, s)| (a, Percent::from_percent(s))).collect())
			.unwrap_or_default()
	}

	fn extra_fee(node: NodeId) -> grid_primitives::money::Musd {
		ExtraFees::<T>::get(node).unwrap_or_default()
	}

	fn start_grace(contract: ContractId) -> DispatchResult {
		Self::do_start_grace(contract)
	}

	fn end_grace(contract: ContractId) -> DispatchResult {
		Self::do_end_grace(contract)
	}

	fn end_contract(contract: ContractId, cause: EndCause) -> DispatchResult {
		Self::end_contract(contract, cause).map(|_| ())
	}

	fn lifecycle_max_weight() -> Weight {
		let most = T::MaxContractsPerNode::get();
		Self::end_weight(most).max(T::WeightInfo::start_grace(most))
	}

	fn grace_weight(contracts: u32) -> Weight {
		// A call that moves one contract and carries one costs at least what moving one costs.
		T::WeightInfo::start_grace(1).saturating_mul(contracts.into())
	}

	fn end_weight(contracts: u32) -> Weight {
		Self::end_weight(1).saturating_mul(contracts.into())
	}
}

impl<T: Config> NetworkUsage for Pallet<T> {
	fn contract_traffic(contract: ContractId) -> u64 {
		ContractUsages::<T>::get(contract).map(|u| u.traffic_bytes).unwrap_or(0)
	}

	fn query_weight() -> Weight {
		T::DbWeight::get().reads(1)
	}
}

// Benchmark setup: a failure here is a broken benchmark and must stop it loudly.
#[cfg(feature = "runtime-benchmarks")]
#[allow(clippy::expect_used, clippy::indexing_slicing)]
impl<T: Config> grid_primitives::contracts::ContractsBenchmarking<T::AccountId> for Pallet<T> {
	fn node_contract(
		owner: &T::AccountId,
		node: NodeId,
		resources: Resources,
		public_ips: u32,
		with_provider: bool,
	) -> ContractId {
		use frame::traits::fungible::Mutate;
		let deposits = T::ContractDeposit::get().saturating_add(T::ProviderDeposit::get());
		let _ = T::Currency::mint_into(owner, deposits.saturating_mul(2u32.into()));
		let provider = with_provider.then(|| {
			let shares = (0..MAX_PROVIDER_ACCOUNTS)
				.map(|i| {
					(frame::benchmarking::prelude::account::<T::AccountId>("share", i, 0), 10u8)
				})
				.collect::<alloc::vec::Vec<_>>();
			let id = Self::do_create_solution_provider(
				owner,
				BoundedVec::truncate_from(alloc::vec![b'p'; 16]),
				BoundedVec::truncate_from(shares),
			)
			.expect("benchmark provider");
			Self::do_approve_solution_provider(id, true).expect("approve");
			id
		});
		let seed = LastContractId::<T>::get().saturating_add(1);
		let mut hash = [0xcd; 32];
		hash[..8].copy_from_slice(&seed.to_le_bytes());
		let d = crate::contracts::Deployment {
			node_id: node,
			deployment_hash: hash,
			deployment_data: Default::default(),
			resources,
			public_ips,
		};
		Self::do_create_node_contract(owner, d, provider).expect("benchmark contract")
	}
}
