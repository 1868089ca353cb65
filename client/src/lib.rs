//! # grid-client
//!
//! What every off-chain program of Gridchain needs to talk to a node: the typed interface
//! generated from the runtime's metadata, submitting a signed transaction and waiting for it,
//! reading state at the best or finalized block, and calling the runtime's view functions. The
//! end-to-end tests use it; `zos-bridge` and `gridctl` will.
//!
//! [`grid`] is generated from `metadata/grid.scale`, which a runtime test keeps equal to the
//! runtime's metadata (`UPDATE_METADATA=1 cargo test --release -p grid-runtime --test metadata`
//! rewrites it after a runtime change).
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use grid_client::{grid, GridClient, Wait};
//! let client = GridClient::connect("ws://127.0.0.1:9944").await?;
//! let farm: Option<u32> =
//!     client.view(grid::view_functions().registry().farm_by_name(grid_client::text("alice-farm"))).await?;
//! let tx = grid::tx().registry().create_twin(grid_client::bounded(vec![]), None);
//! let signer = subxt_signer::sr25519::dev::dave();
//! match client.submit(&tx, &signer, Wait::InBlock).await? {
//!     Ok(events) => println!("twin created: {:?}", events.find_first::<grid::registry::events::TwinCreated>()),
//!     Err(failed) => println!("refused: {failed}"), // e.g. "Registry::TwinExists"
//! }
//! # Ok(()) }
//! ```

pub mod deployments;

use anyhow::{anyhow, bail, Context, Result};
use codec::{Decode, Encode};
use std::time::Duration;
use subxt::{
	client::{ClientAtBlock, OnlineClientAtBlockImpl},
	error::{DispatchError, TransactionEventsError},
	extrinsics::ExtrinsicEvents,
	rpcs::{rpc_params, RpcClient},
	transactions::{Payload, TransactionStatus},
	utils::{AccountId32, H256},
	OnlineClient, PolkadotConfig,
};

#[subxt::subxt(
	runtime_metadata_path = "metadata/grid.scale",
	derive_for_all_types = "Clone, PartialEq, Eq",
	// Session keys come from `author_rotateKeysWithOwner` as SCALE bytes.
	derive_for_type(
		path = "grid_runtime::opaque::SessionKeys",
		derive = "::subxt::ext::codec::Decode",
		recursive
	),
	// Nodes sign their uptime reports' and usage batches' SCALE encoding.
	derive_for_type(path = "pallet_minting::types::UptimeReport", derive = "::subxt::ext::codec::Encode"),
	// (the batch's reports, their resources and the bounded vector too).
	derive_for_type(
		path = "pallet_capacity::types::UsageBatch",
		derive = "::subxt::ext::codec::Encode",
		recursive
	)
)]
pub mod grid {}

/// The subxt macro reads the metadata file without telling cargo, so a regenerated file
/// (`UPDATE_METADATA=1`) would not rebuild these bindings; including it makes cargo track it.
const _METADATA: &[u8] = include_bytes!("../metadata/grid.scale");

pub use grid::runtime_types::bounded_collections::bounded_vec::BoundedVec;

/// The subxt configuration of Gridchain (its transaction extensions are the standard ones).
pub type Config = PolkadotConfig;
/// A client at one block.
pub type AtBlock = ClientAtBlock<Config, OnlineClientAtBlockImpl<Config>>;

/// For how many blocks from the best block a [`GridClient::submit_authorized`] transaction is
/// valid.
pub const AUTHORIZED_MORTALITY: u64 = 16;

/// How long [`GridClient::submit`] waits before giving up on a transaction.
pub const SUBMIT_TIMEOUT: Duration = Duration::from_secs(90);

/// A bounded vector of the runtime, from its elements.
pub fn bounded<T>(items: Vec<T>) -> BoundedVec<T> {
	BoundedVec(items)
}

/// The bytes a node signs for an uptime report (`pallet_minting::UptimeReport::signing_payload`):
/// the context string, then the report, SCALE-encoded.
pub fn uptime_report_payload(
	report: &grid::runtime_types::pallet_minting::types::UptimeReport,
) -> Vec<u8> {
	use subxt::ext::codec::Encode as _;
	(&b"gridchain/uptime-report/v1"[..], report).encode()
}

/// The bytes a node signs for a usage batch (`pallet_capacity::UsageBatch::signing_payload`):
/// the context string, then the batch, SCALE-encoded.
pub fn usage_batch_payload(
	batch: &grid::runtime_types::pallet_capacity::types::UsageBatch,
) -> Vec<u8> {
	use subxt::ext::codec::Encode as _;
	(&b"gridchain/usage-report/v1"[..], batch).encode()
}

/// The offchain storage keys of a node's TFT price source (the oracle pallet's
/// `source::SOURCE_KEY` and `source::JSON_PATH_KEY`).
pub const PRICE_SOURCE_KEY: &[u8] = b"tft-price::source";
pub const PRICE_JSON_PATH_KEY: &[u8] = b"tft-price::json-path";

/// A bounded byte string of the runtime (names, links, host names).
pub fn text(s: &str) -> BoundedVec<u8> {
	BoundedVec(s.as_bytes().to_vec())
}

/// How long to wait for a submitted transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
	/// Until it is in a best block: enough to read its events and effects.
	InBlock,
	/// Until its block is finalized: it can no longer be reverted.
	Finalized,
}

/// A submitted transaction's status stream.
type Progress = subxt::transactions::TransactionProgress<Config, OnlineClientAtBlockImpl<Config>>;

/// How far a watched transaction got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
	/// In a best block.
	InBlock(H256),
	/// Its block left the best chain (a fork): it waits for another.
	Retracted,
	/// In a finalized block.
	Finalized(H256),
}

/// A transaction that was included in a block and succeeded: its events (it derefs to them)
/// and the block it is in.
pub struct Included {
	pub events: ExtrinsicEvents<Config>,
	pub block: H256,
}

impl std::fmt::Debug for Included {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("Included")
			.field("block", &self.block)
			.field("extrinsic", &self.events.extrinsic_hash())
			.finish()
	}
}

impl std::ops::Deref for Included {
	type Target = ExtrinsicEvents<Config>;
	fn deref(&self) -> &Self::Target {
		&self.events
	}
}

/// A transaction that was included in a block but failed in the runtime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failed {
	/// `Pallet::Error` for a pallet error (e.g. `Registry::IpNotPublic`), else the dispatch
	/// error's variant (e.g. `BadOrigin`, `Token(BelowMinimum)`).
	pub error: String,
	/// The error's documentation from the metadata (empty when it has none).
	pub docs: String,
	/// The block it was included in.
	pub block: H256,
}

impl std::fmt::Display for Failed {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(&self.error)
	}
}

impl std::error::Error for Failed {}

/// A connection to a Gridchain node.
#[derive(Clone)]
pub struct GridClient {
	api: OnlineClient<Config>,
	rpc: RpcClient,
}

impl GridClient {
	/// Connects to a node's JSON-RPC endpoint (`ws://` or `http://`; no TLS required).
	pub async fn connect(url: &str) -> Result<Self> {
		let rpc = RpcClient::from_insecure_url(url)
			.await
			.with_context(|| format!("connecting to {url}"))?;
		let api = OnlineClient::<Config>::from_rpc_client(rpc.clone()).await?;
		Ok(Self { api, rpc })
	}

	/// The underlying subxt client.
	pub fn api(&self) -> &OnlineClient<Config> {
		&self.api
	}

	/// The raw JSON-RPC client.
	pub fn rpc(&self) -> &RpcClient {
		&self.rpc
	}

	/// A client at the best block (what a transaction waited for with [`Wait::InBlock`] sees).
	pub async fn best(&self) -> Result<AtBlock> {
		let hash: H256 = self.rpc.request("chain_getBlockHash", rpc_params![]).await?;
		Ok(self.api.at_block(hash).await?)
	}

	/// A client at the latest finalized block.
	pub async fn finalized(&self) -> Result<AtBlock> {
		Ok(self.api.at_current_block().await?)
	}

	/// A client at block `hash`.
	pub async fn at(&self, hash: H256) -> Result<AtBlock> {
		Ok(self.api.at_block(hash).await?)
	}

	/// The number of the best block (`finalized = false`) or of the finalized block.
	pub async fn block_number(&self, finalized: bool) -> Result<u32> {
		let hash: H256 = if finalized {
			self.rpc.request("chain_getFinalizedHead", rpc_params![]).await?
		} else {
			self.rpc.request("chain_getBlockHash", rpc_params![]).await?
		};
		let header: serde_json_header::Header =
			self.rpc.request("chain_getHeader", rpc_params![hash]).await?;
		u32::from_str_radix(header.number.trim_start_matches("0x"), 16).context("block number")
	}

	/// Signs `tx` with `signer`, submits it and waits as `wait` says. `Ok(Ok(included))` when
	/// it succeeded, `Ok(Err(failed))` when it was included but failed in the runtime (the error
	/// names the pallet error), `Err` when it never made it (invalid, dropped, timed out).
	pub async fn submit<P: Payload>(
		&self,
		tx: &P,
		signer: &subxt_signer::sr25519::Keypair,
		wait: Wait,
	) -> Result<std::result::Result<Included, Failed>> {
		// Signed at the best block: its nonce counts this signer's transactions that are in a
		// block but not yet final.
		let progress = self
			.best()
			.await?
			.transactions()
			.sign_and_submit_then_watch_default(tx, signer)
			.await?;
		Self::watch(progress, wait).await
	}

	/// Submits `tx` as a *general* transaction: no account, no signature, no nonce and no fee.
	/// For calls that authorize themselves (`#[pallet::authorize]`), such as
	/// `Minting::report_uptime` and `Capacity::report_usage`, whose signature is inside the
	/// call. Waits like [`Self::submit`]; a call that does not authorize is refused by the node
	/// (`Err`).
	pub async fn submit_authorized<P: Payload>(
		&self,
		tx: &P,
		wait: Wait,
	) -> Result<std::result::Result<Included, Failed>> {
		let bytes = self.authorized_transaction(tx).await?;
		self.submit_encoded(bytes, wait).await
	}

	/// The bytes of `tx` as a general transaction, as [`Self::submit_authorized`] sends it:
	/// mortal for [`AUTHORIZED_MORTALITY`] blocks from the best block. A sender that journals
	/// them can send exactly the same transaction again after a crash
	/// ([`Self::submit_encoded`]): it lands at most once.
	pub async fn authorized_transaction<P: Payload>(&self, tx: &P) -> Result<Vec<u8>> {
		let at = self.best().await?;
		// Mortal from the best block: a transaction that has not landed within
		// `AUTHORIZED_MORTALITY` blocks never will, so a sender can tell a lost one.
		let params = subxt::config::DefaultExtrinsicParamsBuilder::<Config>::new()
			.mortal_from_unchecked(AUTHORIZED_MORTALITY, at.block_number(), at.block_hash())
			.build();
		let mut general = at.transactions().create_v5_signable_offline(tx, params)?;
		// The runtime has no signature extension, so these are not part of the transaction;
		// subxt's builder asks for them all the same.
		let nobody = AccountId32([0; 32]);
		let no_signature = subxt::utils::MultiSignature::Sr25519([0; 64]);
		Ok(general.sign_with_account_and_signature(&nobody, &no_signature)?.into_encoded())
	}

	/// Submits an encoded transaction and waits as [`Self::submit`] does.
	pub async fn submit_encoded(
		&self,
		bytes: Vec<u8>,
		wait: Wait,
	) -> Result<std::result::Result<Included, Failed>> {
		let progress =
			self.best().await?.transactions().from_bytes(bytes).submit_and_watch().await?;
		Self::watch(progress, wait).await
	}

	async fn watch(
		progress: Progress,
		wait: Wait,
	) -> Result<std::result::Result<Included, Failed>> {
		Self::watch_with(progress, wait, |_| {}).await
	}

	/// Submits a transaction built and signed by the caller (`SubmittableTransaction`) and
	/// waits as `wait` says, telling `on_stage` when it is in a block and when that block is
	/// final: for programs that show progress.
	pub async fn submit_signed_with(
		&self,
		tx: &subxt::transactions::SubmittableTransaction<Config, OnlineClientAtBlockImpl<Config>>,
		wait: Wait,
		on_stage: impl FnMut(Stage),
	) -> Result<std::result::Result<Included, Failed>> {
		let progress = tx.submit_and_watch().await?;
		Self::watch_with(progress, wait, on_stage).await
	}

	async fn watch_with(
		mut progress: Progress,
		wait: Wait,
		mut on_stage: impl FnMut(Stage),
	) -> Result<std::result::Result<Included, Failed>> {
		let in_block = tokio::time::timeout(SUBMIT_TIMEOUT, async {
			while let Some(status) = progress.next().await {
				match status? {
					TransactionStatus::InBestBlock(b) => {
						on_stage(Stage::InBlock(b.block_hash()));
						if wait == Wait::InBlock {
							return Ok(b);
						}
					},
					TransactionStatus::InFinalizedBlock(b) => {
						on_stage(Stage::Finalized(b.block_hash()));
						return Ok(b);
					},
					TransactionStatus::NoLongerInBestBlock => on_stage(Stage::Retracted),
					TransactionStatus::Invalid { message } => {
						bail!("invalid transaction: {message}")
					},
					TransactionStatus::Dropped { message } => {
						bail!("transaction dropped: {message}")
					},
					TransactionStatus::Error { message } => bail!("transaction error: {message}"),
					_ => continue,
				}
			}
			bail!("the node closed the transaction's status stream")
		})
		.await
		.map_err(|_| anyhow!("transaction not {wait:?} within {SUBMIT_TIMEOUT:?}"))??;
		let block = in_block.block_hash();
		match in_block.wait_for_success().await {
			Ok(events) => Ok(Ok(Included { events, block })),
			Err(TransactionEventsError::ExtrinsicFailed(error)) => {
				let (error, docs) = describe(&error);
				Ok(Err(Failed { error, docs, block }))
			},
			Err(other) => Err(other.into()),
		}
	}

	/// [`Self::submit`], treating a runtime failure as an error too.
	pub async fn submit_ok<P: Payload>(
		&self,
		tx: &P,
		signer: &subxt_signer::sr25519::Keypair,
		wait: Wait,
	) -> Result<Included> {
		Ok(self.submit(tx, signer, wait).await??)
	}

	/// Calls a pallet view function at the best block and decodes its result.
	///
	/// subxt 0.50 (frame-decode 0.18) sends the arguments right after the view function's
	/// 32-byte id and decodes the answer as the bare output, but the 2609 runtime API
	/// `RuntimeViewFunction_execute_view_function` takes `(id, input: Vec<u8>)` and answers
	/// `Result<Vec<u8>, ViewFunctionDispatchError>`. This encodes and decodes both as the
	/// runtime does, then decodes the output with its type from the metadata.
	pub async fn view<P: subxt::view_functions::Payload>(
		&self,
		payload: P,
	) -> Result<P::ReturnType> {
		view_at(&self.best().await?, payload).await
	}

	/// Sets where the node's price oracle worker fetches the TFT price, as
	/// `grid-node --tft-price-source <source> --tft-price-json-path <json_path>` does at start:
	/// an `http(s)://` URL answering JSON with the USD price at `json_path`, or
	/// `fixed:<USD>`. Writes the node's offchain storage with `offchain_localStorageSet`, an
	/// unsafe RPC method (served on a local RPC port, or with `--rpc-methods unsafe`). The
	/// worker uses it from its next window.
	pub async fn set_tft_price_source(&self, source: &str, json_path: &str) -> Result<()> {
		fn hex(bytes: &[u8]) -> String {
			bytes.iter().fold("0x".to_string(), |s, b| s + &format!("{b:02x}"))
		}
		for (key, value) in [(PRICE_SOURCE_KEY, source), (PRICE_JSON_PATH_KEY, json_path)] {
			let params = rpc_params!["PERSISTENT", hex(key), hex(value.as_bytes())];
			let () = self.rpc.request("offchain_localStorageSet", params).await?;
		}
		Ok(())
	}

	/// Watches the best chain from block `from` on for an event `E` that `matches`, for at most
	/// `within`, and returns the block's number and hash with the event. For what the runtime
	/// does by itself (billing's charges, grace, contracts ending), which no transaction awaits.
	pub async fn wait_for_event<E: subxt::events::DecodeAsEvent>(
		&self,
		from: u32,
		within: Duration,
		mut matches: impl FnMut(&E) -> bool,
	) -> Result<(u32, H256, E)> {
		let deadline = tokio::time::Instant::now() + within;
		let mut next = from;
		loop {
			let best = self.block_number(false).await?;
			while next <= best {
				let hash: H256 = self.rpc.request("chain_getBlockHash", rpc_params![next]).await?;
				for event in self.at(hash).await?.events().fetch().await?.find::<E>() {
					let event = event?;
					if matches(&event) {
						return Ok((next, hash, event));
					}
				}
				next += 1;
			}
			if tokio::time::Instant::now() >= deadline {
				bail!(
					"no matching {} in blocks {from}..={best} within {within:?}",
					std::any::type_name::<E>()
				);
			}
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}

	/// The free balance of `who` at the best block (0 for an account that does not exist).
	pub async fn free_balance(&self, who: &AccountId32) -> Result<u128> {
		let at = self.best().await?;
		free_balance_at(&at, who).await
	}
}

/// The free balance of `who` at a given block.
pub async fn free_balance_at(at: &AtBlock, who: &AccountId32) -> Result<u128> {
	let entry = at.storage().entry(grid::storage().system().account())?;
	Ok(entry.fetch((*who,)).await?.decode()?.data.free)
}

/// Calls a pallet view function at block `at` (see [`GridClient::view`]).
pub async fn view_at<P: subxt::view_functions::Payload>(
	at: &AtBlock,
	payload: P,
) -> Result<P::ReturnType> {
	use subxt::ext::scale_decode::DecodeAsType;
	let functions = at.view_functions();
	let encoded = functions.encode_args(&payload)?;
	let (id, args) = encoded.split_at(32.min(encoded.len()));
	let bytes = functions.call_raw(Some(&view_input(id, args))).await?;
	let output = unwrap_view_output(&bytes)?;
	let metadata = at.metadata_ref();
	let output_ty = metadata
		.pallet_by_name(payload.pallet_name())
		.and_then(|p| p.view_function_by_name(payload.function_name()))
		.map(|f| f.output_ty())
		.ok_or_else(|| {
			anyhow!("no view function {}.{}", payload.pallet_name(), payload.function_name())
		})?;
	Ok(P::ReturnType::decode_as_type(&mut &output[..], output_ty, metadata.types())?)
}

/// `Pallet::Error` for a pallet error, else the dispatch error's variant (`BadOrigin`,
/// `Token(BelowMinimum)`, …), with the pallet error's documentation.
fn describe(error: &DispatchError) -> (String, String) {
	match error {
		DispatchError::Module(module) => {
			let docs = module.details().map(|d| d.variant.docs.join(" ")).unwrap_or_default();
			(module.details_string(), docs.trim().to_string())
		},
		other => (format!("{other:?}"), String::new()),
	}
}

/// The runtime API's input: the 32-byte id, then the arguments as a length-prefixed `Vec<u8>`.
fn view_input(id: &[u8], args: &[u8]) -> Vec<u8> {
	let mut input = id.to_vec();
	args.to_vec().encode_to(&mut input);
	input
}

/// The view function's encoded output, from the runtime API's
/// `Result<Vec<u8>, ViewFunctionDispatchError>`.
fn unwrap_view_output(bytes: &[u8]) -> Result<Vec<u8>> {
	let output: std::result::Result<Vec<u8>, ViewDispatchError> = Decode::decode(&mut &bytes[..])?;
	output.map_err(|e| anyhow!("view function failed: {e:?}"))
}

/// Why the runtime refused a view function call (`ViewFunctionDispatchError`).
#[derive(Debug, Decode, PartialEq, Eq)]
pub enum ViewDispatchError {
	NotImplemented,
	NotFound([u8; 32]),
	Codec,
}

mod serde_json_header {
	/// The part of a block header the client reads.
	#[derive(serde::Deserialize)]
	pub struct Header {
		pub number: String,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn view_input_is_the_id_then_length_prefixed_arguments() {
		let id = [7u8; 32];
		let input = view_input(&id, &[1, 2, 3]);
		assert_eq!(&input[..32], &id);
		// compact(3) = 0x0c
		assert_eq!(&input[32..], &[0x0c, 1, 2, 3]);
		assert_eq!(<([u8; 32], Vec<u8>)>::decode(&mut &input[..]).unwrap(), (id, vec![1, 2, 3]));
	}

	#[test]
	fn view_output_is_unwrapped() {
		let ok: std::result::Result<Vec<u8>, ()> = Ok(Some(5u32).encode());
		assert_eq!(unwrap_view_output(&ok.encode()).unwrap(), Some(5u32).encode());
		// Err(NotFound(id)): variant 1, then the id.
		let mut not_found = vec![1u8, 1];
		not_found.extend([9u8; 32]);
		let err = unwrap_view_output(&not_found).unwrap_err();
		assert!(err.to_string().contains("NotFound"), "{err}");
	}
}
