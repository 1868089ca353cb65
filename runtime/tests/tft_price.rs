//! The price oracle in the real runtime: Alice, the dev chain's feeder, submits prices as
//! free, authorized general transactions (checked before the pool, as a node's offchain
//! worker sends them), each window's price follows, and billing's average moves to it.

mod common;
use common::*;
use frame_support::{assert_ok, traits::fungible::Inspect};
use grid_primitives::money::{MusdPerTft, PriceQuote, TftPriceOracle};
use grid_runtime::*;
use pallet_tft_price::{PriceSubmission, State};
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};

/// `feeder`'s price for the next block's window, observed now, signed by `signer`, as the
/// offchain worker builds it.
fn submission(feeder: Sr25519Keyring, price: u32, signer: Sr25519Keyring) -> UncheckedExtrinsic {
	use frame_system::offchain::CreateAuthorizedTransaction;
	let n = System::block_number();
	let submission = PriceSubmission {
		feeder: account(feeder),
		window: TftPrice::window_at(n + 1).expect("configured"),
		price: MusdPerTft(price),
		observed_at: n,
	};
	let signature: Signature = signer.sign(&TftPrice::signing_payload(&submission)).into();
	let call =
		RuntimeCall::TftPrice(pallet_tft_price::Call::submit_price { submission, signature });
	<Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_authorized_transaction(call)
}

#[test]
fn alice_feeds_the_dev_price_for_free_and_nobody_else_can() {
	ext_from_preset("development").execute_with(|| {
		assert_eq!(
			pallet_tft_price::Params::<Runtime>::get(),
			Some(genesis_config_presets::DEV_PRICE)
		);
		// The genesis price converts, but is not trusted until a feeder's window.
		let genesis = genesis_config_presets::GENESIS_TFT_PRICE;
		assert_eq!(
			TftPrice::billing_price(),
			Some(PriceQuote { price: genesis, trustworthy: false })
		);
		let alice = account(Alice);
		let (balance, issuance) = (Balances::balance(&alice), Balances::total_issuance());
		let good = submission(Alice, 50, Alice);
		assert_eq!(validate(good.clone()), Ok(()));
		let refused = |code| Err(TransactionValidityError::Invalid(code));
		assert_eq!(validate(submission(Alice, 50, Bob)), refused(InvalidTransaction::BadProof));
		assert_eq!(validate(submission(Bob, 50, Bob)), refused(InvalidTransaction::Custom(2)));
		assert_eq!(validate(submission(Alice, 0, Alice)), refused(InvalidTransaction::Custom(3)));
		run_to_block(2);
		assert_ok!(Executive::apply_extrinsic(good).expect("applied"));
		assert_eq!(Balances::balance(&alice), balance, "no fee");
		assert_eq!(Balances::total_issuance(), issuance);
		// The same window again: refused before the pool.
		assert_eq!(validate(submission(Alice, 51, Alice)), refused(InvalidTransaction::Custom(4)));
		// Window 1 (blocks 2–3) closes in block 4 with Alice's price alone (quorum 1).
		run_to_block(4);
		let state = State::<Runtime>::get();
		assert_eq!((state.last_price, state.last_window), (Some(MusdPerTft(50)), Some(1)));
		assert_eq!(TftPrice::billing_price().map(|q| q.trustworthy), Some(true));
		check_invariants();
	});
}

#[test]
fn the_billing_average_follows_the_fed_price_over_its_span() {
	ext_from_preset("development").execute_with(|| {
		// Alice feeds 50 in every 2-block window for 3 minutes (the average spans 1).
		let mut averages = vec![];
		for block in (1..60).step_by(2) {
			run_to_block(block);
			let xt = submission(Alice, 50, Alice);
			run_to_block(block + 1);
			assert_ok!(Executive::apply_extrinsic(xt).expect("applied"));
			averages.push(State::<Runtime>::get().average.expect("an average").0);
		}
		// From the genesis 80 down to 50, never up, ending exactly at 50.
		assert!(averages.windows(2).all(|w| w[1] <= w[0]), "{averages:?}");
		assert!(averages.first().is_some_and(|a| *a > 50));
		assert_eq!(
			TftPrice::billing_price(),
			Some(PriceQuote { price: MusdPerTft(50), trustworthy: true })
		);
		check_invariants();
	});
}
