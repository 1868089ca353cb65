//! `authorize_upgrade`: by the upgrade origin (root or the DAO here), into frame_system.

use super::*;

fn authorized() -> Option<H256> {
	System::authorized_upgrade().map(|a| *a.code_hash())
}

#[test]
fn the_upgrade_origin_authorizes_and_a_signed_account_is_refused() {
	test(|| {
		let hash = H256::repeat_byte(1);
		assert_noop!(Governance::authorize_upgrade(signed(C1), hash), DispatchError::BadOrigin);
		assert_eq!(authorized(), None);
		assert_ok!(Governance::authorize_upgrade(RuntimeOrigin::root(), hash));
		assert_eq!(authorized(), Some(hash));
		System::assert_last_event(
			frame_system::Event::UpgradeAuthorized { code_hash: hash, check_version: true }.into(),
		);
	});
}

#[test]
fn the_dao_authorizes_an_upgrade() {
	test(|| {
		let hash = H256::repeat_byte(2);
		let index = assert_propose(ALICE, upgrade_call(hash), Some(ALICE_FARM));
		assert_vote(ALICE, index, ALICE_FARM, true);
		assert_vote(BOB, index, BOB_FARM, true);
		end_voting(index);
		assert_close(EVE, index, Outcome::Approved, Some(Ok(())));
		assert_eq!(authorized(), Some(hash));
	});
}

#[test]
fn authorize_upgrade_weighs_its_benchmark() {
	test(|| {
		let info = upgrade_call(H256::zero()).get_dispatch_info();
		assert_eq!(info.call_weight, <() as WeightInfo>::authorize_upgrade());
	});
}
