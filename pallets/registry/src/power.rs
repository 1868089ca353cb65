//! Node power: the farmer's target and the node's reported state.

use crate::{pallet::*, types::*, Config};
use frame::prelude::*;
use grid_primitives::registry::{NodeId, NodeUsage, Power, RegistryObserver};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_power_target(
		who: &T::AccountId,
		node_id: NodeId,
		target: Power,
	) -> DispatchResult {
		let mut node = Nodes::<T>::get(node_id).ok_or(Error::<T>::NodeNotFound)?;
		Self::farm_of_owner(who, node.farm_id)?;
		ensure!(
			target == Power::Up || !T::Usage::node_has_active_contracts(node_id),
			Error::<T>::NodeHasActiveContracts
		);
		node.power.target = target;
		let farm_id = node.farm_id;
		Nodes::<T>::insert(node_id, node);
		T::Observer::power_target_changed(node_id, target);
		Self::deposit_event(Event::PowerTargetChanged { farm_id, node_id, target });
		Ok(())
	}

	/// Applies the calling node's report; returns whether it is free (a change within the
	/// node's free quota).
	pub(crate) fn do_report_power_state(
		who: &T::AccountId,
		reported: Power,
	) -> Result<bool, DispatchError> {
		let (node_id, mut node) = Self::node_of_caller(who)?;
		let now = frame_system::Pallet::<T>::block_number();
		let report = node.report_power(
			reported,
			now,
			T::PowerChangeWindow::get(),
			T::FreePowerChanges::get(),
		);
		let PowerReport::Changed { state, free } = report else { return Ok(false) };
		let farm_id = node.farm_id;
		Nodes::<T>::insert(node_id, node);
		T::Observer::power_state_changed(node_id, state);
		Self::deposit_event(Event::PowerStateChanged { farm_id, node_id, state });
		Ok(free)
	}
}
