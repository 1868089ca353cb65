//! Node, rent and name contracts: creation, update, grace, and the one way a contract ends.

use crate::{pallet::*, types::*, Config, WeightInfo};
use frame::{deps::frame_support::storage::with_storage_layer, prelude::*};
use grid_primitives::{
	contracts::{ContractObserver, ContractState, EndCause, ExtraFee, FeeIncrease, ProviderId},
	money::Musd,
	registry::{ContractId, GridRegistry, NodeId, NodeInfo, PublicIpPool, TwinId},
	resources::Resources,
};

/// What a new node contract asks for.
pub struct Deployment {
	pub node_id: NodeId,
	pub deployment_hash: DeploymentHash,
	pub deployment_data: DeploymentData,
	pub resources: Resources,
	pub public_ips: u32,
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_node_contract(
		who: &T::AccountId,
		d: Deployment,
		provider: Option<ProviderId>,
	) -> Result<ContractId, DispatchError> {
		let twin_id = Self::twin_of(who)?;
		let node = T::Registry::node(d.node_id).ok_or(Error::<T>::NodeNotFound)?;
		Self::ensure_may_deploy(twin_id, d.node_id, &node)?;
		ensure!(
			!ContractByHash::<T>::contains_key(d.node_id, d.deployment_hash),
			Error::<T>::DeploymentHashExists
		);
		let mut load = NodeLoads::<T>::get(d.node_id);
		load.add(&d.resources, &node.resources, T::MaxContractsPerNode::get())
			.map_err(Error::<T>::from)?;
		ensure!(d.public_ips <= MAX_IPS_PER_CONTRACT, Error::<T>::TooManyIps);
		Self::ensure_provider(provider)?;
		let contract_id = Self::issue_contract_id()?;
		// Last of the fallible steps, so a refusal above changes nothing in the registry.
		let ips = T::IpPool::reserve_ips(node.farm_id, contract_id, d.public_ips)
			.map_err(|_| Error::<T>::NotEnoughPublicIps)?;
		let public_ips = ContractIps::try_from(ips).map_err(|_| Error::<T>::TooManyIps)?;
		let kind = ContractKind::Node(NodeContract {
			node_id: d.node_id,
			farm_id: node.farm_id,
			deployment_hash: d.deployment_hash,
			deployment_data: d.deployment_data,
			resources: d.resources,
			public_ips: public_ips.clone(),
		});
		Self::insert_contract(who, twin_id, contract_id, kind, provider)?;
		NodeLoads::<T>::insert(d.node_id, load);
		NodeContracts::<T>::insert(d.node_id, contract_id, ());
		ContractByHash::<T>::insert(d.node_id, d.deployment_hash, contract_id);
		ContractUsages::<T>::insert(
			contract_id,
			ContractUsage { window_end: Self::now_secs(), ..Default::default() },
		);
		Self::deposit_event(Event::NodeContractCreated {
			contract_id,
			twin_id,
			node_id: d.node_id,
			deployment_hash: d.deployment_hash,
			resources: d.resources,
			public_ips,
		});
		Self::created(contract_id, provider)?;
		Ok(contract_id)
	}

	/// Who may deploy on `node`: its renter always; others only on a node that is up, not
	/// rent-only and not rented.
	fn ensure_may_deploy(
		twin_id: TwinId,
		node_id: NodeId,
		node: &NodeInfo<BlockNumberFor<T>>,
	) -> DispatchResult {
		if let Some(rent) = RentOf::<T>::get(node_id) {
			let rent = Contracts::<T>::get(rent).ok_or(Error::<T>::InconsistentState)?;
			ensure!(rent.twin_id == twin_id, Error::<T>::NodeRentedByOther);
			// Nothing new on a rented node while its rent is unpaid.
			ensure!(!rent.in_grace(), Error::<T>::ContractInGrace);
			return Ok(());
		}
		ensure!(!node.power.is_standby(), Error::<T>::NodeOnStandby);
		let dedicated = T::Registry::farm(node.farm_id).is_some_and(|f| f.dedicated);
		ensure!(!dedicated && !ExtraFees::<T>::contains_key(node_id), Error::<T>::NodeRequiresRent);
		Ok(())
	}

	pub(crate) fn do_update_node_contract(
		who: &T::AccountId,
		contract_id: ContractId,
		deployment_hash: DeploymentHash,
		deployment_data: DeploymentData,
		resources: Resources,
	) -> DispatchResult {
		let (twin_id, mut contract) = Self::contract_of_owner(who, contract_id)?;
		ensure!(!contract.in_grace(), Error::<T>::ContractInGrace);
		let ContractKind::Node(deployment) = &mut contract.kind else {
			return Err(Error::<T>::NotANodeContract.into());
		};
		let node_id = deployment.node_id;
		let node = T::Registry::node(node_id).ok_or(Error::<T>::NodeNotFound)?;
		if deployment_hash != deployment.deployment_hash {
			ensure!(
				!ContractByHash::<T>::contains_key(node_id, deployment_hash),
				Error::<T>::DeploymentHashExists
			);
		}
		let mut load = NodeLoads::<T>::get(node_id);
		load.resize(&deployment.resources, &resources, &node.resources)
			.map_err(Error::<T>::from)?;
		T::Billing::settle(contract_id);
		ContractByHash::<T>::remove(node_id, deployment.deployment_hash);
		ContractByHash::<T>::insert(node_id, deployment_hash, contract_id);
		NodeLoads::<T>::insert(node_id, load);
		deployment.deployment_hash = deployment_hash;
		deployment.deployment_data = deployment_data;
		deployment.resources = resources;
		Contracts::<T>::insert(contract_id, contract);
		Self::deposit_event(Event::NodeContractUpdated {
			contract_id,
			twin_id,
			node_id,
			deployment_hash,
			resources,
		});
		Ok(())
	}

	pub(crate) fn do_create_rent_contract(
		who: &T::AccountId,
		node_id: NodeId,
		provider: Option<ProviderId>,
		max_extra_fee: Musd,
	) -> Result<ContractId, DispatchError> {
		let twin_id = Self::twin_of(who)?;
		let node = T::Registry::node(node_id).ok_or(Error::<T>::NodeNotFound)?;
		let fee = ExtraFees::<T>::get(node_id).unwrap_or_default();
		ensure!(fee <= max_extra_fee, Error::<T>::ExtraFeeAboveMax);
		// A fee set before governance lowered the ceiling rents nothing until it is lowered.
		ensure!(fee <= GridLimits::<T>::get().max_extra_fee, Error::<T>::ExtraFeeTooHigh);
		ensure!(!RentOf::<T>::contains_key(node_id), Error::<T>::NodeAlreadyRented);
		ensure!(NodeLoads::<T>::get(node_id).contracts == 0, Error::<T>::NodeHasContracts);
		Self::ensure_provider(provider)?;
		let contract_id = Self::issue_contract_id()?;
		let kind = ContractKind::Rent {
			node_id,
			resources: node.resources,
			extra_fee: ExtraFee::agreed(fee),
		};
		Self::insert_contract(who, twin_id, contract_id, kind, provider)?;
		RentOf::<T>::insert(node_id, contract_id);
		Self::deposit_event(Event::RentContractCreated { contract_id, twin_id, node_id });
		Self::created(contract_id, provider)?;
		Ok(contract_id)
	}

	pub(crate) fn do_create_name_contract(
		who: &T::AccountId,
		name: GatewayName,
	) -> Result<ContractId, DispatchError> {
		check_name(&name).map_err(Error::<T>::from)?;
		let twin_id = Self::twin_of(who)?;
		ensure!(!NameOwner::<T>::contains_key(&name), Error::<T>::NameTaken);
		let contract_id = Self::issue_contract_id()?;
		let kind = ContractKind::Name { name: name.clone() };
		Self::insert_contract(who, twin_id, contract_id, kind, None)?;
		NameOwner::<T>::insert(&name, contract_id);
		Self::deposit_event(Event::NameContractCreated { contract_id, twin_id, name });
		Self::created(contract_id, None)?;
		Ok(contract_id)
	}

	pub(crate) fn do_cancel_contract(
		who: &T::AccountId,
		contract_id: ContractId,
	) -> DispatchResult {
		let (_, contract) = Self::contract_of_owner(who, contract_id)?;
		if let ContractKind::Rent { node_id, .. } = contract.kind {
			ensure!(NodeLoads::<T>::get(node_id).contracts == 0, Error::<T>::RentHasNodeContracts);
		}
		Self::end_contract(contract_id, EndCause::Owner).map(|_| ())
	}

	pub(crate) fn do_set_traffic_limit(
		who: &T::AccountId,
		contract_id: ContractId,
		limit: Option<u64>,
	) -> DispatchResult {
		let (twin_id, contract) = Self::contract_of_owner(who, contract_id)?;
		ensure!(matches!(contract.kind, ContractKind::Node(_)), Error::<T>::NotANodeContract);
		let now = Self::now_secs();
		ContractUsages::<T>::try_mutate(contract_id, |usage| {
			let usage = usage.as_mut().ok_or(Error::<T>::InconsistentState)?;
			usage.set_limit(limit, now);
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::TrafficLimitSet { contract_id, twin_id, limit });
		Ok(())
	}

	pub(crate) fn do_set_extra_fee(
		who: &T::AccountId,
		node_id: NodeId,
		fee: Musd,
	) -> DispatchResult {
		let node = T::Registry::node(node_id).ok_or(Error::<T>::NodeNotFound)?;
		let twin_id = Self::twin_of(who)?;
		let farm = T::Registry::farm(node.farm_id).ok_or(Error::<T>::NodeNotFound)?;
		ensure!(farm.twin_id == twin_id, Error::<T>::NotFarmer);
		let limits = GridLimits::<T>::get();
		ensure!(fee <= limits.max_extra_fee, Error::<T>::ExtraFeeTooHigh);
		let rent = RentOf::<T>::get(node_id);
		// Shared contracts cannot stay on a node that becomes rent-only.
		ensure!(
			rent.is_some() || NodeLoads::<T>::get(node_id).contracts == 0,
			Error::<T>::NodeHasContracts
		);
		if fee == Musd(0) {
			ExtraFees::<T>::remove(node_id);
		} else {
			ExtraFees::<T>::insert(node_id, fee);
		}
		Self::deposit_event(Event::ExtraFeeSet { node_id, fee });
		if let Some(rent) = rent {
			Self::change_rent_fee(rent, fee, limits.fee_notice)?;
		}
		Ok(())
	}

	/// The farmer's new `fee` for a running rent: a lower one from now, a higher one after
	/// `notice` seconds. The rent is settled first, under the fees in force until now (a
	/// pending increase is folded in only once charged up to its start).
	fn change_rent_fee(contract_id: ContractId, fee: Musd, notice: u64) -> DispatchResult {
		T::Billing::settle(contract_id);
		let mut contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::InconsistentState)?;
		let ContractKind::Rent { node_id, extra_fee, .. } = &mut contract.kind else {
			return Err(Error::<T>::InconsistentState.into());
		};
		let node_id = *node_id;
		let now = Self::now_secs();
		let current = extra_fee.settled(now);
		if fee <= current.fee {
			*extra_fee = ExtraFee::agreed(fee);
		} else {
			let from = now.saturating_add(notice);
			*extra_fee = ExtraFee { fee: current.fee, increase: Some(FeeIncrease { fee, from }) };
			Self::deposit_event(Event::ExtraFeeIncreaseScheduled {
				contract_id,
				twin_id: contract.twin_id,
				node_id,
				fee,
				from,
			});
		}
		Contracts::<T>::insert(contract_id, contract);
		Ok(())
	}

	/// Created → GracePeriod; a rent contract takes its node's contracts along.
	pub(crate) fn do_start_grace(contract_id: ContractId) -> DispatchResult {
		let now = frame_system::Pallet::<T>::block_number();
		let mut contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::ContractNotFound)?;
		ensure!(contract.start_grace(now), Error::<T>::ContractInGrace);
		Self::store_transition(contract_id, contract, true);
		Ok(())
	}

	/// GracePeriod → Created; a rent contract brings its node's contracts back.
	pub(crate) fn do_end_grace(contract_id: ContractId) -> DispatchResult {
		let mut contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::ContractNotFound)?;
		ensure!(contract.end_grace(), Error::<T>::ContractNotInGrace);
		Self::store_transition(contract_id, contract, false);
		Ok(())
	}

	/// Stores a contract that entered (`grace`) or left grace, emits the event, and carries the
	/// node contracts of a rented node along (those already in that state are left alone).
	fn store_transition(contract_id: ContractId, contract: ContractOf<T>, grace: bool) {
		let node_id = contract.kind.node_id();
		let twin_id = contract.twin_id;
		let state = contract.state;
		let rent_node = match contract.kind {
			ContractKind::Rent { node_id, .. } => Some(node_id),
			_ => None,
		};
		Contracts::<T>::insert(contract_id, contract);
		Self::deposit_event(match state {
			ContractState::GracePeriod { since } => {
				Event::ContractGraceStarted { contract_id, twin_id, node_id, since }
			},
			ContractState::Created => Event::ContractGraceEnded { contract_id, twin_id, node_id },
		});
		let Some(rent_node) = rent_node else { return };
		let now = frame_system::Pallet::<T>::block_number();
		for child in NodeContracts::<T>::iter_key_prefix(rent_node) {
			let Some(mut c) = Contracts::<T>::get(child) else { continue };
			let changed = if grace { c.start_grace(now) } else { c.end_grace() };
			if changed {
				Self::store_transition(child, c, grace);
			}
		}
	}

	/// Ends a contract for `cause`: settles it with billing, releases its IPs, capacity, name
	/// and deposit, removes it and its indexes, and emits [`Event::ContractEnded`]. A rent
	/// contract first ends the node contracts on its node. Returns how many contracts ended.
	/// Atomic: on an error nothing changed, also when a hook or another pallet calls it.
	pub(crate) fn end_contract(
		contract_id: ContractId,
		cause: EndCause,
	) -> Result<u32, DispatchError> {
		with_storage_layer(|| Self::end_contract_unchecked(contract_id, cause))
	}

	fn end_contract_unchecked(
		contract_id: ContractId,
		cause: EndCause,
	) -> Result<u32, DispatchError> {
		let contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::ContractNotFound)?;
		let mut ended = 0u32;
		if let ContractKind::Rent { node_id, .. } = contract.kind {
			let children: alloc::vec::Vec<_> =
				NodeContracts::<T>::iter_key_prefix(node_id).collect();
			for child in children {
				ended = ended.saturating_add(Self::end_contract(child, cause)?);
			}
		}
		let twin_count = TwinContractCount::<T>::get(contract.twin_id)
			.checked_sub(1)
			.ok_or(Error::<T>::InconsistentState)?;
		let mut load = None;
		if let ContractKind::Node(c) = &contract.kind {
			let mut l = NodeLoads::<T>::get(c.node_id);
			l.remove(&c.resources).map_err(Error::<T>::from)?;
			load = Some(l);
		}
		// The deposit comes back first, so that the last charge can take what is owed from it.
		Self::release_deposit(HoldReason::ContractDeposit, &contract.payer, contract.deposit);
		T::Billing::settle(contract_id);
		let node_id = contract.kind.node_id();
		match &contract.kind {
			ContractKind::Node(c) => {
				T::IpPool::release_ips(c.farm_id, contract_id);
				if let Some(load) = load {
					if load.contracts == 0 {
						NodeLoads::<T>::remove(c.node_id);
					} else {
						NodeLoads::<T>::insert(c.node_id, load);
					}
				}
				NodeContracts::<T>::remove(c.node_id, contract_id);
				ContractByHash::<T>::remove(c.node_id, c.deployment_hash);
				ContractUsages::<T>::remove(contract_id);
			},
			ContractKind::Rent { node_id, .. } => RentOf::<T>::remove(node_id),
			ContractKind::Name { name } => NameOwner::<T>::remove(name),
		}
		if twin_count == 0 {
			TwinContractCount::<T>::remove(contract.twin_id);
		} else {
			TwinContractCount::<T>::insert(contract.twin_id, twin_count);
		}
		ContractsOfTwin::<T>::remove(contract.twin_id, contract_id);
		Contracts::<T>::remove(contract_id);
		Self::deposit_event(Event::ContractEnded {
			contract_id,
			twin_id: contract.twin_id,
			node_id,
			cause,
		});
		T::Billing::contract_ended(contract_id, cause);
		Ok(ended.saturating_add(1))
	}

	/// Weight of ending a contract that takes `children` node contracts with it.
	pub(crate) fn end_weight(children: u32) -> Weight {
		T::WeightInfo::force_end_contract(children)
			.saturating_add(T::Billing::max_weight().saturating_mul(u64::from(children) + 1))
	}

	/// Ends everything on a removed node (its node contracts and its rent contract) and forgets
	/// its traffic allowance, extra fee and last usage batch.
	pub(crate) fn end_all_on_node(node_id: NodeId) -> u32 {
		let mut ended = 0u32;
		let ids: alloc::vec::Vec<_> = RentOf::<T>::get(node_id)
			.into_iter()
			.chain(NodeContracts::<T>::iter_key_prefix(node_id))
			.collect();
		for id in ids {
			// A rent contract ends its children first; they are then gone.
			if !Contracts::<T>::contains_key(id) {
				continue;
			}
			match Self::end_contract(id, EndCause::NodeRemoved) {
				Ok(n) => ended = ended.saturating_add(n),
				Err(e) => log::error!(
					target: "runtime::capacity",
					"contract {id} on removed node {node_id} could not end: {e:?}"
				),
			}
		}
		NodeNetworks::<T>::remove(node_id);
		ExtraFees::<T>::remove(node_id);
		LastUsageBatch::<T>::remove(node_id);
		ended
	}

	/// Whether anything runs on or rents `node_id`.
	pub(crate) fn node_in_use(node_id: NodeId) -> bool {
		NodeLoads::<T>::get(node_id).contracts > 0 || RentOf::<T>::contains_key(node_id)
	}

	/// Tells billing about a new contract (which may refuse it), and announces its provider.
	fn created(contract_id: ContractId, provider: Option<ProviderId>) -> DispatchResult {
		T::Billing::contract_created(contract_id)?;
		if let Some(provider_id) = provider {
			Self::deposit_attached(contract_id, provider_id);
		}
		Ok(())
	}
}
