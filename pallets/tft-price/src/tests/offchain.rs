//! The offchain worker against HTTP answers (the offchain test externalities): a valid answer
//! is submitted once per window, signed by the node's feeder key; every bad answer is logged
//! and nothing is submitted.

use super::*;
use crate::{source::*, KEY_TYPE};
use codec::Decode;
use frame::deps::{
	sp_core::offchain::{
		testing::{PendingRequest, TestOffchainExt, TestTransactionPoolExt},
		Externalities, HttpError, HttpRequestId, HttpRequestStatus, OffchainDbExt,
		OffchainWorkerExt, OpaqueNetworkState, StorageKind, Timestamp as OcwTime,
		TransactionPoolExt,
	},
	sp_core::OpaquePeerId,
	sp_runtime::traits::Verify,
};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};

const URL: &str = "http://127.0.0.1:8089/price";

/// The offchain test externalities, with an answer that never comes when `timeout`.
#[derive(Clone)]
struct Http {
	inner: TestOffchainExt,
	timeout: bool,
}

impl Externalities for Http {
	fn is_validator(&self) -> bool {
		self.inner.is_validator()
	}
	fn network_state(&self) -> Result<OpaqueNetworkState, ()> {
		self.inner.network_state()
	}
	fn timestamp(&mut self) -> OcwTime {
		self.inner.timestamp()
	}
	fn sleep_until(&mut self, deadline: OcwTime) {
		self.inner.sleep_until(deadline)
	}
	fn random_seed(&mut self) -> [u8; 32] {
		self.inner.random_seed()
	}
	fn http_request_start(&mut self, m: &str, uri: &str, meta: &[u8]) -> Result<HttpRequestId, ()> {
		self.inner.http_request_start(m, uri, meta)
	}
	fn http_request_add_header(&mut self, id: HttpRequestId, n: &str, v: &str) -> Result<(), ()> {
		self.inner.http_request_add_header(id, n, v)
	}
	fn http_request_write_body(
		&mut self,
		id: HttpRequestId,
		chunk: &[u8],
		deadline: Option<OcwTime>,
	) -> Result<(), HttpError> {
		self.inner.http_request_write_body(id, chunk, deadline)
	}
	fn http_response_wait(
		&mut self,
		ids: &[HttpRequestId],
		deadline: Option<OcwTime>,
	) -> Vec<HttpRequestStatus> {
		if self.timeout {
			return ids.iter().map(|_| HttpRequestStatus::DeadlineReached).collect();
		}
		self.inner.http_response_wait(ids, deadline)
	}
	fn http_response_headers(&mut self, id: HttpRequestId) -> Vec<(Vec<u8>, Vec<u8>)> {
		self.inner.http_response_headers(id)
	}
	fn http_response_read_body(
		&mut self,
		id: HttpRequestId,
		buffer: &mut [u8],
		deadline: Option<OcwTime>,
	) -> Result<usize, HttpError> {
		self.inner.http_response_read_body(id, buffer, deadline)
	}
	fn set_authorized_nodes(&mut self, nodes: Vec<OpaquePeerId>, authorized_only: bool) {
		self.inner.set_authorized_nodes(nodes, authorized_only)
	}
}

/// A node whose keystore holds `keys` (dev seeds) under `tfpr`, with the source configured
/// (`None`: no source) and the HTTP server answering `answer` (`None`: no request expected).
struct Node {
	ext: TestState,
	/// Takes the transactions the worker put in the pool.
	take: Box<dyn FnMut() -> Vec<Vec<u8>>>,
}

fn node(keys: &[&str], source: Option<(&str, &str)>, answer: Option<&[u8]>, timeout: bool) -> Node {
	let (offchain, state) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	let keystore = MemoryKeystore::new();
	for name in keys {
		keystore.sr25519_generate_new(KEY_TYPE, Some(&format!("//{name}"))).unwrap();
	}
	if let Some(body) = answer {
		state.write().expect_request(PendingRequest {
			method: "GET".into(),
			uri: URL.into(),
			headers: vec![("Accept".into(), "application/json".into())],
			response: Some(body.to_vec()),
			sent: true,
			..Default::default()
		});
	}
	let mut ext = new_test_ext();
	ext.register_extension(OffchainWorkerExt::new(Http { inner: offchain.clone(), timeout }));
	ext.register_extension(OffchainDbExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(KeystoreExt::new(keystore));
	ext.execute_with(|| {
		if let Some((source, path)) = source {
			sp_io::offchain::local_storage_set(
				StorageKind::PERSISTENT,
				SOURCE_KEY,
				source.as_bytes(),
			);
			sp_io::offchain::local_storage_set(
				StorageKind::PERSISTENT,
				JSON_PATH_KEY,
				path.as_bytes(),
			);
		}
		run_to(4);
	});
	Node { ext, take: Box::new(move || std::mem::take(&mut pool_state.write().transactions)) }
}

impl Node {
	/// Runs the worker of the current block (4 unless moved) and returns the submissions it
	/// put in the pool, each checked as the pool would (signature included).
	fn work(&mut self) -> Vec<PriceSubmission<AccountId>> {
		self.ext.execute_with(|| {
			TftPrice::offchain_worker(System::block_number());
			(self.take)()
				.into_iter()
				.map(|tx| {
					let xt = Extrinsic::decode(&mut &tx[..]).expect("an extrinsic");
					let RuntimeCall::TftPrice(Call::submit_price { submission, signature }) =
						xt.function
					else {
						panic!("not a price submission: {:?}", xt.function)
					};
					assert!(signature
						.verify(&TftPrice::signing_payload(&submission)[..], &submission.feeder));
					assert_eq!(pool(&submission, &name_of(&submission.feeder)), Ok(()));
					submission
				})
				.collect()
		})
	}
}

fn name_of(who: &AccountId) -> String {
	(1..=5).find(|i| f(*i) == *who).map(|i| format!("Feeder{i}")).expect("a feeder")
}

fn http(answer: &[u8]) -> Vec<PriceSubmission<AccountId>> {
	node(&["Feeder1"], Some((URL, "data.tft.usd")), Some(answer), false).work()
}

#[test]
fn a_valid_answer_is_submitted_for_the_next_block_s_window() {
	let sent = http(br#"{"data":{"tft":{"usd":0.0421}}}"#);
	assert_eq!(
		sent,
		vec![PriceSubmission { feeder: f(1), window: 0, price: MusdPerTft(42), observed_at: 4 }]
	);
	// A price as a string is read too.
	assert_eq!(http(br#"{"data":{"tft":{"usd":"0.05"}}}"#)[0].price, MusdPerTft(50));
}

#[test]
fn bad_answers_submit_nothing() {
	for (answer, why) in [
		(&br#"{"data":{"tft":{"usd":0.04"#[..], SourceError::MalformedJson),
		(br#"{"data":{"tft":{"eur":0.04}}}"#, SourceError::MissingField),
		(br#"{"data":{"tft":{"usd":"cheap"}}}"#, SourceError::NotANumber),
		(br#"{"data":{"tft":{"usd":-0.04}}}"#, SourceError::Negative),
		(br#"{"data":{"tft":{"usd":1e12}}}"#, SourceError::Huge),
		(br#"{"data":{"tft":{"usd":0}}}"#, SourceError::Zero),
	] {
		assert_eq!(price_in_json(answer, "data.tft.usd"), Err(why.clone()));
		assert_eq!(http(answer), vec![], "{why:?}");
	}
	// Parsed, but above the accepted range (100 $ per TFT): refused before submitting.
	assert_eq!(http(br#"{"data":{"tft":{"usd":100.001}}}"#), vec![]);
}

#[test]
fn a_timeout_or_a_huge_answer_submits_nothing() {
	let mut n = node(&["Feeder1"], Some((URL, "p")), Some(br#"{"p":0.05}"#), true);
	n.ext.execute_with(|| {
		assert_eq!(TftPrice::fetch_price(), Err(SourceError::Http("deadline passed")));
	});
	let mut n = node(&["Feeder1"], Some((URL, "p")), Some(br#"{"p":0.05}"#), true);
	assert_eq!(n.work(), vec![]);
	// An answer longer than 64 KiB is not read to its end.
	let mut huge = br#"{"p":0.05}"#.to_vec();
	huge.resize(MAX_BODY + 1, b' ');
	let mut n = node(&["Feeder1"], Some((URL, "p")), Some(&huge), false);
	n.ext
		.execute_with(|| assert_eq!(TftPrice::fetch_price(), Err(SourceError::TooLarge)));
	huge.truncate(MAX_BODY);
	assert_eq!(node(&["Feeder1"], Some((URL, "p")), Some(&huge), false).work().len(), 1);
}

#[test]
fn a_node_without_a_source_or_a_feeder_key_submits_nothing() {
	// No source configured: nothing fetched, nothing submitted.
	assert_eq!(node(&["Feeder1"], None, None, false).work(), vec![]);
	// A key that is not a feeder's: the worker does not even fetch.
	assert_eq!(node(&["Stranger"], Some((URL, "p")), None, false).work(), vec![]);
	// A source that is neither a URL nor a fixed price.
	assert_eq!(node(&["Feeder1"], Some(("ftp://x", "")), None, false).work(), vec![]);
}

#[test]
fn a_fixed_source_feeds_without_network_once_per_window_for_each_key() {
	let mut n = node(&["Feeder1", "Feeder3", "Stranger"], Some(("fixed:0.05", "")), None, false);
	let sent = n.work();
	let mut feeders: Vec<_> = sent.iter().map(|s| (s.feeder.clone(), s.price)).collect();
	feeders.sort();
	let mut expected = vec![(f(1), MusdPerTft(50)), (f(3), MusdPerTft(50))];
	expected.sort();
	assert_eq!(feeders, expected);
	// The worker of the next block (same window) does not submit again.
	n.ext.execute_with(|| run_to(5));
	assert_eq!(n.work(), vec![]);
}

#[test]
fn the_worker_feeds_the_window_a_new_length_opens() {
	let mut n = node(&["Feeder1"], Some(("fixed:0.05", "")), None, false);
	n.ext.execute_with(|| run_to(104));
	assert_eq!(n.work().iter().map(|s| s.window).collect::<Vec<_>>(), vec![10]);
	// 50-block windows from block 104: window 11 opens; the worker feeds it, once.
	let params = PriceParams { window_blocks: 50, ..PARAMS };
	n.ext.execute_with(|| {
		assert_ok!(TftPrice::set_params(gov(), params));
	});
	assert_eq!(n.work().iter().map(|s| s.window).collect::<Vec<_>>(), vec![11]);
	assert_eq!(n.work(), vec![]);
}
