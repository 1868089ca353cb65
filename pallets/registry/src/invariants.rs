//! `try_state`: every index agrees with the records it indexes, counts match what they count,
//! and the funds held per reason are exactly the recorded deposits.

use crate::{pallet::*, types::*, Config};
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame::{deps::sp_runtime::TryRuntimeError, prelude::*, traits::fungible::InspectHold};
use grid_primitives::all_distinct;

impl<T: Config> Pallet<T> {
	/// Checks every invariant above (the `try_state` hook); fails with the first one broken.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_twins()?;
		Self::check_farms()?;
		Self::check_ips()?;
		Self::check_nodes()?;
		Self::check_public_configs()?;
		Self::check_deposits()?;
		ensure!(all_distinct(&NodeCertifiers::<T>::get()), "a node certifier is listed twice");
		Ok(())
	}

	/// account ↔ twin is a bijection; ids were issued; farm counts match; offers are live.
	fn check_twins() -> Result<(), TryRuntimeError> {
		let last = LastTwinId::<T>::get();
		let mut farms_per_twin = BTreeMap::<u32, u32>::new();
		for (_, farm) in Farms::<T>::iter() {
			let n = farms_per_twin.entry(farm.twin_id).or_default();
			*n = n.checked_add(1).ok_or("farm count overflows")?;
		}
		let mut count = 0usize;
		for (id, twin) in Twins::<T>::iter() {
			count = count.saturating_add(1);
			ensure!(id >= 1 && id <= last, "twin id was never issued");
			ensure!(
				TwinByAccount::<T>::get(&twin.account) == Some(id),
				"account → twin index is wrong"
			);
			ensure!(
				farms_per_twin.get(&id).copied().unwrap_or(0) == twin.farms,
				"twin farm count differs from its farms"
			);
			ensure!(twin.farms <= T::MaxFarmsPerTwin::get(), "twin owns more farms than allowed");
		}
		ensure!(
			TwinByAccount::<T>::iter().count() == count,
			"account → twin index has extra entries"
		);
		ensure!(farms_per_twin.keys().all(Twins::<T>::contains_key), "a farm's twin is missing");
		for (twin_id, to) in TwinTransfers::<T>::iter() {
			let twin = Twins::<T>::get(twin_id).ok_or("transfer offer of a missing twin")?;
			ensure!(twin.account != to, "twin offered to its own account");
			ensure!(!NodeByTwin::<T>::contains_key(twin_id), "a node's twin is offered");
		}
		Ok(())
	}

	/// names ↔ farms; twins ↔ farms; node and allow-list counts match their maps.
	fn check_farms() -> Result<(), TryRuntimeError> {
		let last = LastFarmId::<T>::get();
		let mut count = 0usize;
		for (id, farm) in Farms::<T>::iter() {
			count = count.saturating_add(1);
			ensure!(id >= 1 && id <= last, "farm id was never issued");
			ensure!(
				FarmByName::<T>::get(name_key(&farm.name)) == Some(id),
				"farm name index is wrong"
			);
			ensure!(
				FarmsOfTwin::<T>::contains_key(farm.twin_id, id),
				"twin → farms index is wrong"
			);
			ensure!(
				FarmNodes::<T>::iter_prefix(id).count() == farm.nodes as usize,
				"farm node count is wrong"
			);
			ensure!(
				Admitted::<T>::iter_prefix(id).count() == farm.admitted as usize,
				"farm allow-list count is wrong"
			);
			ensure!(farm.admitted <= T::MaxAdmittedPerFarm::get(), "allow-list above its bound");
		}
		ensure!(FarmByName::<T>::iter().count() == count, "farm name index has extra entries");
		ensure!(FarmsOfTwin::<T>::iter().count() == count, "twin → farms index has extra entries");
		ensure!(
			Admitted::<T>::iter_keys().all(|(f, _)| Farms::<T>::contains_key(f)),
			"allow-list of a missing farm"
		);
		ensure!(
			FarmNodes::<T>::iter_keys().all(|(f, _)| Farms::<T>::contains_key(f)),
			"nodes of a missing farm"
		);
		Ok(())
	}

	/// Each pool IP is valid and owned by its farm in `IpOwner`, unique within the pool.
	fn check_ips() -> Result<(), TryRuntimeError> {
		for (farm_id, pool) in FarmPublicIps::<T>::iter() {
			ensure!(Farms::<T>::contains_key(farm_id), "IP pool of a missing farm");
			let addresses: alloc::vec::Vec<_> = pool.ips.iter().map(|p| p.ip.ip).collect();
			ensure!(all_distinct(&addresses), "an IP is twice in a pool");
			for p in pool.ips.iter() {
				ensure!(
					IpOwner::<T>::get(p.ip.ip) == Some(IpHolder::Farm(farm_id)),
					"IP owner index is wrong"
				);
				ensure!(p.ip.check_with_gateway(&p.gateway).is_ok(), "an invalid IP is stored");
			}
		}
		Ok(())
	}

	/// node ↔ twin is a bijection; each node is in its farm's list and the lists hold nothing else.
	fn check_nodes() -> Result<(), TryRuntimeError> {
		let last = LastNodeId::<T>::get();
		let mut count = 0usize;
		for (id, node) in Nodes::<T>::iter() {
			count = count.saturating_add(1);
			ensure!(id >= 1 && id <= last, "node id was never issued");
			ensure!(Twins::<T>::contains_key(node.twin_id), "a node's twin is missing");
			ensure!(NodeByTwin::<T>::get(node.twin_id) == Some(id), "twin → node index is wrong");
			ensure!(
				FarmNodes::<T>::contains_key(node.farm_id, id),
				"node missing from its farm's list"
			);
			ensure!(node.connection_price.0 > 0, "a node has no connection price");
		}
		ensure!(NodeByTwin::<T>::iter().count() == count, "twin → node index has extra entries");
		ensure!(FarmNodes::<T>::iter().count() == count, "farm node lists have extra entries");
		Ok(())
	}

	/// `IpOwner`, `Ipv6Owner` and `DomainOwner` hold exactly the pools' IPs and the nodes'
	/// public configs.
	fn check_public_configs() -> Result<(), TryRuntimeError> {
		let (mut ip4, mut ip6, mut domains) = (0usize, 0usize, 0usize);
		for (id, node) in Nodes::<T>::iter() {
			let Some(config) = node.public_config else { continue };
			ip4 = ip4.saturating_add(1);
			ensure!(
				IpOwner::<T>::get(config.ip4.ip.ip) == Some(IpHolder::Node(id)),
				"node IPv4 index is wrong"
			);
			if let Some(v6) = config.ip6 {
				ip6 = ip6.saturating_add(1);
				ensure!(Ipv6Owner::<T>::get(v6.ip.ip) == Some(id), "node IPv6 index is wrong");
			}
			if let Some(domain) = config.domain {
				domains = domains.saturating_add(1);
				ensure!(
					DomainOwner::<T>::get(name_key(&domain)) == Some(id),
					"node domain index is wrong"
				);
			}
		}
		let pool_ips: usize = FarmPublicIps::<T>::iter_values().map(|p| p.ips.len()).sum();
		ensure!(
			IpOwner::<T>::iter().count() == pool_ips.saturating_add(ip4),
			"IP owner index has extra entries"
		);
		ensure!(Ipv6Owner::<T>::iter().count() == ip6, "IPv6 index has extra entries");
		ensure!(DomainOwner::<T>::iter().count() == domains, "domain index has extra entries");
		Ok(())
	}

	/// Per account and per hold reason, what is held equals the deposits recorded for it, and
	/// no other account holds anything for the registry: a hold left behind by a deletion
	/// shows up here.
	fn check_deposits() -> Result<(), TryRuntimeError> {
		let reasons = [HoldReason::TwinDeposit, HoldReason::FarmDeposit, HoldReason::NodeDeposit];
		let mut expected = BTreeMap::<(T::AccountId, usize), BalanceOf<T>>::new();
		let mut add = |who: T::AccountId, reason: usize, amount: BalanceOf<T>| {
			let entry = expected.entry((who, reason)).or_insert_with(Zero::zero);
			*entry = entry.saturating_add(amount);
		};
		for (_, twin) in Twins::<T>::iter() {
			add(twin.account.clone(), 0, twin.deposit);
		}
		for (_, farm) in Farms::<T>::iter() {
			let owner = Self::account_of(farm.twin_id).map_err(|_| "farm owner missing")?;
			add(owner, 1, farm.deposit);
		}
		for (_, node) in Nodes::<T>::iter() {
			let account = Self::account_of(node.twin_id).map_err(|_| "node twin missing")?;
			add(account, 2, node.deposit);
		}
		let accounts: BTreeSet<T::AccountId> = frame_system::Account::<T>::iter_keys()
			.chain(expected.keys().map(|(who, _)| who.clone()))
			.collect();
		for who in accounts {
			for (index, reason) in reasons.iter().enumerate() {
				let held = T::Currency::balance_on_hold(&(*reason).into(), &who);
				let recorded =
					expected.get(&(who.clone(), index)).copied().unwrap_or_else(Zero::zero);
				ensure!(held == recorded, "held deposit differs from the recorded deposits");
			}
		}
		Ok(())
	}
}
