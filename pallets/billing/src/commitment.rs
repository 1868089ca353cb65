//! A payer's commitment (held TFT for the discount), its release with notice, and paying debt.

use crate::{
	charge::{Charger, Transition},
	pallet::*,
	types::*,
	Config,
};
use alloc::vec::Vec;
use frame::{
	prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use grid_primitives::{registry::TwinId, Balance};

impl<T: Config> Pallet<T> {
	/// Returns how many contracts a debt payment went through (0 if none).
	pub(crate) fn do_commit(who: &T::AccountId, amount: Balance) -> Result<u32, DispatchError> {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let twin = Self::twin_of(who)?;
		let ledger = Self::ledger(twin);
		ensure!(ledger.as_ref().is_none_or(|l| l.account == *who), Error::<T>::NotAPayer);
		T::Currency::hold(&HoldReason::Commitment.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		// A twin with no contract yet is charged in its own bucket.
		let mut ledger = ledger.unwrap_or_else(|| Self::new_payer(twin, who.clone(), twin));
		ledger.committed = ledger.committed.saturating_add(amount);
		Self::put_ledger(twin, &ledger);
		Self::deposit_event(Event::Committed {
			twin_id: twin,
			amount,
			committed: ledger.committed,
		});
		if ledger.grace_since.is_some() || ledger.written_off > 0 {
			// A top-up pays the debt at once if it can; otherwise the next charge takes what it can.
			return Ok(Self::pay_all_debt(twin, ledger).unwrap_or(0));
		}
		Ok(0)
	}

	pub(crate) fn do_request_release(who: &T::AccountId, amount: Balance) -> DispatchResult {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let (twin, mut ledger) = Self::payer(who)?;
		ensure!(ledger.releasing.is_none(), Error::<T>::ReleasePending);
		ensure!(amount <= ledger.committed, Error::<T>::ReleaseTooLarge);
		let at = Self::current_block().saturating_add(Params::<T>::get().release_notice);
		ledger.releasing = Some(Release { amount, at });
		Self::put_ledger(twin, &ledger);
		Self::deposit_event(Event::ReleaseRequested { twin_id: twin, amount, at: at.into() });
		Ok(())
	}

	pub(crate) fn do_release(who: &T::AccountId) -> DispatchResult {
		let (twin, mut ledger) = Self::payer(who)?;
		let release = ledger.releasing.ok_or(Error::<T>::NothingToRelease)?;
		ensure!(Self::current_block() >= release.at, Error::<T>::NoticeNotOver);
		// Charges may have taken part of it meanwhile.
		let amount = release.amount.min(ledger.committed);
		if amount > 0 {
			T::Currency::release(&HoldReason::Commitment.into(), who, amount, Precision::Exact)?;
		}
		ledger.committed = ledger.committed.saturating_sub(amount);
		ledger.releasing = None;
		if ledger.is_empty() {
			Self::remove_payer(twin, &ledger);
		} else {
			Self::put_ledger(twin, &ledger);
		}
		Self::deposit_event(Event::Released { twin_id: twin, amount });
		Ok(())
	}

	/// Returns how many contracts the payer has (the work done).
	pub(crate) fn do_pay_debt(who: &T::AccountId) -> Result<u32, DispatchError> {
		let (twin, ledger) = Self::payer(who)?;
		Self::pay_all_debt(twin, ledger)
	}

	/// Pays all of `twin`'s debt — its contracts' and what its ended contracts left — and
	/// resumes its contracts, or changes nothing.
	fn pay_all_debt(twin: TwinId, mut ledger: LedgerOf<T>) -> Result<u32, DispatchError> {
		let meters: Vec<_> = Meters::<T>::iter_prefix(twin).collect();
		let debt = meters.iter().fold(0, |sum: Balance, (_, m)| sum.saturating_add(m.debt.total()));
		let written_off = ledger.written_off;
		ensure!(debt.saturating_add(written_off) > 0, Error::<T>::NoDebt);
		let available = Self::free_of(&ledger.account).saturating_add(ledger.committed);
		ensure!(available >= debt.saturating_add(written_off), Error::<T>::CannotPayDebt);
		// Debt is in planck already: any price the oracle has will do.
		let mut charger = Charger::<T>::any_price().ok_or(Error::<T>::CannotPayDebt)?;
		if written_off > 0 {
			// Its farms are not known any more: the farmer's share goes to the treasury.
			let paid = Due { regular: written_off, extra: 0 };
			let shares = Shares::of(paid, &charger.policy.current.split, &[]).without_farmer();
			let mut book = crate::charge::Book::<T>::default();
			book.add(None, &shares);
			let shares = (shares.treasury, shares.burn);
			let free = Self::free_of(&ledger.account);
			let from_hold = written_off.saturating_sub(free);
			charger.take(&ledger.account, from_hold, book)?;
			ledger.spend_committed(from_hold);
			ledger.written_off = 0;
			Self::deposit_event(Event::WrittenOffPaid {
				twin_id: twin,
				amount: written_off,
				treasury: shares.0,
				burned: shares.1,
			});
		}
		// No time is charged here: each line pays only its debt.
		let lines = charger.idle_lines(meters);
		let contracts = lines.len() as u32;
		if ledger.is_empty() {
			Self::remove_payer(twin, &ledger);
		} else {
			let before = Self::ledger(twin).unwrap_or_else(|| ledger.clone());
			Self::finish_charge(&mut charger, twin, &before, ledger, lines, Transition::EndGrace);
		}
		charger.pay_out();
		Ok(contracts)
	}

	fn payer(who: &T::AccountId) -> Result<(TwinId, LedgerOf<T>), DispatchError> {
		let twin = Self::twin_of(who)?;
		let ledger = Self::ledger(twin).ok_or(Error::<T>::NotAPayer)?;
		ensure!(ledger.account == *who, Error::<T>::NotAPayer);
		Ok((twin, ledger))
	}
}
