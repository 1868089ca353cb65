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
		for report in &reports {
			report.check(now).map_err(Error::<T>::from)?;
			match Contracts::<T>::get(report.contract_id).map(|c| c.kind) {
				// Ended since the node measured: nothing to bill.
				None => {},
				Some(ContractKind::Node(c)) => {
					ensure!(c.node_id == node_id, Error::<T>::NotContractNode)
				},
				Some(_) => return Err(Error::<T>::NotANodeContract.into()),
			}
		}
		let (mut accepted, mut skipped) = (0u32, 0u32);
		let mut traffic = 0u128;
		for report in &reports {
			let counted = ContractUsages::<T>::mutate_exists(report.contract_id, |usage| {
				usage.as_mut().is_some_and(|u| u.accept(report))
			});
			if counted {
				accepted += 1;
				traffic = traffic.saturating_add(report.public_traffic_bytes.into());
			} else {
				skipped += 1;
			}
		}
		if traffic > 0 {
			NodeNetworks::<T>::mutate(node_id, |net| {
				net.traffic_bytes = net.traffic_bytes.saturating_add(traffic)
			});
		}
		Self::deposit_event(Event::UsageReported { node_id, accepted, skipped });
		Ok(())
	}
}
