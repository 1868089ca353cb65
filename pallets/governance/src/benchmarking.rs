//! Benchmarks, each in its worst case: a farmer's proposal (farm query, deposit hold) with the
//! longest texts and a call of every length; a vote that switches sides; the veto that kills;
//! the close of an approved proposal of a farmer (deposit release, the longest call decoded and
//! dispatched) with `v` votes to remove, written straight into storage.

// Benchmarks set up state with `expect`s and plain arithmetic: they are not the runtime.
#![allow(
	clippy::arithmetic_side_effects,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing
)]

use crate::{pallet::*, BenchmarkHelper, Proposal, ProposalIndex, Vote};
use alloc::{boxed::Box, vec, vec::Vec};
use frame::{
	benchmarking::prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		SortedMembers,
	},
};

type SystemOrigin<T> = frame_system::RawOrigin<<T as frame_system::Config>::AccountId>;

/// `who` can pay many deposits.
fn fund<T: Config>(who: &T::AccountId) {
	let amount = T::Currency::minimum_balance() + T::ProposalDeposit::get() * 100u32.into();
	T::Currency::set_balance(who, amount);
}

/// An open proposal of `proposer` carrying the longest listed call, ending at `end`, stored
/// directly, its deposit held.
fn insert_proposal<T: Config>(proposer: &T::AccountId, end: BlockNumberFor<T>) -> ProposalIndex {
	let index = ProposalCount::<T>::get();
	let call = T::BenchmarkHelper::dao_call(T::MaxCallLength::get());
	let encoded = call.encode();
	let deposit = T::ProposalDeposit::get();
	fund::<T>(proposer);
	T::Currency::hold(&HoldReason::ProposalDeposit.into(), proposer, deposit).unwrap();
	let proposal = Proposal::new(
		proposer.clone(),
		deposit,
		(T::Hashing::hash(&encoded), call.get_dispatch_info().call_weight),
		BoundedVec::truncate_from(vec![b'd'; T::MaxDescriptionLength::get() as usize]),
		BoundedVec::truncate_from(vec![b'l'; T::MaxLinkLength::get() as usize]),
		end,
	);
	Proposals::<T>::insert(index, proposal);
	ProposalCalls::<T>::insert(index, BoundedVec::try_from(encoded).expect("dao_call fits"));
	ProposalCount::<T>::put(index + 1);
	index
}

fn now<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn propose(l: Linear<16, { T::MaxCallLength::get() }>) -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		let farm = T::BenchmarkHelper::farm_with_weight(&caller, 1_000);
		fund::<T>(&caller);
		let call = T::BenchmarkHelper::dao_call(l);
		let description = vec![b'd'; T::MaxDescriptionLength::get() as usize];
		let link = vec![b'l'; T::MaxLinkLength::get() as usize];
		let period = T::MaxVotingPeriod::get();
		let held_before =
			T::Currency::balance_on_hold(&HoldReason::ProposalDeposit.into(), &caller);

		#[extrinsic_call]
		_(
			SystemOrigin::<T>::Signed(caller.clone()),
			Box::new(call),
			description,
			link,
			period,
			Some(farm),
		);

		assert_eq!(Proposals::<T>::count(), 1);
		assert_eq!(
			T::Currency::balance_on_hold(&HoldReason::ProposalDeposit.into(), &caller),
			held_before + T::ProposalDeposit::get()
		);
		Ok(())
	}

	#[benchmark]
	fn vote() -> Result<(), BenchmarkError> {
		let proposer: T::AccountId = account("proposer", 0, 0);
		let index = insert_proposal::<T>(&proposer, now::<T>() + T::MaxVotingPeriod::get());
		let caller: T::AccountId = whitelisted_caller();
		let farm = T::BenchmarkHelper::farm_with_weight(&caller, 1_000);
		Pallet::<T>::vote(SystemOrigin::<T>::Signed(caller.clone()).into(), index, farm, true)?;

		// Switching sides: the old weight leaves the ayes, the new joins the nays.
		#[extrinsic_call]
		_(SystemOrigin::<T>::Signed(caller.clone()), index, farm, false);

		let p = Proposals::<T>::get(index).unwrap();
		assert_eq!((p.ayes, p.nays, p.voters), (0, 1_000, 1));
		Ok(())
	}

	#[benchmark]
	fn veto() -> Result<(), BenchmarkError> {
		let proposer: T::AccountId = account("proposer", 0, 0);
		let index = insert_proposal::<T>(&proposer, now::<T>() + T::MaxVotingPeriod::get());
		let threshold = T::VetoThreshold::get();
		for i in 0..threshold - 1 {
			let member: T::AccountId = account("member", i, 0);
			T::Council::add(&member);
			Pallet::<T>::veto(SystemOrigin::<T>::Signed(member).into(), index)?;
		}
		let caller: T::AccountId = whitelisted_caller();
		T::Council::add(&caller);

		// The veto that kills the proposal.
		#[extrinsic_call]
		_(SystemOrigin::<T>::Signed(caller), index);

		let p = Proposals::<T>::get(index).unwrap();
		assert!(p.vetoed);
		assert_eq!(p.veto_count(), threshold);
		Ok(())
	}

	#[benchmark]
	fn close(v: Linear<0, { T::MaxVoters::get() }>) -> Result<(), BenchmarkError> {
		let proposer: T::AccountId = account("proposer", 0, 0);
		let end = now::<T>() + T::MinVotingPeriod::get();
		let index = insert_proposal::<T>(&proposer, end);
		// `v` farms voted aye (approved from the quorum on), written straight into storage.
		let voter: T::AccountId = account("voter", 0, 0);
		for farm in 0..v {
			Votes::<T>::insert(index, farm, Vote { voter: voter.clone(), aye: true, weight: 1 });
		}
		Proposals::<T>::mutate(index, |p| {
			let p = p.as_mut().unwrap();
			p.ayes = v.into();
			p.voters = v;
		});
		let call_weight = Proposals::<T>::get(index).unwrap().call_weight;
		frame_system::Pallet::<T>::set_block_number(end);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(SystemOrigin::<T>::Signed(caller), index, call_weight, v);

		assert_eq!(Proposals::<T>::count(), 0);
		assert_eq!(Votes::<T>::iter_prefix(index).count(), 0);
		assert!(
			T::Currency::balance_on_hold(&HoldReason::ProposalDeposit.into(), &proposer).is_zero()
		);
		Ok(())
	}

	#[benchmark]
	fn authorize_upgrade() -> Result<(), BenchmarkError> {
		let origin =
			T::UpgradeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let code_hash = T::Hash::default();

		#[extrinsic_call]
		_(origin as <T as frame_system::Config>::RuntimeOrigin, code_hash);

		let authorized: Vec<T::Hash> = frame_system::Pallet::<T>::authorized_upgrade()
			.map(|a| *a.code_hash())
			.into_iter()
			.collect();
		assert_eq!(authorized, vec![code_hash]);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
