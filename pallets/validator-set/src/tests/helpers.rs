//! `assert_*` helpers: each snapshots what its call can touch ([`Validators`], [`SetChanged`],
//! [`Schedule`], the applications, the authorship records, the balances of the account
//! concerned and the events), runs the call and checks every delta, including the weight it
//! reports.

use super::*;
use crate::{ApplicationOf, WeightInfo};
use frame::traits::fungible::InspectHold;

/// The pallet storage, one account's balances and the event count before a call.
#[derive(Debug)]
pub struct Snapshot {
	pub validators: Vec<AccountId>,
	pub set_changed: bool,
	pub schedule: SessionSchedule<u64>,
	pub applications: Vec<(AccountId, ApplicationOf<Test>)>,
	pub last_authored: Vec<(AccountId, u32)>,
	pub current_session: u32,
	/// The free balance and the `ValidatorBond` held of the account the call concerns.
	pub free: u64,
	pub held: u64,
	pub events: usize,
}

impl Snapshot {
	/// The state, with `who`'s balances.
	pub fn of(who: AccountId) -> Self {
		Self {
			validators: set(),
			set_changed: SetChanged::<Test>::get(),
			schedule: Schedule::<Test>::get(),
			applications: applications(),
			last_authored: last_authored(),
			current_session: CurrentSession::<Test>::get(),
			free: Balances::free_balance(who),
			held: held(who),
			events: System::events().len(),
		}
	}

	pub fn take() -> Self {
		Self::of(0)
	}

	/// The events deposited since the snapshot.
	pub fn new_events(&self) -> Vec<RuntimeEvent> {
		System::events().into_iter().skip(self.events).map(|r| r.event).collect()
	}
}

/// The validator set in storage.
pub fn set() -> Vec<AccountId> {
	Validators::<Test>::get().into_inner()
}

/// The pending applications, sorted by applicant.
pub fn applications() -> Vec<(AccountId, ApplicationOf<Test>)> {
	let mut all: Vec<_> = Applications::<Test>::iter().collect();
	all.sort_by_key(|(who, _)| *who);
	all
}

/// The authorship records, sorted by validator.
pub fn last_authored() -> Vec<(AccountId, u32)> {
	let mut all: Vec<_> = LastAuthored::<Test>::iter().collect();
	all.sort();
	all
}

/// What `who` holds under `ValidatorBond`.
pub fn held(who: AccountId) -> u64 {
	Balances::balance_on_hold(&HoldReason::ValidatorBond.into(), &who)
}

/// A description of `len` bytes.
pub fn description(len: u32) -> Vec<u8> {
	vec![b'd'; len as usize]
}

/// `who` authors a block: what pallet-authorship tells the pallet in `on_initialize`.
pub fn note_author(who: AccountId) {
	<ValidatorSet as pallet_authorship::EventHandler<AccountId, u64>>::note_author(who);
}

pub fn root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

/// The events this pallet deposited so far.
pub fn pallet_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::ValidatorSet(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// `who` was appended to the set, with an authorship record of the session after the current
/// one (it is active from the one after that); `SetChanged`; the schedule and balances
/// untouched.
fn assert_appended(before: &Snapshot, who: AccountId) {
	let mut expected = before.validators.clone();
	expected.push(who);
	assert_eq!(set(), expected);
	assert!(SetChanged::<Test>::get());
	assert_eq!(Schedule::<Test>::get(), before.schedule);
	let mut records = before.last_authored.clone();
	records.push((who, before.current_session + 1));
	records.sort();
	assert_eq!(last_authored(), records);
	assert_eq!((Balances::free_balance(who), held(who)), (before.free, before.held));
}

/// Governance adds `who`: appended to the set, `SetChanged`, one `ValidatorAdded` event, the
/// schedule untouched, weight charged for the set's size before.
pub fn assert_add_validator(who: AccountId) {
	let before = Snapshot::of(who);
	let info = ValidatorSet::add_validator(root(), who).expect("add_validator succeeds");
	assert_appended(&before, who);
	assert_eq!(applications(), before.applications);
	assert_eq!(before.new_events(), vec![Event::ValidatorAdded { who }.into()]);
	assert_eq!(
		info.actual_weight,
		Some(<() as WeightInfo>::add_validator(before.validators.len() as u32))
	);
}

/// Governance removes `who`: gone from the set (the others keep their order) and from the
/// authorship records, its whole bond released to its free balance, `SetChanged`, one
/// `ValidatorRemoved` event (after pallet-balances' `Released` for a bond), the schedule
/// untouched, weight charged for the set's size before.
pub fn assert_remove_validator(who: AccountId) {
	let before = Snapshot::of(who);
	let info = ValidatorSet::remove_validator(root(), who).expect("remove_validator succeeds");
	let expected: Vec<AccountId> =
		before.validators.iter().copied().filter(|v| *v != who).collect();
	assert_eq!(expected.len() + 1, before.validators.len(), "{who} was a validator");
	assert_eq!(set(), expected);
	assert!(SetChanged::<Test>::get());
	assert_eq!(Schedule::<Test>::get(), before.schedule);
	let records: Vec<_> = before.last_authored.iter().copied().filter(|(v, _)| *v != who).collect();
	assert_eq!(last_authored(), records);
	assert_eq!(applications(), before.applications);
	assert_eq!(held(who), 0);
	assert_eq!(Balances::free_balance(who), before.free + before.held);
	let mut events: Vec<RuntimeEvent> = Vec::new();
	if before.held > 0 {
		events.push(released(who, before.held));
	}
	events.push(Event::ValidatorRemoved { who }.into());
	assert_eq!(before.new_events(), events);
	assert_eq!(
		info.actual_weight,
		Some(<() as WeightInfo>::remove_validator(before.validators.len() as u32))
	);
}

/// Governance sets the session length: only the length changes (the session's start stays),
/// one `SessionLengthSet` event, the set untouched.
pub fn assert_set_session_length(length: u64) {
	let before = Snapshot::take();
	assert_ok!(ValidatorSet::set_session_length(root(), length));
	assert_eq!(
		Schedule::<Test>::get(),
		SessionSchedule { length, started_at: before.schedule.started_at }
	);
	assert_eq!(set(), before.validators);
	assert_eq!(SetChanged::<Test>::get(), before.set_changed);
	assert_eq!(before.new_events(), vec![Event::SessionLengthSet { length }.into()]);
}

/// pallet-balances' event for a bond of `amount` released to `who`.
fn released(who: AccountId, amount: u64) -> RuntimeEvent {
	pallet_balances::Event::Released { reason: HoldReason::ValidatorBond.into(), who, amount }
		.into()
}

/// `who` applies with `bond`: the application stored with the block number, exactly `bond`
/// moved from free to held, one `ApplicationFiled` event (after pallet-balances' `Held` for a
/// non-zero bond); nothing else changes.
pub fn assert_apply(who: AccountId, description: Vec<u8>, bond: u64) {
	let before = Snapshot::of(who);
	assert_ok!(ValidatorSet::apply(RuntimeOrigin::signed(who), description.clone(), bond));
	let application = Application {
		description: description.try_into().unwrap(),
		bond,
		applied_at: System::block_number(),
	};
	let mut expected = before.applications.clone();
	expected.push((who, application));
	expected.sort_by_key(|(who, _)| *who);
	assert_eq!(applications(), expected);
	assert_eq!(Balances::free_balance(who), before.free - bond);
	assert_eq!(held(who), before.held + bond);
	assert_unchanged_but_applications(&before);
	let mut events: Vec<RuntimeEvent> = Vec::new();
	if bond > 0 {
		events.push(
			pallet_balances::Event::Held {
				reason: HoldReason::ValidatorBond.into(),
				who,
				amount: bond,
			}
			.into(),
		);
	}
	events.push(Event::ApplicationFiled { who, bond }.into());
	assert_eq!(before.new_events(), events);
}

/// The set, its records, `SetChanged` and the schedule are as in `before`.
fn assert_unchanged_but_applications(before: &Snapshot) {
	assert_eq!(set(), before.validators);
	assert_eq!(last_authored(), before.last_authored);
	assert_eq!(SetChanged::<Test>::get(), before.set_changed);
	assert_eq!(Schedule::<Test>::get(), before.schedule);
}

/// `who`'s application is gone and its bond released to the planck; `event` (after
/// pallet-balances' `Released` for a non-zero bond) is the only event.
fn assert_application_closed(before: &Snapshot, who: AccountId, event: Event<Test>) {
	let bond = before
		.applications
		.iter()
		.find(|(a, _)| *a == who)
		.map(|(_, application)| application.bond)
		.unwrap_or_else(|| panic!("{who} had applied"));
	let expected: Vec<_> = before.applications.iter().filter(|(a, _)| *a != who).cloned().collect();
	assert_eq!(applications(), expected);
	assert_eq!(held(who), before.held - bond);
	assert_eq!(Balances::free_balance(who), before.free + bond);
	assert_unchanged_but_applications(before);
	let mut events: Vec<RuntimeEvent> = Vec::new();
	if bond > 0 {
		events.push(released(who, bond));
	}
	events.push(event.into());
	assert_eq!(before.new_events(), events);
}

/// `who` withdraws its application: see [`assert_application_closed`].
pub fn assert_withdraw(who: AccountId) {
	let before = Snapshot::of(who);
	assert_ok!(ValidatorSet::withdraw_application(RuntimeOrigin::signed(who)));
	assert_application_closed(&before, who, Event::ApplicationWithdrawn { who });
}

/// Governance rejects `who`'s application: see [`assert_application_closed`].
pub fn assert_reject(who: AccountId) {
	let before = Snapshot::of(who);
	assert_ok!(ValidatorSet::reject_application(root(), who));
	assert_application_closed(&before, who, Event::ApplicationRejected { who });
}

/// Governance approves `who`'s application: the application gone, `who` appended to the set as
/// by `add_validator`, its bond still held (balances unchanged), events `ValidatorAdded` and
/// `ApplicationApproved`, weight charged for the set's size before.
pub fn assert_approve(who: AccountId) {
	let before = Snapshot::of(who);
	let bond = before
		.applications
		.iter()
		.find(|(a, _)| *a == who)
		.map(|(_, application)| application.bond)
		.unwrap_or_else(|| panic!("{who} had applied"));
	let info = ValidatorSet::approve_application(root(), who).expect("approval succeeds");
	assert_appended(&before, who);
	assert!(held(who) >= bond);
	let expected: Vec<_> = before.applications.iter().filter(|(a, _)| *a != who).cloned().collect();
	assert_eq!(applications(), expected);
	assert_eq!(
		before.new_events(),
		vec![Event::ValidatorAdded { who }.into(), Event::ApplicationApproved { who }.into()]
	);
	assert_eq!(
		info.actual_weight,
		Some(<() as WeightInfo>::approve_application(before.validators.len() as u32))
	);
}

/// `who` (funded) registers session keys.
pub fn give_keys(who: AccountId) {
	if Balances::free_balance(who) == 0 {
		assert_ok!(Balances::force_set_balance(root(), who, 100));
	}
	assert_ok!(register_keys(who));
}

/// `who` drops its session keys, as a validator may do at any time.
pub fn purge_keys(who: AccountId) {
	assert_ok!(Session::purge_keys(RuntimeOrigin::signed(who)));
	assert!(!<Session as frame::traits::ValidatorRegistration<AccountId>>::is_registered(&who));
}

pub fn session_index() -> u32 {
	pallet_session::CurrentIndex::<Test>::get()
}

/// Runs blocks until session `index` has started (at most 1000 blocks).
pub fn run_to_session(index: u32) {
	for _ in 0..1000 {
		if session_index() >= index {
			return;
		}
		run_to_block(System::block_number() + 1);
	}
	panic!("session {index} did not start within 1000 blocks");
}
