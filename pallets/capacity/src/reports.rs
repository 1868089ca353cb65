//! Usage reports: what a node's contracts used and how much public traffic they moved.

use crate::{pallet::*, types::*, Config};
use frame::prelude::*;
use grid_primitives::registry::GridRegistry;

impl<T: Config> Pallet<T> {
	/// Checks the whole batch first (a bad report refuses it all), then accepts each report
	/// whose window follows the last accepted one.
	pub(crate) fn do_report_usage(who: &T::AccountId, reports: UsageReports<T>) -> DispatchResult {
		let twin_id = T::Registry::twin_of(who).ok_or(Error::<T>::TwinNotFound)?;
		let node_id = T::Registry::node_of_twin(twin_id).ok_or(Error::<T>::NodeNotFound)?;
		let now = Self::now_secs();
		let mut paused = alloc::collections::btree_set::BTreeSet::new();
		let mut claimed = 0u64;
		for report in &reports {
			report.check(now).map_err(Error::<T>::from)?;
			match Contracts::<T>::get(report.contract_id) {
				// Ended since the node measured: nothing to bill.
				None => {},
				Some(c) => {
					let ContractKind::Node(n) = &c.kind else {
						return Err(Error::<T>::NotANodeContract.into());
					};
					ensure!(n.node_id == node_id, Error::<T>::NotContractNode);
					// Its workloads are paused in grace: no traffic is billed for it.
					if c.in_grace() {
						paused.insert(report.contract_id);
					}
				},
			}
			claimed = claimed.saturating_add(report.public_traffic_bytes);
		}
		// The node's traffic, all contracts together, within its allowance.
		let rate = GridLimits::<T>::get().node_traffic_per_second;
		let mut allowance = NodeNetworks::<T>::get(node_id);
		ensure!(allowance.take(claimed, rate, now), Error::<T>::NodeTrafficExceeded);
		NodeNetworks::<T>::insert(node_id, allowance);
		let (mut accepted, mut skipped, mut capped_bytes) = (0u32, 0u32, 0u64);
		for report in reports.iter() {
			if paused.contains(&report.contract_id) {
				ContractUsages::<T>::mutate_exists(report.contract_id, |usage| {
					if let Some(u) = usage.as_mut() {
						u.pass_over(report);
					}
				});
				skipped = skipped.saturating_add(1);
				continue;
			}
			let outcome = ContractUsages::<T>::mutate_exists(report.contract_id, |usage| {
				usage.as_mut().map_or(Accepted::Skipped, |u| u.accept(report))
			});
			match outcome {
				Accepted::Counted { capped, .. } => {
					accepted = accepted.saturating_add(1);
					capped_bytes = capped_bytes.saturating_add(capped);
				},
				Accepted::Skipped => skipped = skipped.saturating_add(1),
			}
		}
		Self::deposit_event(Event::UsageReported { node_id, accepted, skipped, capped_bytes });
		Ok(())
	}
}
