//! The node's side of the TFT price oracle: where its offchain worker reads the price, and the
//! dev chain's feeder key.
//!
//! The source lives in the node's offchain local storage (keys
//! [`pallet_tft_price::source::SOURCE_KEY`] and [`pallet_tft_price::source::JSON_PATH_KEY`]),
//! where the worker reads it every window: the flags below write it at start-up, and an
//! operator may change it on a running node with the `offchain_localStorageSet` RPC.

use pallet_tft_price::source::{PriceSource, JSON_PATH_KEY, SOURCE_KEY};
use sp_core::offchain::OffchainStorage;
use sp_keystore::Keystore;

/// The price a `--dev` node feeds when no source is given: $0.08.
pub const DEV_SOURCE: &str = "fixed:0.08";

/// Where this node fetches the TFT price. Only used when the node's keystore holds a price
/// feeder's key (key type `tfpr`, see README "Feed the TFT price").
#[derive(Debug, Clone, clap::Args)]
pub struct PriceFeedArgs {
	/// TFT price source: an `http://` or `https://` URL answering JSON, or `fixed:<USD>` (a
	/// fixed price, no network: dev chains). Stored in the node's offchain storage and kept
	/// across restarts. A node with a dev account (`--dev`, `--alice`, …) defaults to
	/// `fixed:0.08`.
	#[arg(long, value_name = "URL|fixed:USD")]
	pub tft_price_source: Option<String>,

	/// Where the price (USD per TFT, a number or a numeric string) is in the source's JSON
	/// answer: dot-separated keys, a number selects an array element (`data.tft.usd`,
	/// `0.price`). Empty: the whole answer is the number.
	#[arg(long, value_name = "PATH", default_value = "", requires = "tft_price_source")]
	pub tft_price_json_path: String,
}

impl PriceFeedArgs {
	/// The source the flags name, checked; `None` without `--tft-price-source`.
	pub fn source(&self) -> Result<Option<(String, String)>, String> {
		let Some(source) = self.tft_price_source.clone() else { return Ok(None) };
		PriceSource::parse(source.as_bytes(), self.tft_price_json_path.as_bytes())
			.map_err(|e| format!("--tft-price-source {source:?}: {e}"))?;
		Ok(Some((source, self.tft_price_json_path.clone())))
	}
}

/// The source a node stores: the flags', else [`DEV_SOURCE`] on a node started with a dev
/// account (`--dev`, `--alice`, …), else none (the node keeps what its storage holds).
pub fn source_to_store(
	from_flags: Option<(String, String)>,
	dev_seed: bool,
) -> Option<(String, String)> {
	from_flags.or_else(|| dev_seed.then(|| (DEV_SOURCE.to_string(), String::new())))
}

/// Writes the price source into the node's offchain storage.
pub fn store_source(mut storage: impl OffchainStorage, (source, path): &(String, String)) {
	storage.set(sp_offchain::STORAGE_PREFIX, SOURCE_KEY, source.as_bytes());
	storage.set(sp_offchain::STORAGE_PREFIX, JSON_PATH_KEY, path.as_bytes());
	log::info!("💲 TFT price source: {source} (JSON path {path:?})");
}

/// On a dev chain (`--alice`, `--dev`…), puts the dev account's price feeder key in the
/// keystore, as the session keys are.
pub fn insert_dev_feeder_key(keystore: &dyn Keystore, seed: &str) -> Result<(), String> {
	keystore
		.sr25519_generate_new(pallet_tft_price::KEY_TYPE, Some(seed))
		.map(|_| ())
		.map_err(|e| format!("inserting the dev price feeder key: {e}"))
}
