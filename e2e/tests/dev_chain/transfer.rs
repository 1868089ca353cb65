//! A TFT transfer through subxt: events, exact balances, the fee split, nothing minted.

use grid_client::{free_balance_at, grid, AtBlock, GridClient, Wait};
use subxt::utils::{AccountId32, MultiAddress, H256};
use subxt_signer::{sr25519, sr25519::dev, SecretUri};

const TFT: u128 = 10_000_000;

pub async fn run(client: &GridClient) -> anyhow::Result<()> {
	let props: serde_json::Value =
		client.rpc().request("system_properties", subxt::rpcs::rpc_params![]).await?;
	assert_eq!(props["tokenSymbol"], "TFT");
	assert_eq!(props["tokenDecimals"], 7);
	assert_eq!(props["ss58Format"], 42);

	let eve: AccountId32 = dev::eve().public_key().into();
	let to: AccountId32 = sr25519::Keypair::from_uri(&"//E2eRecipient".parse::<SecretUri>()?)?
		.public_key()
		.into();
	let amount = 12 * TFT + 3;
	let tx = grid::tx().balances().transfer_keep_alive(MultiAddress::Id(to), amount);
	let events = client.submit_ok(&tx, &dev::eve(), Wait::InBlock).await?;

	let transfer = events.find_first::<grid::balances::events::Transfer>().expect("Transfer")?;
	assert_eq!((transfer.from, transfer.to, transfer.amount), (eve, to, amount));
	let paid = events
		.find_first::<grid::transaction_payment::events::TransactionFeePaid>()
		.expect("TransactionFeePaid")?;
	let fee = paid.actual_fee + paid.tip;
	// About 0.001 TFT for a simple call (within 0.0008 .. 0.0013 TFT).
	assert!(fee > 8 * TFT / 10_000 && fee < 13 * TFT / 10_000, "fee {fee} planck");

	// Compare the block the transfer is in with its parent: other scenarios' transactions may
	// share the block, so the treasury's share is summed over every fee paid in it.
	let block = events.block;
	let (at, parent) = block_and_parent(client, block).await?;
	let delta = |after: u128, before: u128| after as i128 - before as i128;
	let eve_delta = delta(free_balance_at(&at, &eve).await?, free_balance_at(&parent, &eve).await?);
	assert_eq!(eve_delta, -((amount + fee) as i128), "Eve pays the amount and the fee");
	assert_eq!(free_balance_at(&at, &to).await?, amount, "the recipient gets exactly the amount");
	let treasury = treasury_account();
	let treasury_delta =
		delta(free_balance_at(&at, &treasury).await?, free_balance_at(&parent, &treasury).await?);
	let mut treasury_share = 0u128;
	for paid in events
		.all_events_in_block()
		.find::<grid::transaction_payment::events::TransactionFeePaid>()
	{
		treasury_share += paid?.actual_fee * 80 / 100;
	}
	assert_eq!(
		treasury_delta, treasury_share as i128,
		"the treasury gets 80 % of every fee, rounded down"
	);
	assert_eq!(
		total_issuance(&at).await?,
		total_issuance(&parent).await?,
		"nothing minted or burned"
	);
	Ok(())
}

async fn block_and_parent(client: &GridClient, block: H256) -> anyhow::Result<(AtBlock, AtBlock)> {
	let header: serde_json::Value =
		client.rpc().request("chain_getHeader", subxt::rpcs::rpc_params![block]).await?;
	let parent: H256 = serde_json::from_value(header["parentHash"].clone())?;
	Ok((client.at(block).await?, client.at(parent).await?))
}

async fn total_issuance(at: &AtBlock) -> anyhow::Result<u128> {
	Ok(at
		.storage()
		.entry(grid::storage().balances().total_issuance())?
		.fetch(())
		.await?
		.decode()?)
}

/// The treasury's account: `PalletId(*b"py/trsry")` as an account is "modl" ++ id, zero-padded.
fn treasury_account() -> AccountId32 {
	let mut raw = [0u8; 32];
	raw[..4].copy_from_slice(b"modl");
	raw[4..12].copy_from_slice(b"py/trsry");
	AccountId32(raw)
}
