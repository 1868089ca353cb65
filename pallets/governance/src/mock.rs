//! A test runtime: System, Balances (for the deposit holds), the governance pallet, and a
//! `Target` pallet whose calls the DAO may make (one records the proposal that made it, one
//! fails, one is too heavy). The council and the farms' proven capacity are tables tests set.

use crate as pallet_governance;
use frame::testing_prelude::*;
use frame::traits::{ConstU32, ConstU64, SortedMembers};
use grid_primitives::{
	governance::{FarmVoteWeight, VoteWeight, VoterError},
	registry::FarmId,
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u64;

/// Farmers: Alice owns farm 1, Bob farm 2, Charlie farm 3, Dave farm 4 (registered, never
/// reported: weight 0), and Pauper farm 5 without funds.
pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
pub const PAUPER: AccountId = 99;
/// Council members.
pub const C1: AccountId = 11;
pub const C2: AccountId = 12;
pub const C3: AccountId = 13;
pub const EVE: AccountId = 20;

pub const ALICE_FARM: FarmId = 1;
pub const BOB_FARM: FarmId = 2;
pub const CHARLIE_FARM: FarmId = 3;
pub const DAVE_FARM: FarmId = 4;
pub const PAUPER_FARM: FarmId = 5;
pub const ALICE_WEIGHT: VoteWeight = 100;
pub const BOB_WEIGHT: VoteWeight = 50;
pub const CHARLIE_WEIGHT: VoteWeight = 30;

pub const INITIAL_BALANCE: Balance = 1_000;
pub const DEPOSIT: Balance = 100;
pub const MAX_PROPOSALS: u32 = 4;
pub const MAX_DESCRIPTION: u32 = 64;
pub const MAX_LINK: u32 = 32;
pub const MAX_CALL_LENGTH: u32 = 128;
pub const MIN_PERIOD: u64 = 5;
pub const MAX_PERIOD: u64 = 100;
pub const MIN_VOTERS: u32 = 2;
pub const VETO_THRESHOLD: u32 = 2;
pub const MAX_VETOES: u32 = 3;
pub const MAX_CALL_WEIGHT: Weight = Weight::from_parts(50_000_000_000, 1_000_000);
/// What the test farm table declares as the weight of one query.
pub const FARM_QUERY: Weight = Weight::from_parts(7, 0);
/// `Target::record` declares this weight and reports using `RECORD_USED`.
pub const RECORD_WEIGHT: Weight = Weight::from_parts(50_000_000, 1_000);
pub const RECORD_USED: Weight = Weight::from_parts(20_000_000, 400);

/// A pallet whose calls the DAO may make.
#[frame::pallet(dev_mode)]
pub mod pallet_target {
	use frame::prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeOrigin = super::RuntimeOrigin> {}

	/// The proposals whose `record` (or `fail`, before failing) ran, in order.
	#[pallet::storage]
	pub type Recorded<T> = StorageValue<_, Vec<u32>, ValueQuery>;

	#[pallet::error]
	pub enum Error<T> {
		/// `fail` always fails.
		Failed,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Records the proposal that made the call; only the DAO may.
		#[pallet::call_index(0)]
		#[pallet::weight(super::RECORD_WEIGHT)]
		pub fn record(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let proposal = crate::EnsureFarmers::<super::Test>::ensure_origin(origin)?;
			Recorded::<T>::append(proposal);
			Ok(Some(super::RECORD_USED).into())
		}
		/// Records, then fails: the record is undone.
		#[pallet::call_index(1)]
		#[pallet::weight(super::RECORD_WEIGHT)]
		pub fn fail(origin: OriginFor<T>) -> DispatchResult {
			let proposal = crate::EnsureFarmers::<super::Test>::ensure_origin(origin)?;
			Recorded::<T>::append(proposal);
			Err(Error::<T>::Failed.into())
		}
		/// Weighs more than the DAO may dispatch.
		#[pallet::call_index(2)]
		#[pallet::weight(super::MAX_CALL_WEIGHT.saturating_add(Weight::from_parts(1, 0)))]
		pub fn heavy(origin: OriginFor<T>) -> DispatchResult {
			crate::EnsureFarmers::<super::Test>::ensure_origin(origin)?;
			Ok(())
		}
	}
}

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
	pub type Governance = pallet_governance::Pallet<Test>;
	#[runtime::pallet_index(3)]
	pub type Target = pallet_target::Pallet<Test>;
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

impl pallet_target::Config for Test {}

parameter_types! {
	/// The council, as tests set it.
	pub static Council: Vec<AccountId> = vec![C1, C2, C3];
	/// Farms: (id, owner, proven capacity).
	pub static FarmTable: Vec<(FarmId, AccountId, VoteWeight)> = default_farms();
	pub static MaxVoters: u32 = 10_000;
	/// The turnout (tests raise it).
	pub static MinTurnout: Perbill = Perbill::zero();
	/// Whether the DAO may make `Target`'s calls (tests withdraw them from the list).
	pub static TargetListed: bool = true;
}

pub fn default_farms() -> Vec<(FarmId, AccountId, VoteWeight)> {
	vec![
		(ALICE_FARM, ALICE, ALICE_WEIGHT),
		(BOB_FARM, BOB, BOB_WEIGHT),
		(CHARLIE_FARM, CHARLIE, CHARLIE_WEIGHT),
		(DAVE_FARM, DAVE, 0),
		(PAUPER_FARM, PAUPER, 10),
	]
}

/// Sets a farm's proven capacity (as a new reward period would).
pub fn set_farm_weight(farm: FarmId, weight: VoteWeight) {
	FarmTable::mutate(|t| t.iter_mut().filter(|f| f.0 == farm).for_each(|f| f.2 = weight));
}

/// Gives a farm to another owner.
pub fn set_farm_owner(farm: FarmId, owner: AccountId) {
	FarmTable::mutate(|t| t.iter_mut().filter(|f| f.0 == farm).for_each(|f| f.1 = owner));
}

pub struct TestCouncil;
impl SortedMembers<AccountId> for TestCouncil {
	fn sorted_members() -> Vec<AccountId> {
		let mut members = Council::get();
		members.sort();
		members
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn add(who: &AccountId) {
		Council::mutate(|c| c.push(*who));
	}
}

pub struct TestFarms;
impl FarmVoteWeight<AccountId> for TestFarms {
	fn voter_weight(who: &AccountId, farm: FarmId) -> Result<VoteWeight, VoterError> {
		let (_, owner, weight) = FarmTable::get()
			.into_iter()
			.find(|f| f.0 == farm)
			.ok_or(VoterError::UnknownFarm)?;
		if owner != *who {
			return Err(VoterError::NotFarmOwner);
		}
		Ok(weight)
	}
	fn total_weight() -> VoteWeight {
		FarmTable::get().iter().map(|f| f.2).fold(0, VoteWeight::saturating_add)
	}
	fn query_weight() -> Weight {
		FARM_QUERY
	}
}

/// The DAO may remark, make `Target`'s calls and authorize upgrades; nothing else (in
/// particular no balance call).
pub struct TestDaoCalls;
impl Contains<RuntimeCall> for TestDaoCalls {
	fn contains(call: &RuntimeCall) -> bool {
		if let RuntimeCall::Target(_) = call {
			return TargetListed::get();
		}
		matches!(
			call,
			RuntimeCall::System(frame_system::Call::remark { .. })
				| RuntimeCall::System(frame_system::Call::remark_with_event { .. })
				| RuntimeCall::Governance(pallet_governance::Call::authorize_upgrade { .. })
		)
	}
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<Test> for MockBenchmarkHelper {
	fn farm_with_weight(owner: &AccountId, weight: VoteWeight) -> FarmId {
		let id = FarmTable::get().iter().map(|f| f.0).max().unwrap_or(0) + 1;
		FarmTable::mutate(|t| t.push((id, *owner, weight)));
		id
	}
}

impl pallet_governance::Config for Test {
	type RuntimeCall = RuntimeCall;
	type RuntimeOrigin = RuntimeOrigin;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Council = TestCouncil;
	type Farms = TestFarms;
	type DaoCalls = TestDaoCalls;
	type UpgradeOrigin = EitherOfDiverse<
		frame_system::EnsureRoot<AccountId>,
		pallet_governance::EnsureFarmers<Test>,
	>;
	type ProposalDeposit = ConstU64<DEPOSIT>;
	type MaxProposals = ConstU32<MAX_PROPOSALS>;
	type MaxDescriptionLength = ConstU32<MAX_DESCRIPTION>;
	type MaxLinkLength = ConstU32<MAX_LINK>;
	type MaxCallLength = ConstU32<MAX_CALL_LENGTH>;
	type MinVotingPeriod = ConstU64<MIN_PERIOD>;
	type MaxVotingPeriod = ConstU64<MAX_PERIOD>;
	type MinVoters = ConstU32<MIN_VOTERS>;
	type MinTurnout = MinTurnout;
	type VetoThreshold = ConstU32<VETO_THRESHOLD>;
	type MaxVetoes = ConstU32<MAX_VETOES>;
	type MaxVoters = MaxVoters;
	type MaxCallWeight = MaxCallWeight;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

parameter_types! {
	pub const MaxCallWeight: Weight = MAX_CALL_WEIGHT;
}

pub fn new_test_ext() -> TestState {
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: [ALICE, BOB, CHARLIE, DAVE, C1, C2, C3, EVE]
				.into_iter()
				.map(|who| (who, INITIAL_BALANCE))
				.collect(),
			..Default::default()
		},
	}
	.build_storage()
	.unwrap();
	let mut ext = TestState::new(storage);
	ext.execute_with(|| {
		// Thread-local tables outlive a test: start each from the defaults.
		Council::set(vec![C1, C2, C3]);
		FarmTable::set(default_farms());
		MaxVoters::set(10_000);
		TargetListed::set(true);
		System::set_block_number(1);
	});
	ext
}

/// Runs a test and checks every governance invariant afterwards.
pub fn test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		f();
		Governance::do_try_state().expect("try_state after test");
	});
}

pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}
