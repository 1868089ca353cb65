//! Farming policies: governance creates, updates and attaches them; nodes get one when they
//! are tracked and when their certification changes.

use crate::{pallet::*, types::*, Config};
use frame::prelude::*;
use grid_primitives::{
	registry::{FarmCertification, FarmId, GridRegistry, NodeCertification},
	resources::CloudUnits,
};

impl<T: Config> Pallet<T> {
	/// Stores a new policy under the next id.
	pub(crate) fn insert_policy(policy: FarmingPolicy) -> Result<PolicyId, DispatchError> {
		let id = LastPolicyId::<T>::get().checked_add(1).ok_or(Error::<T>::TooManyPolicies)?;
		ensure!(id <= T::MaxPolicies::get(), Error::<T>::TooManyPolicies);
		LastPolicyId::<T>::put(id);
		Policies::<T>::insert(id, policy);
		Ok(id)
	}

	pub(crate) fn do_create_policy(policy: FarmingPolicy) -> Result<PolicyId, DispatchError> {
		policy.check().map_err(Error::<T>::from)?;
		let policy_id = Self::insert_policy(policy.clone())?;
		Self::deposit_event(Event::PolicyCreated { policy_id, policy });
		Ok(policy_id)
	}

	pub(crate) fn do_update_policy(policy_id: PolicyId, policy: FarmingPolicy) -> DispatchResult {
		policy.check().map_err(Error::<T>::from)?;
		let old = Policies::<T>::get(policy_id).ok_or(Error::<T>::PolicyNotFound)?;
		ensure!(!old.immutable, Error::<T>::PolicyImmutable);
		Policies::<T>::insert(policy_id, policy.clone());
		Self::deposit_event(Event::PolicyUpdated { policy_id, policy });
		Ok(())
	}

	pub(crate) fn do_attach_policy(farm_id: FarmId, limit: FarmPolicyLimit) -> DispatchResult {
		ensure!(T::Registry::farm(farm_id).is_some(), Error::<T>::FarmNotFound);
		ensure!(Policies::<T>::contains_key(limit.policy), Error::<T>::PolicyNotFound);
		FarmPolicies::<T>::insert(farm_id, limit);
		Self::deposit_event(Event::FarmPolicyAttached { farm_id, limit });
		Ok(())
	}

	pub(crate) fn do_detach_policy(farm_id: FarmId) -> DispatchResult {
		FarmPolicies::<T>::take(farm_id).ok_or(Error::<T>::NoFarmPolicy)?;
		Self::deposit_event(Event::FarmPolicyDetached { farm_id });
		Ok(())
	}

	/// The policy of a node of `units` on `farm_id` at `now`: the farm's while its limits cover
	/// the node (they shrink by it), else the best default. `true` when it is the farm's.
	pub(crate) fn choose_policy(
		farm_id: FarmId,
		farm: FarmCertification,
		node: NodeCertification,
		units: CloudUnits,
		now: u64,
	) -> (Option<PolicyId>, bool) {
		if let Some(mut limit) = FarmPolicies::<T>::get(farm_id) {
			let usable = Policies::<T>::get(limit.policy).is_some_and(|p| p.is_active(now));
			if usable && limit.take(units, now) {
				FarmPolicies::<T>::insert(farm_id, limit);
				return (Some(limit.policy), true);
			}
		}
		(Self::best_default(node, farm, now), false)
	}

	/// The most specific active default policy admitting the certifications (the newest of
	/// equals). Reads at most [`Config::MaxPolicies`] policies.
	pub(crate) fn best_default(
		node: NodeCertification,
		farm: FarmCertification,
		now: u64,
	) -> Option<PolicyId> {
		Policies::<T>::iter()
			.filter(|(_, p)| p.default && p.is_active(now) && p.admits(node, farm))
			.max_by_key(|(id, p)| (p.rank(), *id))
			.map(|(id, _)| id)
	}
}

impl<T: Config> From<PolicyError> for Error<T> {
	fn from(e: PolicyError) -> Self {
		match e {
			PolicyError::InvalidName => Error::InvalidPolicyName,
			PolicyError::InvalidMinimalUptime => Error::InvalidMinimalUptime,
			PolicyError::RateTooHigh => Error::RateTooHigh,
		}
	}
}
