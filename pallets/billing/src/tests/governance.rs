//! Governance's calls: origins, each refusal leaving storage unchanged.

use super::*;

#[test]
fn only_governance_sets_the_policy_and_params() {
	test(|| {
		let policy = PricingPolicy::reference();
		let params = BillingParams { grace_period: 5, release_notice: 6, prepaid: 60 };
		assert_noop!(Billing::set_policy(signed(ALICE), policy), DispatchError::BadOrigin);
		assert_noop!(Billing::set_params(signed(ALICE), params), DispatchError::BadOrigin);
		assert_ok!(Billing::set_params(gov(), params));
		assert_eq!(Params::<Test>::get(), params);
		assert!(billing_events().contains(&Event::ParamsSet { params }));
	});
}

#[test]
fn bad_policies_and_params_are_refused() {
	test(|| {
		let mut policy = PricingPolicy::reference();
		policy.cu = MicroUsd(PricingPolicy::MAX_PRICE.0 + 1);
		assert_noop!(Billing::set_policy(gov(), policy), Error::<Test>::PriceTooHigh);
		let mut policy = PricingPolicy::reference();
		policy.split.treasury = Percent::from_percent(11);
		assert_noop!(Billing::set_policy(gov(), policy), Error::<Test>::InvalidShares);
		let zero = BillingParams { grace_period: 0, release_notice: 1, prepaid: 60 };
		assert_noop!(Billing::set_params(gov(), zero), Error::<Test>::InvalidParams);
	});
}

#[test]
fn the_version_is_the_pallets_and_the_event_says_what_applies() {
	test(|| {
		let mut policy = PricingPolicy::reference();
		policy.version = 77;
		policy.name = MicroUsd(1);
		assert_ok!(Billing::set_policy(gov(), policy));
		let state = Policy::<Test>::get();
		assert_eq!(state.current.version, 2);
		assert_eq!(state.previous.map(|p| p.version), Some(1));
		assert_eq!(state.changed_at, GENESIS_SECS);
		assert!(billing_events().contains(&Event::PolicySet { policy: state.current }));
	});
}
