//! Farms: names, payout, node admission, public IPv4 pool, governance flags.

use crate::{pallet::*, types::*, Config};
use frame::prelude::*;
use grid_primitives::{
	net::{Ipv4, Ipv4Cidr},
	registry::{AssignedIp, ContractId, FarmCertification, FarmId, RegistryObserver},
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_farm(
		who: &T::AccountId,
		name: FarmName,
	) -> Result<FarmId, DispatchError> {
		let (twin_id, mut twin) = Self::twin_of_caller(who)?;
		check_farm_name(&name).map_err(Error::<T>::from)?;
		ensure!(!FarmByName::<T>::contains_key(&name), Error::<T>::FarmNameTaken);
		let farm_id = Self::issue_id::<LastFarmId<T>>()?;
		twin.farms = twin.farms.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		let deposit = T::FarmDeposit::get();
		Self::hold_deposit(HoldReason::FarmDeposit, who, deposit)?;
		LastFarmId::<T>::put(farm_id);
		Twins::<T>::insert(twin_id, twin);
		FarmByName::<T>::insert(&name, farm_id);
		Farms::<T>::insert(
			farm_id,
			Farm {
				name: name.clone(),
				twin_id,
				payout: who.clone(),
				policy: NodePolicy::default(),
				certification: FarmCertification::default(),
				dedicated: false,
				nodes: 0,
				admitted: 0,
				deposit,
			},
		);
		Self::deposit_event(Event::FarmCreated { farm_id, twin_id, name });
		Ok(farm_id)
	}

	pub(crate) fn do_rename_farm(
		who: &T::AccountId,
		farm_id: FarmId,
		name: FarmName,
	) -> DispatchResult {
		let mut farm = Self::farm_of_owner(who, farm_id)?;
		check_farm_name(&name).map_err(Error::<T>::from)?;
		if farm.name == name {
			return Ok(());
		}
		ensure!(!FarmByName::<T>::contains_key(&name), Error::<T>::FarmNameTaken);
		FarmByName::<T>::remove(&farm.name);
		FarmByName::<T>::insert(&name, farm_id);
		farm.name = name.clone();
		Farms::<T>::insert(farm_id, farm);
		Self::deposit_event(Event::FarmRenamed { farm_id, name });
		Ok(())
	}

	pub(crate) fn do_set_farm_payout(
		who: &T::AccountId,
		farm_id: FarmId,
		payout: T::AccountId,
	) -> DispatchResult {
		let mut farm = Self::farm_of_owner(who, farm_id)?;
		farm.payout = payout.clone();
		Farms::<T>::insert(farm_id, farm);
		Self::deposit_event(Event::FarmPayoutSet { farm_id, payout });
		Ok(())
	}

	pub(crate) fn do_set_node_policy(
		who: &T::AccountId,
		farm_id: FarmId,
		policy: NodePolicy,
	) -> DispatchResult {
		let mut farm = Self::farm_of_owner(who, farm_id)?;
		farm.policy = policy;
		Farms::<T>::insert(farm_id, farm);
		Self::deposit_event(Event::FarmNodePolicySet { farm_id, policy });
		Ok(())
	}

	pub(crate) fn do_admit_node(
		who: &T::AccountId,
		farm_id: FarmId,
		node: NodeRef<T::AccountId>,
	) -> DispatchResult {
		let mut farm = Self::farm_of_owner(who, farm_id)?;
		let account = Self::resolve(node)?;
		ensure!(!Admitted::<T>::contains_key(farm_id, &account), Error::<T>::AlreadyAdmitted);
		ensure!(farm.admitted < T::MaxAdmittedPerFarm::get(), Error::<T>::TooManyAdmitted);
		farm.admitted = farm.admitted.saturating_add(1);
		Farms::<T>::insert(farm_id, farm);
		Admitted::<T>::insert(farm_id, &account, ());
		Self::deposit_event(Event::NodeAdmitted { farm_id, who: account });
		Ok(())
	}

	pub(crate) fn do_revoke_node(
		who: &T::AccountId,
		farm_id: FarmId,
		node: NodeRef<T::AccountId>,
	) -> DispatchResult {
		let mut farm = Self::farm_of_owner(who, farm_id)?;
		let account = Self::resolve(node)?;
		ensure!(Admitted::<T>::contains_key(farm_id, &account), Error::<T>::NotAdmitted);
		farm.admitted = farm.admitted.saturating_sub(1);
		Farms::<T>::insert(farm_id, farm);
		Admitted::<T>::remove(farm_id, &account);
		Self::deposit_event(Event::NodeAdmissionRevoked { farm_id, who: account });
		Ok(())
	}

	pub(crate) fn do_add_farm_ip(
		who: &T::AccountId,
		farm_id: FarmId,
		ip: Ipv4Cidr,
		gateway: Ipv4,
	) -> DispatchResult {
		Self::farm_of_owner(who, farm_id)?;
		ip.check_with_gateway(&gateway)
			.map_err(|e| Error::<T>::from(InputError::Ip(e)))?;
		ensure!(!IpOwner::<T>::contains_key(ip.ip), Error::<T>::IpExists);
		FarmPublicIps::<T>::try_mutate(farm_id, |ips| {
			ips.try_push(PublicIp { ip, gateway, contract: None })
				.map_err(|_| Error::<T>::TooManyIps)
		})?;
		IpOwner::<T>::insert(ip.ip, farm_id);
		Self::deposit_event(Event::FarmIpAdded { farm_id, ip, gateway });
		Ok(())
	}

	pub(crate) fn do_remove_farm_ip(
		who: &T::AccountId,
		farm_id: FarmId,
		ip: Ipv4,
	) -> DispatchResult {
		Self::farm_of_owner(who, farm_id)?;
		let mut ips = FarmPublicIps::<T>::get(farm_id);
		let index = ips.iter().position(|p| p.ip.ip == ip).ok_or(Error::<T>::IpNotFound)?;
		ensure!(ips.get(index).is_some_and(|p| p.contract.is_none()), Error::<T>::IpReserved);
		ips.remove(index);
		FarmPublicIps::<T>::insert(farm_id, ips);
		IpOwner::<T>::remove(ip);
		Self::deposit_event(Event::FarmIpRemoved { farm_id, ip });
		Ok(())
	}

	/// Returns how many IPs and allow-list entries were removed (for the actual weight).
	pub(crate) fn do_delete_farm(
		who: &T::AccountId,
		farm_id: FarmId,
	) -> Result<(u32, u32), DispatchError> {
		let farm = Self::farm_of_owner(who, farm_id)?;
		ensure!(farm.nodes == 0, Error::<T>::FarmHasNodes);
		let ips = FarmPublicIps::<T>::get(farm_id);
		ensure!(ips.iter().all(|p| p.contract.is_none()), Error::<T>::FarmIpsInUse);
		let mut twin = Twins::<T>::get(farm.twin_id).ok_or(Error::<T>::TwinNotFound)?;
		twin.farms = twin.farms.saturating_sub(1);
		Twins::<T>::insert(farm.twin_id, twin);
		for p in &ips {
			IpOwner::<T>::remove(p.ip.ip);
		}
		FarmPublicIps::<T>::remove(farm_id);
		// Bounded: `admitted` counts the entries and never exceeds MaxAdmittedPerFarm.
		let _ = Admitted::<T>::clear_prefix(farm_id, farm.admitted, None);
		FarmByName::<T>::remove(&farm.name);
		Farms::<T>::remove(farm_id);
		Self::release_deposit(HoldReason::FarmDeposit, who, farm.deposit);
		Self::deposit_event(Event::FarmDeleted { farm_id });
		Ok((ips.len() as u32, farm.admitted))
	}

	pub(crate) fn do_set_farm_certification(
		farm_id: FarmId,
		certification: FarmCertification,
	) -> DispatchResult {
		Self::mutate_farm(farm_id, |farm| farm.certification = certification)?;
		Self::deposit_event(Event::FarmCertificationSet { farm_id, certification });
		Ok(())
	}

	pub(crate) fn do_set_farm_dedicated(farm_id: FarmId, dedicated: bool) -> DispatchResult {
		Self::mutate_farm(farm_id, |farm| farm.dedicated = dedicated)?;
		Self::deposit_event(Event::FarmDedicatedSet { farm_id, dedicated });
		Ok(())
	}

	pub(crate) fn do_force_release_farm_ip(farm_id: FarmId, ip: Ipv4) -> DispatchResult {
		ensure!(Farms::<T>::contains_key(farm_id), Error::<T>::FarmNotFound);
		let contract_id = FarmPublicIps::<T>::try_mutate(farm_id, |ips| {
			let entry = ips.iter_mut().find(|p| p.ip.ip == ip).ok_or(Error::<T>::IpNotFound)?;
			entry.contract.take().ok_or(Error::<T>::IpNotReserved)
		})?;
		T::Observer::ip_force_released(farm_id, ip, contract_id);
		Self::deposit_event(Event::FarmIpForceReleased { farm_id, ip, contract_id });
		Ok(())
	}

	/// Reserve `count` free IPs of `farm_id` for `contract_id`, all or none.
	pub(crate) fn do_reserve_ips(
		farm_id: FarmId,
		contract_id: ContractId,
		count: u32,
	) -> Result<alloc::vec::Vec<AssignedIp>, DispatchError> {
		ensure!(Farms::<T>::contains_key(farm_id), Error::<T>::FarmNotFound);
		let mut ips = FarmPublicIps::<T>::get(farm_id);
		let free = ips.iter().filter(|p| p.contract.is_none()).count();
		ensure!(free >= count as usize, Error::<T>::NotEnoughFreeIps);
		let assigned: alloc::vec::Vec<AssignedIp> = ips
			.iter_mut()
			.filter(|p| p.contract.is_none())
			.take(count as usize)
			.map(|p| {
				p.contract = Some(contract_id);
				AssignedIp { ip: p.ip, gateway: p.gateway }
			})
			.collect();
		if count > 0 {
			FarmPublicIps::<T>::insert(farm_id, ips);
			Self::deposit_event(Event::PublicIpsReserved { farm_id, contract_id, count });
		}
		Ok(assigned)
	}

	pub(crate) fn do_release_ips(farm_id: FarmId, contract_id: ContractId) -> u32 {
		if !FarmPublicIps::<T>::contains_key(farm_id) {
			return 0;
		}
		let mut count = 0u32;
		FarmPublicIps::<T>::mutate(farm_id, |ips| {
			for p in ips.iter_mut().filter(|p| p.contract == Some(contract_id)) {
				p.contract = None;
				count = count.saturating_add(1);
			}
		});
		if count > 0 {
			Self::deposit_event(Event::PublicIpsReleased { farm_id, contract_id, count });
		}
		count
	}

	/// Changes an existing farm (governance flags, which need no owner check).
	fn mutate_farm(farm_id: FarmId, change: impl FnOnce(&mut FarmOf<T>)) -> DispatchResult {
		Farms::<T>::try_mutate(farm_id, |farm| {
			farm.as_mut().map(change).ok_or_else(|| Error::<T>::FarmNotFound.into())
		})
	}

	/// The farm, if the caller's twin owns it.
	pub(crate) fn farm_of_owner(
		who: &T::AccountId,
		farm_id: FarmId,
	) -> Result<FarmOf<T>, DispatchError> {
		let farm = Farms::<T>::get(farm_id).ok_or(Error::<T>::FarmNotFound)?;
		let twin_id = TwinByAccount::<T>::get(who).ok_or(Error::<T>::TwinNotFound)?;
		ensure!(farm.twin_id == twin_id, Error::<T>::NotFarmOwner);
		Ok(farm)
	}

	/// The account of the farm's owner.
	pub(crate) fn farm_owner_account(farm_id: FarmId) -> Option<T::AccountId> {
		let farm = Farms::<T>::get(farm_id)?;
		Twins::<T>::get(farm.twin_id).map(|t| t.account)
	}

	/// Whether `who` may register a node in `farm_id`.
	pub(crate) fn admits(farm_id: FarmId, who: &T::AccountId) -> bool {
		Farms::<T>::get(farm_id).is_some_and(|farm| Self::farm_admits_node(farm_id, &farm, who))
	}

	/// Whether `farm` (already read) admits `who`.
	pub(crate) fn farm_admits_node(farm_id: FarmId, farm: &FarmOf<T>, who: &T::AccountId) -> bool {
		match farm.policy {
			NodePolicy::Open => true,
			NodePolicy::AllowList => Admitted::<T>::contains_key(farm_id, who),
		}
	}

	fn resolve(node: NodeRef<T::AccountId>) -> Result<T::AccountId, DispatchError> {
		match node {
			NodeRef::Account(account) => Ok(account),
			NodeRef::Twin(twin_id) => Twins::<T>::get(twin_id)
				.map(|t| t.account)
				.ok_or_else(|| Error::<T>::TwinNotFound.into()),
		}
	}
}
