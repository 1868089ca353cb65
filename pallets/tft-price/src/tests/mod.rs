//! Unit tests: submissions in the pool and in blocks, windows and their prices, the average,
//! governance, and the offchain worker against HTTP answers. Each test ends with `try_state`
//! (see [`crate::mock::test`]).

mod feed;
mod fuzz;
mod governance;
mod offchain;
mod price;

use crate::{mock::*, pallet::*, types::*};
use frame::{
	deps::{
		frame_support::traits::Authorize,
		sp_io,
		sp_runtime::{
			transaction_validity::{TransactionSource, TransactionValidityError},
			StateVersion,
		},
	},
	testing_prelude::*,
};
use grid_primitives::money::MusdPerTft;

/// Moves the chain to block `n`, 6 s per block: each block's `on_initialize` sees the previous
/// block's time, then the block's timestamp is set, as in a real block.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let b = System::block_number() + 1;
		System::set_block_number(b);
		TftPrice::on_initialize(b);
		Timestamp::set_timestamp(Timestamp::get() + BLOCK_SECS * 1_000);
	}
}

/// Jumps the clock `secs` ahead without blocks (a stalled chain).
pub fn stall(secs: u64) {
	Timestamp::set_timestamp(Timestamp::get() + secs * 1_000);
}

/// Feeder `i`'s submission of `price` for the open window, observed now.
pub fn submission(i: u8, price: u32) -> PriceSubmission<AccountId> {
	let n = System::block_number() as u32;
	PriceSubmission {
		feeder: f(i),
		window: TftPrice::window_at(n).unwrap_or_default(),
		price: MusdPerTft(price),
		observed_at: n,
	}
}

/// What the pool says about `s` signed by `signer`.
pub fn pool(s: &PriceSubmission<AccountId>, signer: &str) -> Result<(), TransactionValidityError> {
	let call = Call::<Test>::submit_price { submission: s.clone(), signature: sign(signer, s) };
	call.authorize(TransactionSource::External).expect("an authorized call")?;
	Ok(())
}

/// Submits `s` as the pool and a block would: checked by `authorize`, then dispatched with the
/// authorized origin. A refusal leaves storage exactly as it was.
pub fn submit_signed(s: PriceSubmission<AccountId>, signer: &str) -> DispatchResult {
	let snap = grid_test_kit::StorageSnapshot::<Test>::take(&["TftPrice", "System"]);
	let result = pool(&s, signer)
		.map_err(|_| DispatchError::Other("refused by the pool"))
		.and_then(|()| {
			let signature = sign(signer, &s);
			TftPrice::submit_price(frame_system::RawOrigin::Authorized.into(), s, signature)
		});
	if result.is_err() {
		snap.assert_unchanged();
	}
	result
}

/// Feeder `i` submits `price` now.
pub fn submit(i: u8, price: u32) -> DispatchResult {
	submit_signed(submission(i, price), &format!("Feeder{i}"))
}

pub fn gov() -> RuntimeOrigin {
	RuntimeOrigin::signed(governance())
}

pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::TftPrice(e) = r.event { Some(e) } else { None })
		.collect()
}

pub fn state() -> PriceState {
	State::<Test>::get()
}

/// Feeders 1 and 2 (and 3 if `third`) submit in the open window, then the window closes.
pub fn window_with(prices: &[u32]) {
	for (i, price) in prices.iter().enumerate() {
		assert_ok!(submit(i as u8 + 1, *price));
	}
	let next = (System::block_number() / 10 + 1) * 10;
	run_to(next);
}
