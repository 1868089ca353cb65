//! Builders for the grid, a clock, reports through the pool's check and the block, and
//! `assert_*` helpers.

pub use crate::{mock::*, pallet::*, types::*};
pub use frame::testing_prelude::*;
use frame::{
	deps::{
		frame_support::traits::Authorize,
		sp_runtime::transaction_validity::{TransactionSource, TransactionValidityError},
	},
	traits::fungible::Inspect,
};
pub use grid_primitives::{
	money::Musd,
	registry::{NodeCertification, NodeId, Power},
	resources::{Resources, GIB},
};
use pallet_registry::types::{Location, NodePolicy, NodeSpec};

pub fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

pub fn gov() -> RuntimeOrigin {
	RuntimeOrigin::signed(GOVERNANCE)
}

/// The reference's worked example: 16 threads, 64 GiB of memory, 1 TB SSD, 4 TB HDD.
pub const EXAMPLE: Resources =
	Resources { cru: 16, mru: 64 * GIB, sru: 1_000_000_000_000, hru: 4_000_000_000_000 };

/// A node booted this long before T0 (its uptime at T0).
pub const BOOTED_BEFORE: u64 = 100_000;

pub fn spec(resources: Resources) -> NodeSpec {
	NodeSpec {
		resources,
		location: Location {
			city: BoundedVec::truncate_from(b"Gent".to_vec()),
			country: BoundedVec::truncate_from(b"Belgium".to_vec()),
			coordinates: None,
		},
		interfaces: Default::default(),
		serial_number: None,
		secure_boot: false,
		virtualized: false,
	}
}

pub fn twin(who: AccountId) {
	assert_ok!(Registry::create_twin(signed(who), Default::default(), None));
}

/// Sets the clock to `T0 + secs`.
pub fn at(secs: u64) {
	Timestamp::set_timestamp((T0 + secs) * 1_000);
}

/// Seconds since T0 now.
pub fn now() -> u64 {
	pallet_timestamp::Now::<Test>::get() / 1_000 - T0
}

/// FARMER's open farm 1 (payout FARMER).
pub fn farm() {
	twin(FARMER);
	assert_ok!(Registry::create_farm(signed(FARMER), BoundedVec::truncate_from(b"farm".to_vec())));
	assert_ok!(Registry::set_node_policy(signed(FARMER), 1, NodePolicy::Open));
}

/// Registers `who` as a node of farm 1 with `resources`, now.
pub fn register(who: AccountId, resources: Resources) -> NodeId {
	twin(who);
	assert_ok!(Registry::register_node(signed(who), 1, spec(resources)));
	pallet_registry::LastNodeId::<Test>::get()
}

/// Farm 1 and node 1 (NODE1, [`EXAMPLE`]) registered at T0.
pub fn grid() -> NodeId {
	farm();
	let node = register(NODE1, EXAMPLE);
	System::reset_events();
	node
}

/// NODE1's report of `uptime` with a hint of chain time + `skew`.
pub fn report_of(node: NodeId, uptime: u64, skew: i64) -> UptimeReport {
	let hint = (pallet_timestamp::Now::<Test>::get() / 1_000).saturating_add_signed(skew);
	UptimeReport { node_id: node, uptime, timestamp_hint: hint }
}

/// What the pool says about a report signed by `signer`.
pub fn pool(report: UptimeReport, signer: AccountId) -> Result<(), TransactionValidityError> {
	let call = Call::<Test>::report_uptime { report, signature: sign(signer, &report) };
	call.authorize(TransactionSource::External).expect("an authorized call")?;
	Ok(())
}

/// Submits a report as the pool and a block would: checked by `authorize`, then dispatched
/// with the authorized origin.
pub fn submit(report: UptimeReport, signer: AccountId) -> DispatchResult {
	pool(report, signer).map_err(|_| DispatchError::Other("refused by the pool"))?;
	Minting::report_uptime(
		frame_system::RawOrigin::Authorized.into(),
		report,
		sign(signer, &report),
	)
	.map(|_| ())
	.map_err(|e| e.error)
}

/// NODE1 (node 1) reports at `T0 + secs` having booted at `T0 + boot` (negative: before T0).
pub fn report_at(secs: u64, boot: i64) {
	at(secs);
	let uptime = (secs as i64 - boot) as u64;
	assert_ok!(submit(report_of(1, uptime, 0), NODE1));
}

/// Node 1 reports every `every` seconds from `from` to `to` (inclusive), up since before T0.
pub fn report_every(from: u64, to: u64, every: u64) {
	report_every_booted(from, to, every, -(BOOTED_BEFORE as i64));
}

/// Node 1 reports every `every` seconds from `from` to `to` (inclusive), booted at `boot`.
pub fn report_every_booted(from: u64, to: u64, every: u64, boot: i64) {
	let mut t = from;
	while t <= to {
		report_at(t, boot);
		t += every;
	}
}

pub fn state(node: NodeId) -> NodeStateOf<Test> {
	NodeStates::<Test>::get(node).expect("tracked")
}

pub fn receipt(node: NodeId, period: PeriodIndex) -> ReceiptOf<Test> {
	Receipts::<Test>::get((1, node, period)).expect("a receipt")
}

pub fn minting_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Minting(e) => Some(e),
			_ => None,
		})
		.collect()
}

pub fn balance(who: AccountId) -> Balance {
	Balances::balance(&who)
}

pub fn issuance() -> Balance {
	Balances::total_issuance()
}

/// Every key and value of minting, the registry and balances, to prove a refused call changed
/// nothing.
pub fn storage() -> std::collections::BTreeMap<Vec<u8>, Vec<u8>> {
	grid_test_kit::pallet_storage(WATCHED)
}

/// What a refused call must leave alone: minting, the registry and every balance.
const WATCHED: &[&str] = &["Minting", "Registry", "Balances"];

/// `call` fails with `error` and changes no storage.
pub fn assert_refused(call: impl FnOnce() -> DispatchResult, error: Error<Test>) {
	let snap = grid_test_kit::StorageSnapshot::<Test>::take(WATCHED);
	assert_noop_like(call(), error.into());
	snap.assert_unchanged();
}

fn assert_noop_like(result: DispatchResult, error: DispatchError) {
	assert_eq!(result, Err(error));
}
