//! The chain, through several RPC endpoints: every call fails over to the next endpoint when
//! one does not answer, and an endpoint whose best block is older than two block times counts
//! as down. A refusal (the pool's or the runtime's) is an answer, not a failure: it is never
//! retried elsewhere.

use crate::metrics::Metrics;
use anyhow::{anyhow, Context, Result};
use grid_client::{grid, AtBlock, GridClient};
use std::{
	future::Future,
	sync::atomic::{AtomicU64, Ordering},
	time::{Duration, SystemTime, UNIX_EPOCH},
};
use subxt::utils::{AccountId32, H256};

/// A block's events.
pub type BlockEvents = subxt::events::Events<grid_client::Config>;
use tokio::sync::Mutex;
use tracing::{info, warn};

pub use grid::runtime_types::{
	grid_primitives::{registry::Power as ChainPower, resources::Resources},
	pallet_minting::types::MintingParams,
	pallet_registry::types::{Node, NodeSpec},
};

/// A registered node as the chain has it.
pub type ChainNode = Node<u128, u32>;

/// What the bridge reads from the chain once: deposits, timing.
#[derive(Clone, Debug)]
pub struct ChainFacts {
	pub twin_deposit: u128,
	pub node_deposit: u128,
	pub existential_deposit: u128,
	pub minting: MintingParams,
	pub block_time: Duration,
}

/// Unix milliseconds now.
pub fn unix_millis() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map(|d| d.as_millis() as u64)
		.unwrap_or(0)
}

/// An error that is the chain's answer (a refusal), not an endpoint's failure.
pub fn is_refusal(error: &anyhow::Error) -> bool {
	if error.downcast_ref::<grid_client::Failed>().is_some() {
		return true;
	}
	// The pool's answers, as a watch status or as the RPC's error.
	let text = format!("{error:#}").to_lowercase();
	[
		"invalid transaction",
		"transaction dropped",
		"already imported",
		"temporarily banned",
		"priority is too low",
	]
	.iter()
	.any(|answer| text.contains(answer))
}

/// RPC endpoints with failover.
pub struct Chain {
	urls: Vec<String>,
	current: Mutex<Option<(usize, GridClient)>>,
	/// Where the next connection attempt starts.
	next: AtomicU64,
	/// Two block times, in milliseconds: a best block older than this is stale.
	stale_after_ms: AtomicU64,
	metrics: Metrics,
}

impl Chain {
	/// Endpoints in order of preference; nothing is connected yet.
	pub fn new(urls: Vec<String>, metrics: Metrics) -> Self {
		for url in &urls {
			metrics.endpoint.with_label_values(&[url]).set(0);
		}
		Self {
			urls,
			current: Mutex::new(None),
			next: AtomicU64::new(0),
			stale_after_ms: AtomicU64::new(u64::MAX),
			metrics,
		}
	}

	/// The endpoint in use, if connected.
	pub async fn endpoint(&self) -> Option<String> {
		let current = self.current.lock().await;
		current.as_ref().and_then(|(i, _)| self.urls.get(*i).cloned())
	}

	/// A connected client: the current one, else the first endpoint (from the next in turn)
	/// that connects.
	pub async fn client(&self) -> Result<GridClient> {
		let mut current = self.current.lock().await;
		if let Some((_, client)) = current.as_ref() {
			return Ok(client.clone());
		}
		let count = self.urls.len() as u64;
		let start = self.next.load(Ordering::Relaxed);
		let mut errors = vec![];
		for offset in 0..count {
			let index = ((start + offset) % count) as usize;
			let Some(url) = self.urls.get(index) else { continue };
			match tokio::time::timeout(Duration::from_secs(10), GridClient::connect(url)).await {
				Ok(Ok(client)) => {
					info!(url = %url, "connected to RPC endpoint");
					self.metrics.endpoint.with_label_values(&[url]).set(1);
					*current = Some((index, client.clone()));
					return Ok(client);
				},
				Ok(Err(e)) => errors.push(format!("{url}: {e:#}")),
				Err(_) => errors.push(format!("{url}: no answer within 10 s")),
			}
		}
		Err(anyhow!("no RPC endpoint answers: {}", errors.join("; ")))
	}

	/// Drops the current endpoint; the next call connects to the one after it.
	pub async fn failover(&self, reason: &str, why: &str) {
		let mut current = self.current.lock().await;
		if let Some((index, _)) = current.take() {
			let url = self.urls.get(index).cloned().unwrap_or_default();
			warn!(url = %url, reason, why, "RPC endpoint failed, failing over");
			self.metrics.endpoint.with_label_values(&[&url]).set(0);
			self.metrics.failovers.with_label_values(&[reason]).inc();
			self.next.store(index as u64 + 1, Ordering::Relaxed);
		}
	}

	/// Runs `call` against an endpoint, failing over on any error that is not the chain's
	/// refusal; tries every endpoint twice before giving up.
	pub async fn call<T, F, Fut>(&self, what: &str, call: F) -> Result<T>
	where
		F: Fn(GridClient) -> Fut,
		Fut: Future<Output = Result<T>>,
	{
		let mut last = None;
		for attempt in 0..2 * self.urls.len().max(1) {
			if attempt > 0 {
				tokio::time::sleep(Duration::from_millis(200)).await;
			}
			let client = match self.client().await {
				Ok(client) => client,
				Err(e) => {
					last = Some(e);
					continue;
				},
			};
			match call(client).await {
				Ok(value) => return Ok(value),
				Err(e) if is_refusal(&e) => return Err(e),
				Err(e) => {
					self.failover("call_failed", &format!("{what}: {e:#}")).await;
					last = Some(e);
				},
			}
		}
		Err(last.unwrap_or_else(|| anyhow!("no RPC endpoint configured")))
			.with_context(|| format!("{what}: every RPC endpoint failed"))
	}

	/// Fails over when the current endpoint's best block is older than two block times (it
	/// is cut off from the network, or stuck). Kept when it is the only endpoint.
	pub async fn check_fresh(&self) -> Result<()> {
		let client = self.client().await?;
		let best = client.best().await?;
		let at_ms = best.storage().fetch(grid::storage().timestamp().now(), ()).await?.decode()?;
		let age = unix_millis().saturating_sub(at_ms);
		if age > self.stale_after_ms.load(Ordering::Relaxed) && self.urls.len() > 1 {
			self.failover("stale", &format!("best block is {age} ms old")).await;
		}
		Ok(())
	}

	/// The chain's deposits and timing; remembers the block time for [`Self::check_fresh`].
	pub async fn facts(&self) -> Result<ChainFacts> {
		let facts = self
			.call("reading the chain's constants", |c| async move {
				let at = c.finalized().await?;
				read_facts(&at).await
			})
			.await?;
		let stale = 2 * facts.block_time.as_millis() as u64;
		self.stale_after_ms.store(stale, Ordering::Relaxed);
		Ok(facts)
	}

	/// The finalized head: its number and hash.
	pub async fn finalized_head(&self) -> Result<(u32, H256)> {
		self.call("reading the finalized head", |c| async move {
			let at = c.finalized().await?;
			Ok((at.block_number() as u32, at.block_hash()))
		})
		.await
	}

	/// Block `number`'s hash and events (an error when the node no longer has its state).
	pub async fn block_events(&self, number: u32) -> Result<(H256, BlockEvents)> {
		self.call("reading a finalized block's events", |c| async move {
			let hash: H256 =
				c.rpc().request("chain_getBlockHash", subxt::rpcs::rpc_params![number]).await?;
			let events = c.at(hash).await?.events().fetch().await?;
			Ok((hash, events))
		})
		.await
	}

	/// The finalized block's client.
	pub async fn finalized(&self) -> Result<AtBlock> {
		self.call("reading the finalized block", |c| async move { c.finalized().await })
			.await
	}
}

async fn read_facts(at: &AtBlock) -> Result<ChainFacts> {
	let constants = at.constants();
	let minimum_period = constants.entry(grid::constants().timestamp().minimum_period())?;
	let minting = at
		.storage()
		.try_fetch(grid::storage().minting().params(), ())
		.await?
		.ok_or_else(|| anyhow!("the chain's minting is not configured (no Minting::Params)"))?
		.decode()?;
	Ok(ChainFacts {
		twin_deposit: constants.entry(grid::constants().registry().twin_deposit())?,
		node_deposit: constants.entry(grid::constants().registry().node_deposit())?,
		existential_deposit: constants.entry(grid::constants().balances().existential_deposit())?,
		minting,
		block_time: Duration::from_millis(minimum_period.saturating_mul(2)),
	})
}

/// The account's twin, its node and the node, at `at`.
pub async fn node_of(
	at: &AtBlock,
	account: &AccountId32,
) -> Result<(Option<u32>, Option<(u32, ChainNode)>)> {
	let Some(twin) = at
		.storage()
		.try_fetch(grid::storage().registry().twin_by_account(), (*account,))
		.await?
	else {
		return Ok((None, None));
	};
	let twin = twin.decode()?;
	let Some(node_id) = at
		.storage()
		.try_fetch(grid::storage().registry().node_by_twin(), (twin,))
		.await?
	else {
		return Ok((Some(twin), None));
	};
	let node_id = node_id.decode()?;
	let node = at
		.storage()
		.try_fetch(grid::storage().registry().nodes(), (node_id,))
		.await?
		.ok_or_else(|| anyhow!("node {node_id} of twin {twin} has no record"))?
		.decode()?;
	Ok((Some(twin), Some((node_id, node))))
}

/// The chain's time (Unix seconds) at `at`.
pub async fn chain_secs(at: &AtBlock) -> Result<u64> {
	let ms: u64 = at.storage().fetch(grid::storage().timestamp().now(), ()).await?.decode()?;
	Ok(ms / 1_000)
}

/// TFT with its 7 decimals, trailing zeros dropped: `6.01 TFT`.
pub fn tft(planck: u128) -> String {
	const UNIT: u128 = 10_000_000;
	let fraction = format!("{:07}", planck % UNIT);
	let fraction = fraction.trim_end_matches('0');
	if fraction.is_empty() {
		format!("{} TFT", planck / UNIT)
	} else {
		format!("{}.{fraction} TFT", planck / UNIT)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn tft_amounts_read_as_people_write_them() {
		assert_eq!(tft(60_100_000), "6.01 TFT");
		assert_eq!(tft(50_000_000), "5 TFT");
		assert_eq!(tft(1), "0.0000001 TFT");
	}

	#[test]
	fn refusals_are_answers() {
		assert!(is_refusal(&anyhow!("invalid transaction: Custom(5)")));
		assert!(!is_refusal(&anyhow!("connection reset")));
	}
}
