//! Account tools: batches, proxies (e.g. a farmer bot acting for a farmer) and multisig accounts.

use crate::*;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{parameter_types, traits::InstanceFilter};
use scale_info::TypeInfo;

parameter_types! {
	// Deposits follow storage size: a base per item plus a per-byte factor.
	pub const ProxyDepositBase: Balance = tft::UNIT;
	pub const ProxyDepositFactor: Balance = 10 * tft::MILLI;
	pub const AnnouncementDepositBase: Balance = tft::UNIT;
	pub const AnnouncementDepositFactor: Balance = 20 * tft::MILLI;
	pub const MultisigDepositBase: Balance = tft::UNIT;
	pub const MultisigDepositFactor: Balance = 10 * tft::MILLI;
}

/// What a proxy may do for the account that appointed it.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	MaxEncodedLen,
	TypeInfo,
	Default,
)]
pub enum ProxyType {
	/// Everything.
	#[default]
	Any,
	/// Everything except moving funds.
	NonTransfer,
	/// Council and treasury business only.
	Governance,
	/// A farmer bot: powers the farmer's nodes up and down, nothing else.
	PowerManagement,
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		match self {
			ProxyType::Any => true,
			ProxyType::NonTransfer => !matches!(call, RuntimeCall::Balances(..)),
			ProxyType::Governance => matches!(
				call,
				RuntimeCall::Council(..)
					| RuntimeCall::CouncilMembership(..)
					| RuntimeCall::Treasury(..)
					| RuntimeCall::Utility(..)
			),
			ProxyType::PowerManagement => matches!(
				call,
				RuntimeCall::Registry(pallet_registry::Call::set_power_target { .. })
			),
		}
	}
	fn is_superset(&self, o: &Self) -> bool {
		match (self, o) {
			(ProxyType::Any, _) => true,
			(_, ProxyType::Any) => false,
			(ProxyType::NonTransfer, ProxyType::Governance | ProxyType::PowerManagement) => true,
			(x, y) => x == y,
		}
	}
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = frame_support::traits::ConstU32<32>;
	type WeightInfo = pallet_proxy::weights::SubstrateWeight<Runtime>;
	type MaxPending = frame_support::traits::ConstU32<32>;
	type CallHasher = sp_runtime::traits::BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = System;
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = MultisigDepositBase;
	type DepositFactor = MultisigDepositFactor;
	type MaxSignatories = frame_support::traits::ConstU32<100>;
	type WeightInfo = pallet_multisig::weights::SubstrateWeight<Runtime>;
	type BlockNumberProvider = System;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}
