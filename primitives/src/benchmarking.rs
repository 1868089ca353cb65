//! What pallets' benchmarks ask of the runtime (or mock) they run in. Each is implemented once
//! there and shared by every pallet that needs it; other pallets' state is built through those
//! pallets themselves ([`crate::registry::MaybeRegistryBenchmarking`],
//! [`crate::contracts::MaybeContractsBenchmarking`]).

/// Sets the wall clock the pallets read (`UnixTime`), for benchmarks that need a given time.
pub trait BenchmarkTime {
	/// Makes the clock read `secs` Unix seconds.
	fn set_unix_time(secs: u64);
}

/// A key the benchmarks can sign with, for calls that carry a signature (uptime reports, price
/// submissions).
pub trait BenchmarkSigner<AccountId, Signature> {
	/// The key's account (the same one every time).
	fn key() -> AccountId;
	/// `who`'s signature of `payload` (`who` is [`Self::key`]).
	fn sign(who: &AccountId, payload: &[u8]) -> Signature;
}
