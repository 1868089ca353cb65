//! Scenarios that share one `grid-node --dev` process, run side by side: a node start costs
//! half a minute of a 2-core machine, so every scenario that can share a chain does. Each
//! scenario signs with accounts no other scenario uses (no nonce races), waits for inclusion
//! rather than finality, and reads what it checks at the block its transaction landed in.
//!
//! Accounts: `transfer` Eve, `bad_input` Charlie, `registry` Alice and Dave, `views` Bob,
//! `capacity` Ferdie (the demo node) and accounts of its own, `minting` Ferdie's key inside
//! general transactions (no nonce) and Alice once `registry` is done, `price` no account
//! (the node's offchain worker feeds in Alice's name), `billing` Bob once `views` is done,
//! and accounts of its own.

mod bad_input;
mod billing;
mod capacity;
mod minting;
mod price;
mod registry;
mod transfer;
mod views;

use grid_e2e::DevNode;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn scenarios_on_one_dev_node() -> anyhow::Result<()> {
	let node = DevNode::start("dev-chain").await?;
	node.wait_finalized(1, Duration::from_secs(120)).await?;
	let client = node.grid().await?;
	let result = tokio::try_join!(
		async { transfer::run(&client).await.map_err(|e| e.context("transfer")) },
		async { bad_input::run(&client).await.map_err(|e| e.context("bad input")) },
		async {
			// Minting earns while registry runs; its claim signs with Alice after registry.
			let (receipt, ()) = tokio::try_join!(
				async { minting::earn(&client).await.map_err(|e| e.context("minting")) },
				async { registry::run(&client).await.map_err(|e| e.context("registry")) },
			)?;
			minting::claim(&client, receipt).await.map_err(|e| e.context("minting claim"))
		},
		async {
			views::run(&client).await.map_err(|e| e.context("views"))?;
			billing::run(&client).await.map_err(|e| e.context("billing"))
		},
		async { capacity::run(&client).await.map_err(|e| e.context("capacity")) },
		async { price::run(&client).await.map_err(|e| e.context("price")) },
	);
	if let Err(e) = &result {
		eprintln!("{e:?}\n--- node log ---\n{}", node.log_tail());
	}
	result.map(|_| ())
}
