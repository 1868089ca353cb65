//! Nodes: registration, updates, public config, deletion and certification.

use crate::{pallet::*, types::*, Config};
use frame::prelude::*;
use grid_primitives::{
	quota::FreeQuota,
	registry::{FarmId, NodeCertification, NodeId, NodePower, NodeUsage, RegistryObserver},
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
		Self::check_spec(&spec)?;
		let node_id = Self::issue_id::<LastNodeId<T>>()?;
		farm.add_node().map_err(Error::<T>::from)?;
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
				certificate: NodeCertificate::Diy,
				power: NodePower::default(),
				free_power_changes: FreeQuota::default(),
				connection_price: ConnectionPrice::<T>::get(),
				created: Self::now_secs(),
				deposit,
			},
		);
		NodeByTwin::<T>::insert(twin_id, node_id);
		FarmNodes::<T>::insert(farm_id, node_id, ());
		Self::deposit_event(Event::NodeRegistered { node_id, farm_id, twin_id, resources });
		T::Observer::node_registered(node_id);
		// A node's twin is the machine's identity: an offer to transfer it lapses.
		if TwinTransfers::<T>::take(twin_id).is_some() {
			Self::deposit_event(Event::TwinTransferCancelled { twin_id });
		}
		Ok(node_id)
	}

	pub(crate) fn do_update_node(who: &T::AccountId, spec: NodeSpec) -> DispatchResult {
		let (node_id, mut node) = Self::node_of_caller(who)?;
		Self::check_spec(&spec)?;
		ensure!(
			spec.resources.covers(&T::Usage::reserved_capacity(node_id)),
			Error::<T>::CapacityBelowReserved
		);
		let before = node.certificate.level();
		node.certificate = node.certificate.after_capacity_change(&spec.resources);
		let after = node.certificate.level();
		let resources = spec.resources;
		node.spec = spec;
		Nodes::<T>::insert(node_id, node);
		if after != before {
			Self::deposit_event(Event::NodeCertificationSet { node_id, certification: after });
		}
		Self::deposit_event(Event::NodeUpdated { node_id, resources });
		T::Observer::node_changed(node_id);
		Ok(())
	}

	/// Sets or clears a node's public config: by its farmer (`Some(who)`) or by governance
	/// (`None`).
	pub(crate) fn do_set_node_public_config(
		who: Option<&T::AccountId>,
		node_id: NodeId,
		config: Option<PublicConfig>,
	) -> DispatchResult {
		let mut node = Nodes::<T>::get(node_id).ok_or(Error::<T>::NodeNotFound)?;
		if let Some(who) = who {
			Self::farm_of_owner(who, node.farm_id)?;
		}
		if let Some(config) = &config {
			config.check().map_err(Error::<T>::from)?;
			Self::ensure_config_free(node_id, config)?;
		}
		if let Some(old) = &node.public_config {
			Self::release_config(old);
		}
		if let Some(new) = &config {
			Self::claim_config(node_id, new);
		}
		node.public_config = config.clone();
		Nodes::<T>::insert(node_id, node);
		Self::deposit_event(Event::NodePublicConfigSet { node_id, config });
		Ok(())
	}

	/// Removes a node, by the node itself or by its farmer when nothing runs on it; returns the
	/// observer's weight.
	pub(crate) fn do_delete_node(
		who: &T::AccountId,
		node_id: NodeId,
	) -> Result<Weight, DispatchError> {
		let node = Nodes::<T>::get(node_id).ok_or(Error::<T>::NodeNotFound)?;
		let node_account = Self::account_of(node.twin_id)?;
		// The farm is read once: for the farmer's permission and for its node count.
		let mut farm = Farms::<T>::get(node.farm_id);
		let farmer = farm.as_ref().and_then(|f| Twins::<T>::get(f.twin_id)).map(|t| t.account);
		if *who != node_account {
			ensure!(farmer.as_ref() == Some(who), Error::<T>::NotNodeOrFarmer);
			// The farmer may not pull a node from under its users (as with powering it down).
			ensure!(
				!T::Usage::node_has_active_contracts(node_id),
				Error::<T>::NodeHasActiveContracts
			);
		}
		if let Some(farm) = farm.as_mut() {
			farm.remove_node().map_err(Error::<T>::from)?;
		}
		// Told while the node is still readable, so what runs on it is settled with its data.
		let weight = T::Observer::node_removed(node_id);
		if let Some(farm) = farm {
			Farms::<T>::insert(node.farm_id, farm);
		}
		if let Some(config) = &node.public_config {
			Self::release_config(config);
		}
		FarmNodes::<T>::remove(node.farm_id, node_id);
		NodeByTwin::<T>::remove(node.twin_id);
		Nodes::<T>::remove(node_id);
		Self::release_deposit(HoldReason::NodeDeposit, &node_account, node.deposit);
		Self::deposit_event(Event::NodeDeleted { node_id, farm_id: node.farm_id });
		Ok(weight)
	}

	pub(crate) fn do_set_node_certification(
		node_id: NodeId,
		certification: NodeCertification,
	) -> DispatchResult {
		Nodes::<T>::try_mutate(node_id, |node| {
			let node = node.as_mut().ok_or(Error::<T>::NodeNotFound)?;
			node.certificate = NodeCertificate::new(certification, node.spec.resources);
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::NodeCertificationSet { node_id, certification });
		T::Observer::node_changed(node_id);
		Ok(())
	}

	/// The spec's own rules, and its capacity within the plausibility maximum.
	fn check_spec(spec: &NodeSpec) -> DispatchResult {
		spec.check().map_err(Error::<T>::from)?;
		spec.resources
			.check_at_most(&MaxNodeResources::<T>::get())
			.map_err(Error::<T>::from)?;
		Ok(())
	}
}
