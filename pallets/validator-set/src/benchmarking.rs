//! Benchmarks. The worst case of add/remove is a set one short of full (or full): the
//! membership scan and the vector shift are linear in its size, and a removal reads the session
//! keys of every remaining validator, so every validator of the filled set has keys.

// Benchmarks set up state with `expect`s and plain arithmetic: they are not the runtime.
#![allow(
	clippy::arithmetic_side_effects,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing
)]

use crate::{pallet::*, BenchmarkHelper};
use alloc::vec::Vec;
use frame::benchmarking::prelude::*;

/// Fills the set with `n` validators, each with session keys.
fn fill_set<T: Config>(n: u32) -> Vec<T::AccountId> {
	let set: Vec<T::AccountId> = (0..n).map(|i| account("validator", i, 0)).collect();
	for who in &set {
		T::BenchmarkHelper::register_keys(who);
	}
	Validators::<T>::put(BoundedVec::truncate_from(set.clone()));
	set
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
		let origin =
			T::AddRemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup_of::<T>(&gone));

		let remaining = Validators::<T>::get();
		assert_eq!(remaining.len() as u32, n - 1);
		assert!(!remaining.contains(&gone));
		assert!(SetChanged::<T>::get());
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

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
