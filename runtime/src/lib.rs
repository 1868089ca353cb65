//! # Gridchain runtime
//!
//! The state machine of Gridchain: TFT as the native token (7 decimals), fees split between the
//! block author and the treasury, Aura block production and GRANDPA finality over a validator
//! set that governance (root or a council majority) manages through `ValidatorSet`, and the
//! usual account tools (utility batches, proxies, multisig).
//!
//! - `configs/`: one `impl Config` per pallet, grouped by concern.
//! - `apis.rs`: the runtime APIs the node and clients call.
//! - `grid_api.rs`: `GridApi`, read-only answers across the grid's pallets for clients.
//! - `genesis_config_presets.rs`: `development`, `local_testnet` and `testnet` presets.
//! - `benchmarks.rs`: the pallets benchmarked with `--features runtime-benchmarks`.

#![cfg_attr(not(feature = "std"), no_std)]
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod grid_api;

use alloc::vec::Vec;
use sp_runtime::{generic, impl_opaque_keys, traits::BlakeTwo256};
use sp_version::RuntimeVersion;

pub use grid_primitives::{
	tft, time::*, AccountId, Balance, BlockNumber, Hash, Moment, Nonce, Signature,
};

/// Opaque types for the node: it needs block and header formats, not the runtime's calls.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	pub type BlockId = generic::BlockId<Block>;

	impl_opaque_keys! {
		/// The keys a validator registers with `session.setKeys`.
		pub struct SessionKeys {
			pub aura: super::Aura,
			pub grandpa: super::Grandpa,
		}
	}
}
pub use opaque::SessionKeys;

#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("gridchain"),
	impl_name: alloc::borrow::Cow::Borrowed("gridchain"),
	authoring_version: 1,
	// Bump on every change of runtime behaviour; `transaction_version` when call indices or
	// argument encodings change.
	spec_version: 106,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 3,
	system_version: 1,
};

/// The account lookup in calls: an `AccountId` or an index, as polkadot.js expects.
pub type Address = sp_runtime::MultiAddress<AccountId, ()>;
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
pub type SignedBlock = generic::SignedBlock<Block>;
pub type BlockId = generic::BlockId<Block>;

/// Checks every transaction goes through, in order. `AuthorizeCall` comes first so that
/// `#[pallet::authorize]` calls (node reports) can be feeless general transactions;
/// `WeightReclaim` comes last so it sees the final weight.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Single-block migrations to run on the next runtime upgrade. Each is versioned (it runs once,
/// when its pallet's on-chain storage version is the one it starts from), so a migration may
/// stay listed until every network has upgraded past it.
///
/// - spec 101: billing's ledgers record their bucket ([`pallet_billing::migrations::v1`]).
/// - spec 102 (issue 21): billing's written-off debt, monthly cost, capacity start and prepaid
///   time ([`pallet_billing::migrations::v2`]); capacity's rents priced on their agreed
///   capacity and fee, traffic caps and allowances ([`pallet_capacity::migrations::v1`]);
///   minting's timelines, standby, typed policy rates and network shares
///   ([`pallet_minting::migrations::v1`]).
/// - spec 103: capacity's limits gain the usage report gap (usage batches became signed,
///   rate-limited authorized transactions) ([`pallet_capacity::migrations::v2`]).
pub type Migrations = (
	pallet_billing::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_billing::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_capacity::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_capacity::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_minting::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_validator_set::migrations::v1::MigrateV0ToV1<Runtime>,
);

pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	// Core and consensus. Authorship must precede Session, and Session must precede Aura and
	// Grandpa, so that session changes reach consensus in the same block.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Authorship = pallet_authorship;
	#[runtime::pallet_index(3)]
	pub type ValidatorSet = pallet_validator_set;
	#[runtime::pallet_index(4)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(5)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(6)]
	pub type Grandpa = pallet_grandpa;

	// Money.
	#[runtime::pallet_index(10)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(11)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(12)]
	pub type Treasury = pallet_treasury;

	// Governance.
	#[runtime::pallet_index(20)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(21)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(22)]
	pub type CouncilMembership = pallet_membership<Instance1>;
	#[runtime::pallet_index(23)]
	pub type Governance = pallet_governance;

	// Account tools.
	#[runtime::pallet_index(30)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(31)]
	pub type Proxy = pallet_proxy;
	#[runtime::pallet_index(32)]
	pub type Multisig = pallet_multisig;

	// The grid's own pallets start at 40 (registry, capacity, billing, minting, tft-price).
	#[runtime::pallet_index(40)]
	pub type Registry = pallet_registry;
	#[runtime::pallet_index(41)]
	pub type Capacity = pallet_capacity;
	#[runtime::pallet_index(42)]
	pub type TftPrice = pallet_tft_price;
	#[runtime::pallet_index(43)]
	pub type Billing = pallet_billing;
	#[runtime::pallet_index(44)]
	pub type Minting = pallet_minting;
}
