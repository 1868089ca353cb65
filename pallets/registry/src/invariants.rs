//! `try_state`: every index agrees with the records it indexes, and deposits are held.

use crate::{pallet::*, Config};
use alloc::collections::btree_map::BTreeMap;
use frame::{deps::sp_runtime::TryRuntimeError, prelude::*, traits::fungible::InspectHold};

impl<T: Config> Pallet<T> {
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_twins()?;
		Self::check_farms()?;
		Self::check_ips()?;
		Self::check_nodes()?;
		Self::check_deposits()?;
		ensure!(
			Self::sorted_distinct(&NodeCertifiers::<T>::get()),
			"a node certifier is listed twice"
		);
		Ok(())
	}

	/// account ↔ twin is a bijection; ids were issued; farm counts match.
	fn check_twins() -> Result<(), TryRuntimeError> {
		let last = LastTwinId::<T>::get();
		let mut farms_per_twin = BTreeMap::<u32, u32>::new();
		for (_, farm) in Farms::<T>::iter() {
			let n = farms_per_twin.entry(farm.twin_id).or_default();
			*n = n.saturating_add(1);
		}
		let mut count = 0u32;
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
		}
		ensure!(
			TwinByAccount::<T>::iter().count() as u32 == count,
			"account → twin index has extra entries"
		);
		ensure!(
			farms_per_twin.keys().all(|t| Twins::<T>::contains_key(t)),
			"a farm's twin is missing"
		);
		Ok(())
	}

	/// names ↔ farms; node and allow-list counts match their maps.
	fn check_farms() -> Result<(), TryRuntimeError> {
		let last = LastFarmId::<T>::get();
		let mut count = 0u32;
		for (id, farm) in Farms::<T>::iter() {
			count = count.saturating_add(1);
			ensure!(id >= 1 && id <= last, "farm id was never issued");
			ensure!(FarmByName::<T>::get(&farm.name) == Some(id), "farm name index is wrong");
			ensure!(
				FarmNodes::<T>::iter_prefix(id).count() as u32 == farm.nodes,
				"farm node count is wrong"
			);
			ensure!(
				Admitted::<T>::iter_prefix(id).count() as u32 == farm.admitted,
				"farm allow-list count is wrong"
			);
			ensure!(farm.admitted <= T::MaxAdmittedPerFarm::get(), "allow-list above its bound");
		}
		ensure!(
			FarmByName::<T>::iter().count() as u32 == count,
			"farm name index has extra entries"
		);
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

	/// Each pool IP is owned by its farm in `IpOwner`, and `IpOwner` has nothing else.
	fn check_ips() -> Result<(), TryRuntimeError> {
		let mut total = 0u32;
		for (farm_id, ips) in FarmPublicIps::<T>::iter() {
			ensure!(Farms::<T>::contains_key(farm_id), "IP pool of a missing farm");
			for p in &ips {
				total = total.saturating_add(1);
				ensure!(IpOwner::<T>::get(p.ip.ip) == Some(farm_id), "IP owner index is wrong");
				ensure!(p.ip.check_with_gateway(&p.gateway).is_ok(), "an invalid IP is stored");
			}
		}
		ensure!(IpOwner::<T>::iter().count() as u32 == total, "IP owner index has extra entries");
		Ok(())
	}

	/// node ↔ twin is a bijection; each node is in its farm's list and the lists hold nothing else.
	fn check_nodes() -> Result<(), TryRuntimeError> {
		let last = LastNodeId::<T>::get();
		let mut count = 0u32;
		for (id, node) in Nodes::<T>::iter() {
			count = count.saturating_add(1);
			ensure!(id >= 1 && id <= last, "node id was never issued");
			ensure!(Twins::<T>::contains_key(node.twin_id), "a node's twin is missing");
			ensure!(NodeByTwin::<T>::get(node.twin_id) == Some(id), "twin → node index is wrong");
			ensure!(
				FarmNodes::<T>::contains_key(node.farm_id, id),
				"node missing from its farm's list"
			);
		}
		ensure!(
			NodeByTwin::<T>::iter().count() as u32 == count,
			"twin → node index has extra entries"
		);
		ensure!(
			FarmNodes::<T>::iter().count() as u32 == count,
			"farm node lists have extra entries"
		);
		Ok(())
	}

	/// What each account has on hold per reason equals the deposits recorded for it.
	fn check_deposits() -> Result<(), TryRuntimeError> {
		let mut expected = BTreeMap::<(T::AccountId, u8), BalanceOf<T>>::new();
		let mut add = |who: T::AccountId, reason: u8, amount: BalanceOf<T>| {
			let entry = expected.entry((who, reason)).or_insert_with(Zero::zero);
			*entry = entry.saturating_add(amount);
		};
		for (_, twin) in Twins::<T>::iter() {
			add(twin.account.clone(), 0, twin.deposit);
		}
		for (_, farm) in Farms::<T>::iter() {
			let owner =
				Twins::<T>::get(farm.twin_id).map(|t| t.account).ok_or("farm owner missing")?;
			add(owner, 1, farm.deposit);
		}
		for (_, node) in Nodes::<T>::iter() {
			let account =
				Twins::<T>::get(node.twin_id).map(|t| t.account).ok_or("node twin missing")?;
			add(account, 2, node.deposit);
		}
		let reasons = [HoldReason::TwinDeposit, HoldReason::FarmDeposit, HoldReason::NodeDeposit];
		for ((who, reason), amount) in expected {
			let reason = reasons.get(reason as usize).ok_or("unknown hold reason")?;
			let held = T::Currency::balance_on_hold(&(*reason).into(), &who);
			ensure!(held == amount, "held deposit differs from the recorded deposits");
		}
		Ok(())
	}

	fn sorted_distinct(list: &[T::AccountId]) -> bool {
		let mut sorted = list.to_vec();
		sorted.sort();
		sorted.dedup();
		sorted.len() == list.len()
	}
}
