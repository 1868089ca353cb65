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

/// Each proxy type is an allow-list: a call is allowed only when it is listed here, so a call
/// added to the runtime later is denied to every proxy but `Any` until it is listed. Batches
/// are allowed where their calls would be: pallet-proxy filters every batched call again.
impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		match self {
			ProxyType::Any => true,
			ProxyType::NonTransfer => is_batch(call) || non_transfer(call),
			ProxyType::Governance => is_batch(call) || governance(call),
			ProxyType::PowerManagement => power_management(call),
		}
	}

	fn is_superset(&self, o: &Self) -> bool {
		match (self, o) {
			(ProxyType::Any, _) => true,
			(_, ProxyType::Any) => false,
			// `non_transfer` lists every call of the other two.
			(ProxyType::NonTransfer, ProxyType::Governance | ProxyType::PowerManagement) => true,
			(x, y) => x == y,
		}
	}
}

fn is_batch(call: &RuntimeCall) -> bool {
	use pallet_utility::Call as U;
	matches!(
		call,
		RuntimeCall::Utility(U::batch { .. } | U::batch_all { .. } | U::force_batch { .. })
	)
}

/// A farmer bot: powers the farmer's nodes up and down.
fn power_management(call: &RuntimeCall) -> bool {
	matches!(call, RuntimeCall::Registry(pallet_registry::Call::set_power_target { .. }))
}

/// Council votes and proposals, and paying out approved treasury spends.
fn governance(call: &RuntimeCall) -> bool {
	use pallet_collective::Call as C;
	use pallet_treasury::Call as T;
	matches!(
		call,
		RuntimeCall::Council(C::propose { .. } | C::vote { .. } | C::close { .. })
			| RuntimeCall::Treasury(T::payout { .. } | T::check_status { .. })
	)
}

/// Everything an account does on the grid that neither moves its funds nor redirects its
/// income or ownership: no transfers, no farm payout change, no twin transfer, no sudo,
/// multisig or proxy management, and no new capacity contracts or providers (a contract commits
/// its payer to bills); ending and pricing contracts are allowed, as are closing periods,
/// declaring maintenance and claiming rewards (paid to the farm's payout account, never to the
/// caller). A node's reports (uptime, usage) are authorized general transactions that no
/// account dispatches, so no proxy needs them.
fn non_transfer(call: &RuntimeCall) -> bool {
	use pallet_capacity::Call as C;
	use pallet_minting::Call as M;
	use pallet_registry::Call as R;
	governance(call)
		|| power_management(call)
		|| matches!(
			call,
			RuntimeCall::Session(
				pallet_session::Call::set_keys { .. } | pallet_session::Call::purge_keys { .. }
			) | RuntimeCall::Registry(
				R::accept_terms { .. }
					| R::create_twin { .. }
					| R::update_twin { .. }
					| R::delete_twin { .. }
					| R::create_farm { .. }
					| R::rename_farm { .. }
					| R::set_node_policy { .. }
					| R::admit_node { .. }
					| R::revoke_node { .. }
					| R::add_farm_ip { .. }
					| R::remove_farm_ip { .. }
					| R::delete_farm { .. }
					| R::register_node { .. }
					| R::update_node { .. }
					| R::set_node_public_config { .. }
					| R::delete_node { .. }
					| R::report_power_state { .. }
					| R::set_node_certification { .. }
			) | RuntimeCall::Capacity(C::cancel_contract { .. } | C::set_extra_fee { .. })
				| RuntimeCall::Minting(
					M::close_period { .. }
						| M::declare_maintenance { .. }
						| M::claim_node { .. }
						| M::claim_farm { .. }
				)
		)
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
