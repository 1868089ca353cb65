//! A test runtime with the real registry: System, Balances (deposit holds), Timestamp, Registry
//! and Capacity wired as in the runtime, with a billing observer that records what it was told
//! and test signatures (an account "signs" a usage batch by naming itself with the payload).

use crate as pallet_capacity;
use frame::deps::sp_runtime::testing::TestSignature;
use frame::testing_prelude::*;
use frame::traits::{ConstBool, ConstU32, ConstU64};
use grid_primitives::{
	contracts::{ContractObserver, EndCause},
	registry::ContractId,
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u64;

/// Users.
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
/// The farmer of farm 1.
pub const FARMER: AccountId = 10;
/// Node accounts.
pub const NODE1: AccountId = 11;
pub const NODE2: AccountId = 12;
pub const GOVERNANCE: AccountId = 100;
pub const INITIAL_BALANCE: Balance = 1_000;
pub const CONTRACT_DEPOSIT: Balance = 7;
pub const PROVIDER_DEPOSIT: Balance = 30;
pub const MAX_CONTRACTS_PER_NODE: u32 = 4;
pub const MAX_CONTRACTS_PER_TWIN: u32 = 5;
pub const MAX_USAGE_REPORTS: u32 = 4;
pub const BILLING_MAX: Weight = Weight::from_parts(1_000, 0);
/// Unix seconds at block 1.
pub const GENESIS_SECS: u64 = 1_700_000_000;

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
	pub type Capacity = pallet_capacity::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

impl pallet_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = frame_system::EnsureSignedBy<GovernanceMembers, AccountId>;
	type TimeProvider = Timestamp;
	type Observer = Capacity;
	type Usage = Capacity;
	type TwinDeposit = ConstU64<10>;
	type FarmDeposit = ConstU64<50>;
	type NodeDeposit = ConstU64<20>;
	type MaxFarmsPerTwin = ConstU32<3>;
	type MaxAdmittedPerFarm = ConstU32<3>;
	type MaxCertifiers = ConstU32<2>;
	type FreePowerChanges = ConstU32<2>;
	type PowerChangeWindow = ConstU64<100>;
	type RequireTerms = ConstBool<false>;
	type WeightInfo = ();
}

parameter_types! {
	/// What billing was told, in order.
	pub static Billed: Vec<BillingCall> = Vec::new();
	/// Billing refuses new contracts (as it does a payer in grace or in debt).
	pub static BillingRefuses: bool = false;
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BillingCall {
	Created(ContractId),
	Settle(ContractId),
	Ended(ContractId, EndCause),
}

pub struct TestBilling;
impl ContractObserver for TestBilling {
	fn contract_created(c: ContractId) -> DispatchResult {
		if BillingRefuses::get() {
			return Err(DispatchError::Other("billing refuses the payer"));
		}
		Billed::mutate(|b| b.push(BillingCall::Created(c)));
		Ok(())
	}
	fn settle(c: ContractId) {
		Billed::mutate(|b| b.push(BillingCall::Settle(c)));
	}
	fn contract_ended(c: ContractId, cause: EndCause) {
		Billed::mutate(|b| b.push(BillingCall::Ended(c, cause)));
	}
	fn max_weight() -> Weight {
		BILLING_MAX
	}
}

impl pallet_capacity::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registry;
	type IpPool = Registry;
	type Billing = TestBilling;
	type GovernanceOrigin = frame_system::EnsureSignedBy<GovernanceMembers, AccountId>;
	type TimeProvider = Timestamp;
	type Signature = TestSignature;
	type ContractDeposit = ConstU64<CONTRACT_DEPOSIT>;
	type ProviderDeposit = ConstU64<PROVIDER_DEPOSIT>;
	type MaxContractsPerNode = ConstU32<MAX_CONTRACTS_PER_NODE>;
	type MaxContractsPerTwin = ConstU32<MAX_CONTRACTS_PER_TWIN>;
	type MaxUsageReports = ConstU32<MAX_USAGE_REPORTS>;
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

/// `signer`'s signature of a usage batch.
pub fn sign_batch(signer: AccountId, batch: &pallet_capacity::UsageBatchOf<Test>) -> TestSignature {
	TestSignature(signer, batch.signing_payload())
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
			balances: [ALICE, BOB, CHARLIE, FARMER, NODE1, NODE2, GOVERNANCE]
				.into_iter()
				.map(|who| (who, INITIAL_BALANCE))
				.collect(),
			..Default::default()
		},
		registry: Default::default(),
		capacity: Default::default(),
	}
	.build_storage()
	.unwrap();
	let mut ext = TestState::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(GENESIS_SECS * 1_000);
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
	Capacity::do_try_state().expect("capacity try_state");
}
