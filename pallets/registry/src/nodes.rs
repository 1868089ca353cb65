//! Nodes: registration, updates, public config, deletion, power and certification.

use crate::{pallet::*, types::*, Config};
use frame::prelude::*;
use grid_primitives::registry::{
	FarmId, NodeCertification, NodeId, NodePower, NodeUsage, Power, PowerState, RegistryObserver,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register_node(
		who: &T::AccountId,
		farm_id: FarmId,
		spec: NodeSpec,
	) -> Result<NodeId, DispatchError> {
		let (twin_id, _) = Self::twin_of_caller(who)?;
		ensure!(!NodeByTwin::<T>::contains_key(twin_id), Error::<T>::NodeExists);
		let mut farm = Farms::<T>::get(farm_id).ok_or(Error::<T>::FarmNotFound)?;
		ensure!(Self::farm_admits_node(farm_id, &farm, who), Error::<T>::FarmDoesNotAdmitNode);
		spec.check().map_err(Error::<T>::from)?;
		let node_id = Self::issue_id::<LastNodeId<T>>()?;
		farm.nodes = farm.nodes.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		let deposit = T::NodeDeposit::get();
		Self::hold_deposit(HoldReason::NodeDeposit, who, deposit)?;
		LastNodeId::<T>::put(node_id);
		Farms::<T>::insert(farm_id, farm);
		let resources = spec.resources;
		Nodes::<T>::insert(
			node_id,
			Node {
				farm_id,
				twin_id,
				spec,
				public_config: None,
				certification: NodeCertification::default(),
				power: NodePower::default(),
				connection_price: ConnectionPrice::<T>::get(),
				created: Self::now_secs(),
				deposit,
			},
		);
		NodeByTwin::<T>::insert(twin_id, node_id);
		FarmNodes::<T>::insert(farm_id, node_id, ());
		Self::deposit_event(Event::NodeRegistered { node_id, farm_id, twin_id, resources });
		Ok(node_id)
	}

	pub(crate) fn do_update_node(who: &T::AccountId, spec: NodeSpec) -> DispatchResult {
		let (node_id, mut node) = Self::node_of_caller(who)?;
		spec.check().map_err(Error::<T>::from)?;
		let downgrade = node.certification == NodeCertification::Certified
			&& node
				.spec
				.resources
				.changed_by_more_than(&spec.resources, CERTIFIED_RESOURCE_TOLERANCE_PERCENT);
		let resources = spec.resources;
		node.spec = spec;
		if downgrade {
			node.certification = NodeCertification::Diy;
			Self::deposit_event(Event::NodeCertificationSet {
				node_id,
				certification: NodeCertification::Diy,
			});
		}
		Nodes::<T>::insert(node_id, node);
		Self::deposit_event(Event::NodeUpdated { node_id, resources });
		Ok(())
	}

	pub(crate) fn do_set_node_public_config(
		who: &T::AccountId,
		node_id: NodeId,
		config: Option<PublicConfig>,
	) -> DispatchResult {
		let mut node = Nodes::<T>::get(node_id).ok_or(Error::<T>::NodeNotFound)?;
		Self::farm_of_owner(who, node.farm_id)?;
		if let Some(config) = &config {
			config.check().map_err(Error::<T>::from)?;
		}
		node.public_config = config.clone();
		Nodes::<T>::insert(node_id, node);
		Self::deposit_event(Event::NodePublicConfigSet { node_id, config });
		Ok(())
	}

	/// Remove a node (by the node itself or its farmer); returns the observer's weight.
	pub(crate) fn do_delete_node(
		who: &T::AccountId,
		node_id: NodeId,
	) -> Result<Weight, DispatchError> {
		let node = Nodes::<T>::get(node_id).ok_or(Error::<T>::NodeNotFound)?;
		let node_account = Twins::<T>::get(node.twin_id)
			.map(|t| t.account)
			.ok_or(Error::<T>::TwinNotFound)?;
		// The farm is read once: for the farmer's permission and for its node count.
		let mut farm = Farms::<T>::get(node.farm_id);
		let farmer = farm.as_ref().and_then(|f| Twins::<T>::get(f.twin_id)).map(|t| t.account);
		ensure!(*who == node_account || farmer.as_ref() == Some(who), Error::<T>::NotNodeOrFarmer);
		if let Some(farm) = farm.as_mut() {
			farm.nodes = farm.nodes.saturating_sub(1);
			Farms::<T>::insert(node.farm_id, farm);
		}
		FarmNodes::<T>::remove(node.farm_id, node_id);
		NodeByTwin::<T>::remove(node.twin_id);
		Nodes::<T>::remove(node_id);
		Self::release_deposit(HoldReason::NodeDeposit, &node_account, node.deposit);
		let weight = T::Observer::node_removed(node_id);
		Self::deposit_event(Event::NodeDeleted { node_id, farm_id: node.farm_id });
		Ok(weight)
	}

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

	/// Returns whether the state changed (a repeated report changes nothing and pays its fee).
	pub(crate) fn do_report_power_state(
		who: &T::AccountId,
		state: Power,
	) -> Result<bool, DispatchError> {
		let (node_id, mut node) = Self::node_of_caller(who)?;
		let new_state = match (state, node.power.state) {
			(Power::Up, PowerState::Up) | (Power::Down, PowerState::Down { .. }) => {
				return Ok(false)
			},
			(Power::Up, _) => PowerState::Up,
			(Power::Down, _) => {
				PowerState::Down { since: frame_system::Pallet::<T>::block_number() }
			},
		};
		node.power.state = new_state;
		let farm_id = node.farm_id;
		Nodes::<T>::insert(node_id, node);
		T::Observer::power_state_changed(node_id, new_state);
		Self::deposit_event(Event::PowerStateChanged { farm_id, node_id, state: new_state });
		Ok(true)
	}

	pub(crate) fn do_set_node_certification(
		node_id: NodeId,
		certification: NodeCertification,
	) -> DispatchResult {
		Nodes::<T>::try_mutate(node_id, |node| {
			let node = node.as_mut().ok_or(Error::<T>::NodeNotFound)?;
			node.certification = certification;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::NodeCertificationSet { node_id, certification });
		Ok(())
	}

	/// The node the caller's twin runs as.
	pub(crate) fn node_of_caller(who: &T::AccountId) -> Result<(NodeId, NodeOf<T>), DispatchError> {
		let twin_id = TwinByAccount::<T>::get(who).ok_or(Error::<T>::TwinNotFound)?;
		let node_id = NodeByTwin::<T>::get(twin_id).ok_or(Error::<T>::NodeNotFound)?;
		let node = Nodes::<T>::get(node_id).ok_or(Error::<T>::NodeNotFound)?;
		Ok((node_id, node))
	}
}
