//! A test runtime with the real registry: System, Balances, Timestamp, Registry and Minting
//! wired as in the runtime, with test signatures (tests tell minting what billing collected
//! through its `NetworkRevenue` hook).

use crate as pallet_minting;
use crate::types::*;
use frame::deps::sp_runtime::testing::TestSignature;
use frame::testing_prelude::*;
use frame::traits::{ConstBool, ConstU32, ConstU64};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u64;

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
/// The farmer of farm 1; its payout account starts as itself.
pub const FARMER: AccountId = 10;
/// Node accounts.
pub const NODE1: AccountId = 11;
pub const NODE2: AccountId = 12;
pub const GOVERNANCE: AccountId = 100;
pub const INITIAL_BALANCE: Balance = 1_000;
pub const MAX_UNCLAIMED: u32 = 3;
pub const MAX_CLAIM_BATCH: u32 = 4;
pub const MAX_POLICIES: u32 = 5;

/// `T0`: period 0 starts here (Unix seconds), as does the chain's clock at block 1.
pub const T0: u64 = 1_700_000_000;

/// Short test periods: 10,000 s, a report every 600 s.
pub const PARAMS: MintingParams = MintingParams {
	first_period_start: T0,
	period_length: 10_000,
	report_interval: 600,
	min_report_gap: 300,
	close_grace: 1_000,
	maintenance_notice: 600,
	max_maintenance: 2_000,
};

#[frame_construct_runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeHoldReason,
		RuntimeFreezeReason,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system::Pallet<Test>;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances::Pallet<Test>;
	#[runtime::pallet_index(2)]
	pub type Timestamp = pallet_timestamp::Pallet<Test>;
	#[runtime::pallet_index(3)]
	pub type Registry = pallet_registry::Pallet<Test>;
	#[runtime::pallet_index(4)]
	pub type Minting = pallet_minting::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
	// Real database weights, so hooks that budget by weight are tested as they run.
	type DbWeight = frame::deps::frame_support::weights::constants::ParityDbWeight;
}

parameter_types! {
	/// Balances' existential deposit; a test raises it to make a payout account unable to
	/// receive a reward.
	pub static ExistentialDeposit: Balance = 1;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ExistentialDeposit = ExistentialDeposit;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

impl pallet_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = frame_system::EnsureSignedBy<GovernanceMembers, AccountId>;
	type TimeProvider = Timestamp;
	type Observer = Minting;
	type Usage = ();
	type TwinDeposit = ConstU64<10>;
	type FarmDeposit = ConstU64<50>;
	type NodeDeposit = ConstU64<20>;
	type MaxFarmsPerTwin = ConstU32<3>;
	type MaxAdmittedPerFarm = ConstU32<3>;
	type MaxCertifiers = ConstU32<2>;
	type FreePowerChanges = ConstU32<100>;
	type PowerChangeWindow = ConstU64<100>;
	type RequireTerms = ConstBool<false>;
	type WeightInfo = ();
}

impl pallet_minting::Config for Test {
	type Currency = Balances;
	type Registry = Registry;
	type TimeProvider = Timestamp;
	type GovernanceOrigin = frame_system::EnsureSignedBy<GovernanceMembers, AccountId>;
	type Signature = TestSignature;
	type MaxPolicies = ConstU32<MAX_POLICIES>;
	type MaxUnclaimed = ConstU32<MAX_UNCLAIMED>;
	type MaxClaimBatch = ConstU32<MAX_CLAIM_BATCH>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

/// The timestamp pallet's clock, and test signatures.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchHelper;
#[cfg(feature = "runtime-benchmarks")]
impl grid_primitives::benchmarking::BenchmarkTime for BenchHelper {
	fn set_unix_time(secs: u64) {
		Timestamp::set_timestamp(secs * 1_000);
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl grid_primitives::benchmarking::BenchmarkSigner<AccountId, TestSignature> for BenchHelper {
	fn key() -> AccountId {
		77
	}
	fn sign(who: &AccountId, payload: &[u8]) -> TestSignature {
		TestSignature(*who, payload.to_vec())
	}
}

/// `NODE`'s signature of a report.
pub fn sign(node: AccountId, report: &UptimeReport) -> TestSignature {
	TestSignature(node, report.signing_payload())
}

/// Governance is one account here, so tests can tell it from root and from others.
pub type GovernanceMembers = grid_test_kit::Governance<GovernanceAccount>;

frame::deps::frame_support::parameter_types! {
	pub const GovernanceAccount: AccountId = GOVERNANCE;
}

pub fn new_test_ext() -> TestState {
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: [ALICE, BOB, FARMER, NODE1, NODE2, GOVERNANCE]
				.into_iter()
				.map(|who| (who, INITIAL_BALANCE))
				.collect(),
			..Default::default()
		},
		registry: Default::default(),
		minting: pallet_minting::GenesisConfig {
			params: Some(PARAMS),
			policies: FarmingPolicy::reference_defaults().to_vec(),
			..Default::default()
		},
	}
	.build_storage()
	.unwrap();
	let mut ext = TestState::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(T0 * 1_000);
		ExistentialDeposit::set(1);
	});
	ext
}

/// Runs a test and checks every invariant of both pallets afterwards.
pub fn test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		f();
		check_invariants();
	});
}

pub fn check_invariants() {
	Registry::do_try_state().expect("registry try_state");
	Minting::do_try_state().expect("minting try_state");
}
