//! Benchmarks of every call and hook at its worst case, against the real registry: the most
//! policies to scan, a full maintenance list, a node at its unclaimed bound (a closing report
//! then mints), a policy that ended (the close scans for a default). Reports are signed by a
//! real key of the runtime (sr25519 in the runtime's benchmarks).

// Benchmarks set up state with `expect`s and plain arithmetic: they are not the runtime.
#![allow(
	clippy::arithmetic_side_effects,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing
)]

use super::*;
use frame::{
	benchmarking::prelude::*,
	deps::{frame_support::traits::Authorize, sp_runtime::transaction_validity::TransactionSource},
};
use grid_primitives::benchmarking::{BenchmarkSigner, BenchmarkTime};
use grid_primitives::{
	contracts::{NetworkRevenue, PaidNetwork},
	money::{Musd, Usd},
	registry::{
		FarmCertification, FarmId, NodeCertification, NodeId, RegistryBenchmarking,
		RegistryObserver,
	},
	resources::{Resources, GIB, TIB},
};

const NODE: Resources = Resources { cru: 64, mru: 256 * GIB, sru: 8 * TIB, hru: 64 * TIB };
/// A node booted this long before the benchmarks' clock starts.
const BOOTED: u64 = 1_000_000;

fn params() -> MintingParams {
	MintingParams::PRODUCTION
}

/// Chain time `secs` after the start of period `k`.
fn set_time<T: Config>(k: PeriodIndex, secs: u64) -> u64 {
	let now = params().bounds(k).0 + secs;
	T::BenchmarkHelper::set_unix_time(now);
	now
}

/// Production timing, and default policies up to one below [`Config::MaxPolicies`] (each scan
/// of defaults reads them all; [`worst_close`] adds the last).
fn setup<T: Config>() {
	Params::<T>::put(params());
	while LastPolicyId::<T>::get() < T::MaxPolicies::get().saturating_sub(1) {
		Pallet::<T>::insert_policy(policy(true, None)).expect("below the bound");
	}
}

fn policy(default: bool, end: Option<u64>) -> FarmingPolicy {
	FarmingPolicy {
		name: BoundedVec::truncate_from(alloc::vec![b'p'; MAX_POLICY_NAME as usize]),
		cu: Musd(2_400),
		su: Musd(1_000),
		nu: Musd(1),
		ipv4: Musd(2),
		network_share: frame::deps::sp_runtime::Percent::from_percent(50),
		minimal_uptime: 950,
		node_certification: NodeCertification::Diy,
		farm_certification: FarmCertification::NotCertified,
		default,
		immutable: false,
		end,
	}
}

/// A farm, and the benchmark key's node registered in it at the start of period 1 (tracked).
fn node<T: Config>() -> (FarmId, NodeId, T::AccountId) {
	setup::<T>();
	set_time::<T>(1, 0);
	let farmer: T::AccountId = account("farmer", 0, 0);
	let farm = T::Registry::farm_with_ips(&farmer, 0);
	let who = T::BenchmarkHelper::key();
	let node = T::Registry::node(&who, farm, NODE);
	assert!(NodeStates::<T>::contains_key(node), "tracked at registration");
	(farm, node, who)
}

/// A report of `node` at the current time, signed by `who`.
fn report<T: Config>(node: NodeId, who: &T::AccountId) -> (UptimeReport, T::Signature) {
	let now = Pallet::<T>::now_secs();
	let boot = params().bounds(1).0 - BOOTED;
	let report = UptimeReport { node_id: node, uptime: now - boot, timestamp_hint: now };
	let signature = T::BenchmarkHelper::sign(who, &report.signing_payload());
	(report, signature)
}

/// `node` reported at `secs` into period 1.
fn reported<T: Config>(node: NodeId, who: &T::AccountId, secs: u64) {
	set_time::<T>(1, secs);
	let (r, _) = report::<T>(node, who);
	Pallet::<T>::do_report_uptime(r).expect("a valid report");
}

/// The worst close: a full maintenance list, the unclaimed bound reached (the receipt is
/// minted at once), a period that pays for capacity and paid network, and a policy that ended
/// (a default is chosen).
fn worst_close<T: Config>(node: NodeId) {
	let paid =
		PaidNetwork { traffic_bytes: 1 << 40, ipv4_seconds: 3_600, paid: 1 << 40, burned: 1 << 39 };
	PaidNetworks::<T>::insert(node, paid);
	let ending = Pallet::<T>::insert_policy(policy(false, Some(1))).expect("the last policy");
	NodeStates::<T>::mutate(node, |state| {
		let state = state.as_mut().expect("tracked");
		state.unclaimed = T::MaxUnclaimed::get();
		state.policy = Some(ending);
		let (_, end) = params().bounds(state.period.index);
		state.period.uptime = Pallet::<T>::now_secs().min(end) - state.period.start;
		// (the registry's benchmark nodes declare themselves virtualized)
		state.period.virtualized = false;
		let (start, _) = params().bounds(state.period.index);
		let windows = (0..MAX_WINDOWS as u64)
			.map(|i| Window { start: start + 10 + i * 100, end: start + 50 + i * 100 })
			.collect::<alloc::vec::Vec<_>>();
		state.maintenance = BoundedVec::truncate_from(windows);
	});
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn authorize_report() -> Result<(), BenchmarkError> {
		let (_, node, who) = node::<T>();
		reported::<T>(node, &who, 1_000);
		set_time::<T>(1, 3_400);
		let (report, signature) = report::<T>(node, &who);
		let call = Call::<T>::report_uptime { report, signature };
		#[block]
		{
			call.authorize(TransactionSource::External).ok_or("authorized call")??;
		}
		Ok(())
	}

	#[benchmark]
	fn authorize_first_report() -> Result<(), BenchmarkError> {
		let (_, node, who) = node::<T>();
		// A node minting does not track yet: its account comes from the registry.
		NodeStates::<T>::remove(node);
		let (report, signature) = report::<T>(node, &who);
		let call = Call::<T>::report_uptime { report, signature };
		#[block]
		{
			call.authorize(TransactionSource::External).ok_or("authorized call")??;
		}
		Ok(())
	}

	#[benchmark]
	fn report_uptime() {
		let (_, node, who) = node::<T>();
		reported::<T>(node, &who, 1_000);
		set_time::<T>(1, 3_400);
		let (report, signature) = report::<T>(node, &who);
		#[extrinsic_call]
		report_uptime(RawOrigin::Authorized, report, signature);
		assert_eq!(NodeStates::<T>::get(node).map(|s| s.period.uptime), Some(3_400));
	}

	#[benchmark]
	fn report_uptime_closing() {
		let (_, node, who) = node::<T>();
		let length = params().period_length;
		reported::<T>(node, &who, length - 1_000);
		worst_close::<T>(node);
		set_time::<T>(1, length + 1_000);
		let (report, signature) = report::<T>(node, &who);
		#[extrinsic_call]
		report_uptime(RawOrigin::Authorized, report, signature);
		assert_eq!(NodeStates::<T>::get(node).map(|s| s.period.index), Some(2));
		assert!(TotalMinted::<T>::get() > Zero::zero(), "the unclaimed bound made it pay");
	}

	#[benchmark]
	fn track_node() {
		let (farm, node, _) = node::<T>();
		NodeStates::<T>::remove(node);
		// A farm policy whose limits do not cover the node: read, then the defaults scanned.
		let limit = FarmPolicyLimit { policy: 1, cu: 0, su: 0, nodes: 1, end: None };
		FarmPolicies::<T>::insert(farm, limit);
		let now = set_time::<T>(1, 10);
		#[block]
		{
			let state = Pallet::<T>::track(node, now, &params()).expect("registered");
			NodeStates::<T>::insert(node, state);
		}
		assert!(NodeStates::<T>::contains_key(node));
	}

	#[benchmark]
	fn close_period() {
		let (_, node, who) = node::<T>();
		reported::<T>(node, &who, 1_000);
		set_time::<T>(2, params().close_grace);
		worst_close::<T>(node);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), node);
		assert_eq!(NodeStates::<T>::get(node).map(|s| s.period.index), Some(2));
		assert!(TotalMinted::<T>::get() > Zero::zero(), "the unclaimed bound made it pay");
	}

	#[benchmark]
	fn declare_maintenance() {
		let (_, node, _) = node::<T>();
		let (start, _) = params().bounds(2);
		// Three windows already: one this period, two the next.
		NodeStates::<T>::mutate(node, |state| {
			let s = state.as_mut().expect("tracked");
			let (now_start, _) = params().bounds(1);
			let windows = [
				Window { start: now_start + 100_000, end: now_start + 101_000 },
				Window { start: start + 10_000, end: start + 11_000 },
				Window { start: start + 20_000, end: start + 21_000 },
			];
			s.maintenance = BoundedVec::truncate_from(windows.to_vec());
		});
		let farmer: T::AccountId = account("farmer", 0, 0);
		let (now_start, _) = params().bounds(1);
		#[extrinsic_call]
		_(RawOrigin::Signed(farmer), node, now_start + 200_000, now_start + 201_000);
		assert_eq!(NodeStates::<T>::get(node).map(|s| s.maintenance.len()), Some(4));
	}

	#[benchmark]
	fn claim(n: Linear<1, { T::MaxUnclaimed::get().max(T::MaxClaimBatch::get()) }>) {
		let (farm, node, who) = node::<T>();
		let amount: BalanceOf<T> = 1_000_000u32.into();
		for period in 0..n {
			let receipt = Receipt {
				node_id: node,
				farm_id: farm,
				period,
				uptime: 1000,
				registered: params().period_length,
				cu: 1,
				su: 1,
				network: PaidNetwork::default(),
				policy: Some(1),
				virtualized: false,
				violation: None,
				capacity_usd: Usd::from_musd(Musd(1)),
				network_usd: Usd::ZERO,
				tft: amount,
				payout: who.clone(),
			};
			Receipts::<T>::insert((farm, node, period), receipt);
		}
		Unclaimed::<T>::put(amount.saturating_mul(n.into()));
		NodeStates::<T>::mutate(node, |s| s.as_mut().expect("tracked").unclaimed = n);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		claim_farm(RawOrigin::Signed(caller), farm);
		assert_eq!(Receipts::<T>::iter().count() as u32, n.saturating_sub(T::MaxClaimBatch::get()));
	}

	#[benchmark]
	fn create_policy() -> Result<(), BenchmarkError> {
		Params::<T>::put(params());
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let before = LastPolicyId::<T>::get();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, policy(true, None));
		assert_eq!(LastPolicyId::<T>::get(), before + 1);
		Ok(())
	}

	#[benchmark]
	fn update_policy() -> Result<(), BenchmarkError> {
		let id = Pallet::<T>::insert_policy(policy(true, None))
			.map_err(|_| BenchmarkError::Weightless)?;
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, policy(false, Some(7)));
		assert_eq!(Policies::<T>::get(id).map(|p| p.end), Some(Some(7)));
		Ok(())
	}

	#[benchmark]
	fn attach_policy_to_farm() -> Result<(), BenchmarkError> {
		let (farm, _, _) = node::<T>();
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let limit = FarmPolicyLimit { policy: 1, cu: 1, su: 1, nodes: 1, end: None };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, farm, limit);
		assert!(FarmPolicies::<T>::contains_key(farm));
		Ok(())
	}

	#[benchmark]
	fn detach_policy_from_farm() -> Result<(), BenchmarkError> {
		let (farm, _, _) = node::<T>();
		FarmPolicies::<T>::insert(
			farm,
			FarmPolicyLimit { policy: 1, cu: 1, su: 1, nodes: 1, end: None },
		);
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, farm);
		assert!(!FarmPolicies::<T>::contains_key(farm));
		Ok(())
	}

	#[benchmark]
	fn node_changed() {
		let (_, node, _) = node::<T>();
		// A certification change: the defaults are scanned for a new policy.
		NodeStates::<T>::mutate(node, |s| {
			s.as_mut().expect("tracked").certification = NodeCertification::Certified
		});
		#[block]
		{
			<Pallet<T> as RegistryObserver<BlockNumberFor<T>>>::node_changed(node);
		}
		assert_eq!(
			NodeStates::<T>::get(node).map(|s| s.certification),
			Some(NodeCertification::Diy)
		);
	}

	#[benchmark]
	fn power_changed() {
		let (_, node, _) = node::<T>();
		// The farmer asked it down: the node's report that it is down starts a sleep.
		<Pallet<T> as RegistryObserver<BlockNumberFor<T>>>::power_target_changed(
			node,
			grid_primitives::registry::Power::Down,
		);
		#[block]
		{
			<Pallet<T> as RegistryObserver<BlockNumberFor<T>>>::power_state_changed(
				node,
				grid_primitives::registry::PowerState::Down { since: Zero::zero() },
			);
		}
		assert!(NodeStates::<T>::get(node).and_then(|s| s.sleep).is_some());
	}

	#[benchmark]
	fn node_removed() {
		let (_, node, who) = node::<T>();
		reported::<T>(node, &who, 1_000);
		set_time::<T>(1, 2_000);
		worst_close::<T>(node);
		#[block]
		{
			<Pallet<T> as RegistryObserver<BlockNumberFor<T>>>::node_removed(node);
		}
		assert!(!NodeStates::<T>::contains_key(node));
		assert!(TotalMinted::<T>::get() > Zero::zero(), "the unclaimed bound made it pay");
	}

	#[benchmark]
	fn network_collected() {
		let (_, node, _) = node::<T>();
		let one = PaidNetwork { traffic_bytes: 1, ipv4_seconds: 1, paid: 1, burned: 1 };
		PaidNetworks::<T>::insert(node, one);
		let usage =
			PaidNetwork { traffic_bytes: 1 << 30, ipv4_seconds: 3_600, paid: 1_000, burned: 500 };
		#[block]
		{
			<Pallet<T> as NetworkRevenue>::collected(node, usage);
		}
		assert_eq!(PaidNetworks::<T>::get(node).paid, 1_001);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
