//! What minting tells and answers other pallets: it follows the registry's nodes
//! ([`RegistryObserver`]) and says whether a node is up ([`NodeLiveness`]).

use crate::{pallet::*, types::*, weights::WeightInfo, Config};
use frame::prelude::*;
use grid_primitives::registry::{
	GridRegistry, NodeId, NodeLiveness, Power, PowerState, RegistryObserver,
};

impl<T: Config> RegistryObserver<BlockNumberFor<T>> for Pallet<T> {
	fn node_registered(node_id: NodeId) {
		Self::node_changed(node_id)
	}

	/// Follows capacity (the period keeps its minimum), virtualization (sticky for the period)
	/// and certification (a new default policy, unless the node is on its farm's policy).
	/// Starts tracking a node it does not know.
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
		if node.certification != state.certification {
			state.certification = node.certification;
			if !state.farm_policy {
				let farm = T::Registry::farm(state.farm_id).map(|f| f.certification);
				let policy = Self::best_default(node.certification, farm.unwrap_or_default(), now);
				if policy != state.policy {
					state.policy = policy;
					Self::deposit_event(Event::NodePolicyChanged { node_id, policy });
				}
			}
		}
		NodeStates::<T>::insert(node_id, state);
	}

	fn node_changed_max_weight() -> Weight {
		T::WeightInfo::node_changed().max(T::WeightInfo::track_node())
	}

	/// Closes the node's period as of now (or of its end, if it ended unclosed): its receipt
	/// stays claimable.
	fn node_removed(node_id: NodeId) -> Weight {
		let Some(params) = Params::<T>::get() else { return T::DbWeight::get().reads(1) };
		let Some(mut state) = NodeStates::<T>::take(node_id) else {
			return T::DbWeight::get().reads(2);
		};
		let now = Self::now_secs();
		let (_, end) = params.bounds(state.period.index);
		if let Err(e) = Self::close(node_id, &mut state, &params, end.min(now), now) {
			log::error!(target: "runtime::minting", "node {node_id}: last period lost: {e:?}");
		}
		T::WeightInfo::node_removed()
	}

	fn node_removed_max_weight() -> Weight {
		T::WeightInfo::node_removed()
	}

	/// Follows the farmer's target; a wake request during a sleep is remembered (the first).
	fn power_target_changed(node_id: NodeId, target: Power) {
		NodeStates::<T>::mutate(node_id, |state| {
			let Some(state) = state.as_mut() else { return };
			state.asked_down = target == Power::Down;
			if let Some(sleep) = state.sleep.as_mut().filter(|_| target == Power::Up) {
				if sleep.wake_requested.is_none() {
					sleep.wake_requested = Some(Self::now_secs());
				}
			}
		});
	}

	/// The node went down while its farmer's target is down: it sleeps.
	fn power_state_changed(node_id: NodeId, power: PowerState<BlockNumberFor<T>>) {
		if power == PowerState::Up {
			return;
		}
		NodeStates::<T>::mutate(node_id, |state| {
			if let Some(state) = state.as_mut().filter(|s| s.asked_down) {
				state.sleep = Some(Sleep { since: Self::now_secs(), wake_requested: None });
				state.up_since = None;
				Self::deposit_event(Event::NodeAsleep { node_id });
			}
		});
	}

	fn power_changed_max_weight() -> Weight {
		T::WeightInfo::power_changed()
	}
}

impl<T: Config> NodeLiveness for Pallet<T> {
	fn up_since(node_id: NodeId) -> Option<u64> {
		let params = Params::<T>::get()?;
		let state = NodeStates::<T>::get(node_id)?;
		let last = state.last?;
		let up = state.sleep.is_none() && params.is_recent(last.at, Self::now_secs());
		up.then_some(state.up_since).flatten()
	}

	fn query_weight() -> Weight {
		T::DbWeight::get().reads(3)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// For other pallets' benchmarks: `node` reported just now and is up since `since`.
	pub fn benchmark_node_up(node_id: NodeId, since: u64) {
		let now = Self::now_secs();
		NodeStates::<T>::mutate(node_id, |state| {
			if let Some(state) = state {
				state.last = Some(crate::types::LastReport {
					at: now,
					uptime: now.saturating_sub(since),
					boot: since,
					previous_boot: None,
				});
				state.up_since = Some(since);
				state.sleep = None;
			}
		});
	}
}
