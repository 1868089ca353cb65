//! The offchain worker: on a node holding a feeder's key, fetch the price once per window from
//! the node's configured source and submit it.

use crate::{
	pallet::*,
	source::{price_in_json, PriceSource, SourceError, JSON_PATH_KEY, MAX_BODY, SOURCE_KEY},
	types::*,
	Config,
};
use alloc::vec::Vec;
use frame::{
	deps::{
		frame_system::offchain::{CreateAuthorizedTransaction, SubmitTransaction},
		sp_core::{
			crypto::KeyTypeId,
			offchain::{HttpError, StorageKind},
			sr25519,
		},
		sp_io,
		sp_runtime::offchain::{http, storage::StorageValueRef, Duration},
	},
	traits::IdentifyAccount,
};
use grid_primitives::money::MusdPerTft;

/// The keystore key type of feeder keys: `tfpr` (sr25519). Insert one with
/// `grid-node key insert --key-type tfpr --scheme sr25519 --suri <secret>`.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"tfpr");

/// How long the worker waits for the source's answer.
pub const HTTP_DEADLINE_MS: u64 = 2_000;

/// Offchain local storage key of the last window this node fed (one attempt per window).
const LAST_WINDOW_KEY: &[u8] = b"tft-price::last-window";

const LOG: &str = "tft-price";

impl<T: Config> Pallet<T> {
	pub(crate) fn run_offchain_worker(n: u32) {
		let Some(params) = Params::<T>::get() else { return };
		// What this node submits now is included from the next block on.
		let open = OpenWindow::<T>::get();
		let (window, _) = open.window_at(params.window_blocks, n.saturating_add(1));
		let keys = Self::feeder_keys(&open, window);
		if keys.is_empty() || !Self::claim_window(window) {
			return;
		}
		let price = match Self::fetch_price() {
			Ok(price) if Self::is_accepted(price) => price,
			Ok(price) => {
				log::warn!(target: LOG, "price {} mUSD outside the accepted range {:?}; nothing submitted for window {window}", price.0, Self::accepted_range());
				return;
			},
			Err(e) => {
				log::warn!(target: LOG, "no price for window {window}: {e}; nothing submitted");
				return;
			},
		};
		for (public, feeder) in keys {
			let submission = PriceSubmission { feeder, window, price, observed_at: n };
			let payload = Self::signing_payload(&submission);
			let Some(signature) = sp_io::crypto::sr25519_sign(KEY_TYPE, &public, &payload) else {
				log::warn!(target: LOG, "the keystore could not sign with {public:?}");
				continue;
			};
			let call = Call::<T>::submit_price { submission, signature: signature.into() };
			let xt = <T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(
				call.into(),
			);
			match SubmitTransaction::<T, Call<T>>::submit_transaction(xt) {
				Ok(()) => log::info!(target: LOG, "submitted {} mUSD for window {window}", price.0),
				Err(()) => {
					log::warn!(target: LOG, "the pool refused the price for window {window}")
				},
			}
		}
	}

	/// This node's feeder keys that have not submitted to `window` yet (`open` is the window
	/// record of this block).
	fn feeder_keys(
		open: &WindowRoundOf<T>,
		window: WindowIndex,
	) -> Vec<(sr25519::Public, T::AccountId)> {
		let feeders = Feeders::<T>::get();
		sp_io::crypto::sr25519_public_keys(KEY_TYPE)
			.into_iter()
			.map(|public| {
				let signer = <T::Signature as frame::traits::Verify>::Signer::from(public);
				(public, signer.into_account())
			})
			.filter(|(_, account)| feeders.binary_search(account).is_ok())
			.filter(|(_, account)| {
				!(open.window == window && open.prices.iter().any(|(f, _)| f == account))
			})
			.collect()
	}

	/// Records in local storage that this node feeds `window`; `false` if it did already
	/// (workers of consecutive blocks may run at once; window numbers only grow).
	fn claim_window(window: WindowIndex) -> bool {
		StorageValueRef::persistent(LAST_WINDOW_KEY)
			.mutate::<WindowIndex, (), _>(|last| match last {
				Ok(Some(last)) if last >= window => Err(()),
				_ => Ok(window),
			})
			.is_ok()
	}

	/// The price from this node's configured source.
	pub(crate) fn fetch_price() -> Result<MusdPerTft, SourceError> {
		let read = |key: &[u8]| sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, key);
		let source = read(SOURCE_KEY).ok_or(SourceError::NoSource)?;
		let path = read(JSON_PATH_KEY).unwrap_or_default();
		match PriceSource::parse(&source, &path)? {
			PriceSource::Fixed(price) => Ok(price),
			PriceSource::Http { url, path } => price_in_json(&Self::http_get(&url)?, &path),
		}
	}

	fn http_get(url: &str) -> Result<Vec<u8>, SourceError> {
		let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(HTTP_DEADLINE_MS));
		let pending = http::Request::get(url)
			.add_header("Accept", "application/json")
			.deadline(deadline)
			.send()
			.map_err(|_| SourceError::Http("request failed"))?;
		let response = pending
			.try_wait(deadline)
			.map_err(|_| SourceError::Http("deadline passed"))?
			.map_err(|_| SourceError::Http("no answer"))?;
		if response.code != 200 {
			return Err(SourceError::Status(response.code));
		}
		// The deadline covers reading the answer too: a server that stalls mid-body is cut off.
		let mut body = response.body();
		body.deadline(deadline);
		// One byte past the bound tells a too-long answer without reading it all.
		let bytes: Vec<u8> = body.by_ref().take(MAX_BODY + 1).collect();
		if bytes.len() > MAX_BODY {
			return Err(SourceError::TooLarge);
		}
		if let Some(e) = body.error() {
			return Err(SourceError::Http(match e {
				HttpError::DeadlineReached => "deadline passed",
				_ => "reading the answer failed",
			}));
		}
		Ok(bytes)
	}
}
