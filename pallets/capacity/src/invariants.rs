//! `try_state`: capacity is never over-reserved, every index agrees with the contracts, IPs are
//! reserved exactly by live node contracts, per-node records (traffic allowances, extra fees,
//! last usage batches) belong to registered nodes, and the funds held are exactly the deposits.

use crate::{pallet::*, types::*, Config};
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame::{deps::sp_runtime::TryRuntimeError, prelude::*, traits::fungible::InspectHold};
use grid_primitives::registry::{GridRegistry, NodeId, PublicIpPool, TwinId};

impl<T: Config> Pallet<T> {
	/// Checks the invariants in the module docs; `Err` names the first one found broken.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let last = LastContractId::<T>::get();
		let mut per_twin = BTreeMap::<TwinId, u32>::new();
		let mut per_node = BTreeMap::<NodeId, NodeLoad>::new();
		let mut ipv4s = BTreeMap::<NodeId, u32>::new();
		let mut held = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		for (id, c) in Contracts::<T>::iter() {
			ensure!((1..=last).contains(&id), "contract id was never issued");
			ensure!(
				ContractsOfTwin::<T>::contains_key(c.twin_id, id),
				"twin index misses a contract"
			);
			let n = per_twin.entry(c.twin_id).or_default();
			*n = n.saturating_add(1);
			let h = held.entry(c.payer.clone()).or_default();
			*h = h.saturating_add(c.deposit);
			if let Some(p) = c.solution_provider {
				let issued = 1..=LastProviderId::<T>::get();
				ensure!(issued.contains(&p), "contract names a provider never issued");
			}
			match &c.kind {
				ContractKind::Node(n) => {
					ensure!(
						NodeContracts::<T>::contains_key(n.node_id, id),
						"node index misses a contract"
					);
					ensure!(
						ContractByHash::<T>::get(n.node_id, n.deployment_hash) == Some(id),
						"hash index disagrees"
					);
					ensure!(
						ContractUsages::<T>::contains_key(id),
						"node contract without usage record"
					);
					let load = per_node.entry(n.node_id).or_default();
					load.reserved =
						load.reserved.checked_add(&n.resources).ok_or("reservation overflows")?;
					load.contracts = load.contracts.saturating_add(1);
					let ips = ipv4s.entry(n.node_id).or_default();
					*ips = ips.saturating_add(n.public_ips.len() as u32);
					ensure!(
						T::IpPool::reserved_by(n.farm_id, id) == n.public_ips.to_vec(),
						"the farm's pool and the contract disagree on its IPs"
					);
					if let Some(rent) = RentOf::<T>::get(n.node_id) {
						let renter = Contracts::<T>::get(rent).map(|r| r.twin_id);
						ensure!(
							renter == Some(c.twin_id),
							"a rented node hosts another twin's contract"
						);
					}
				},
				ContractKind::Rent { node_id, extra_fee, .. } => {
					ensure!(RentOf::<T>::get(node_id) == Some(id), "rent index disagrees");
					// A rent's fees were within the ceiling when set; governance may lower it
					// since, which binds new fees and rents only.
					ensure!(
						extra_fee.increase.is_none_or(|i| i.fee > extra_fee.fee),
						"a pending fee increase that does not increase"
					);
				},
				ContractKind::Name { name } => {
					ensure!(NameOwner::<T>::get(name) == Some(id), "name index disagrees")
				},
			}
		}
		// No pool holds an IP for an ended contract or for another farm's contract.
		let reservations = T::IpPool::all_reservations();
		let held_ips: usize = ipv4s.values().map(|n| *n as usize).sum();
		ensure!(reservations.len() == held_ips, "a pool reserves IPs no live contract holds");
		for (farm, id) in reservations {
			let kind = Contracts::<T>::get(id).map(|c| c.kind);
			ensure!(
				matches!(kind, Some(ContractKind::Node(n)) if n.farm_id == farm),
				"a pool reserves an IP for a contract that is not its farm's"
			);
		}
		for (twin, count) in TwinContractCount::<T>::iter() {
			ensure!(per_twin.get(&twin) == Some(&count), "twin contract count differs");
		}
		ensure!(
			TwinContractCount::<T>::iter().count() == per_twin.len(),
			"a twin with contracts has no count"
		);
		ensure!(
			ContractsOfTwin::<T>::iter().count() == Contracts::<T>::iter().count(),
			"twin index lists an ended contract"
		);
		for (node_id, load) in NodeLoads::<T>::iter() {
			ensure!(per_node.get(&node_id) == Some(&load), "node load differs from its contracts");
			let capacity = T::Registry::node(node_id).map(|n| n.resources).unwrap_or_default();
			ensure!(capacity.covers(&load.reserved), "a node is reserved beyond its capacity");
			ensure!(
				load.contracts <= T::MaxContractsPerNode::get(),
				"too many contracts on a node"
			);
		}
		ensure!(
			NodeLoads::<T>::iter().count() == per_node.len(),
			"a node with contracts has no load"
		);
		let limits = GridLimits::<T>::get();
		ensure!(limits.is_valid(), "invalid limits");
		for (node_id, net) in NodeNetworks::<T>::iter() {
			ensure!(T::Registry::node(node_id).is_some(), "a traffic allowance of no node");
			let cap = limits.node_traffic_per_second.saturating_mul(TRAFFIC_BURST);
			ensure!(net.allowance <= cap, "a traffic allowance above an hour of the limit");
		}
		for node_id in LastUsageBatch::<T>::iter_keys() {
			ensure!(T::Registry::node(node_id).is_some(), "a last usage batch of no node");
		}
		for (node_id, fee) in ExtraFees::<T>::iter() {
			ensure!(T::Registry::node(node_id).is_some(), "an extra fee of no node");
			ensure!(fee.0 > 0, "a zero extra fee is stored");
		}
		ensure!(
			NodeContracts::<T>::iter().count()
				== per_node.values().map(|l| l.contracts as usize).sum::<usize>(),
			"node index lists an ended contract"
		);
		ensure!(
			ContractByHash::<T>::iter().count() == NodeContracts::<T>::iter().count(),
			"stale hash index"
		);
		ensure!(
			ContractUsages::<T>::iter().count() == NodeContracts::<T>::iter().count(),
			"stale usage record"
		);
		for (node_id, rent) in RentOf::<T>::iter() {
			let kind = Contracts::<T>::get(rent).map(|c| c.kind);
			ensure!(
				matches!(kind, Some(ContractKind::Rent { node_id: n, .. }) if n == node_id),
				"rent index names another contract"
			);
		}
		for (_, id) in NameOwner::<T>::iter() {
			ensure!(Contracts::<T>::contains_key(id), "a name is held by an ended contract");
		}
		Self::check_holds(held)
	}

	/// The funds held per reason are exactly the recorded deposits, for every account (so a
	/// hold left behind by an ended contract is caught too).
	fn check_holds(contracts: BTreeMap<T::AccountId, BalanceOf<T>>) -> Result<(), TryRuntimeError> {
		let mut providers = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		for (_, p) in Providers::<T>::iter() {
			let h = providers.entry(p.owner.clone()).or_default();
			*h = h.saturating_add(p.deposit);
		}
		let accounts: BTreeSet<T::AccountId> = frame_system::Account::<T>::iter_keys()
			.chain(contracts.keys().cloned())
			.chain(providers.keys().cloned())
			.collect();
		for who in accounts {
			for (reason, expected) in [
				(HoldReason::ContractDeposit, &contracts),
				(HoldReason::ProviderDeposit, &providers),
			] {
				let recorded = expected.get(&who).copied().unwrap_or_else(Zero::zero);
				ensure!(
					T::Currency::balance_on_hold(&reason.into(), &who) == recorded,
					"held deposit differs from the recorded deposits"
				);
			}
		}
		Ok(())
	}
}
