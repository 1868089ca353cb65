//! TFT transfers at the runtime level: the existential deposit protects against dust.

mod common;
use common::*;
use frame_support::assert_noop;
use grid_runtime::*;
use sp_keyring::Sr25519Keyring::*;
use sp_runtime::{DispatchError, TokenError};

#[test]
fn transfer_below_existential_deposit_to_a_new_account_fails_and_changes_nothing() {
	ext_from_preset("development").execute_with(|| {
		let newcomer: AccountId = [7u8; 32].into();
		let ed = configs::ExistentialDeposit::get();
		assert_noop!(
			Balances::transfer_allow_death(
				RuntimeOrigin::signed(account(Alice)),
				newcomer.clone().into(),
				ed - 1
			),
			DispatchError::Token(TokenError::BelowMinimum)
		);
		assert!(!System::account_exists(&newcomer));
	});
}

#[test]
fn token_has_seven_decimals_and_a_cent_existential_deposit() {
	assert_eq!(tft::DECIMALS, 7);
	assert_eq!(configs::ExistentialDeposit::get(), tft::UNIT / 100);
}
