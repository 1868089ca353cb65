//! A test runtime with the real registry and capacity pallets: System, Balances (u128, as the
//! runtime), Timestamp, Registry, Capacity and Billing wired as in the runtime, with a price
//! oracle and node liveness the tests set.

use crate as pallet_billing;
use frame::testing_prelude::*;
use frame::traits::{ConstBool, ConstU128, ConstU32, ConstU64};
use grid_primitives::{
	contracts::{NetworkRevenue, PaidNetwork},
	liveness::{NodeLiveness, Timeline, Window},
	money::{MusdPerTft, PriceQuote, TftPriceOracle},
	registry::NodeId,
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u128;

/// Users.
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
/// The farmer of farm 1, and its payout account.
pub const FARMER: AccountId = 10;
/// Node accounts.
pub const NODE1: AccountId = 11;
pub const NODE2: AccountId = 12;
pub const GOVERNANCE: AccountId = 100;
pub const TREASURY: AccountId = 99;
/// 1 TFT.
pub const TFT: Balance = 10_000_000;
pub const INITIAL_BALANCE: Balance = 1_000 * TFT;
pub const CONTRACT_DEPOSIT: Balance = TFT;
pub const MAX_CONTRACTS_PER_NODE: u32 = 40;
pub const MAX_CONTRACTS_PER_TWIN: u32 = 50;
/// Blocks per charging pass.
pub const PASS: u32 = 10;
pub const GRACE: u32 = 30;
pub const NOTICE: u32 = 20;
/// Unix seconds at block 1; blocks are 6 s apart.
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
	#[runtime::pallet_index(5)]
	pub type Billing = pallet_billing::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ExistentialDeposit = ConstU128<500>;
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
	type TwinDeposit = ConstU128<10>;
	type FarmDeposit = ConstU128<50>;
	type NodeDeposit = ConstU128<20>;
	type MaxFarmsPerTwin = ConstU32<3>;
	type MaxAdmittedPerFarm = ConstU32<3>;
	type MaxCertifiers = ConstU32<2>;
	type FreePowerChanges = ConstU32<20>;
	type PowerChangeWindow = ConstU64<100>;
	type RequireTerms = ConstBool<false>;
	type WeightInfo = ();
}

impl pallet_capacity::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registry;
	type IpPool = Registry;
	type Billing = Billing;
	type GovernanceOrigin = frame_system::EnsureSignedBy<GovernanceMembers, AccountId>;
	type TimeProvider = Timestamp;
	type ContractDeposit = ContractDepositAmount;
	type ProviderDeposit = ConstU128<{ 5 * TFT }>;
	type MaxContractsPerNode = ConstU32<MAX_CONTRACTS_PER_NODE>;
	type MaxContractsPerTwin = ConstU32<MAX_CONTRACTS_PER_TWIN>;
	type Signature = frame::deps::sp_runtime::testing::TestSignature;
	type MaxUsageReports = ConstU32<10>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

parameter_types! {
	/// The oracle's billing price, mUSD per TFT (`None`: no price yet).
	pub static OraclePrice: Option<u32> = Some(100);
	/// Whether the oracle trusts its price.
	pub static PriceTrusted: bool = true;
	/// Capacity's contract deposit (a test may make it small, so debts outgrow it).
	pub static ContractDepositAmount: Balance = CONTRACT_DEPOSIT;
	/// Down spans of nodes the tests set, Unix seconds `[start, end)`; every other second of
	/// every node is up (and settled as soon as it passed).
	pub static NodeDown: Vec<(NodeId, u64, u64)> = Vec::new();
	/// Nodes minting does not track (never up).
	pub static Untracked: Vec<NodeId> = Vec::new();
	/// The nodes' last report, Unix seconds: their time is settled up to it (`None`: up to
	/// the clock).
	pub static LastReport: Option<u64> = None;
	/// Minting's settle delay, seconds.
	pub static SettleDelay: u64 = 0;
	/// What billing told minting it collected for each node's network, in order.
	pub static Collected: Vec<(NodeId, PaidNetwork)> = Vec::new();
	pub static ChargeBudget: Weight = Weight::from_parts(375_000_000_000, u64::MAX);
	pub const Treasury: AccountId = TREASURY;
}

pub struct TestOracle;
impl TftPriceOracle for TestOracle {
	fn billing_price() -> Option<PriceQuote> {
		let price = MusdPerTft::new(OraclePrice::get()?)?;
		Some(PriceQuote { price, trustworthy: PriceTrusted::get() })
	}
	fn billing_price_weight() -> Weight {
		Weight::zero()
	}
}

pub struct TestLiveness;
impl NodeLiveness for TestLiveness {
	fn timeline(node: NodeId) -> Option<Timeline> {
		if Untracked::get().contains(&node) {
			return None;
		}
		let clock = pallet_timestamp::Now::<Test>::get() / 1_000;
		let now = LastReport::get().map_or(clock, |at| at.min(clock));
		let downs: Vec<_> = NodeDown::get()
			.into_iter()
			.filter(|(n, _, _)| *n == node)
			.map(|(_, start, end)| Window::new(start, end.min(now)))
			.filter(|w| !w.is_empty())
			.collect();
		let mut timeline = Timeline::starting(0);
		let mut ups = Vec::new();
		let mut at = 0;
		for down in &downs {
			ups.push(Window::new(at, down.start));
			at = down.end;
		}
		ups.push(Window::new(at, now));
		timeline.settle(now, &ups);
		Some(timeline)
	}
	fn settle_delay() -> u64 {
		SettleDelay::get()
	}
	fn query_weight() -> Weight {
		Weight::zero()
	}
}

/// Makes `node` down (not up, not billable) during `[start, end)`, Unix seconds.
pub fn set_node_down(node: NodeId, start: u64, end: u64) {
	NodeDown::mutate(|v| v.push((node, start, end)));
}

/// `node` goes down at `at` (Unix seconds) until [`node_comes_up`].
pub fn node_goes_down(node: NodeId, at: u64) {
	set_node_down(node, at, u64::MAX);
}

/// `node`, down since [`node_goes_down`], is up again from `at`.
pub fn node_comes_up(node: NodeId, at: u64) {
	NodeDown::mutate(|v| {
		for down in v.iter_mut().filter(|(n, _, end)| *n == node && *end == u64::MAX) {
			down.2 = at;
		}
	});
}

pub struct TestRevenue;
impl NetworkRevenue for TestRevenue {
	fn collected(node: NodeId, usage: PaidNetwork) {
		Collected::mutate(|c| c.push((node, usage)));
	}
}

impl pallet_billing::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Contracts = Capacity;
	type Network = Capacity;
	type Registry = Registry;
	type Liveness = TestLiveness;
	type Revenue = TestRevenue;
	type Price = TestOracle;
	type TimeProvider = Timestamp;
	type GovernanceOrigin = frame_system::EnsureSignedBy<GovernanceMembers, AccountId>;
	type TreasuryAccount = Treasury;
	type ChargeBudget = ChargeBudget;
	type MaxContractsPerPayer = ConstU32<MAX_CONTRACTS_PER_TWIN>;
	type MaxPassBlocks = ConstU32<1_000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

/// The timestamp pallet's clock, the test liveness and the test oracle (capacity shares the
/// clock).
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchHelper;
#[cfg(feature = "runtime-benchmarks")]
impl grid_primitives::benchmarking::BenchmarkTime for BenchHelper {
	fn set_unix_time(secs: u64) {
		Timestamp::set_timestamp(secs * 1_000);
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl
	grid_primitives::benchmarking::BenchmarkSigner<
		AccountId,
		frame::deps::sp_runtime::testing::TestSignature,
	> for BenchHelper
{
	fn key() -> AccountId {
		77
	}
	fn sign(who: &AccountId, payload: &[u8]) -> frame::deps::sp_runtime::testing::TestSignature {
		frame::deps::sp_runtime::testing::TestSignature(*who, payload.to_vec())
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for BenchHelper {
	fn node_up(node: NodeId, since: u64) {
		set_node_down(node, 0, since);
	}
	fn trust_price() {
		PriceTrusted::set(true);
	}
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
			balances: [ALICE, BOB, CHARLIE, FARMER, NODE1, NODE2, GOVERNANCE, TREASURY]
				.into_iter()
				.map(|who| (who, INITIAL_BALANCE))
				.collect(),
			..Default::default()
		},
		registry: Default::default(),
		// A node may report usage every second: the tests report when they need to.
		capacity: pallet_capacity::GenesisConfig {
			limits: Some(pallet_capacity::Limits {
				usage_report_gap: 1,
				..pallet_capacity::Limits::default()
			}),
			_config: Default::default(),
		},
		billing: pallet_billing::GenesisConfig {
			policy: Some(crate::PricingPolicy::reference()),
			params: Some(crate::BillingParams {
				grace_period: GRACE,
				release_notice: NOTICE,
				prepaid: 3_600,
			}),
			pass_blocks: Some(PASS),
			_config: Default::default(),
		},
	}
	.build_storage()
	.unwrap();
	let mut ext = TestState::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(GENESIS_SECS * 1_000);
		// Statics live per thread: a property test's cases share one.
		OraclePrice::set(Some(100));
		PriceTrusted::set(true);
		ContractDepositAmount::set(CONTRACT_DEPOSIT);
		NodeDown::take();
		Untracked::take();
		SettleDelay::set(0);
		Collected::take();
	});
	ext
}

/// Runs a test and checks every invariant of the three pallets afterwards.
pub fn test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		f();
		check_invariants();
	});
}

pub fn check_invariants() {
	Registry::do_try_state().expect("registry try_state");
	Capacity::do_try_state().expect("capacity try_state");
	Billing::do_try_state().expect("billing try_state");
}

/// Unix seconds at block `n`.
pub fn secs_at(n: u64) -> u64 {
	GENESIS_SECS + (n - 1) * 6
}

/// Runs blocks up to `n`: each moves the clock 6 s and runs billing's `on_initialize`.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Timestamp::set_timestamp(secs_at(next) * 1_000);
		<Billing as Hooks<u64>>::on_initialize(next);
	}
}
