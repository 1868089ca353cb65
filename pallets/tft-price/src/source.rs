//! Where a node's offchain worker reads the price, and how an answer becomes mUSD: pure
//! functions, so every bad answer is a unit test.
//!
//! A node's source is two texts in its offchain local storage (set by `grid-node
//! --tft-price-source … --tft-price-json-path …`, or over RPC with `offchain_localStorageSet`):
//! - [`SOURCE_KEY`]: an `http://` or `https://` URL answering JSON, or `fixed:<USD>` (a price
//!   the node feeds without any network: dev chains);
//! - [`JSON_PATH_KEY`]: where the price is in the JSON answer, as dot-separated keys (a number
//!   selects an array element): `price`, `data.tft.usd`, `0.price`. Empty: the whole answer.
//!
//! The price found there is in **USD per TFT**, a JSON number or a string holding one
//! (`0.0421`, `"0.0421"`, `4.21e-2`); it is converted to mUSD exactly, rounded half up.

use alloc::{
	string::{String, ToString},
	vec::Vec,
};
use grid_primitives::money::MusdPerTft;
use serde_json::Value;

/// Offchain local storage key of the source (UTF-8).
pub const SOURCE_KEY: &[u8] = b"tft-price::source";
/// Offchain local storage key of the JSON path (UTF-8).
pub const JSON_PATH_KEY: &[u8] = b"tft-price::json-path";
/// The most bytes of an answer the worker reads.
pub const MAX_BODY: usize = 64 * 1024;

/// A node's configured source.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum PriceSource {
	/// Fetch this URL and read the price at `path`.
	Http {
		/// The `http://` or `https://` URL to fetch.
		url: String,
		/// Dot-separated keys to the price in the JSON answer; empty for the whole answer.
		path: String,
	},
	/// Feed this price.
	Fixed(MusdPerTft),
}

/// Why no price came out of a source. Each is logged; nothing is submitted.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SourceError {
	/// No source is configured on this node.
	NoSource,
	/// The source is neither an HTTP(S) URL nor `fixed:<USD>`, or is not UTF-8.
	BadSource,
	/// The request failed or its deadline passed.
	Http(&'static str),
	/// The server answered with this status.
	Status(u16),
	/// The answer is longer than [`MAX_BODY`].
	TooLarge,
	/// The answer is not JSON.
	MalformedJson,
	/// Nothing is at the JSON path.
	MissingField,
	/// What is there is not a decimal number.
	NotANumber,
	/// The number is negative.
	Negative,
	/// The number rounds to 0 mUSD: not a price.
	Zero,
	/// The number is more mUSD than a price can hold.
	Huge,
}

impl core::fmt::Display for SourceError {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		match self {
			Self::NoSource => write!(f, "no price source configured (--tft-price-source)"),
			Self::BadSource => write!(f, "the source is neither an http(s):// URL nor fixed:<USD>"),
			Self::Http(why) => write!(f, "HTTP: {why}"),
			Self::Status(code) => write!(f, "the server answered HTTP {code}"),
			Self::TooLarge => write!(f, "the answer is longer than {MAX_BODY} bytes"),
			Self::MalformedJson => write!(f, "the answer is not JSON"),
			Self::MissingField => write!(f, "nothing at the JSON path"),
			Self::NotANumber => write!(f, "the value is not a decimal number"),
			Self::Negative => write!(f, "the price is negative"),
			Self::Zero => write!(f, "the price rounds to 0 mUSD"),
			Self::Huge => write!(f, "the price is too large"),
		}
	}
}

impl PriceSource {
	/// Reads the stored texts: `source` (required) and `path` (may be empty).
	pub fn parse(source: &[u8], path: &[u8]) -> Result<Self, SourceError> {
		let source = core::str::from_utf8(source).map_err(|_| SourceError::BadSource)?.trim();
		let path = core::str::from_utf8(path).map_err(|_| SourceError::BadSource)?.trim();
		if let Some(usd) = source.strip_prefix("fixed:") {
			return parse_usd(usd).map(Self::Fixed);
		}
		if source.starts_with("http://") || source.starts_with("https://") {
			return Ok(Self::Http { url: source.into(), path: path.into() });
		}
		Err(SourceError::BadSource)
	}
}

/// The price at `path` in a JSON answer.
pub fn price_in_json(body: &[u8], path: &str) -> Result<MusdPerTft, SourceError> {
	let root: Value = serde_json::from_slice(body).map_err(|_| SourceError::MalformedJson)?;
	let mut at = &root;
	for key in path.split('.').filter(|k| !k.is_empty()) {
		let next = match at {
			Value::Object(map) => map.get(key),
			Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
			_ => None,
		};
		at = next.ok_or(SourceError::MissingField)?;
	}
	match at {
		Value::Number(n) => parse_usd(&n.to_string()),
		Value::String(s) => parse_usd(s),
		Value::Null => Err(SourceError::MissingField),
		_ => Err(SourceError::NotANumber),
	}
}

/// A decimal USD amount (`12`, `0.0421`, `4.21e-2`) in mUSD, rounded half up, exactly (no
/// floating point).
pub fn parse_usd(text: &str) -> Result<MusdPerTft, SourceError> {
	let text = text.trim();
	if text.starts_with('-') {
		return Err(SourceError::Negative);
	}
	let (mantissa, exponent) = match text.find(['e', 'E']) {
		Some(i) => {
			let (mantissa, exponent) = text.split_at(i);
			let exponent = exponent.get(1..).ok_or(SourceError::NotANumber)?;
			(mantissa, exponent.parse::<i32>().map_err(|_| SourceError::NotANumber)?)
		},
		None => (text, 0),
	};
	let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
	let digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
	if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
		return Err(SourceError::NotANumber);
	}
	// value = digits · 10^(exponent − |frac|), in mUSD: · 10^3.
	let shift = i64::from(exponent).saturating_sub(frac.len() as i64).saturating_add(3);
	let significant: Vec<u8> = digits.into_iter().skip_while(|d| *d == b'0').collect();
	if significant.is_empty() {
		return Err(SourceError::Zero);
	}
	// 10 digits exceed u32 once the shift is not negative; a mantissa past 38 digits is huge
	// or, with a very negative shift, rounds to a tiny value.
	let magnitude = (significant.len() as i64).saturating_add(shift);
	if magnitude > 10 {
		return Err(SourceError::Huge);
	}
	if magnitude < 0 {
		return Err(SourceError::Zero);
	}
	// Keep the digits that land at or above 1 mUSD plus one for rounding.
	// 0 ≤ magnitude ≤ 10: at most 11 decimal digits, far below u128's 38.
	let keep = magnitude.saturating_add(1) as usize;
	let mut value: u128 = 0;
	for d in significant.iter().take(keep) {
		value = value.saturating_mul(10).saturating_add(u128::from(d.saturating_sub(b'0')));
	}
	for _ in significant.len()..keep {
		value = value.saturating_mul(10);
	}
	let rounded = value.saturating_add(5) / 10;
	match u32::try_from(rounded) {
		Ok(0) => Err(SourceError::Zero),
		Ok(musd) => Ok(MusdPerTft(musd)),
		Err(_) => Err(SourceError::Huge),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn decimal_usd_becomes_musd_rounded_half_up() {
		let ok = |s: &str| parse_usd(s).map(|p| p.0);
		assert_eq!(ok("0.05"), Ok(50));
		assert_eq!(ok("0.0421"), Ok(42));
		assert_eq!(ok("0.0425"), Ok(43));
		assert_eq!(ok("0.04249999"), Ok(42));
		assert_eq!(ok("12"), Ok(12_000));
		assert_eq!(ok("4.21e-2"), Ok(42));
		assert_eq!(ok("4.21E1"), Ok(42_100));
		assert_eq!(ok(" 0.001 "), Ok(1));
		assert_eq!(ok("0.0005"), Ok(1));
		assert_eq!(ok("4294967.295"), Ok(u32::MAX));
		assert_eq!(ok("007.5"), Ok(7_500));
		assert_eq!(ok("0.0004"), Err(SourceError::Zero));
		assert_eq!(ok("0"), Err(SourceError::Zero));
		assert_eq!(ok("1e-300"), Err(SourceError::Zero));
		assert_eq!(ok("4294967.296"), Err(SourceError::Huge));
		assert_eq!(ok("1e300"), Err(SourceError::Huge));
		assert_eq!(ok("99999999999999999999999999999999999999999"), Err(SourceError::Huge));
		assert_eq!(ok("-0.05"), Err(SourceError::Negative));
		for bad in ["", ".", "abc", "0.0x", "1e", "1e+-2", "NaN", "Infinity", "1,5", "+1"] {
			assert_eq!(ok(bad), Err(SourceError::NotANumber), "{bad:?}");
		}
	}

	#[test]
	fn the_price_is_read_at_its_json_path() {
		let body = br#"{"data":{"tft":{"usd":0.0421,"text":"0.05","flag":true,"none":null}},
			"list":[{"price":"0.06"}],"neg":-0.01,"big":1e30}"#;
		let at = |path: &str| price_in_json(body, path).map(|p| p.0);
		assert_eq!(at("data.tft.usd"), Ok(42));
		assert_eq!(at("data.tft.text"), Ok(50));
		assert_eq!(at("list.0.price"), Ok(60));
		assert_eq!(at("data.tft.eur"), Err(SourceError::MissingField));
		assert_eq!(at("list.1.price"), Err(SourceError::MissingField));
		assert_eq!(at("data.tft.none"), Err(SourceError::MissingField));
		assert_eq!(at("data.tft.flag"), Err(SourceError::NotANumber));
		assert_eq!(at("data"), Err(SourceError::NotANumber));
		assert_eq!(at("neg"), Err(SourceError::Negative));
		assert_eq!(at("big"), Err(SourceError::Huge));
		assert_eq!(price_in_json(b"0.07", "").map(|p| p.0), Ok(70));
		assert_eq!(price_in_json(b"{\"price\": 0.1", "price"), Err(SourceError::MalformedJson));
		assert_eq!(price_in_json(b"<html>", "price"), Err(SourceError::MalformedJson));
	}

	#[test]
	fn sources_are_urls_or_fixed_prices() {
		assert_eq!(
			PriceSource::parse(b" https://x.test/p ", b"a.b"),
			Ok(PriceSource::Http { url: "https://x.test/p".into(), path: "a.b".into() })
		);
		assert_eq!(PriceSource::parse(b"fixed:0.05", b""), Ok(PriceSource::Fixed(MusdPerTft(50))));
		assert_eq!(PriceSource::parse(b"fixed:-1", b""), Err(SourceError::Negative));
		assert_eq!(PriceSource::parse(b"ftp://x", b""), Err(SourceError::BadSource));
		assert_eq!(PriceSource::parse(&[0xff], b""), Err(SourceError::BadSource));
	}
}
