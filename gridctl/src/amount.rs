//! Amounts as people type and read them: TFT with 7 decimals, planck (10⁻⁷ TFT) only when
//! asked for, and USD from the chain's milli-USD.

use std::fmt;

/// Planck in one TFT (the chain's 7 decimals).
pub const PLANCK_PER_TFT: u128 = 10_000_000;
/// The chain's decimals.
pub const DECIMALS: usize = 7;

/// A TFT amount in planck.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tft(pub u128);

/// Why an amount was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum AmountError {
	/// Nothing, or something that is not a number.
	NotANumber(String),
	/// More decimals than the chain's 7.
	TooManyDecimals(String),
	/// Larger than any balance can be.
	TooLarge(String),
	/// A planck amount with a fraction or a unit.
	PlanckNotWhole(String),
}

impl fmt::Display for AmountError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			AmountError::NotANumber(s) => {
				write!(f, "`{s}` is not an amount: write TFT like `1.5`, `1.5TFT` or `20 TFT`")
			},
			AmountError::TooManyDecimals(s) => write!(
				f,
				"`{s}` has more than {DECIMALS} decimals: TFT has {DECIMALS} (1 planck = 0.0000001 TFT)"
			),
			AmountError::TooLarge(s) => write!(f, "`{s}` is larger than any balance"),
			AmountError::PlanckNotWhole(s) => {
				write!(f, "`{s}` is not a whole number of planck (--planck takes integers)")
			},
		}
	}
}

impl std::error::Error for AmountError {}

impl Tft {
	/// Parses what a person typed: `1.5`, `1.5TFT`, `20 tft`, `0.0000001`. With `planck`, the
	/// text is a whole number of planck instead (`15000000`).
	pub fn parse(text: &str, planck: bool) -> Result<Tft, AmountError> {
		let trimmed = text.trim();
		if planck {
			return trimmed
				.parse::<u128>()
				.map(Tft)
				.map_err(|_| AmountError::PlanckNotWhole(text.to_string()));
		}
		let lower = trimmed.to_ascii_lowercase();
		let number = lower.strip_suffix("tft").unwrap_or(&lower).trim_end();
		let not_a_number = || AmountError::NotANumber(text.to_string());
		let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
		let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
		if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
			return Err(not_a_number());
		}
		if fraction.len() > DECIMALS {
			return Err(AmountError::TooManyDecimals(text.to_string()));
		}
		let too_large = || AmountError::TooLarge(text.to_string());
		let whole: u128 =
			if whole.is_empty() { 0 } else { whole.parse().map_err(|_| too_large())? };
		let padded = format!("{fraction:0<DECIMALS$}");
		let fraction: u128 = padded.parse().map_err(|_| not_a_number())?;
		whole
			.checked_mul(PLANCK_PER_TFT)
			.and_then(|p| p.checked_add(fraction))
			.map(Tft)
			.ok_or_else(too_large)
	}

	/// Exactly, with every decimal that is not zero: `1.5 TFT`, `0.0000001 TFT`, `12 TFT`.
	pub fn exact(self) -> String {
		let whole = self.0 / PLANCK_PER_TFT;
		let fraction = self.0 % PLANCK_PER_TFT;
		if fraction == 0 {
			return format!("{} TFT", group(whole));
		}
		let digits = format!("{fraction:0DECIMALS$}");
		format!("{}.{} TFT", group(whole), digits.trim_end_matches('0'))
	}
}

/// People read amounts exactly: nothing is rounded away.
impl fmt::Display for Tft {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(&self.exact())
	}
}

/// `1234567` → `1,234,567`.
fn group(n: u128) -> String {
	let digits = n.to_string();
	let mut out = String::with_capacity(digits.len() + digits.len() / 3);
	for (i, c) in digits.chars().enumerate() {
		if i > 0 && (digits.len() - i).is_multiple_of(3) {
			out.push(',');
		}
		out.push(c);
	}
	out
}

/// Milli-USD (the chain's `Musd`, 1/1000 USD) as `$0.080`, `$1,234.500`.
pub fn usd(musd: impl Into<u64>) -> String {
	usd_micro(u128::from(musd.into()).saturating_mul(1000))
}

/// Micro-USD (the chain's `MicroUsd`) exactly, with at least three decimals: `$0.080`,
/// `$12.345678`.
pub fn usd_micro(micro: impl Into<u128>) -> String {
	let micro: u128 = micro.into();
	let fraction = format!("{:06}", micro % 1_000_000);
	let trimmed = fraction.trim_end_matches('0');
	let decimals = if trimmed.len() < 3 { &fraction[..3] } else { trimmed };
	format!("${}.{decimals}", group(micro / 1_000_000))
}

/// A number of bytes as people read capacity: `4 GiB`, `1.5 TiB`, `512 MiB`.
pub fn bytes(n: u64) -> String {
	const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
	let mut value = n as f64;
	let mut unit = 0;
	while value >= 1024.0 && unit + 1 < UNITS.len() {
		value /= 1024.0;
		unit += 1;
	}
	if value.fract() == 0.0 {
		format!("{value} {}", UNITS[unit])
	} else {
		format!("{value:.1} {}", UNITS[unit])
	}
}

/// Parses a size: `4GiB`, `512 MiB`, `1TiB`, `1000000` (bytes). Decimal units (`GB`) are
/// powers of 1000.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
	let t = text.trim();
	let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
	let (number, unit) = t.split_at(split);
	let number: u64 = number.parse().map_err(|_| format!("`{text}` is not a size: try `4GiB`"))?;
	let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
		"" | "b" => 1,
		"kib" => 1 << 10,
		"mib" => 1 << 20,
		"gib" => 1 << 30,
		"tib" => 1 << 40,
		"kb" => 1_000,
		"mb" => 1_000_000,
		"gb" => 1_000_000_000,
		"tb" => 1_000_000_000_000,
		other => return Err(format!("`{other}` is not a size unit: use B, KiB, MiB, GiB or TiB")),
	};
	number.checked_mul(factor).ok_or_else(|| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn tft_is_parsed_exactly() {
		assert_eq!(Tft::parse("1.5TFT", false), Ok(Tft(15_000_000)));
		assert_eq!(Tft::parse("1.5", false), Ok(Tft(15_000_000)));
		assert_eq!(Tft::parse(" 20 tft ", false), Ok(Tft(200_000_000)));
		assert_eq!(Tft::parse(".5", false), Ok(Tft(5_000_000)));
		assert_eq!(Tft::parse("0.0000001", false), Ok(Tft(1)));
		assert_eq!(Tft::parse("15000000", true), Ok(Tft(15_000_000)));
	}

	#[test]
	fn bad_amounts_get_a_reason() {
		assert!(matches!(Tft::parse("0.00000001", false), Err(AmountError::TooManyDecimals(_))));
		assert!(matches!(Tft::parse("1,5", false), Err(AmountError::NotANumber(_))));
		assert!(matches!(Tft::parse("", false), Err(AmountError::NotANumber(_))));
		assert!(matches!(Tft::parse("-1", false), Err(AmountError::NotANumber(_))));
		assert!(matches!(Tft::parse("1.5", true), Err(AmountError::PlanckNotWhole(_))));
		let huge = "9".repeat(40);
		assert!(matches!(Tft::parse(&huge, false), Err(AmountError::TooLarge(_))));
		assert!(Tft::parse("0.00000001", false)
			.unwrap_err()
			.to_string()
			.contains("more than 7 decimals"));
	}

	#[test]
	fn amounts_print_exactly() {
		assert_eq!(Tft(15_000_000).to_string(), "1.5 TFT");
		assert_eq!(Tft(1).to_string(), "0.0000001 TFT");
		assert_eq!(Tft(12_345_678_900_000_000).to_string(), "1,234,567,890 TFT");
		assert_eq!(usd(80u64), "$0.080");
		assert_eq!(usd(1_234_500u64), "$1,234.500");
		assert_eq!(usd_micro(12_345_678u128), "$12.345678");
		assert_eq!(usd_micro(80_000u128), "$0.080");
		assert_eq!(usd_micro(12_345u128), "$0.012345");
	}

	#[test]
	fn sizes_read_and_print() {
		assert_eq!(parse_bytes("4GiB"), Ok(4 << 30));
		assert_eq!(parse_bytes("512 MiB"), Ok(512 << 20));
		assert_eq!(parse_bytes("1000"), Ok(1000));
		assert!(parse_bytes("4 parsecs").is_err());
		assert_eq!(bytes(4 << 30), "4 GiB");
		assert_eq!(bytes(1536 << 30), "1.5 TiB");
	}
}
