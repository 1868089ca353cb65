//! Shared set-up for the runtime's integration tests: genesis from a real preset.

#![allow(dead_code)]

use codec::Encode;
use frame_support::traits::{IntegrityTest, OnFinalize, OnInitialize};
use grid_runtime::*;
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{Digest, DigestItem};

pub fn account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

/// State built from the named genesis preset, at block 1 authored by the first validator.
pub fn ext_from_preset(preset: &str) -> sp_io::TestExternalities {
	// What a node does: the preset is a patch over the default config.
	let patch: serde_json::Value = serde_json::from_slice(
		&genesis_config_presets::get_preset(&preset.into()).expect("preset exists"),
	)
	.expect("preset is JSON");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("default config");
	json_merge(&mut config, patch);
	let mut ext = sp_io::TestExternalities::new(Default::default());
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(
			serde_json::to_vec(&config).expect("serializes"),
		)
		.expect("preset builds");
		start_block(1);
	});
	ext
}

fn json_merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				json_merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// Starts block `n` with an Aura pre-digest for slot `n`, so the block has an author.
pub fn start_block(n: BlockNumber) {
	let digest = Digest {
		logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(n as u64).encode())],
	};
	System::reset_events();
	System::initialize(&n, &Default::default(), &digest);
	AllPalletsWithSystem::on_initialize(n);
	// The timestamp inherent: slot n starts at n × SLOT_DURATION, as Aura checks.
	pallet_timestamp::Pallet::<Runtime>::set_timestamp(n as u64 * SLOT_DURATION);
}

/// Runs blocks up to `n` (inclusive), finalizing each.
pub fn run_to_block(n: BlockNumber) {
	while System::block_number() < n {
		let now = System::block_number();
		AllPalletsWithSystem::on_finalize(now);
		start_block(now + 1);
	}
}

/// The runtime's transaction extensions as a wallet fills them: immortal, no tip, no metadata
/// hash.
pub fn tx_ext(nonce: Nonce) -> TxExtension {
	use frame_system::offchain::CreateAuthorizedTransaction;
	let mut extension = <Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_extension();
	extension.6 = frame_system::CheckNonce::from(nonce);
	extension
}

/// What the transaction pool says about `xt`: judged, as the pool does, for the block after
/// the current one, without changing anything.
pub fn validate(
	xt: UncheckedExtrinsic,
) -> Result<(), sp_runtime::transaction_validity::TransactionValidityError> {
	frame_support::hypothetically!(Executive::validate_transaction(
		sp_runtime::transaction_validity::TransactionSource::External,
		xt,
		System::parent_hash()
	)
	.map(|_| ()))
}

/// The runtime-wide invariants every test ends with.
pub fn check_invariants() {
	AllPalletsWithSystem::integrity_test();
	pallet_validator_set::Pallet::<Runtime>::do_try_state().expect("validator set invariants");
	pallet_registry::Pallet::<Runtime>::do_try_state().expect("registry invariants");
	pallet_capacity::Pallet::<Runtime>::do_try_state().expect("capacity invariants");
	pallet_minting::Pallet::<Runtime>::do_try_state().expect("minting invariants");
	pallet_tft_price::Pallet::<Runtime>::do_try_state().expect("price oracle invariants");
	pallet_billing::Pallet::<Runtime>::do_try_state().expect("billing invariants");
	pallet_governance::Pallet::<Runtime>::do_try_state().expect("governance invariants");
}

/// Governance's emergency price, trusted for a week: billing charges only at a trusted price,
/// and these tests run without feeders.
pub fn trust_price(musd: u32) {
	let params = pallet_tft_price::PriceParams {
		fresh_for: 7 * 24 * 3_600,
		..pallet_tft_price::Params::<Runtime>::get().expect("the preset configures the oracle")
	};
	frame_support::assert_ok!(TftPrice::set_params(RuntimeOrigin::root(), params));
	frame_support::assert_ok!(TftPrice::force_price(
		RuntimeOrigin::root(),
		grid_primitives::money::MusdPerTft(musd)
	));
}

/// The dev chain's demo node (node 1, Ferdie's) reports at the current block's time as a
/// general transaction, booted at Unix second `boot`.
pub fn demo_node_reports(boot: u64) {
	let now = pallet_timestamp::Now::<Runtime>::get() / 1_000;
	let report =
		pallet_minting::UptimeReport { node_id: 1, uptime: now - boot, timestamp_hint: now };
	let signature: Signature = Sr25519Keyring::Ferdie.sign(&report.signing_payload()).into();
	let call = RuntimeCall::Minting(pallet_minting::Call::report_uptime { report, signature });
	let xt = UncheckedExtrinsic::new_transaction(call, tx_ext(0));
	frame_support::assert_ok!(Executive::apply_extrinsic(xt).expect("applied"));
}

/// The dev chain's demo node (node 1) reports `reports` as a usage batch signed by `signer`
/// (Ferdie runs the node), as a general transaction: no account, no fee.
pub fn usage_batch_xt(
	reports: Vec<pallet_capacity::UsageReport>,
	signer: Sr25519Keyring,
) -> UncheckedExtrinsic {
	let batch = pallet_capacity::UsageBatch {
		node_id: 1,
		reports: reports.try_into().expect("a small batch"),
	};
	let signature: Signature = signer.sign(&batch.signing_payload()).into();
	let call = RuntimeCall::Capacity(pallet_capacity::Call::report_usage { batch, signature });
	UncheckedExtrinsic::new_transaction(call, tx_ext(0))
}
