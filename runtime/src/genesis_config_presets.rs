//! Genesis presets. The node's `--chain dev|local|testnet` selects one of them by name.
//!
//! - `development`: Alice is the only validator and the sudo key; 1-minute sessions; a demo
//!   farm and node in the registry ([`demo_grid`]); 1-minute reward periods ([`DEV_MINTING`]);
//!   Alice feeds the TFT price every 2 blocks ([`DEV_PRICE`]); contracts are charged every 5
//!   blocks, with 2 minutes of grace ([`DEV_BILLING`]); a node may send a usage batch every
//!   10 s ([`DEV_USAGE_REPORT_GAP`]).
//! - `local_testnet`: Alice and Bob validate; Alice holds sudo; 1-minute sessions; 5-minute
//!   reward periods ([`LOCAL_MINTING`]); either validator's price makes a window
//!   ([`LOCAL_PRICE`]); charges every minute, 5 minutes of grace ([`LOCAL_BILLING`]); a
//!   usage batch every 25 s ([`LOCAL_USAGE_REPORT_GAP`]).
//! - `local4`: Alice, Bob, Charlie and Dave validate (a network where one may fail: GRANDPA
//!   needs 3 of 4); **no sudo**: governed like `testnet`, by the council (Alice, Bob, Charlie)
//!   and the farmer DAO; 5-block (30 s) sessions, so a validator set change takes effect within
//!   a minute; otherwise as `local_testnet`. The network tests in `zombienet/` run it.
//! - `testnet`: a template for a real network: **no sudo**, governance by the council,
//!   1-hour sessions, ThreeFold's reward periods ([`MintingParams::PRODUCTION`]), a 24-hour
//!   price average fed by a majority of the validators ([`PriceParams::production`]), hourly
//!   charges with 14 days of grace and 7 days of notice to release committed TFT, a usage
//!   batch every 20 minutes ([`DEFAULT_USAGE_REPORT_GAP`]).
//!
//! In every preset the validators' accounts are the price feeders and the price starts at
//! [`GENESIS_TFT_PRICE`], untrusted until the feeders agree on one.
//!
//! Every preset carries the reference's two default farming policies
//! ([`FarmingPolicy::reference_defaults`]). Its validator, council and endowed accounts are the well-known dev keys
//!   *as placeholders*: export it with `grid-node build-spec --chain testnet`, replace them
//!   with real accounts and keys (see README, "Run a testnet"), then convert it with `--raw`.

use crate::{
	tft, AccountId, Balance, BalancesConfig, BillingConfig, BlockNumber, CapacityConfig,
	CouncilMembershipConfig, MintingConfig, RegistryConfig, RuntimeGenesisConfig, SessionConfig,
	SessionKeys, SudoConfig, TftPriceConfig, ValidatorSetConfig, DAYS, HOURS, MINUTES,
};
use alloc::{string::String, vec, vec::Vec};
use frame_support::build_struct_json_patch;
use grid_primitives::money::MusdPerTft;
use pallet_billing::{BillingParams, PricingPolicy};
use pallet_capacity::{Limits, DEFAULT_USAGE_REPORT_GAP};
use pallet_minting::{FarmingPolicy, MintingParams};
use pallet_tft_price::PriceParams;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Name of the template preset for a real network.
pub const TESTNET_RUNTIME_PRESET: &str = "testnet";

/// Name of the four-validator local preset.
pub const LOCAL4_RUNTIME_PRESET: &str = "local4";

/// What every dev account starts with: one million TFT.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * tft::UNIT;

/// A validator's account and its session keys.
pub struct Validator {
	pub account: AccountId,
	pub aura: AuraId,
	pub grandpa: GrandpaId,
}

impl Validator {
	/// The well-known dev validator: sr25519 account and Aura key, ed25519 GRANDPA key.
	pub fn dev(sr: Sr25519Keyring, ed: Ed25519Keyring) -> Self {
		Self { account: sr.to_account_id(), aura: sr.public().into(), grandpa: ed.public().into() }
	}
}

/// Everything a preset chooses.
struct Genesis {
	validators: Vec<Validator>,
	endowed: Vec<AccountId>,
	council: Vec<AccountId>,
	sudo: Option<AccountId>,
	session_length: BlockNumber,
	minting: MintingParams,
	price: PriceParams,
	billing: BillingPreset,
	/// Least time between two usage batches of a node, seconds ([`Limits::usage_report_gap`]).
	usage_report_gap: u64,
}

/// How often a preset charges contracts (blocks per pass) and its grace and release notice.
pub struct BillingPreset {
	pub pass_blocks: u32,
	pub params: BillingParams,
}

/// The dev chain's billing: every 5 blocks (30 s), 2 minutes of grace, 2 minutes of notice, a
/// new contract's payer able to pay a minute of its contracts.
pub const DEV_BILLING: BillingPreset = BillingPreset {
	pass_blocks: 5,
	params: BillingParams { grace_period: 2 * MINUTES, release_notice: 2 * MINUTES, prepaid: 60 },
};

/// The local testnet's billing: every minute, 5 minutes of grace and of notice, 5 minutes
/// prepaid.
pub const LOCAL_BILLING: BillingPreset = BillingPreset {
	pass_blocks: MINUTES,
	params: BillingParams { grace_period: 5 * MINUTES, release_notice: 5 * MINUTES, prepaid: 300 },
};

/// Production billing: hourly charges, 14 days of grace, 7 days of notice, an hour prepaid.
pub const PRODUCTION_BILLING: BillingPreset = BillingPreset {
	pass_blocks: HOURS,
	params: BillingParams { grace_period: 14 * DAYS, release_notice: 7 * DAYS, prepaid: 3_600 },
};

/// The dev chain's reward timing: one-minute periods aligned on the minute, a report every
/// 12 s (two blocks), so a demo or a test sees a period close within two minutes.
pub const DEV_MINTING: MintingParams = MintingParams {
	first_period_start: 0,
	period_length: 60,
	report_interval: 12,
	min_report_gap: 6,
	close_grace: 30,
	maintenance_notice: 30,
	max_maintenance: 20,
};

/// The local testnet's reward timing: five-minute periods, a report every 30 s.
pub const LOCAL_MINTING: MintingParams = MintingParams {
	first_period_start: 0,
	period_length: 300,
	report_interval: 30,
	min_report_gap: 15,
	close_grace: 60,
	maintenance_notice: 60,
	max_maintenance: 60,
};

/// The dev chain's usage report gap: a node may send a usage batch every 10 s, within the 12 s
/// uptime report interval of [`DEV_MINTING`] (a node reporting both every two blocks is never
/// refused for reporting too soon).
pub const DEV_USAGE_REPORT_GAP: u64 = 10;

/// The local testnets' usage report gap: 25 s, within [`LOCAL_MINTING`]'s 30 s interval.
pub const LOCAL_USAGE_REPORT_GAP: u64 = 25;

/// The TFT price every preset starts from: $0.08, the demo grid's connection price.
pub const GENESIS_TFT_PRICE: MusdPerTft = MusdPerTft(80);

/// The dev chain's oracle: 2-block windows, Alice's price alone makes one, a 1-minute average.
pub const DEV_PRICE: PriceParams = PriceParams {
	window_blocks: 2,
	quorum: 1,
	average_span: 60,
	min_price: MusdPerTft(10),
	max_price: MusdPerTft(1_000),
	max_observation_age: 2,
	fresh_for: 120,
};

/// The local testnet's oracle: 5-block windows, either validator's price makes one, a
/// 10-minute average.
pub const LOCAL_PRICE: PriceParams = PriceParams {
	window_blocks: 5,
	quorum: 1,
	average_span: 600,
	min_price: MusdPerTft(10),
	max_price: MusdPerTft(1_000),
	max_observation_age: 5,
	fresh_for: 600,
};

fn genesis(g: Genesis) -> Value {
	let session_keys = g
		.validators
		.iter()
		.map(|v| {
			let keys = SessionKeys { aura: v.aura.clone(), grandpa: v.grandpa.clone() };
			(v.account.clone(), v.account.clone(), keys)
		})
		.collect::<Vec<_>>();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: g.endowed.iter().cloned().map(|a| (a, DEV_ENDOWMENT)).collect(),
		},
		validator_set: ValidatorSetConfig {
			initial_validators: g.validators.iter().map(|v| v.account.clone()).collect(),
			session_length: g.session_length,
		},
		session: SessionConfig { keys: session_keys },
		council_membership: CouncilMembershipConfig {
			// Presets hold 3 members, far below `CouncilMaxMembers`.
			members: frame_support::BoundedVec::truncate_from(g.council),
		},
		sudo: SudoConfig { key: g.sudo },
		minting: MintingConfig {
			params: Some(g.minting),
			policies: FarmingPolicy::reference_defaults().to_vec(),
		},
		tft_price: TftPriceConfig {
			params: Some(g.price),
			feeders: g.validators.iter().map(|v| v.account.clone()).collect(),
			initial_price: Some(GENESIS_TFT_PRICE),
		},
		billing: BillingConfig {
			policy: Some(PricingPolicy::reference()),
			params: Some(g.billing.params),
			pass_blocks: Some(g.billing.pass_blocks),
		},
		capacity: CapacityConfig {
			limits: Some(Limits { usage_report_gap: g.usage_report_gap, ..Limits::default() }),
		},
	})
}

/// Alice, Bob, Charlie, Dave, Eve and Ferdie.
fn dev_accounts() -> Vec<AccountId> {
	use Sr25519Keyring::*;
	[Alice, Bob, Charlie, Dave, Eve, Ferdie]
		.into_iter()
		.map(|k| k.to_account_id())
		.collect()
}

fn first_council() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
		.into_iter()
		.map(|k| k.to_account_id())
		.collect()
}

pub fn development_config_genesis() -> Value {
	let mut value = genesis(Genesis {
		validators: vec![Validator::dev(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		endowed: dev_accounts(),
		council: first_council(),
		sudo: Some(Sr25519Keyring::Alice.to_account_id()),
		session_length: MINUTES,
		minting: DEV_MINTING,
		price: DEV_PRICE,
		billing: DEV_BILLING,
		usage_report_gap: DEV_USAGE_REPORT_GAP,
	});
	if let (Some(config), Ok(registry)) = (value.as_object_mut(), serde_json::to_value(demo_grid()))
	{
		config.insert("registry".into(), registry);
	}
	value
}

/// The dev chain's demo grid: Alice farms `alice-farm` (farm 1, open to any node, one public
/// IP) and Ferdie's account runs node 1 in it. Twins: Alice 1, Ferdie 2.
pub fn demo_grid() -> RegistryConfig {
	use grid_primitives::{
		money::MusdPerTft,
		net::{Ipv4, Ipv4Cidr},
		resources::{Resources, GIB},
	};
	let alice = Sr25519Keyring::Alice.to_account_id();
	let ferdie = Sr25519Keyring::Ferdie.to_account_id();
	RegistryConfig {
		twins: vec![alice.clone(), ferdie.clone()],
		farms: vec![(alice, "alice-farm".into(), true)],
		farm_ips: vec![(
			1,
			Ipv4Cidr { ip: Ipv4([185, 206, 122, 33]), prefix: 24 },
			Ipv4([185, 206, 122, 1]),
		)],
		nodes: vec![(
			ferdie,
			1,
			Resources { cru: 4, mru: 8 * GIB, sru: 256 * GIB, hru: 1024 * GIB },
		)],
		node_certifiers: vec![],
		connection_price: Some(MusdPerTft(80)),
		max_node_resources: None,
		zos_version: "v3.14.0".into(),
	}
}

pub fn local_config_genesis() -> Value {
	genesis(Genesis {
		validators: vec![
			Validator::dev(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			Validator::dev(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		endowed: dev_accounts(),
		council: first_council(),
		sudo: Some(Sr25519Keyring::Alice.to_account_id()),
		session_length: MINUTES,
		minting: LOCAL_MINTING,
		price: LOCAL_PRICE,
		billing: LOCAL_BILLING,
		usage_report_gap: LOCAL_USAGE_REPORT_GAP,
	})
}

pub fn local4_config_genesis() -> Value {
	use Ed25519Keyring as Ed;
	use Sr25519Keyring as Sr;
	genesis(Genesis {
		validators: vec![
			Validator::dev(Sr::Alice, Ed::Alice),
			Validator::dev(Sr::Bob, Ed::Bob),
			Validator::dev(Sr::Charlie, Ed::Charlie),
			Validator::dev(Sr::Dave, Ed::Dave),
		],
		endowed: dev_accounts(),
		council: first_council(),
		sudo: None,
		// The shortest session the validator set allows: 5 blocks, 30 s.
		session_length: crate::configs::MinSessionLength::get(),
		minting: LOCAL_MINTING,
		price: LOCAL_PRICE,
		billing: LOCAL_BILLING,
		usage_report_gap: LOCAL_USAGE_REPORT_GAP,
	})
}

pub fn testnet_config_genesis() -> Value {
	genesis(Genesis {
		validators: vec![
			Validator::dev(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			Validator::dev(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			Validator::dev(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		],
		endowed: first_council(),
		council: first_council(),
		sudo: None,
		session_length: HOURS,
		minting: MintingParams::PRODUCTION,
		// A majority of the three validators.
		price: PriceParams::production(2),
		billing: PRODUCTION_BILLING,
		usage_report_gap: DEFAULT_USAGE_REPORT_GAP,
	})
}

/// The JSON of a preset, or `None` for an unknown name.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		LOCAL4_RUNTIME_PRESET => local4_config_genesis(),
		TESTNET_RUNTIME_PRESET => testnet_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(String::into_bytes)
}

pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(LOCAL4_RUNTIME_PRESET),
		PresetId::from(TESTNET_RUNTIME_PRESET),
	]
}
