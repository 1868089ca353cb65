//! Fees: the price of a simple call, and the exact split between treasury and block author.

mod common;
use common::*;
use frame_support::traits::{
	fungible::Balanced,
	tokens::{Fortitude, Precision, Preservation},
	OnUnbalanced,
};
use grid_runtime::{configs::*, *};
use sp_keyring::Sr25519Keyring::*;

fn treasury() -> AccountId {
	pallet_treasury::Pallet::<Runtime>::account_id()
}

/// Takes `amount` out of `who` as fee credit, the way transaction payment does.
fn withdraw(
	who: &AccountId,
	amount: Balance,
) -> frame_support::traits::fungible::Credit<AccountId, Balances> {
	Balances::withdraw(who, amount, Precision::Exact, Preservation::Preserve, Fortitude::Polite)
		.expect("funds")
}

#[test]
fn base_extrinsic_weight_costs_the_base_fee() {
	ext_from_preset("development").execute_with(|| {
		let base = frame_support::weights::constants::ExtrinsicBaseWeight::get();
		let fee = pallet_transaction_payment::Pallet::<Runtime>::weight_to_fee(base);
		// Integer polynomial: exact up to the Perbill rounding of the fractional coefficient.
		assert!(fee.abs_diff(BASE_EXTRINSIC_FEE) <= 1, "base fee {fee}");
		assert_eq!(BASE_EXTRINSIC_FEE, 1_500);
	});
}

/// A real signed transfer, as a wallet would send it: the fee includes the base weight, the
/// call, the transaction extensions and the length.
fn signed_transfer(nonce: Nonce) -> UncheckedExtrinsic {
	use codec::Encode;
	let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: account(Bob).into(),
		value: tft::UNIT,
	});
	let tx_ext = tx_ext(nonce);
	let payload = SignedPayload::new(call.clone(), tx_ext.clone()).expect("payload");
	let signature = payload.using_encoded(|bytes| Alice.sign(bytes));
	UncheckedExtrinsic::new_signed(call, account(Alice).into(), signature.into(), tx_ext)
}

#[test]
fn a_signed_transfer_costs_about_a_milli_tft() {
	use codec::Encode;
	ext_from_preset("development").execute_with(|| {
		let uxt = signed_transfer(0);
		let len = uxt.encoded_size() as u32;
		let fee = TransactionPayment::query_info(uxt, len).partial_fee;
		// "About 0.001 TFT": within 0.0008 .. 0.0013 TFT.
		assert!(
			fee > 8 * tft::MILLI / 10 && fee < 13 * tft::MILLI / 10,
			"transfer fee {fee} planck"
		);
	});
}

#[test]
fn fees_split_80_20_and_tips_go_to_the_author() {
	ext_from_preset("development").execute_with(|| {
		let (payer, author) = (account(Bob), account(Alice));
		assert_eq!(pallet_authorship::Pallet::<Runtime>::author(), Some(author.clone()));
		let issuance = Balances::total_issuance();
		let before = |a: &AccountId| Balances::free_balance(a);
		let (payer0, author0, treasury0) = (before(&payer), before(&author), before(&treasury()));

		let fee = 1_000_007; // not divisible by 5: exercises rounding
		let tip = 13;
		DealWithFees::on_unbalanceds([withdraw(&payer, fee), withdraw(&payer, tip)].into_iter());

		let to_treasury = fee * TREASURY_FEE_SHARE as u128 / 100; // rounds down
		assert_eq!(to_treasury, 800_005);
		assert_eq!(before(&payer), payer0 - fee - tip);
		assert_eq!(before(&treasury()), treasury0 + to_treasury);
		assert_eq!(before(&author), author0 + (fee - to_treasury) + tip);
		assert_eq!(Balances::total_issuance(), issuance, "nothing minted or burned");
		check_invariants();
	});
}

#[test]
fn an_author_share_that_cannot_be_credited_is_burned() {
	ext_from_preset("development").execute_with(|| {
		// Alice is the author; make her account vanish so a dust share cannot be credited.
		let author = account(Alice);
		let all = Balances::free_balance(&author);
		let _ = Balances::withdraw(
			&author,
			all,
			Precision::BestEffort,
			Preservation::Expendable,
			Fortitude::Force,
		);
		assert_eq!(Balances::free_balance(&author), 0);
		let issuance = Balances::total_issuance();
		let payer = account(Bob);
		let fee = 10; // author's 2 planck are below the existential deposit
		DealWithFees::on_unbalanced(withdraw(&payer, fee));
		assert_eq!(Balances::free_balance(&author), 0);
		assert_eq!(Balances::total_issuance(), issuance - 2, "the author's share was burned");
	});
}
