//! The pallets benchmarked by `frame-omni-bencher` / `grid-node benchmark pallet`.

use crate::*;
use alloc::vec::Vec;

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_validator_set, ValidatorSet]
	[pallet_governance, Governance]
	[pallet_registry, Registry]
	[pallet_capacity, Capacity]
	[pallet_minting, Minting]
	[pallet_tft_price, TftPrice]
	[pallet_billing, Billing]
);

use frame_system_benchmarking::Pallet as SystemBench;

pub fn metadata(
	extra: bool,
) -> (Vec<frame_benchmarking::BenchmarkList>, Vec<frame_support::traits::StorageInfo>) {
	use frame_benchmarking::BenchmarkList;
	use frame_support::traits::StorageInfoTrait;
	let mut list = Vec::<BenchmarkList>::new();
	list_benchmarks!(list, extra);
	(list, AllPalletsWithSystem::storage_info())
}

pub fn dispatch(
	config: frame_benchmarking::BenchmarkConfig,
) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
	use frame_benchmarking::BenchmarkBatch;
	use frame_support::traits::WhitelistedStorageKeys;
	let mut whitelist = AllPalletsWithSystem::whitelisted_storage_keys();
	// The timestamp inherent writes `Now` first in every block: no call reads it from disk.
	whitelist.push(pallet_timestamp::Now::<Runtime>::hashed_key().to_vec().into());
	let mut batches = Vec::<BenchmarkBatch>::new();
	let params = (&config, &whitelist);
	add_benchmarks!(params, batches);
	Ok(batches)
}

impl frame_system_benchmarking::Config for Runtime {}
