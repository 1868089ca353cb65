//! What minting tells and answers other pallets: it follows the registry's nodes
//! ([`RegistryObserver`]), gives billing each node's settled timeline ([`NodeLiveness`]), and
//! is told what billing collected for each node's network ([`NetworkRevenue`]).

use crate::{pallet::*, weights::WeightInfo, Config, PeriodIndex};
use frame::prelude::*;
use grid_primitives::{
	contracts::{NetworkRevenue, PaidNetwork},
	governance::{FarmVoteWeight, VoteWeight, VoterError},
	liveness::{NodeLiveness, Timeline},
	registry::{FarmId, GridRegistry, NodeId, Power, PowerState, RegistryObserver},
};

impl<T: Config> RegistryObserver<BlockNumberFor<T>> for Pallet<T> {
	fn node_registered(node_id: NodeId) {
		Self::node_changed(node_id)
	}

	/// Follows capacity (the period keeps its minimum; growth on a farm's policy must fit its
	/// limit), virtualization (sticky for the period) and certification (a new default policy,
	/// unless the node is on its farm's policy). Starts tracking a node it does not know.
	fn node_changed(node_id: NodeId) {
		let Some(params) = Params::<T>::get() else { return };
		let now = Self::now_secs();
		let Some(mut state) = NodeStates::<T>::get(node_id) else {
			match Self::track(node_id, now, &params) {
				Ok(state) => NodeStates::<T>::insert(node_id, state),
				Err(e) => {
					log::error!(target: "runtime::minting", "node {node_id} untracked: {e:?}")
				},
			}
			return;
		};
		let Some(node) = T::Registry::node(node_id) else { return };
		state.resources = node.resources;
		state.period.min_resources = state.period.min_resources.min(&node.resources);
		state.virtualized = node.virtualized;
		state.period.virtualized |= node.virtualized;
		let farm_id = state.farm_id;
		let farm = || T::Registry::farm(farm_id).map(|f| f.certification).unwrap_or_default();
		let mut policy = state.policy;
		if state.farm_policy {
			if !Self::farm_limit_covers(&mut state, now) {
				state.farm_policy = false;
				state.policy_units = Default::default();
				policy = Self::best_default(node.certification, farm(), now);
			}
		} else if node.certification != state.certification {
			policy = Self::best_default(node.certification, farm(), now);
		}
		state.certification = node.certification;
		if policy != state.policy {
			state.policy = policy;
			Self::deposit_event(Event::NodePolicyChanged { node_id, policy });
		}
		NodeStates::<T>::insert(node_id, state);
	}

	fn node_changed_max_weight() -> Weight {
		// The benchmark scans the defaults after a certification change; a node on its farm's
		// policy that grew also reads (and may write) the farm's limit first.
		let farm_limit = T::DbWeight::get().reads_writes(1, 1);
		T::WeightInfo::node_changed()
			.saturating_add(farm_limit)
			.max(T::WeightInfo::track_node())
	}

	/// Closes the node's period as of now (or of its end, if it ended unclosed): the time
	/// since its last report counts as downtime; its receipt stays claimable.
	fn node_removed(node_id: NodeId) -> Weight {
		let Some(params) = Params::<T>::get() else { return T::DbWeight::get().reads(1) };
		let Some(mut state) = NodeStates::<T>::take(node_id) else {
			return T::DbWeight::get().reads(2);
		};
		let now = Self::now_secs();
		let (_, end) = params.bounds(state.period.index);
		if now < end {
			if let Some(node) = T::Registry::node(node_id) {
				Self::record_departure(state.period.index, node.twin_id, now);
			}
		}
		Self::close(node_id, &mut state, &params, (end.min(now), now), true);
		T::WeightInfo::node_removed()
	}

	fn node_removed_max_weight() -> Weight {
		T::WeightInfo::node_removed()
	}

	/// Follows the farmer's target: down puts the node on standby; up times a sleeping node's
	/// wake-up.
	fn power_target_changed(node_id: NodeId, target: Power) {
		Self::follow_power(node_id, |state, now| {
			state.asked_down = target == Power::Down;
			if target == Power::Up {
				state.wake_requested(now);
			}
		});
	}

	/// The node went down while its farmer's target is down: it sleeps.
	fn power_state_changed(node_id: NodeId, power: PowerState<BlockNumberFor<T>>) {
		let Some(params) = Params::<T>::get() else { return };
		let mut asleep = false;
		Self::follow_power(node_id, |state, now| {
			if power != PowerState::Up && state.asked_down && state.sleep.is_none() {
				state.go_to_sleep(now, &params);
				asleep = true;
			}
		});
		if asleep {
			Self::deposit_event(Event::NodeAsleep { node_id });
		}
	}

	fn power_changed_max_weight() -> Weight {
		T::WeightInfo::power_changed()
	}
}

impl<T: Config> Pallet<T> {
	/// Whether the farm's limit still covers a node on it, taking what it grew by from the
	/// limit when it does.
	fn farm_limit_covers(state: &mut NodeStateOf<T>, now: u64) -> bool {
		let units = state.resources.cloud_units();
		let grown = grid_primitives::resources::CloudUnits {
			cu: units.cu.saturating_sub(state.policy_units.cu),
			su: units.su.saturating_sub(state.policy_units.su),
		};
		if grown == Default::default() {
			return true;
		}
		let Some(mut limit) = FarmPolicies::<T>::get(state.farm_id) else { return false };
		if Some(limit.policy) != state.policy || !limit.take_units(grown, now) {
			return false;
		}
		FarmPolicies::<T>::insert(state.farm_id, limit);
		state.policy_units.cu = state.policy_units.cu.max(units.cu);
		state.policy_units.su = state.policy_units.su.max(units.su);
		true
	}

	/// Applies a power change to a tracked node, then its standby as the registry now has it.
	fn follow_power(node_id: NodeId, change: impl FnOnce(&mut NodeStateOf<T>, u64)) {
		let Some(mut state) = NodeStates::<T>::get(node_id) else { return };
		let now = Self::now_secs();
		change(&mut state, now);
		let standby = T::Registry::node(node_id).is_some_and(|n| n.power.is_standby());
		state.set_standby(standby, now);
		NodeStates::<T>::insert(node_id, state);
	}
}

impl<T: Config> NodeLiveness for Pallet<T> {
	fn timeline(node_id: NodeId) -> Option<Timeline> {
		NodeStates::<T>::get(node_id).map(|s| s.timeline)
	}

	fn settle_delay() -> u64 {
		Params::<T>::get().map_or(0, |p| p.settle_delay())
	}

	fn query_weight() -> Weight {
		T::DbWeight::get().reads(2)
	}
}

impl<T: Config> NetworkRevenue for Pallet<T> {
	/// Adds what billing collected to the node's current period (a node minting does not
	/// track earns nothing from it).
	fn collected(node_id: NodeId, usage: PaidNetwork) {
		if usage.is_zero() || !NodeStates::<T>::contains_key(node_id) {
			return;
		}
		PaidNetworks::<T>::mutate(node_id, |paid| *paid = paid.plus(usage));
	}

	fn collected_weight() -> Weight {
		T::WeightInfo::network_collected()
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// For other pallets' benchmarks: `node`'s time is settled as up from `since` to now.
	pub fn benchmark_node_up(node_id: NodeId, since: u64) {
		let now = Self::now_secs();
		NodeStates::<T>::mutate(node_id, |state| {
			if let Some(state) = state {
				let mut timeline = Timeline::starting(since);
				timeline.settle(now, &[grid_primitives::liveness::Window::new(since, now)]);
				state.timeline = timeline;
				state.standby = None;
				state.sleep = None;
			}
		});
	}

	/// For other pallets' benchmarks: `farm` proved `weight` in the last closed period (none
	/// while the clock is in the first period: move it first).
	pub fn benchmark_farm_proven(farm_id: FarmId, weight: VoteWeight) {
		if let Some(k) = Self::last_closed_period() {
			FarmProven::<T>::mutate(farm_id, |p| p.add(k, weight));
			TotalProven::<T>::mutate(|p| p.add(k, weight));
		}
	}
}

/// A farm votes in the farmer DAO with what its nodes proved in the last closed period (the one
/// before the period of the chain's clock), or in the one before if that is more: nodes close a
/// period one by one on their first report after its end, so for a moment after every period
/// boundary the last closed period holds little or nothing yet.
impl<T: Config> FarmVoteWeight<T::AccountId> for Pallet<T> {
	fn voter_weight(who: &T::AccountId, farm_id: FarmId) -> Result<VoteWeight, VoterError> {
		let farm = T::Registry::farm(farm_id).ok_or(VoterError::UnknownFarm)?;
		if T::Registry::twin_of(who) != Some(farm.twin_id) {
			return Err(VoterError::NotFarmOwner);
		}
		Ok(Self::last_closed_period().map_or(0, |k| FarmProven::<T>::get(farm_id).best_of_two(k)))
	}

	fn total_weight() -> VoteWeight {
		Self::last_closed_period().map_or(0, |k| TotalProven::<T>::get().best_of_two(k))
	}

	/// The farm, the caller's twin, the parameters and the farm's (or the total) proven
	/// capacity.
	fn query_weight() -> Weight {
		T::DbWeight::get().reads(4)
	}
}

impl<T: Config> Pallet<T> {
	/// The period before the one the chain's clock is in (`None` during the first period or
	/// before minting is configured).
	fn last_closed_period() -> Option<PeriodIndex> {
		Params::<T>::get()?.period_of(Self::now_secs()).checked_sub(1)
	}
}
