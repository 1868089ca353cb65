//! The TFT price oracle on a real dev node: the node's offchain worker feeds Alice's price
//! with no network (`fixed:0.08`, the `--dev` default); then the scenario serves a price over
//! HTTP on loopback, points the node at it (`offchain_localStorageSet`, as an operator would),
//! and watches the window price switch and the on-chain average follow down to it (within the
//! 10 % a window may move from the average, so it switches at once). It puts the dev source
//! back when done.

use grid_client::{grid, GridClient};
use std::{
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};
use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::TcpListener,
};

/// What the scenario's price server answers: $0.075 per TFT (within a window's bound of $0.08).
const ANSWER: &str = r#"{"tft":{"usd":0.075,"updated":"2026-11-29"}}"#;

/// Serves [`ANSWER`] to every request on a loopback port; returns its URL and a request count.
async fn serve() -> anyhow::Result<(String, Arc<AtomicUsize>)> {
	let listener = TcpListener::bind("127.0.0.1:0").await?;
	let url = format!("http://{}/tft", listener.local_addr()?);
	let hits = Arc::new(AtomicUsize::new(0));
	let counter = hits.clone();
	tokio::spawn(async move {
		while let Ok((mut socket, _)) = listener.accept().await {
			counter.fetch_add(1, Ordering::SeqCst);
			tokio::spawn(async move {
				// Read the request head, then answer and close.
				let mut head = Vec::new();
				let mut buf = [0u8; 1024];
				while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
					match socket.read(&mut buf).await {
						Ok(0) | Err(_) => return,
						Ok(n) => head.extend_from_slice(&buf[..n]),
					}
				}
				let response = format!(
					"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
					 Connection: close\r\n\r\n{ANSWER}",
					ANSWER.len()
				);
				let _ = socket.write_all(response.as_bytes()).await;
				let _ = socket.shutdown().await;
			});
		}
	});
	Ok((url, hits))
}

type PriceInfo = grid::runtime_types::pallet_tft_price::types::PriceInfo<subxt::utils::AccountId32>;

async fn info(client: &GridClient) -> anyhow::Result<PriceInfo> {
	client.view(grid::view_functions().tft_price().price_info()).await
}

/// Polls the price until `done` says so, printing what it waits for; fails after `secs`.
async fn wait_for(
	client: &GridClient,
	what: &str,
	secs: u64,
	mut done: impl FnMut(&PriceInfo) -> anyhow::Result<bool>,
) -> anyhow::Result<PriceInfo> {
	println!("price: waiting ≤ {secs}s for {what}");
	let deadline = Instant::now() + Duration::from_secs(secs);
	loop {
		let info = info(client).await?;
		if done(&info)? {
			return Ok(info);
		}
		anyhow::ensure!(Instant::now() < deadline, "no {what} within {secs}s: {info:?}");
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

fn last_price(info: &PriceInfo) -> Option<u32> {
	info.state.last_price.as_ref().map(|p| p.0)
}

fn average(info: &PriceInfo) -> Option<u32> {
	info.state.average.as_ref().map(|p| p.0)
}

pub async fn run(client: &GridClient) -> anyhow::Result<()> {
	// Offline: the dev node's worker feeds the fixed $0.08 in Alice's name.
	let fed = wait_for(client, "a window price from the dev node's fixed source", 60, |i| {
		Ok(i.trustworthy && last_price(i) == Some(80))
	})
	.await?;
	anyhow::ensure!(fed.feeders.len() == 1, "Alice alone feeds the dev chain");

	let (url, hits) = serve().await?;
	client.set_tft_price_source(&url, "tft.usd").await?;
	println!("price: the node now fetches {url}");
	wait_for(
		client,
		"the served $0.075 as the window price",
		60,
		|i| Ok(last_price(i) == Some(75)),
	)
	.await?;
	anyhow::ensure!(hits.load(Ordering::SeqCst) >= 1, "the price came from the HTTP server");

	// The average (1-minute span) moves from 80 down to 75, never up.
	let mut seen = vec![];
	wait_for(client, "the average to reach $0.075", 120, |i| {
		let a = average(i).ok_or_else(|| anyhow::anyhow!("no average"))?;
		anyhow::ensure!(
			seen.last().is_none_or(|last| a <= *last),
			"the average rose: {seen:?} {a}"
		);
		anyhow::ensure!((75..=80).contains(&a), "the average left [75, 80]: {a}");
		if seen.last() != Some(&a) {
			seen.push(a);
		}
		Ok(a == 75)
	})
	.await?;
	anyhow::ensure!(seen.iter().any(|a| *a > 75 && *a < 80), "no average in between: {seen:?}");
	println!(
		"price: the average followed: {seen:?}; {} requests served",
		hits.load(Ordering::SeqCst)
	);
	client.set_tft_price_source("fixed:0.08", "").await
}
