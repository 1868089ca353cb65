//! Benchmarks. The worst case of add/remove is a set one short of full (or full): the
//! membership scan and the vector shift are linear in its size, and a removal reads the session
//! keys of every remaining validator, so every validator of the filled set has keys. The removed
//! validator holds a bond (released by the removal). Applications offer a non-zero bond (the
//! hold is the expensive part) and a description of the longest length.

// Benchmarks set up state with `expect`s and plain arithmetic: they are not the runtime.
#![allow(
	clippy::arithmetic_side_effects,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing
)]

use crate::{pallet::*, BenchmarkHelper};
use alloc::{vec, vec::Vec};
use frame::{
	benchmarking::prelude::*,
	traits::fungible::{Inspect, InspectHold, Mutate, MutateHold},
};

/// Fills the set with `n` validators, each with session keys and an authorship record.
fn fill_set<T: Config>(n: u32) -> Vec<T::AccountId> {
	let set: Vec<T::AccountId> = (0..n).map(|i| account("validator", i, 0)).collect();
	let _ = LastAuthored::<T>::clear(u32::MAX, None);
	for who in &set {
		T::BenchmarkHelper::register_keys(who);
		LastAuthored::<T>::insert(who, 0);
	}
	Validators::<T>::put(BoundedVec::truncate_from(set.clone()));
	set
}

/// A bond that is held for real: `MinBond`, or the existential deposit if `MinBond` is 0.
fn bond<T: Config>() -> BalanceOf<T> {
	T::MinBond::get().max(T::Currency::minimum_balance())
}

/// Gives `who` enough to hold [`bond`] several times over.
fn fund<T: Config>(who: &T::AccountId) {
	let amount = T::Currency::minimum_balance() + bond::<T>() * 10u32.into();
	T::Currency::set_balance(who, amount);
}

/// An account with session keys and funds, ready to apply.
fn operator<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	T::BenchmarkHelper::register_keys(&who);
	fund::<T>(&who);
	who
}

/// `who` applies with [`bond`] and the longest description.
fn file_application<T: Config>(who: &T::AccountId) {
	let description = vec![b'x'; T::MaxDescriptionLength::get() as usize];
	Pallet::<T>::do_apply(who.clone(), description, bond::<T>()).expect("the operator can apply");
}

fn held<T: Config>(who: &T::AccountId) -> BalanceOf<T> {
	T::Currency::balance_on_hold(&HoldReason::ValidatorBond.into(), who)
}

fn lookup_of<T: Config>(who: &T::AccountId) -> AccountIdLookupOf<T> {
	T::Lookup::unlookup(who.clone())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_validator(n: Linear<1, { T::MaxValidators::get() - 1 }>) -> Result<(), BenchmarkError> {
		fill_set::<T>(n);
		let new: T::AccountId = account("new", 0, 0);
		T::BenchmarkHelper::register_keys(&new);
		let origin =
			T::AddRemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup_of::<T>(&new));

		let set = Validators::<T>::get();
		assert_eq!(set.len() as u32, n + 1);
		assert_eq!(set.last(), Some(&new));
		assert!(SetChanged::<T>::get());
		Ok(())
	}

	#[benchmark]
	fn remove_validator(
		n: Linear<{ T::MinValidators::get() + 1 }, { T::MaxValidators::get() }>,
	) -> Result<(), BenchmarkError> {
		let set = fill_set::<T>(n);
		// The first entry is the worst case: every other entry shifts.
		let gone = set.first().cloned().ok_or(BenchmarkError::Weightless)?;
		// It holds a bond, which the removal releases.
		fund::<T>(&gone);
		T::Currency::hold(&HoldReason::ValidatorBond.into(), &gone, bond::<T>())?;
		let origin =
			T::AddRemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup_of::<T>(&gone));

		let remaining = Validators::<T>::get();
		assert_eq!(remaining.len() as u32, n - 1);
		assert!(!remaining.contains(&gone));
		assert!(SetChanged::<T>::get());
		assert!(held::<T>(&gone).is_zero());
		assert!(!LastAuthored::<T>::contains_key(&gone));
		Ok(())
	}

	#[benchmark]
	fn set_session_length() -> Result<(), BenchmarkError> {
		let length = T::MaxSessionLength::get();
		let origin =
			T::AddRemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, length);

		assert_eq!(Schedule::<T>::get().length, length);
		Ok(())
	}

	#[benchmark]
	fn apply() -> Result<(), BenchmarkError> {
		fill_set::<T>(T::MaxValidators::get());
		let who = operator::<T>("applicant");
		let description = vec![b'x'; T::MaxDescriptionLength::get() as usize];

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), description, bond::<T>());

		assert!(Applications::<T>::contains_key(&who));
		assert_eq!(held::<T>(&who), bond::<T>());
		Ok(())
	}

	#[benchmark]
	fn withdraw_application() -> Result<(), BenchmarkError> {
		let who = operator::<T>("applicant");
		file_application::<T>(&who);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Applications::<T>::contains_key(&who));
		assert!(held::<T>(&who).is_zero());
		Ok(())
	}

	#[benchmark]
	fn approve_application(
		n: Linear<1, { T::MaxValidators::get() - 1 }>,
	) -> Result<(), BenchmarkError> {
		fill_set::<T>(n);
		let who = operator::<T>("applicant");
		file_application::<T>(&who);
		let origin =
			T::AddRemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup_of::<T>(&who));

		assert!(!Applications::<T>::contains_key(&who));
		assert_eq!(Validators::<T>::get().last(), Some(&who));
		assert_eq!(held::<T>(&who), bond::<T>());
		Ok(())
	}

	#[benchmark]
	fn reject_application() -> Result<(), BenchmarkError> {
		let who = operator::<T>("applicant");
		file_application::<T>(&who);
		let origin =
			T::AddRemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup_of::<T>(&who));

		assert!(!Applications::<T>::contains_key(&who));
		assert!(held::<T>(&who).is_zero());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
