//! Farms: names, payout, node admission, deletion, governance flags.

use crate::{pallet::*, types::*, Config};
use frame::prelude::*;
use grid_primitives::registry::{FarmCertification, FarmId};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_farm(
		who: &T::AccountId,
		name: FarmName,
	) -> Result<FarmId, DispatchError> {
		let (twin_id, mut twin) = Self::twin_of_caller(who)?;
		check_farm_name(&name).map_err(Error::<T>::from)?;
		let key = name_key(&name);
		ensure!(!FarmByName::<T>::contains_key(&key), Error::<T>::FarmNameTaken);
		twin.add_farm(T::MaxFarmsPerTwin::get())
			.map_err(|e| Error::<T>::of_limit(e, Error::TooManyFarms))?;
		let farm_id = Self::issue_id::<LastFarmId<T>>()?;
		let deposit = T::FarmDeposit::get();
		Self::hold_deposit(HoldReason::FarmDeposit, who, deposit)?;
		LastFarmId::<T>::put(farm_id);
		Twins::<T>::insert(twin_id, twin);
		FarmsOfTwin::<T>::insert(twin_id, farm_id, ());
		FarmByName::<T>::insert(&key, farm_id);
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

	/// Renames a farm: by its owner (`Some(who)`) or by governance (`None`).
	pub(crate) fn do_rename_farm(
		who: Option<&T::AccountId>,
		farm_id: FarmId,
		name: FarmName,
	) -> DispatchResult {
		let mut farm = match who {
			Some(who) => Self::farm_of_owner(who, farm_id)?,
			None => Farms::<T>::get(farm_id).ok_or(Error::<T>::FarmNotFound)?,
		};
		check_farm_name(&name).map_err(Error::<T>::from)?;
		if farm.name == name {
			return Ok(());
		}
		let (old_key, new_key) = (name_key(&farm.name), name_key(&name));
		// Another spelling of the same name keeps the farm's key.
		if new_key != old_key {
			ensure!(!FarmByName::<T>::contains_key(&new_key), Error::<T>::FarmNameTaken);
			FarmByName::<T>::remove(&old_key);
			FarmByName::<T>::insert(&new_key, farm_id);
		}
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
		farm.admit(T::MaxAdmittedPerFarm::get())
			.map_err(|e| Error::<T>::of_limit(e, Error::TooManyAdmitted))?;
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
		farm.revoke().map_err(Error::<T>::from)?;
		Farms::<T>::insert(farm_id, farm);
		Admitted::<T>::remove(farm_id, &account);
		Self::deposit_event(Event::NodeAdmissionRevoked { farm_id, who: account });
		Ok(())
	}

	/// Returns how many IPs and allow-list entries were removed (for the actual weight).
	pub(crate) fn do_delete_farm(
		who: &T::AccountId,
		farm_id: FarmId,
	) -> Result<(u32, u32), DispatchError> {
		let farm = Self::farm_of_owner(who, farm_id)?;
		ensure!(farm.nodes == 0, Error::<T>::FarmHasNodes);
		let pool = FarmPublicIps::<T>::get(farm_id);
		ensure!(!pool.in_use(), Error::<T>::FarmIpsInUse);
		let mut twin = Twins::<T>::get(farm.twin_id).ok_or(Error::<T>::TwinNotFound)?;
		twin.remove_farm().map_err(Error::<T>::from)?;
		Twins::<T>::insert(farm.twin_id, twin);
		FarmsOfTwin::<T>::remove(farm.twin_id, farm_id);
		for p in pool.ips.iter() {
			IpOwner::<T>::remove(p.ip.ip);
		}
		FarmPublicIps::<T>::remove(farm_id);
		// Bounded: `admitted` counts the entries and never exceeds MaxAdmittedPerFarm.
		let _ = Admitted::<T>::clear_prefix(farm_id, farm.admitted, None);
		FarmByName::<T>::remove(name_key(&farm.name));
		Farms::<T>::remove(farm_id);
		Self::release_deposit(HoldReason::FarmDeposit, who, farm.deposit);
		Self::deposit_event(Event::FarmDeleted { farm_id });
		Ok((pool.len(), farm.admitted))
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

	/// Changes an existing farm (governance flags, which need no owner check).
	fn mutate_farm(farm_id: FarmId, change: impl FnOnce(&mut FarmOf<T>)) -> DispatchResult {
		Farms::<T>::try_mutate(farm_id, |farm| {
			farm.as_mut().map(change).ok_or_else(|| Error::<T>::FarmNotFound.into())
		})
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
		farm.admits(|| Admitted::<T>::contains_key(farm_id, who))
	}

	fn resolve(node: NodeRef<T::AccountId>) -> Result<T::AccountId, DispatchError> {
		match node {
			NodeRef::Account(account) => Ok(account),
			NodeRef::Twin(twin_id) => Self::account_of(twin_id),
		}
	}
}
