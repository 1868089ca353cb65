//! Governance: the pricing policy and the parameters.

use crate::{pallet::*, types::*, Config};
use frame::prelude::*;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_policy(mut policy: PricingPolicy) -> DispatchResult {
		policy.check().map_err(|e| match e {
			PolicyError::PriceTooHigh => Error::<T>::PriceTooHigh,
			PolicyError::InvalidShares => Error::<T>::InvalidShares,
		})?;
		let state = Policy::<T>::get();
		let cursor = Cursor::<T>::get();
		// Every bucket must have been charged past the last change, so that no charge ever
		// spans two changes (see `PolicyState::cost`).
		let pass = u64::from(PassBlocks::<T>::get());
		if state.previous.is_some() || state.changed_at > 0 {
			ensure!(
				cursor.next > state.changed_in_bucket.saturating_add(pass),
				Error::<T>::PolicyChangeTooSoon
			);
		}
		policy.version = state.current.version.saturating_add(1);
		Policy::<T>::put(PolicyState {
			current: policy,
			previous: Some(state.current),
			changed_at: Self::now_secs(),
			changed_in_bucket: cursor.next,
		});
		Self::deposit_event(Event::PolicySet { policy });
		Ok(())
	}

	pub(crate) fn do_set_params(params: BillingParams) -> DispatchResult {
		ensure!(params.is_valid(), Error::<T>::InvalidParams);
		Params::<T>::put(params);
		Self::deposit_event(Event::ParamsSet { params });
		Ok(())
	}
}
