//! A TFT transfer through subxt on a real dev node: events, balances and the fee split.

use grid_e2e::{free_balance, grid, DevNode};
use std::time::Duration;
use subxt::utils::{AccountId32, MultiAddress};
use subxt_signer::sr25519::dev;

const TFT: u128 = 10_000_000;

#[tokio::test]
async fn transfer_is_finalized_and_balances_add_up() -> anyhow::Result<()> {
	let node = DevNode::start("transfer").await?;
	node.wait_finalized(3, Duration::from_secs(120)).await?;
	let api = node.client().await?;

	let alice: AccountId32 = dev::alice().public_key().into();
	let bob: AccountId32 = dev::bob().public_key().into();
	let treasury = treasury_account();
	let before = (
		free_balance(&api, &alice).await?,
		free_balance(&api, &bob).await?,
		free_balance(&api, &treasury).await?,
	);

	let amount = 12 * TFT + 3;
	let tx = grid::tx().balances().transfer_keep_alive(MultiAddress::Id(bob.clone()), amount);
	let events = api
		.at_current_block()
		.await?
		.transactions()
		.sign_and_submit_then_watch_default(&tx, &dev::alice())
		.await?
		.wait_for_finalized_success()
		.await?;

	let transfer = events
		.find_first::<grid::balances::events::Transfer>()
		.expect("a Transfer event")?;
	assert_eq!(transfer.from, alice);
	assert_eq!(transfer.to, bob);
	assert_eq!(transfer.amount, amount);
	let paid = events
		.find_first::<grid::transaction_payment::events::TransactionFeePaid>()
		.expect("a TransactionFeePaid event")?;
	let fee = paid.actual_fee + paid.tip;
	// About 0.001 TFT for a simple call (within 0.0008 .. 0.0013 TFT).
	assert!(fee > 8 * TFT / 10_000 && fee < 13 * TFT / 10_000, "fee {fee} planck");

	let after = (
		free_balance(&api, &alice).await?,
		free_balance(&api, &bob).await?,
		free_balance(&api, &treasury).await?,
	);
	let treasury_share = fee * 80 / 100;
	assert_eq!(after.1, before.1 + amount, "Bob receives exactly the amount");
	assert_eq!(after.2, before.2 + treasury_share, "treasury gets 80 % of the fee");
	// Alice pays amount + fee and, as the dev chain's only author, earns the other 20 %.
	assert_eq!(after.0, before.0 - amount - fee + (fee - treasury_share));
	// Nothing minted or burned: the three accounts' total is unchanged.
	assert_eq!(after.0 + after.1 + after.2, before.0 + before.1 + before.2);
	Ok(())
}

#[tokio::test]
async fn chain_properties_name_the_token() -> anyhow::Result<()> {
	let node = DevNode::start("properties").await?;
	let rpc = node.rpc().await?;
	let props: serde_json::Value =
		rpc.request("system_properties", subxt::rpcs::rpc_params![]).await?;
	assert_eq!(props["tokenSymbol"], "TFT");
	assert_eq!(props["tokenDecimals"], 7);
	assert_eq!(props["ss58Format"], 42);
	Ok(())
}

/// The treasury's account: `PalletId(*b"py/trsry")` as an account is "modl" ++ id, zero-padded.
fn treasury_account() -> AccountId32 {
	let mut raw = [0u8; 32];
	raw[..4].copy_from_slice(b"modl");
	raw[4..12].copy_from_slice(b"py/trsry");
	AccountId32(raw)
}
