//! Benchmarks against the real registry and capacity pallets. Charging is measured in parts
//! that the runtime adds up for what each payer's charge really met: a payer's `c` contracts
//! each on a node the run has already met (`charge_payer`), each node new to the run (`meet_node`:
//! node, farm, liveness), each solution provider new to it (`meet_provider`), and paying out
//! the run's money to `a` accounts, the treasury and the burn (`pay_out`). A public IP would
//! only change arithmetic (public IPs are unique across farms, so the benchmark's farms hold
//! none). Then paying the debt of `c` contracts in grace, each on its own node of its own farm
//! with its own provider (each resumed); the observer hooks capacity calls; and the calls.

// Benchmarks set up state with `expect`s and plain arithmetic: they are not the runtime.
#![allow(
	clippy::arithmetic_side_effects,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing
)]

use super::*;
use crate::{
	charge::{Book, Charger},
	BenchmarkHelper,
};
use alloc::vec::Vec;
use frame::{
	benchmarking::prelude::*,
	traits::fungible::{Inspect, Mutate},
};
use grid_primitives::benchmarking::BenchmarkTime;
use grid_primitives::money::MicroUsd;
use grid_primitives::{
	contracts::{ContractLifecycle, ContractObserver, ContractsBenchmarking},
	registry::{ContractId, NodeId, RegistryBenchmarking, TwinId},
	resources::{Resources, GIB, TIB},
};

const NODE: Resources = Resources { cru: 64, mru: 256 * GIB, sru: 4 * TIB, hru: 16 * TIB };
const SMALL: Resources = Resources { cru: 1, mru: 5 * GIB, sru: 50 * GIB, hru: 0 };
const START: u64 = 1_700_000_000;

/// An account with a twin and plenty of TFT.
fn payer<T: Config>() -> (T::AccountId, TwinId) {
	payer_n::<T>(0)
}

fn payer_n<T: Config>(i: u32) -> (T::AccountId, TwinId) {
	T::BenchmarkHelper::trust_price();
	let who: T::AccountId = account("payer", i, 0);
	let twin = T::Registry::twin(&who);
	let _ = T::Currency::mint_into(&who, 1_000_000 * grid_primitives::tft::UNIT);
	(who, twin)
}

/// A node of its own farm for contract `i`.
fn node<T: Config>(i: u32) -> NodeId {
	let farmer: T::AccountId = account("farmer", i, 0);
	let farm = T::Registry::farm_with_ips(&farmer, 0);
	let node: T::AccountId = account("node", i, 0);
	T::Registry::node(&node, farm, NODE)
}

/// A run over the hour after [`START`].
fn hour_run() -> ChargeCursor {
	ChargeCursor { next: 0, run: Some(Run { from: START, to: START + 3_600, last: None }) }
}

/// Charges `twin` in `charger`'s run.
fn charge<T: Config>(charger: &mut Charger<T>, cursor: &mut ChargeCursor, twin: TwinId) {
	let ledger = Pallet::<T>::ledger(twin).expect("a payer");
	Pallet::<T>::charge_payer(charger, cursor, twin, ledger, Weight::MAX, true).expect("fits");
}

/// `c` contracts of one payer, each on its own node with a provider, created at
/// [`START`]; the clock then moves an hour on and every node has been up all along (so all of
/// the hour is charged).
fn contracts<T: Config>(c: u32) -> (T::AccountId, TwinId, Vec<ContractId>) {
	T::BenchmarkHelper::set_unix_time(START);
	let (who, twin) = payer::<T>();
	let nodes: Vec<NodeId> = (0..c).map(node::<T>).collect();
	let ids = nodes
		.iter()
		.map(|n| T::Contracts::node_contract(&who, *n, SMALL, 0, true))
		.collect();
	T::BenchmarkHelper::set_unix_time(START + 3_600);
	for n in nodes {
		T::BenchmarkHelper::node_up(n, START);
	}
	(who, twin, ids)
}

#[benchmarks(where T: Config)]
mod benches {
	use super::*;

	/// A block with nothing due.
	#[benchmark]
	fn charge_idle() {
		let n = Pallet::<T>::current_block();
		Cursor::<T>::put(ChargeCursor { next: u64::from(n) + 1, run: None });
		#[block]
		{
			Pallet::<T>::charge_due(n);
		}
		assert_eq!(Cursor::<T>::get().next, u64::from(n) + 1);
	}

	/// Reading the price and policy and starting an empty bucket's run.
	#[benchmark]
	fn charge_start() {
		T::BenchmarkHelper::trust_price();
		let n = Pallet::<T>::current_block();
		Cursor::<T>::put(ChargeCursor { next: u64::from(n), run: None });
		#[block]
		{
			Pallet::<T>::charge_due(n);
		}
		assert_eq!(Cursor::<T>::get().next, u64::from(n) + 1);
	}

	/// One payer's hour of `c` contracts, paid in full, each on its own node that the run has
	/// met: another payer's contract on each was charged just before (so their farms' payout
	/// accounts are credited already). The steady state; what is new to the run is added per
	/// item.
	#[benchmark]
	fn charge_payer(c: Linear<1, { T::MaxContractsPerPayer::get().min(100) }>) {
		T::BenchmarkHelper::set_unix_time(START);
		let nodes: Vec<NodeId> = (0..c).map(node::<T>).collect();
		let (neighbour, neighbour_twin) = payer_n::<T>(1);
		let (who, twin) = payer::<T>();
		for n in &nodes {
			T::Contracts::node_contract(&neighbour, *n, SMALL, 0, false);
			T::Contracts::node_contract(&who, *n, SMALL, 0, false);
		}
		T::BenchmarkHelper::set_unix_time(START + 3_600);
		for n in nodes {
			T::BenchmarkHelper::node_up(n, START);
		}
		let mut cursor = hour_run();
		// Never paid out here: paying out is measured on its own (`pay_out`).
		let mut charger = core::mem::ManuallyDrop::new(Charger::<T>::new().expect("a price"));
		charge::<T>(&mut charger, &mut cursor, neighbour_twin);
		let met = charger.met();
		// An established payer: its standing is full, so the charge leaves its ledger as it
		// was (in a payer's first month it is written too, which `store_weight` adds).
		let mut ledger = Pallet::<T>::ledger(twin).expect("a payer");
		ledger.credit = grid_primitives::Balance::MAX;
		Pallet::<T>::put_ledger(twin, &ledger);
		let before = (T::Currency::balance(&who), ledger.clone());
		#[block]
		{
			Pallet::<T>::charge_payer(&mut charger, &mut cursor, twin, ledger, Weight::MAX, true)
				.expect("fits");
		}
		assert!(T::Currency::balance(&who) < before.0);
		assert_eq!(Pallet::<T>::ledger(twin), Some(before.1), "the ledger is not written");
		assert_eq!(charger.met(), met, "nothing new to the run");
	}

	/// Reading a node the run has not met: the node, its farm and its timeline.
	#[benchmark]
	fn meet_node() {
		T::BenchmarkHelper::set_unix_time(START + 3_600);
		T::BenchmarkHelper::trust_price();
		let n = node::<T>(0);
		T::BenchmarkHelper::node_up(n, START);
		let mut charger = Charger::<T>::new().expect("a price");
		#[block]
		{
			charger.node(n);
		}
		assert_eq!(charger.node(n).up(START, START + 3_600, false), 3_600);
	}

	/// Reading a solution provider the run has not met.
	#[benchmark]
	fn meet_provider() {
		T::BenchmarkHelper::set_unix_time(START);
		let (who, _) = payer::<T>();
		let id = T::Contracts::node_contract(&who, node::<T>(0), SMALL, 0, true);
		let provider = T::Contracts::billable(id).and_then(|b| b.solution_provider).expect("one");
		let mut charger = Charger::<T>::new().expect("a price");
		#[block]
		{
			charger.providers(provider);
		}
		assert_eq!(
			charger.providers(provider).len() as u32,
			grid_primitives::contracts::MAX_PROVIDER_ACCOUNTS
		);
	}

	/// Paying out a run's money: `a` new accounts credited (each opened), the treasury's
	/// share, and the burn.
	#[benchmark]
	fn pay_out(a: Linear<0, 100>) {
		let (who, _) = payer::<T>();
		let share = T::Currency::minimum_balance().saturating_mul(10);
		let mut book = Book::<T>::default();
		for i in 0..a {
			book.credit(account("credited", i, 0), share);
		}
		book.add(None, &crate::Shares { treasury: share, burn: share, ..Default::default() });
		let mut charger = Charger::<T>::new().expect("a price");
		charger.take(&who, 0, book).expect("paid");
		#[block]
		{
			charger.pay_out();
		}
		if a > 0 {
			assert_eq!(T::Currency::balance(&account("credited", a - 1, 0)), share);
		}
	}

	/// Paying the debt of `c` contracts in grace, and resuming each.
	#[benchmark]
	fn pay_debt(c: Linear<1, { T::MaxContractsPerPayer::get().min(100) }>) {
		let (who, twin, ids) = contracts::<T>(c);
		for id in &ids {
			Meters::<T>::mutate(twin, id, |m| {
				if let Some(m) = m {
					m.debt = Due { regular: 1_000_000, extra: 0 };
				}
			});
			T::Contracts::start_grace(*id).expect("grace");
		}
		let mut ledger = Pallet::<T>::ledger(twin).expect("a payer");
		ledger.grace_since = Some(1);
		Pallet::<T>::put_ledger(twin, &ledger);
		#[extrinsic_call]
		_(RawOrigin::Signed(who));
		assert_eq!(Pallet::<T>::ledger(twin).and_then(|l| l.grace_since), None);
	}

	#[benchmark]
	fn commit() {
		let (who, twin) = payer::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who), 1_000 * grid_primitives::tft::UNIT);
		assert!(Pallet::<T>::ledger(twin).is_some());
	}

	#[benchmark]
	fn request_release() {
		let (who, twin) = payer::<T>();
		Pallet::<T>::do_commit(&who, 1_000).expect("commit");
		#[extrinsic_call]
		_(RawOrigin::Signed(who), 500);
		assert!(Pallet::<T>::ledger(twin).and_then(|l| l.releasing).is_some());
	}

	#[benchmark]
	fn release() {
		let (who, twin) = payer::<T>();
		T::Contracts::node_contract(&who, node::<T>(0), SMALL, 0, false);
		Pallet::<T>::do_commit(&who, 1_000).expect("commit");
		Pallet::<T>::do_request_release(&who, 500).expect("request");
		let notice = Params::<T>::get().release_notice;
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number() + notice.into(),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(who));
		assert_eq!(Pallet::<T>::ledger(twin).map(|l| l.committed), Some(500));
	}

	#[benchmark]
	fn set_policy() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		// A change a pass ago: the check reads the cursor.
		Policy::<T>::mutate(|p| p.changed_at = 1);
		let pass = u64::from(PassBlocks::<T>::get());
		Cursor::<T>::put(ChargeCursor { next: pass + 1, run: None });
		let mut policy = PricingPolicy::reference();
		policy.cu = MicroUsd(20_000);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, policy);
		assert_eq!(Policy::<T>::get().current.cu, MicroUsd(20_000));
		Ok(())
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = BillingParams { grace_period: 77, release_notice: 88, prepaid: 99 };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);
		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	/// Settling one contract (with a provider) an hour after its last charge.
	#[benchmark]
	fn settle() {
		let (_, twin, ids) = contracts::<T>(1);
		#[block]
		{
			<Pallet<T> as ContractObserver>::settle(ids[0]);
		}
		assert_eq!(Meters::<T>::get(twin, ids[0]).map(|m| m.since), Some(START + 3_600));
	}

	/// A new payer's first contract: admitted (its first period checked), metered.
	#[benchmark]
	fn contract_created() -> Result<(), BenchmarkError> {
		let (_, twin, ids) = contracts::<T>(1);
		Meters::<T>::remove(twin, ids[0]);
		MeterOwner::<T>::remove(ids[0]);
		let ledger = Pallet::<T>::ledger(twin).expect("a payer");
		Pallet::<T>::remove_payer(twin, &ledger);
		#[block]
		{
			<Pallet<T> as ContractObserver>::contract_created(ids[0])?;
		}
		assert!(Meters::<T>::contains_key(twin, ids[0]));
		Ok(())
	}

	/// A payer's last contract, ending with debt written off (kept on the payer).
	#[benchmark]
	fn contract_ended() {
		let (_, twin, ids) = contracts::<T>(1);
		Meters::<T>::mutate(twin, ids[0], |m| {
			if let Some(m) = m {
				m.debt = Due { regular: 1_000, extra: 0 };
			}
		});
		#[block]
		{
			<Pallet<T> as ContractObserver>::contract_ended(
				ids[0],
				grid_primitives::contracts::EndCause::Owner,
			);
		}
		assert_eq!(
			Pallet::<T>::ledger(twin).map(|l| (l.contracts, l.written_off)),
			Some((0, 1_000))
		);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
