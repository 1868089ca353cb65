//! Aura + GRANDPA over a session-managed validator set.

use crate::*;
use frame_support::{parameter_types, traits::ConstBool};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::traits::ConvertInto;

parameter_types! {
	pub const MaxAuthorities: u32 = 32;
	/// Session keys cost a deposit (returned by `session.purgeKeys`), so key storage is not free.
	pub const SessionKeyDeposit: Balance = tft::UNIT;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = MaxAuthorities;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = frame_support::traits::ConstU32<0>;
	type MaxSetIdSessionEntries = frame_support::traits::ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	/// The validator set records who authored, to report validators that author nothing.
	type EventHandler = ValidatorSet;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = ValidatorSet;
	type NextSessionRotation = ValidatorSet;
	type SessionManager = ValidatorSet;
	type SessionHandler = <SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

parameter_types! {
	pub const MaxValidators: u32 = MaxAuthorities::get();
	/// Governance may choose sessions from 5 blocks (30 s, for tests) to a day; presets pick within.
	pub const MinSessionLength: BlockNumber = 5;
	pub const MaxSessionLength: BlockNumber = DAYS;
	/// An application's bond is the applicant's choice, held while it applies and validates:
	/// none is required.
	pub const ValidatorMinBond: Balance = 0;
	pub const MaxValidatorApplications: u32 = 16;
	pub const MaxApplicationDescription: u32 = 256;
	/// A validator that authored nothing in 3 sessions is reported: Aura gives each validator
	/// one slot in `validators` slots, so keep `session length × 3` well above the set's size.
	pub const InactivityThreshold: u32 = 3;
}

impl pallet_validator_set::Config for Runtime {
	type AddRemoveOrigin = crate::configs::EnsureRootOrHalfCouncil;
	type KeysRegistration = Session;
	type MaxValidators = MaxValidators;
	type MinValidators = frame_support::traits::ConstU32<1>;
	type MinSessionLength = MinSessionLength;
	type MaxSessionLength = MaxSessionLength;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MinBond = ValidatorMinBond;
	type MaxApplications = MaxValidatorApplications;
	type MaxDescriptionLength = MaxApplicationDescription;
	type InactivityThreshold = InactivityThreshold;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SessionKeysForBenchmarks;
}

/// Gives an account session keys directly in storage (benchmarks cannot sign a key proof).
#[cfg(feature = "runtime-benchmarks")]
pub struct SessionKeysForBenchmarks;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_validator_set::BenchmarkHelper<AccountId> for SessionKeysForBenchmarks {
	fn register_keys(who: &AccountId) {
		use sp_core::crypto::UncheckedFrom;
		let raw: [u8; 32] = *who.as_ref();
		let keys = SessionKeys {
			aura: sp_consensus_aura::sr25519::AuthorityId::unchecked_from(raw),
			grandpa: sp_consensus_grandpa::AuthorityId::unchecked_from(raw),
		};
		pallet_session::NextKeys::<Runtime>::insert(who, keys);
	}
}
