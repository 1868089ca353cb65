//! What every Gridchain pallet's tests share (a dev-dependency only, never in the runtime).
//!
//! [`Snapshot`] records, before a call, every storage key of the pallets a test watches, the
//! free and held balances of the accounts involved, the total issuance and the event count
//! ([`StorageSnapshot`] the storage and events alone, for a pallet without balances).
//! After the call it tells exactly which keys changed, how each account's balance moved, which
//! events came, and whether money was conserved: what the accounts gained or lost together is
//! exactly what was minted or burned, to the planck.
//!
//! ```ignore
//! let snap = Snapshot::<Test, Balances>::take(&["Registry"], &[alice]);
//! assert_ok!(Registry::create_twin(RuntimeOrigin::signed(alice), Default::default(), None));
//! snap.assert_changed(&[/* the keys the call writes */]);
//! snap.assert_held_moved(alice, TWIN_DEPOSIT as i128);
//! snap.assert_conserved();
//! ```

use frame::{deps::sp_io, prelude::*, traits::fungible::InspectHold};
use std::collections::{BTreeMap, BTreeSet};

/// Every key and value stored under the given pallets' prefixes (their names in the runtime).
pub fn pallet_storage(pallets: &[&str]) -> BTreeMap<Vec<u8>, Vec<u8>> {
	let mut state = BTreeMap::new();
	for pallet in pallets {
		let prefix = sp_io::hashing::twox_128(pallet.as_bytes()).to_vec();
		let mut key = prefix.clone();
		while let Some(next) = sp_io::storage::next_key(&key) {
			if !next.starts_with(&prefix) {
				break;
			}
			if let Some(value) = sp_io::storage::get(&next) {
				state.insert(next.clone(), value.to_vec());
			}
			key = next;
		}
	}
	state
}

/// What the watched pallets stored, and the event count, before a call.
pub struct StorageSnapshot<T: frame_system::Config> {
	pallets: Vec<&'static str>,
	storage: BTreeMap<Vec<u8>, Vec<u8>>,
	events: u32,
	_runtime: core::marker::PhantomData<T>,
}

impl<T: frame_system::Config> StorageSnapshot<T> {
	/// Takes the snapshot of `pallets`' storage.
	pub fn take(pallets: &[&'static str]) -> Self {
		Self {
			pallets: pallets.to_vec(),
			storage: pallet_storage(pallets),
			events: frame_system::Pallet::<T>::event_count(),
			_runtime: Default::default(),
		}
	}

	/// The watched storage keys that were added, changed or removed since.
	pub fn changed_keys(&self) -> BTreeSet<Vec<u8>> {
		let after = pallet_storage(&self.pallets);
		self.storage
			.keys()
			.chain(after.keys())
			.filter(|k| self.storage.get(*k) != after.get(*k))
			.cloned()
			.collect()
	}

	/// Exactly `expected` keys of the watched pallets changed.
	pub fn assert_changed(&self, expected: &[Vec<u8>]) {
		let expected: BTreeSet<Vec<u8>> = expected.iter().cloned().collect();
		let changed = self.changed_keys();
		assert_eq!(
			changed.len(),
			expected.len(),
			"{} keys changed, {} expected",
			changed.len(),
			expected.len()
		);
		assert_eq!(changed, expected, "other storage keys changed than expected");
	}

	/// Nothing of the watched pallets changed: a refused call.
	pub fn assert_unchanged(&self) {
		assert!(self.changed_keys().is_empty(), "a refused call changed storage");
	}

	/// The events deposited since, in order.
	pub fn new_events(&self) -> Vec<T::RuntimeEvent> {
		frame_system::Pallet::<T>::events()
			.into_iter()
			.skip(self.events as usize)
			.map(|r| r.event)
			.collect()
	}
}

/// [`StorageSnapshot`] and what some accounts held, free and on hold, and the total issuance
/// (see the [crate] docs).
pub struct Snapshot<T: frame_system::Config, C: InspectHold<T::AccountId>> {
	storage: StorageSnapshot<T>,
	balances: Vec<(T::AccountId, i128, i128)>,
	issuance: i128,
	_currency: core::marker::PhantomData<C>,
}

fn signed<B: Into<u128>>(amount: B) -> i128 {
	i128::try_from(amount.into()).unwrap_or(i128::MAX)
}

impl<T: frame_system::Config, C: InspectHold<T::AccountId>> core::ops::Deref for Snapshot<T, C> {
	type Target = StorageSnapshot<T>;
	fn deref(&self) -> &StorageSnapshot<T> {
		&self.storage
	}
}

impl<T, C> Snapshot<T, C>
where
	T: frame_system::Config,
	C: InspectHold<T::AccountId>,
	C::Balance: Into<u128>,
{
	/// Takes the snapshot of `pallets`' storage and of `accounts`' balances.
	pub fn take(pallets: &[&'static str], accounts: &[T::AccountId]) -> Self {
		Self {
			storage: StorageSnapshot::take(pallets),
			balances: accounts
				.iter()
				.map(|a| (a.clone(), signed(C::balance(a)), signed(C::total_balance_on_hold(a))))
				.collect(),
			issuance: signed(C::total_issuance()),
			_currency: Default::default(),
		}
	}

	/// Nothing of the watched pallets changed, no balance moved, nothing minted or burned: a
	/// refused call.
	pub fn assert_unchanged(&self) {
		self.storage.assert_unchanged();
		for (who, ..) in &self.balances {
			assert_eq!(self.moved(who), (0, 0), "a refused call moved a balance");
		}
		assert_eq!(self.issuance_moved(), 0, "a refused call minted or burned");
	}

	/// How `who`'s free and held balances moved since (an account not in the snapshot
	/// panics).
	pub fn moved(&self, who: &T::AccountId) -> (i128, i128) {
		let (_, free, held) =
			self.balances.iter().find(|(a, ..)| a == who).expect("account in the snapshot");
		(signed(C::balance(who)) - free, signed(C::total_balance_on_hold(who)) - held)
	}

	/// `who`'s deposits moved by `delta` from free to held balance (negative: back to free).
	pub fn assert_held_moved(&self, who: &T::AccountId, delta: i128) {
		assert_eq!(self.moved(who), (-delta, delta), "free and held balance moved otherwise");
	}

	/// Accounts whose balances did not move at all.
	pub fn assert_balances_unchanged(&self, accounts: &[T::AccountId]) {
		for who in accounts {
			self.assert_held_moved(who, 0);
		}
	}

	/// How much the total issuance moved since (minted − burned).
	pub fn issuance_moved(&self) -> i128 {
		signed(C::total_issuance()) - self.issuance
	}

	/// Money is conserved: what the snapshot's accounts gained or lost together, free and held,
	/// is exactly what was minted or burned. Every planck that left one of them reached
	/// another, or left the issuance.
	pub fn assert_conserved(&self) {
		let moved: i128 =
			self.balances.iter().map(|(who, ..)| self.moved(who)).map(|(f, h)| f + h).sum();
		assert_eq!(moved, self.issuance_moved(), "TFT appeared or vanished");
	}
}

/// Governance as one account in a test runtime (`EnsureSignedBy<Governance<A>, _>`): tests can
/// tell it from root and from anyone else.
pub struct Governance<A>(core::marker::PhantomData<A>);

impl<AccountId: Ord + Clone, A: Get<AccountId>> frame::traits::SortedMembers<AccountId>
	for Governance<A>
{
	fn sorted_members() -> Vec<AccountId> {
		vec![A::get()]
	}
}
