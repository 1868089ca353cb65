//! Benchmarks of every call at its worst case, against the real registry (node reads, IP
//! reservations and releases are measured, not estimated; every farm's pool is full, as the
//! registry scans it): a node contract taking `i` IPs, a
//! usage batch of `n` reports (checked before the pool with the node's signature, by a real key
//! of the runtime: sr25519 in the runtime's benchmarks), and ending or graceing a rent contract
//! that carries `c` node contracts, each holding a public IP. Billing's hooks are charged on top
//! by their bound.

// Benchmarks set up state with `expect`s and plain arithmetic: they are not the runtime.
#![allow(
	clippy::arithmetic_side_effects,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing
)]

use super::*;
use alloc::vec;
use frame::{
	benchmarking::prelude::*,
	deps::{frame_support::traits::Authorize, sp_runtime::transaction_validity::TransactionSource},
	traits::fungible::Mutate,
};
use grid_primitives::benchmarking::{BenchmarkSigner, BenchmarkTime};
use grid_primitives::{
	contracts::{ContractLifecycle, EndCause},
	money::Musd,
	registry::{ContractId, FarmId, NodeId, RegistryBenchmarking, RegistryObserver, MAX_FARM_IPS},
	resources::{Resources, GIB, TIB},
};

/// A node big enough for any number of benchmark contracts.
const BIG_NODE: Resources = Resources { cru: 512, mru: 512 * GIB, sru: 8 * TIB, hru: 64 * TIB };
/// What each benchmark contract reserves.
const SMALL: Resources = Resources { cru: 1, mru: GIB, sru: GIB, hru: GIB };

/// An account with a twin and funds for many deposits.
fn user<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	T::Registry::twin(&who);
	let deposits = T::ContractDeposit::get().saturating_add(T::ProviderDeposit::get());
	let _ = T::Currency::mint_into(&who, deposits.saturating_mul(1_000u32.into()));
	who
}

/// A farm with a full pool of public IPs (the registry scans the pool to reserve and release)
/// and a big node in it.
fn node<T: Config>() -> (T::AccountId, FarmId, NodeId) {
	node_of::<T>(account("node", 0, 0))
}

/// [`node`], run by `node_account`.
fn node_of<T: Config>(node_account: T::AccountId) -> (T::AccountId, FarmId, NodeId) {
	let farmer: T::AccountId = account("farmer", 0, 0);
	let farm = T::Registry::farm_with_ips(&farmer, MAX_FARM_IPS);
	let node = T::Registry::node(&node_account, farm, BIG_NODE);
	(node_account, farm, node)
}

/// The worst batch of `n` reports a node can send: each for a live node contract on it, over
/// a window that is over, within the node's allowance, with the node's last batch recorded
/// exactly the gap ago; signed by the benchmark key, which runs the node.
fn usage_batch<T: Config>(n: u32) -> (UsageBatchOf<T>, T::Signature) {
	frame_system::Pallet::<T>::set_block_number(1u32.into());
	let (node_account, _, node_id) = node_of::<T>(T::BenchmarkHelper::key());
	let caller = user::<T>("caller");
	let start = Pallet::<T>::now_secs();
	let reports = (0..n)
		.map(|i| {
			let contract_id = deploy::<T>(&caller, node_id, i, 0);
			UsageReport {
				contract_id,
				window_start: start,
				window_end: start + 1,
				used: SMALL,
				public_traffic_bytes: 1_000,
			}
		})
		.collect::<alloc::vec::Vec<_>>();
	// The reports' windows are over, and the node's last batch was the gap ago.
	let gap = GridLimits::<T>::get().usage_report_gap;
	LastUsageBatch::<T>::insert(node_id, start + 2);
	T::BenchmarkHelper::set_unix_time(start + 2 + gap);
	let batch = UsageBatch { node_id, reports: BoundedVec::truncate_from(reports) };
	let signature = T::BenchmarkHelper::sign(&node_account, &batch.signing_payload());
	(batch, signature)
}

fn hash(i: u32) -> DeploymentHash {
	let mut h = [0xab; 32];
	h[..4].copy_from_slice(&i.to_le_bytes());
	h
}

fn longest_data() -> DeploymentData {
	BoundedVec::truncate_from(vec![b'd'; MAX_DEPLOYMENT_DATA as usize])
}

fn deploy<T: Config>(who: &T::AccountId, node_id: NodeId, i: u32, ips: u32) -> ContractId {
	let d = contracts::Deployment {
		node_id,
		deployment_hash: hash(i),
		deployment_data: longest_data(),
		resources: SMALL,
		public_ips: ips,
	};
	Pallet::<T>::do_create_node_contract(who, d, None).expect("benchmark contract")
}

/// An approved provider with the most accounts.
fn provider<T: Config>() -> grid_primitives::contracts::ProviderId {
	let owner = user::<T>("provider");
	let shares = (0..MAX_PROVIDER_ACCOUNTS)
		.map(|i| (account::<T::AccountId>("share", i, 0), 10u8))
		.collect::<alloc::vec::Vec<_>>();
	let id = Pallet::<T>::do_create_solution_provider(
		&owner,
		BoundedVec::truncate_from(vec![b'p'; 256]),
		BoundedVec::truncate_from(shares),
	)
	.expect("provider");
	Pallet::<T>::do_approve_solution_provider(id, true).expect("approve");
	id
}

/// A rent contract on a fresh node carrying `c` node contracts with one IP each.
fn rented_node<T: Config>(c: u32) -> (T::AccountId, ContractId) {
	let (_, _, node_id) = node::<T>();
	let renter = user::<T>("renter");
	let rent =
		Pallet::<T>::do_create_rent_contract(&renter, node_id, None, Musd(u64::MAX)).expect("rent");
	for i in 0..c {
		deploy::<T>(&renter, node_id, i, 1);
	}
	(renter, rent)
}

fn governance<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_node_contract(i: Linear<0, MAX_IPS_PER_CONTRACT>) {
		let (_, _, node_id) = node::<T>();
		let caller = user::<T>("caller");
		let provider = provider::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), node_id, hash(0), longest_data(), SMALL, i, Some(provider));
		assert_eq!(NodeLoads::<T>::get(node_id).contracts, 1);
	}

	#[benchmark]
	fn update_node_contract() {
		let (_, _, node_id) = node::<T>();
		let caller = user::<T>("caller");
		let id = deploy::<T>(&caller, node_id, 0, 0);
		let bigger = SMALL.checked_add(&SMALL).expect("fits");
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, hash(1), longest_data(), bigger);
		assert_eq!(NodeLoads::<T>::get(node_id).reserved, bigger);
	}

	#[benchmark]
	fn cancel_contract() {
		let (_, _, node_id) = node::<T>();
		let caller = user::<T>("caller");
		let id = deploy::<T>(&caller, node_id, 0, MAX_IPS_PER_CONTRACT);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);
		assert!(Contracts::<T>::get(id).is_none());
	}

	#[benchmark]
	fn create_rent_contract() {
		let (_, _, node_id) = node::<T>();
		let caller = user::<T>("caller");
		let provider = provider::<T>();
		let farmer: T::AccountId = account("farmer", 0, 0);
		Pallet::<T>::do_set_extra_fee(&farmer, node_id, Musd(10_000)).expect("fee");
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), node_id, Some(provider), Musd(10_000));
		assert!(RentOf::<T>::contains_key(node_id));
	}

	#[benchmark]
	fn create_name_contract() {
		let caller = user::<T>("caller");
		let name: GatewayName = BoundedVec::truncate_from(vec![b'n'; MAX_NAME_LEN as usize]);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), name.clone());
		assert!(NameOwner::<T>::contains_key(name));
	}

	#[benchmark]
	fn set_extra_fee() {
		// A rented node: the rent's fee is rewritten (billing's settlement is charged apart).
		let (_, rent) = rented_node::<T>(0);
		let node_id = Contracts::<T>::get(rent).and_then(|c| c.kind.node_id()).expect("rented");
		let farmer: T::AccountId = account("farmer", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(farmer), node_id, Musd(10_000));
		assert_eq!(ExtraFees::<T>::get(node_id), Some(Musd(10_000)));
	}

	#[benchmark]
	fn set_traffic_limit() {
		let (_, _, node_id) = node::<T>();
		let caller = user::<T>("caller");
		let id = deploy::<T>(&caller, node_id, 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, Some(1 << 30));
		assert_eq!(ContractUsages::<T>::get(id).and_then(|u| u.traffic_limit), Some(1 << 30));
	}

	#[benchmark]
	fn set_limits() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let limits = Limits { max_extra_fee: Musd(7), ..Limits::default() };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, limits);
		assert_eq!(GridLimits::<T>::get(), limits);
		Ok(())
	}

	#[benchmark]
	fn report_usage(n: Linear<1, { T::MaxUsageReports::get() }>) {
		let (batch, signature) = usage_batch::<T>(n);
		let node_id = batch.node_id;
		#[extrinsic_call]
		_(RawOrigin::Authorized, batch, signature);
		let counted: u64 = ContractUsages::<T>::iter_values().map(|u| u.traffic_bytes).sum();
		assert_eq!(counted, 1_000 * u64::from(n));
		assert_eq!(LastUsageBatch::<T>::get(node_id), Some(Pallet::<T>::now_secs()));
	}

	#[benchmark]
	fn authorize_report_usage(
		n: Linear<1, { T::MaxUsageReports::get() }>,
	) -> Result<(), BenchmarkError> {
		let (batch, signature) = usage_batch::<T>(n);
		let call = Call::<T>::report_usage { batch, signature };
		#[block]
		{
			call.authorize(TransactionSource::External).ok_or("authorized call")??;
		}
		Ok(())
	}

	#[benchmark]
	fn create_solution_provider() {
		let caller = user::<T>("caller");
		let shares = (0..MAX_PROVIDER_ACCOUNTS)
			.map(|i| (account::<T::AccountId>("share", i, 0), 10u8))
			.collect::<alloc::vec::Vec<_>>();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller),
			BoundedVec::truncate_from(vec![b'p'; 256]),
			BoundedVec::truncate_from(shares),
		);
		assert!(Providers::<T>::contains_key(LastProviderId::<T>::get()));
	}

	#[benchmark]
	fn approve_solution_provider() -> Result<(), BenchmarkError> {
		let id = provider::<T>();
		let origin = governance::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, false);
		assert!(!Providers::<T>::get(id).expect("provider").approved);
		Ok(())
	}

	#[benchmark]
	fn remove_solution_provider() {
		let id = provider::<T>();
		let owner: T::AccountId = account("provider", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(!Providers::<T>::contains_key(id));
	}

	#[benchmark]
	fn attach_solution_provider() {
		let (_, _, node_id) = node::<T>();
		let caller = user::<T>("caller");
		let id = deploy::<T>(&caller, node_id, 0, 0);
		let provider = provider::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, provider);
		assert_eq!(Contracts::<T>::get(id).expect("contract").solution_provider, Some(provider));
	}

	#[benchmark]
	fn force_end_contract(
		c: Linear<0, { T::MaxContractsPerNode::get() }>,
	) -> Result<(), BenchmarkError> {
		let (_, rent) = rented_node::<T>(c);
		let origin = governance::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, rent);
		assert_eq!(Contracts::<T>::iter().count(), 0);
		Ok(())
	}

	#[benchmark]
	fn node_removed(c: Linear<0, { T::MaxContractsPerNode::get() + 1 }>) {
		// `c` contracts: a rent contract and `c - 1` node contracts under it.
		let (_, rent) = rented_node::<T>(c.saturating_sub(1));
		let node_id = Contracts::<T>::get(rent).and_then(|r| r.kind.node_id()).expect("node");
		if c == 0 {
			Pallet::<T>::end_contract(rent, EndCause::Owner).expect("no contracts left");
		}
		#[block]
		{
			<Pallet<T> as RegistryObserver<BlockNumberFor<T>>>::node_removed(node_id);
		}
		assert_eq!(Contracts::<T>::iter().count(), 0);
	}

	#[benchmark]
	fn start_grace(c: Linear<0, { T::MaxContractsPerNode::get() }>) {
		let (_, rent) = rented_node::<T>(c);
		#[block]
		{
			<Pallet<T> as ContractLifecycle<T::AccountId, BlockNumberFor<T>>>::start_grace(rent)
				.expect("grace");
		}
		assert!(Contracts::<T>::get(rent).expect("rent").in_grace());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
