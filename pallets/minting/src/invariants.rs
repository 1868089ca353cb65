//! `try_state`: every node record agrees with the registry (power, standby) and never credits
//! more uptime than time passed; its timeline never runs ahead of the clock; paid network is
//! kept only for tracked nodes; receipts, their counts and the TFT they owe agree; policies are
//! within bounds.

use crate::{pallet::*, Config};
use alloc::collections::btree_map::BTreeMap;
use frame::{deps::sp_runtime::TryRuntimeError, prelude::*};
use grid_primitives::registry::{GridRegistry, NodeId, Power};

impl<T: Config> Pallet<T> {
	/// Checks the invariants in the module docs; `Err` names the first one found broken.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let last_policy = LastPolicyId::<T>::get();
		ensure!(last_policy <= T::MaxPolicies::get(), "more policies than MaxPolicies");
		ensure!(
			Policies::<T>::iter_keys().all(|id| (1..=last_policy).contains(&id)),
			"policy id never issued"
		);
		for (_, limit) in FarmPolicies::<T>::iter() {
			ensure!(Policies::<T>::contains_key(limit.policy), "farm limit names no policy");
		}
		let now = Self::now_secs();
		let params = Params::<T>::get();
		let mut counts = BTreeMap::<NodeId, u32>::new();
		let mut owed = BalanceOf::<T>::zero();
		for ((farm, node, period), r) in Receipts::<T>::iter() {
			ensure!(r.farm_id == farm && r.node_id == node && r.period == period, "receipt key");
			ensure!(r.uptime <= 1000, "uptime above 1000 per mille");
			let n = counts.entry(node).or_default();
			*n = n.saturating_add(1);
			owed = owed.checked_add(&r.tft).ok_or("unclaimed TFT overflows")?;
		}
		ensure!(owed == Unclaimed::<T>::get(), "Unclaimed differs from the receipts' sum");
		for (id, state) in NodeStates::<T>::iter() {
			let params = params.ok_or("a node is tracked without parameters")?;
			let node = T::Registry::node(id).ok_or("tracked node is not registered")?;
			ensure!(node.farm_id == state.farm_id, "tracked farm differs");
			ensure!(
				T::Registry::twin_account(node.twin_id) == Some(state.account.clone()),
				"tracked account differs from the node's"
			);
			ensure!(node.resources == state.resources, "tracked capacity differs");
			ensure!(
				state.asked_down == (node.power.target == Power::Down),
				"tracked power target differs"
			);
			ensure!(
				state.standby.is_some_and(|s| s.end == u64::MAX) == node.power.is_standby(),
				"an open standby span differs from the node's power"
			);
			let timeline = &state.timeline;
			ensure!(timeline.settled_until <= now, "a timeline settled beyond the clock");
			ensure!(
				timeline.downs.windows(2).all(|w| matches!(w, [a, b] if a.end < b.start))
					&& timeline.downs.iter().all(|d| {
						timeline.complete_from <= d.start
							&& d.start < d.end && d.end <= timeline.settled_until
					}),
				"timeline down spans unsorted, touching or outside the settled time"
			);
			ensure!(!state.farm_policy || state.policy.is_some(), "a farm-policy node without one");
			ensure!(
				state.resources.covers(&state.period.min_resources),
				"period minimum above the capacity"
			);
			let (start, end) = params.bounds(state.period.index);
			ensure!(
				start <= state.period.start && state.period.start <= end,
				"period record outside its period"
			);
			ensure!(
				state.period.uptime <= now.min(end).saturating_sub(state.period.start),
				"more uptime credited than time passed"
			);
			if let Some(policy) = state.policy {
				ensure!(Policies::<T>::contains_key(policy), "node on a missing policy");
			}
			let windows = &state.maintenance;
			ensure!(
				windows.windows(2).all(|w| matches!(w, [a, b] if a.end <= b.start)),
				"maintenance windows unsorted or overlapping"
			);
			ensure!(
				counts.remove(&id).unwrap_or(0) == state.unclaimed,
				"unclaimed count differs from the node's receipts"
			);
		}
		let from = DeparturesFrom::<T>::get();
		for (period, _, at) in Departures::<T>::iter() {
			ensure!(at <= now, "a departure in the future");
			ensure!(from.is_some_and(|from| period >= from), "a departure the pruning skips");
		}
		for node in PaidNetworks::<T>::iter_keys() {
			ensure!(NodeStates::<T>::contains_key(node), "paid network of an untracked node");
		}
		// What is left belongs to deleted nodes (no state, no count).
		for node in counts.keys() {
			ensure!(T::Registry::node(*node).is_none(), "receipts of a live untracked node");
		}
		Ok(())
	}
}
