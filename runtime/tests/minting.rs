//! Minting in the real runtime: the demo node reports uptime as a free, authorized general
//! transaction (no account, no fee, checked before the pool), a dev period closes within a
//! minute, and the farm's payout account is minted exactly the receipt when Alice claims.

mod common;
use common::*;
use frame_support::{assert_ok, traits::fungible::Inspect};
use grid_runtime::*;
use pallet_minting::{Receipts, UptimeReport};
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::transaction_validity::{
	InvalidTransaction, TransactionSource, TransactionValidityError,
};

/// The demo node (node 1, Ferdie's) reports at the current block's time, `uptime` seconds
/// after booting, signed by `signer`, as a general transaction with the runtime's extensions.
fn report(uptime: u64, signer: Sr25519Keyring) -> UncheckedExtrinsic {
	let now = pallet_timestamp::Now::<Runtime>::get() / 1_000;
	let report = UptimeReport { node_id: 1, uptime, timestamp_hint: now };
	let signature: Signature = signer.sign(&report.signing_payload()).into();
	let call = RuntimeCall::Minting(pallet_minting::Call::report_uptime { report, signature });
	let tx_ext = tx_ext(0);
	UncheckedExtrinsic::new_transaction(call, tx_ext)
}

fn validate(xt: UncheckedExtrinsic) -> Result<(), TransactionValidityError> {
	Executive::validate_transaction(TransactionSource::External, xt, System::parent_hash())
		.map(|_| ())
}

#[test]
fn the_demo_node_reports_for_free_and_forgeries_never_enter_the_pool() {
	ext_from_preset("development").execute_with(|| {
		assert_eq!(
			pallet_minting::Params::<Runtime>::get(),
			Some(genesis_config_presets::DEV_MINTING)
		);
		assert_eq!(pallet_minting::LastPolicyId::<Runtime>::get(), 2, "DIY and certified");
		let ferdie = account(Ferdie);
		let (balance, issuance) = (Balances::balance(&ferdie), Balances::total_issuance());
		let good = report(5, Ferdie);
		assert_eq!(validate(good.clone()), Ok(()));
		assert_eq!(
			validate(report(5, Bob)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof)),
			"signed by another key"
		);
		assert_ok!(Executive::apply_extrinsic(good).expect("applied"));
		assert!(pallet_minting::NodeStates::<Runtime>::contains_key(1), "tracked at its report");
		assert_eq!(Balances::balance(&ferdie), balance, "no fee");
		assert_eq!(Balances::total_issuance(), issuance);
		// The same report again is too early: refused before the pool.
		assert_eq!(
			validate(report(5, Ferdie)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(5)))
		);
		check_invariants();
	});
}

#[test]
fn a_dev_period_closes_and_alice_claims_exactly_the_receipt() {
	ext_from_preset("development").execute_with(|| {
		// Blocks every 6 s from t = 6 s; the node booted at t = 0 and reports every 2 blocks.
		let mut block = 1;
		while Receipts::<Runtime>::iter().next().is_none() {
			let now = pallet_timestamp::Now::<Runtime>::get() / 1_000;
			assert_ok!(Executive::apply_extrinsic(report(now, Ferdie)).expect("applied"));
			block += 2;
			run_to_block(block);
			assert!(block < 40, "a receipt within two dev periods");
		}
		let (_, receipt) = Receipts::<Runtime>::iter().next().expect("a receipt");
		// Tracked at its first report (t = 6 s) in period 0 [0, 60): prorated, up throughout.
		assert_eq!((receipt.period, receipt.uptime, receipt.registered), (0, 1000, 54));
		assert_eq!(receipt.policy, Some(1));
		assert!(receipt.tft > 0);
		let alice = account(Alice);
		let (balance, issuance) = (Balances::balance(&alice), Balances::total_issuance());
		assert_ok!(Minting::claim_farm(RuntimeOrigin::signed(alice.clone()), 1));
		assert_eq!(Balances::balance(&alice) - balance, receipt.tft, "Alice is the farm's payout");
		assert_eq!(Balances::total_issuance() - issuance, receipt.tft);
		check_invariants();
	});
}
