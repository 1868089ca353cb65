//! Minting on a real dev node (one-minute periods): the demo node (node 1, Ferdie's key)
//! reports its uptime as free general transactions — a forged report never enters the pool —
//! until a whole period has closed with a receipt; then Alice, the payout account of
//! `alice-farm`, claims. Her balance rises by exactly the receipts paid (net of her claim's
//! fee, of what she earned as the block's author or her farm from billing, and of her own
//! bills), and total issuance by exactly them (less billing's burn).

use grid::runtime_types::{
	pallet_minting::types::{Receipt, UptimeReport},
	sp_runtime::MultiSignature,
};
use grid_client::{grid, uptime_report_payload, GridClient, Wait};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use subxt::{
	transactions::Payload,
	utils::{AccountId32, H256},
};
use subxt_signer::sr25519::{dev, Keypair};

type MintingReceipt = Receipt<AccountId32, u128>;

/// The dev preset's period length (`DEV_MINTING`).
const PERIOD: u64 = 60;

fn unix_now() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Node 1's report, `uptime` seconds after `boot`, signed by `key`.
fn report(key: &Keypair, boot: u64) -> impl Payload {
	let now = unix_now();
	let report = UptimeReport { node_id: 1, uptime: now - boot, timestamp_hint: now };
	let signature = MultiSignature::Sr25519(key.sign(&uptime_report_payload(&report)).0);
	grid::tx().minting().report_uptime(report, signature)
}

/// Reports every block until a receipt covers a whole period of node 1; returns it.
pub async fn earn(client: &GridClient) -> anyhow::Result<MintingReceipt> {
	let boot = unix_now() - 1_000;
	let forged = client.submit_authorized(&report(&dev::bob(), boot), Wait::InBlock).await;
	let refused = forged.err().map(|e| e.to_string()).unwrap_or_default();
	anyhow::ensure!(refused.contains("invalid"), "a forged report must not enter the pool");
	let deadline = Instant::now() + Duration::from_secs(4 * PERIOD);
	println!("minting: node 1 reports until a whole period closes (≤ {}s)", 4 * PERIOD);
	loop {
		anyhow::ensure!(Instant::now() < deadline, "no whole-period receipt in time");
		let included =
			client.submit_authorized(&report(&dev::ferdie(), boot), Wait::InBlock).await??;
		let credited = included
			.find_first::<grid::minting::events::UptimeReported>()
			.ok_or_else(|| anyhow::anyhow!("no UptimeReported event"))??;
		anyhow::ensure!(credited.node_id == 1);
		let receipts = client.view(grid::view_functions().minting().unclaimed_receipts(1)).await?;
		if let Some(whole) = receipts.into_iter().find(|r| r.node_id == 1 && r.registered == PERIOD)
		{
			return Ok(whole);
		}
		// The pool checks a report against the best block's time: wait for a block after the
		// report's (reports must be at least the dev gap of 6 s, one block, apart).
		let reported_in = client.at(included.block).await?.block_number();
		while u64::from(client.block_number(false).await?) <= reported_in {
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}
}

/// Alice claims node 1's receipts; checks balances and issuance to the planck.
pub async fn claim(client: &GridClient, receipt: MintingReceipt) -> anyhow::Result<()> {
	// Exact USD amounts are in units of 1/2,592,000,000,000,000,000 of a dollar.
	const PER_MUSD: u128 = 2_592_000_000_000_000;
	println!(
		"minting: period {} closed: uptime {}‰, {} mUSD, {} planck",
		receipt.period,
		receipt.uptime,
		receipt.capacity_usd.0 / PER_MUSD,
		receipt.tft
	);
	anyhow::ensure!(receipt.uptime >= 950, "reported every block: {}‰", receipt.uptime);
	anyhow::ensure!(receipt.policy == Some(1) && receipt.tft > 0 && receipt.violation.is_none());
	// The demo node (4 cores, 8 GiB, 256 GiB SSD, 1 TiB HDD): CU 1.75, SU 1.877333 → at least
	// the capacity reward scaled by uptime, 6,077.333 mUSD × uptime‰.
	anyhow::ensure!(
		receipt.capacity_usd.0 * 1000 >= 6_077 * PER_MUSD * u128::from(receipt.uptime),
		"{receipt:?}"
	);

	let alice = dev::alice();
	let who: AccountId32 = alice.public_key().into();
	let included = client
		.submit_ok(&grid::tx().minting().claim_node(1, 1), &alice, Wait::InBlock)
		.await?;
	let mut paid = 0u128;
	for event in included.find::<grid::minting::events::ReceiptPaid>() {
		let event = event?;
		anyhow::ensure!(event.payout == who, "paid to alice-farm's payout account");
		paid += event.amount;
	}
	anyhow::ensure!(paid >= receipt.tft, "the whole-period receipt is among those paid");

	let block = client.at(included.block).await?;
	let parent: H256 = parent_of(client, included.block).await?;
	let before = client.at(parent).await?;
	let issuance = grid::storage().balances().total_issuance();
	let (issuance_before, issuance_after) = (
		before.storage().entry(issuance.clone())?.fetch(()).await?.decode()?,
		block.storage().entry(issuance)?.fetch(()).await?.decode()?,
	);
	// Billing may charge contracts in the same block: it burns, and credits Alice's farm.
	let events = block.events().fetch().await?;
	let burned: u128 = events
		.find::<grid::balances::events::Burned>()
		.filter_map(Result::ok)
		.map(|e| e.amount)
		.chain(
			events
				.find::<grid::billing::events::PaidOut>()
				.filter_map(Result::ok)
				.map(|e| e.burned),
		)
		.sum();
	// Billing's payouts to her farm: a payout's deposits come after the last charge and before
	// its `PaidOut` (with only balance and account events, e.g. a new account's, between).
	let (mut credited, mut pending) = (0u128, 0u128);
	for event in events.iter() {
		let event = event?;
		if let Some(deposit) = event.decode_fields_as::<grid::balances::events::Deposit>() {
			let deposit = deposit?;
			pending += if deposit.who == who { deposit.amount } else { 0 };
		} else if event.is::<grid::billing::events::PaidOut>() {
			credited += std::mem::take(&mut pending);
		} else if !matches!(event.pallet_name(), "Balances" | "System")
			&& !event.is::<grid::billing::events::CreditRedirected>()
		{
			pending = 0;
		}
	}
	// And billing may charge her own contracts (from her free balance: she commits nothing).
	let twin: u32 = block
		.storage()
		.entry(grid::storage().registry().twin_by_account())?
		.fetch((who,))
		.await?
		.decode()?;
	let billed: u128 = events
		.find::<grid::billing::events::Charged>()
		.filter_map(Result::ok)
		.filter(|c| c.twin_id == twin)
		.map(|c| c.paid)
		.sum();
	anyhow::ensure!(
		issuance_after + burned - issuance_before == paid,
		"issuance rose by the receipts (less what billing burned: {burned})"
	);
	// Alice also pays her fee and, as the block's author, earns 20 % of every fee and all tips.
	let mut fee = 0u128;
	let mut authored = 0u128;
	for event in events.find::<grid::transaction_payment::events::TransactionFeePaid>() {
		let event = event?;
		if event.who == who {
			fee += event.actual_fee + event.tip;
		}
		authored += event.actual_fee - event.actual_fee * 80 / 100 + event.tip;
	}
	let alice_before = grid_client::free_balance_at(&before, &who).await?;
	let alice_after = grid_client::free_balance_at(&block, &who).await?;
	anyhow::ensure!(
		alice_after + fee + billed == alice_before + paid + authored + credited,
		"Alice: {alice_before} → {alice_after}, paid {paid}, fee {fee}, authored {authored}, \
		 credited {credited}, billed {billed}"
	);
	let left = client.view(grid::view_functions().minting().unclaimed_receipts(1)).await?;
	anyhow::ensure!(left.iter().all(|r| r.node_id != 1 || r.period > receipt.period));
	Ok(())
}

async fn parent_of(client: &GridClient, block: H256) -> anyhow::Result<H256> {
	#[derive(serde::Deserialize)]
	#[serde(rename_all = "camelCase")]
	struct Header {
		parent_hash: H256,
	}
	let header: Header =
		client.rpc().request("chain_getHeader", subxt::rpcs::rpc_params![block]).await?;
	Ok(header.parent_hash)
}
