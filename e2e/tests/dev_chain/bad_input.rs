//! Bad input is rejected with a named error and changes nothing but the fee it paid.

use grid_client::{free_balance_at, grid, GridClient, Wait};
use subxt::utils::{AccountId32, MultiAddress};
use subxt_signer::{sr25519, sr25519::dev, SecretUri};

const EXISTENTIAL_DEPOSIT: u128 = 100_000; // 0.01 TFT

pub async fn run(client: &GridClient) -> anyhow::Result<()> {
	let charlie: AccountId32 = dev::charlie().public_key().into();

	// A transfer below the existential deposit to a new account fails in dispatch; Charlie
	// pays exactly the fee and no account is created.
	let newcomer: AccountId32 = sr25519::Keypair::from_uri(&"//Newcomer".parse::<SecretUri>()?)?
		.public_key()
		.into();
	let before = client.free_balance(&charlie).await?;
	let tx = grid::tx()
		.balances()
		.transfer_allow_death(MultiAddress::Id(newcomer), EXISTENTIAL_DEPOSIT - 1);
	let failed = client.submit(&tx, &dev::charlie(), Wait::InBlock).await?.expect_err("below ED");
	assert!(failed.error.contains("BelowMinimum"), "unexpected error: {failed}");
	let at = client.at(failed.block).await?;
	let fee = at
		.events()
		.fetch()
		.await?
		.find::<grid::transaction_payment::events::TransactionFeePaid>()
		.filter_map(Result::ok)
		.find(|e| e.who == charlie)
		.expect("the fee is charged");
	assert_eq!(free_balance_at(&at, &charlie).await?, before - fee.actual_fee);
	assert_eq!(free_balance_at(&at, &newcomer).await?, 0, "no account was created");

	// An account without funds cannot pay the fee: the pool refuses the transaction.
	let pauper = sr25519::Keypair::from_uri(&"//Pauper".parse::<SecretUri>()?)?;
	let tx = grid::tx().balances().transfer_keep_alive(MultiAddress::Id(charlie), 1);
	let err = client.submit(&tx, &pauper, Wait::InBlock).await.expect_err("cannot pay");
	// 1010 "Invalid Transaction: Inability to pay some fees"
	assert!(format!("{err:?}").contains("pay some fees"), "unexpected error: {err:?}");

	// Only governance may change the validator set.
	let tx = grid::tx().validator_set().add_validator(MultiAddress::Id(charlie));
	let failed = client
		.submit(&tx, &dev::charlie(), Wait::InBlock)
		.await?
		.expect_err("not governance");
	assert!(failed.error.contains("BadOrigin"), "unexpected error: {failed}");
	let set = client
		.at(failed.block)
		.await?
		.storage()
		.entry(grid::storage().validator_set().validators())?
		.fetch(())
		.await?
		.decode()?;
	let alice: AccountId32 = dev::alice().public_key().into();
	assert_eq!(set.0, vec![alice], "the set is unchanged");
	Ok(())
}
