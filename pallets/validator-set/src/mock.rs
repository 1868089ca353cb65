//! A test runtime with the real pallet-session driven by this pallet.

use crate as pallet_validator_set;
use frame::testing_prelude::*;
use frame::traits::{ConstU32, ConstU64};
use sp_runtime::{
	impl_opaque_keys,
	testing::UintAuthorityId,
	traits::{ConvertInto, OpaqueKeys},
	BuildStorage, KeyTypeId, RuntimeAppPublic,
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
/// Never registers session keys.
pub const NO_KEYS: AccountId = 99;
pub const SESSION_LENGTH: u64 = 5;
/// Sessions without an authored block after which a validator is reported.
pub const INACTIVITY_THRESHOLD: u32 = 2;
pub const MAX_APPLICATIONS: u32 = 3;
pub const MAX_DESCRIPTION: u32 = 16;

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
	pub type ValidatorSet = pallet_validator_set::Pallet<Test>;
	#[runtime::pallet_index(3)]
	pub type Session = pallet_session::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
	// Non-zero, so that tests see the weights the pallet registers.
	type DbWeight = frame::deps::frame_support::weights::constants::ParityDbWeight;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl_opaque_keys! {
	pub struct MockSessionKeys {
		pub dummy: UintAuthorityId,
	}
}

/// Records the authorities pallet-session hands to consensus, like Aura would.
pub struct TestSessionHandler;
parameter_types! {
	pub static ActiveAuthorities: Vec<AccountId> = Vec::new();
}
impl pallet_session::SessionHandler<AccountId> for TestSessionHandler {
	const KEY_TYPE_IDS: &'static [KeyTypeId] = &[UintAuthorityId::ID];
	fn on_genesis_session<Ks: OpaqueKeys>(validators: &[(AccountId, Ks)]) {
		ActiveAuthorities::set(validators.iter().map(|(v, _)| *v).collect());
	}
	fn on_new_session<Ks: OpaqueKeys>(
		_changed: bool,
		validators: &[(AccountId, Ks)],
		_queued: &[(AccountId, Ks)],
	) {
		ActiveAuthorities::set(validators.iter().map(|(v, _)| *v).collect());
	}
	fn on_disabled(_validator_index: u32) {}
}

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = ValidatorSet;
	type NextSessionRotation = ValidatorSet;
	type SessionManager = ValidatorSet;
	type SessionHandler = TestSessionHandler;
	type Keys = MockSessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = ConstU64<0>;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn register_keys(who: &AccountId) {
		// Setting keys needs an existing account (it takes a consumer reference).
		frame::deps::frame_support::assert_ok!(Balances::force_set_balance(
			RuntimeOrigin::root(),
			*who,
			100
		));
		frame::deps::frame_support::assert_ok!(register_keys(*who));
	}
}

parameter_types! {
	/// 10 by default; a test sets 0 to make the bond optional.
	pub static MinBond: u64 = 10;
}

impl pallet_validator_set::Config for Test {
	type AddRemoveOrigin = frame_system::EnsureRoot<AccountId>;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MinBond = MinBond;
	type MaxApplications = ConstU32<MAX_APPLICATIONS>;
	type MaxDescriptionLength = ConstU32<MAX_DESCRIPTION>;
	type InactivityThreshold = ConstU32<INACTIVITY_THRESHOLD>;
	type KeysRegistration = Session;
	type MaxValidators = ConstU32<4>;
	type MinValidators = ConstU32<1>;
	type MinSessionLength = ConstU64<2>;
	type MaxSessionLength = ConstU64<100>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Registers session keys for `who` (with a valid ownership proof) and returns the result.
pub fn register_keys(who: AccountId) -> DispatchResult {
	use codec::Encode;
	let mut keys = MockSessionKeys { dummy: UintAuthorityId(who) };
	let proof = keys.create_ownership_proof(&who.encode()).expect("test keys can sign");
	Session::set_keys(RuntimeOrigin::signed(who), keys, proof.encode())
}

/// Alice is the only genesis validator; Bob and Charlie have keys but are not validators.
pub fn new_test_ext() -> TestState {
	let keys = |who: AccountId| (who, who, MockSessionKeys { dummy: UintAuthorityId(who) });
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: vec![(ALICE, 100), (BOB, 100), (CHARLIE, 100), (NO_KEYS, 100)],
			..Default::default()
		},
		validator_set: pallet_validator_set::GenesisConfig {
			initial_validators: vec![ALICE],
			session_length: SESSION_LENGTH,
		},
		session: pallet_session::GenesisConfig {
			keys: vec![keys(ALICE), keys(BOB), keys(CHARLIE)],
			..Default::default()
		},
	}
	.build_storage()
	.unwrap();
	let mut ext = TestState::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test`, then checks the pallet's invariants, and what `do_try_state` cannot see: only
/// applicants and validators hold a `ValidatorBond`.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		ValidatorSet::do_try_state().expect("try_state after test");
		assert_bonds_only_on_applicants_and_validators();
	});
}

/// Every `ValidatorBond` hold in pallet-balances is on an applicant or a validator.
pub fn assert_bonds_only_on_applicants_and_validators() {
	let bond: RuntimeHoldReason = pallet_validator_set::HoldReason::ValidatorBond.into();
	let validators = pallet_validator_set::Validators::<Test>::get();
	for (who, holds) in pallet_balances::Holds::<Test>::iter() {
		for hold in holds.iter().filter(|h| h.id == bond && h.amount > 0) {
			assert!(
				validators.contains(&who)
					|| pallet_validator_set::Applications::<Test>::contains_key(who),
				"{who} holds a bond of {} but neither applied nor validates",
				hold.amount
			);
		}
	}
}

pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}
