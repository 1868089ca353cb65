//! Bad input is rejected with a named error and changes nothing but the fee it paid.

use grid_e2e::{free_balance, grid, DevNode};
use std::time::Duration;
use subxt::utils::{AccountId32, MultiAddress};
use subxt_signer::{sr25519, sr25519::dev, SecretUri};

const EXISTENTIAL_DEPOSIT: u128 = 100_000; // 0.01 TFT

#[tokio::test]
async fn bad_transactions_are_rejected_and_change_nothing() -> anyhow::Result<()> {
	let node = DevNode::start("bad-input").await?;
	node.wait_finalized(1, Duration::from_secs(120)).await?;
	let api = node.client().await?;
	let alice: AccountId32 = dev::alice().public_key().into();

	// A transfer below the existential deposit to a new account fails in dispatch.
	let newcomer: AccountId32 = sr25519::Keypair::from_uri(&"//Newcomer".parse::<SecretUri>()?)?
		.public_key()
		.into();
	let alice_before = free_balance(&api, &alice).await?;
	let tx = grid::tx()
		.balances()
		.transfer_allow_death(MultiAddress::Id(newcomer.clone()), EXISTENTIAL_DEPOSIT - 1);
	let progress = api
		.at_current_block()
		.await?
		.transactions()
		.sign_and_submit_then_watch_default(&tx, &dev::alice())
		.await?;
	let in_block = progress.wait_for_finalized().await?;
	let err = in_block.wait_for_success().await.expect_err("the transfer must fail");
	assert!(format!("{err:?}").contains("BelowMinimum"), "unexpected error: {err:?}");
	let events = in_block.fetch_events().await?;
	let fee = events
		.find_first::<grid::transaction_payment::events::TransactionFeePaid>()
		.expect("the fee is charged")?;
	assert_eq!(free_balance(&api, &newcomer).await?, 0, "no account was created");
	// Alice authored the block, so 20 % of the fee comes back to her.
	let author_share = fee.actual_fee - fee.actual_fee * 80 / 100;
	assert_eq!(free_balance(&api, &alice).await?, alice_before - fee.actual_fee + author_share);

	// An account without funds cannot pay the fee: the pool refuses the transaction.
	let pauper = sr25519::Keypair::from_uri(&"//Pauper".parse::<SecretUri>()?)?;
	let tx = grid::tx().balances().transfer_keep_alive(MultiAddress::Id(alice.clone()), 1);
	let err = api
		.at_current_block()
		.await?
		.transactions()
		.sign_and_submit_default(&tx, &pauper)
		.await
		.expect_err("the pool rejects a transaction that cannot pay");
	// 1010 "Invalid Transaction: Inability to pay some fees"
	assert!(format!("{err:?}").contains("pay some fees"), "unexpected error: {err:?}");
	let pauper_id: AccountId32 = pauper.public_key().into();
	assert_eq!(free_balance(&api, &pauper_id).await?, 0);

	// Only governance may change the validator set.
	let charlie: AccountId32 = dev::charlie().public_key().into();
	let tx = grid::tx().validator_set().add_validator(MultiAddress::Id(charlie));
	let err = api
		.at_current_block()
		.await?
		.transactions()
		.sign_and_submit_then_watch_default(&tx, &dev::bob())
		.await?
		.wait_for_finalized_success()
		.await
		.expect_err("a signed account is not governance");
	assert!(format!("{err:?}").contains("BadOrigin"), "unexpected error: {err:?}");
	let set = api
		.at_current_block()
		.await?
		.storage()
		.entry(grid::storage().validator_set().validators())?
		.fetch(())
		.await?
		.decode()?;
	assert_eq!(set.0, vec![alice], "the set is unchanged");
	Ok(())
}
