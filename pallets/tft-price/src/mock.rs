//! A test runtime: System, Timestamp and TftPrice, with real sr25519 feeder keys, general
//! transactions for the offchain worker, and a 6-second block clock.

use crate as pallet_tft_price;
use crate::types::*;
use frame::deps::{
	sp_core::{sr25519, Pair},
	sp_runtime::{generic, AccountId32, MultiSignature},
};
use frame::testing_prelude::*;
use frame::traits::{ConstU32, ConstU64};
use grid_primitives::money::MusdPerTft;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = AccountId32;

pub const MAX_FEEDERS: u32 = 5;
/// An hour of one-minute windows fits (61 points).
pub const MAX_HISTORY: u32 = 64;
pub const MIN_ACCEPTED: u32 = 1;
pub const MAX_ACCEPTED: u32 = 100_000;
/// Chain time at block 0; block `n` is `T0 + 6·n`.
pub const T0: u64 = 1_700_000_000;
pub const BLOCK_SECS: u64 = 6;

/// Ten-block windows, quorum 2 of 3, a one-hour average, billing within 10…1000 mUSD.
pub const PARAMS: PriceParams = PriceParams {
	window_blocks: 10,
	quorum: 2,
	average_span: 3_600,
	min_price: MusdPerTft(10),
	max_price: MusdPerTft(1_000),
	max_observation_age: 10,
	fresh_for: 600,
};

#[frame_construct_runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system::Pallet<Test>;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp::Pallet<Test>;
	#[runtime::pallet_index(2)]
	pub type TftPrice = pallet_tft_price::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = frame::deps::sp_runtime::traits::IdentityLookup<AccountId>;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

/// What the offchain worker submits: a general transaction with `AuthorizeCall`.
pub type Extrinsic = generic::UncheckedExtrinsic<
	AccountId,
	RuntimeCall,
	MultiSignature,
	frame_system::AuthorizeCall<Test>,
>;

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extension = frame_system::AuthorizeCall<Test>;
	fn create_transaction(call: RuntimeCall, extension: Self::Extension) -> Extrinsic {
		Extrinsic::new_transaction(call, extension)
	}
}

impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_extension() -> Self::Extension {
		frame_system::AuthorizeCall::new()
	}
}

frame::deps::frame_support::parameter_types! {
	/// The most a window's price may move from the average (tests that need it lower set it).
	pub static MaxMove: frame::deps::sp_runtime::Percent =
		frame::deps::sp_runtime::Percent::from_percent(100);
}

impl pallet_tft_price::Config for Test {
	type TimeProvider = Timestamp;
	type MaxWindowMove = MaxMove;
	type GovernanceOrigin = frame_system::EnsureSignedBy<GovernanceMembers, AccountId>;
	type Signature = MultiSignature;
	type MaxFeeders = ConstU32<MAX_FEEDERS>;
	type MaxHistory = ConstU32<MAX_HISTORY>;
	type MinAcceptedPrice = ConstU32<MIN_ACCEPTED>;
	type MaxAcceptedPrice = ConstU32<MAX_ACCEPTED>;
	type BlockTime = ConstU64<BLOCK_SECS>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchHelper;
}

/// The key pair of test account `name` (`//name`).
pub fn pair(name: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//{name}"), None).expect("a valid dev seed")
}

pub fn account(name: &str) -> AccountId {
	pair(name).public().into()
}

/// The three genesis feeders, a fourth and fifth for governance to add, and others.
pub fn f(i: u8) -> AccountId {
	account(&format!("Feeder{i}"))
}
pub fn stranger() -> AccountId {
	account("Stranger")
}
pub fn governance() -> AccountId {
	AccountId::new([100; 32])
}

/// `name`'s signature of a submission on this chain.
pub fn sign(name: &str, s: &PriceSubmission<AccountId>) -> MultiSignature {
	pair(name).sign(&TftPrice::signing_payload(s)).into()
}

#[cfg(feature = "runtime-benchmarks")]
pub struct BenchHelper;

#[cfg(feature = "runtime-benchmarks")]
impl grid_primitives::benchmarking::BenchmarkSigner<AccountId, MultiSignature> for BenchHelper {
	fn key() -> AccountId {
		account("BenchFeeder")
	}
	fn sign(_who: &AccountId, payload: &[u8]) -> MultiSignature {
		pair("BenchFeeder").sign(payload).into()
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl grid_primitives::benchmarking::BenchmarkTime for BenchHelper {
	fn set_unix_time(secs: u64) {
		Timestamp::set_timestamp(secs * 1_000);
	}
}

/// Governance is one account here, so tests can tell it from root and from others.
pub type GovernanceMembers = grid_test_kit::Governance<GovernanceAccount>;

pub struct GovernanceAccount;
impl Get<AccountId> for GovernanceAccount {
	fn get() -> AccountId {
		governance()
	}
}

/// Genesis: [`PARAMS`], feeders 1–3, no price yet; block 1 at `T0 + 6`.
pub fn new_test_ext() -> TestState {
	ext_with(Some(PARAMS), None)
}

pub fn ext_with(params: Option<PriceParams>, initial_price: Option<MusdPerTft>) -> TestState {
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		tft_price: pallet_tft_price::GenesisConfig {
			params,
			feeders: vec![f(1), f(2), f(3)],
			initial_price,
		},
	}
	.build_storage()
	.expect("valid genesis");
	let mut ext = TestState::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp((T0 + BLOCK_SECS) * 1_000);
		MaxMove::set(frame::deps::sp_runtime::Percent::from_percent(100));
	});
	ext
}

/// Runs a test and checks the pallet's invariants afterwards.
pub fn test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		f();
		TftPrice::do_try_state().expect("tft-price try_state");
	});
}
