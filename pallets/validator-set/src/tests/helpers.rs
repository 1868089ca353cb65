//! `assert_*` helpers: each snapshots what its call can touch ([`Validators`], [`SetChanged`],
//! [`Schedule`] and the events), runs the call and checks every delta, including the weight it
//! reports.

use super::*;
use crate::WeightInfo;

/// The pallet storage and the event count before a call.
#[derive(Debug)]
pub struct Snapshot {
	pub validators: Vec<AccountId>,
	pub set_changed: bool,
	pub schedule: SessionSchedule<u64>,
	pub events: usize,
}

impl Snapshot {
	pub fn take() -> Self {
		Self {
			validators: set(),
			set_changed: SetChanged::<Test>::get(),
			schedule: Schedule::<Test>::get(),
			events: System::events().len(),
		}
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

/// Governance adds `who`: appended to the set, `SetChanged`, one `ValidatorAdded` event, the
/// schedule untouched, weight charged for the set's size before.
pub fn assert_add_validator(who: AccountId) {
	let before = Snapshot::take();
	let info = ValidatorSet::add_validator(root(), who).expect("add_validator succeeds");
	let mut expected = before.validators.clone();
	expected.push(who);
	assert_eq!(set(), expected);
	assert!(SetChanged::<Test>::get());
	assert_eq!(Schedule::<Test>::get(), before.schedule);
	assert_eq!(before.new_events(), vec![Event::ValidatorAdded { who }.into()]);
	assert_eq!(
		info.actual_weight,
		Some(<() as WeightInfo>::add_validator(before.validators.len() as u32))
	);
}

/// Governance removes `who`: gone from the set (the others keep their order), `SetChanged`,
/// one `ValidatorRemoved` event, the schedule untouched, weight charged for the set's size
/// before.
pub fn assert_remove_validator(who: AccountId) {
	let before = Snapshot::take();
	let info = ValidatorSet::remove_validator(root(), who).expect("remove_validator succeeds");
	let expected: Vec<AccountId> =
		before.validators.iter().copied().filter(|v| *v != who).collect();
	assert_eq!(expected.len() + 1, before.validators.len(), "{who} was a validator");
	assert_eq!(set(), expected);
	assert!(SetChanged::<Test>::get());
	assert_eq!(Schedule::<Test>::get(), before.schedule);
	assert_eq!(before.new_events(), vec![Event::ValidatorRemoved { who }.into()]);
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
