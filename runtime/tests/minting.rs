//! Minting in the real runtime: the demo node reports uptime as a free, authorized general
//! transaction (no account, no fee, checked before the pool), a dev period closes within a
//! minute, and the farm's payout account is minted exactly the receipt when Alice claims.

mod common;
use common::*;
use frame_support::{assert_ok, traits::fungible::Inspect};
use grid_runtime::*;
use pallet_minting::{Receipts, UptimeReport};
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};

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

/// From the benchmarked weights (`pallets/minting/src/weights.rs`, measured by
/// `scripts/bench.sh`): how many steady-state uptime reports — the pool's check, which the
/// block runs again, plus the call, plus the base weight of an extrinsic — one block's normal
/// class holds, in weight and in length. The design asks for 5,000 (a million nodes reporting
/// every 40 minutes).
#[test]
fn five_thousand_uptime_reports_fit_in_a_block() {
	use codec::Encode;
	use frame_support::dispatch::DispatchClass;
	use pallet_minting::WeightInfo;
	type W = pallet_minting::weights::SubstrateWeight<Runtime>;
	let weights = configs::RuntimeBlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	let budget = normal.max_total.expect("a normal-class limit");
	// The call's reads of what `authorize` just read are refunded (served by the overlay).
	let warm = <Runtime as frame_system::Config>::DbWeight::get().reads(2);
	let one = normal.base_extrinsic + W::authorize_report() + W::report_uptime() - warm;
	let by_time = budget.ref_time() / one.ref_time();
	let by_proof = budget.proof_size().checked_div(one.proof_size()).unwrap_or(u64::MAX);
	ext_from_preset("development").execute_with(|| {
		let length = report(1_000, Ferdie).encoded_size();
		let max_length = *configs::RuntimeBlockLength::get().max.get(DispatchClass::Normal);
		let by_length = u64::from(max_length) / length as u64;
		let fit = by_time.min(by_proof).min(by_length);
		println!(
			"uptime report: {} ps, {} B proof, {length} B; a block holds {fit} \
			 (time {by_time}, proof {by_proof}, length {by_length})",
			one.ref_time(),
			one.proof_size()
		);
		assert!(fit >= 5_000, "only {fit} uptime reports fit in a block");
	});
}
