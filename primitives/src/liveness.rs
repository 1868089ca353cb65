//! When a node was up: one record for minting and billing.
//!
//! A node's uptime reports settle its time, report by report, into up and down seconds
//! ([`Timeline`]). Minting credits the up seconds as uptime; billing charges capacity for
//! exactly the same seconds, and nothing for the down ones. A second is never up for one and
//! down for the other. Billing charges capacity [`NodeLiveness::settle_delay`] behind the
//! clock, by when the reports that decide those seconds have arrived. The one exception is a
//! contract that changes or ends: its seconds since the node's last report are charged in the
//! state of that report if the node reports on time ([`Timeline::up_after_settled`]).

use crate::registry::NodeId;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::{traits::ConstU32, BoundedVec, Weight};

/// Down spans a timeline remembers; older ones are forgotten and the time before them then
/// counts as down. Billing looks back one charging pass and the settle delay, which a node
/// would need more than eight outages to outlast — or a price outage (billing then charges
/// nothing and looks back to its last charge).
pub const MAX_DOWNS: u32 = 8;

/// A span of Unix seconds `[start, end)`.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct Window {
	/// First Unix second inside.
	pub start: u64,
	/// First Unix second after it.
	pub end: u64,
}

impl Window {
	/// The seconds `[start, end)`.
	pub fn new(start: u64, end: u64) -> Self {
		Window { start, end }
	}

	/// Seconds of `[from, to)` inside the window.
	pub fn overlap(&self, from: u64, to: u64) -> u64 {
		to.min(self.end).saturating_sub(from.max(self.start))
	}

	/// Its length in seconds (0 when empty).
	pub fn duration(&self) -> u64 {
		self.end.saturating_sub(self.start)
	}

	/// No second inside.
	pub fn is_empty(&self) -> bool {
		self.end <= self.start
	}

	/// The non-empty pieces of this window cut at each of `cuts` that falls inside it.
	pub fn split_at(&self, cuts: &[u64]) -> alloc::vec::Vec<Window> {
		let mut inside: alloc::vec::Vec<u64> =
			cuts.iter().copied().filter(|c| self.start < *c && *c < self.end).collect();
		inside.sort_unstable();
		inside.dedup();
		let mut pieces = alloc::vec::Vec::with_capacity(inside.len().saturating_add(1));
		let mut start = self.start;
		for cut in inside.into_iter().chain(core::iter::once(self.end)) {
			pieces.push(Window::new(start, cut));
			start = cut;
		}
		pieces.retain(|w| !w.is_empty());
		pieces
	}
}

/// Seconds of `[from, to)` inside any of `windows` (which never overlap each other).
pub fn seconds_in(windows: &[Window], from: u64, to: u64) -> u64 {
	windows.iter().map(|w| w.overlap(from, to)).fold(0, u64::saturating_add)
}

/// `ups` less every second inside `cut`: sorted disjoint windows stay sorted and disjoint.
pub fn subtract(ups: &[Window], cut: &Window) -> alloc::vec::Vec<Window> {
	if cut.is_empty() {
		return ups.to_vec();
	}
	let mut out = alloc::vec::Vec::with_capacity(ups.len().saturating_add(1));
	for up in ups {
		let before = Window::new(up.start, up.end.min(cut.start));
		let after = Window::new(up.start.max(cut.end), up.end);
		out.extend([before, after].into_iter().filter(|w| !w.is_empty()));
	}
	out
}

/// A node's settled time: every second before `settled_until` is up, unless it is before
/// `complete_from` or inside one of `downs`.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Timeline {
	/// Every second before this is settled.
	pub settled_until: u64,
	/// `downs` lists every down second from here on; earlier time counts as down (the node
	/// was not tracked yet, or older spans were forgotten).
	pub complete_from: u64,
	/// Settled down spans, oldest first, sorted and disjoint, inside
	/// `[complete_from, settled_until)`.
	pub downs: BoundedVec<Window, ConstU32<MAX_DOWNS>>,
}

impl Timeline {
	/// A timeline that knows nothing before `at`.
	pub fn starting(at: u64) -> Self {
		Timeline { settled_until: at, complete_from: at, downs: Default::default() }
	}

	/// Settles `[settled_until, to)`: the seconds inside `ups` (sorted, disjoint) are up, the
	/// rest are down. Nothing changes for a `to` not after `settled_until`.
	pub fn settle(&mut self, to: u64, ups: &[Window]) {
		let mut cursor = self.settled_until;
		if to <= cursor {
			return;
		}
		for up in ups {
			let up = Window::new(up.start.max(cursor), up.end.min(to));
			if up.is_empty() {
				continue;
			}
			self.push_down(Window::new(cursor, up.start));
			cursor = up.end;
		}
		self.push_down(Window::new(cursor, to));
		self.settled_until = to;
	}

	/// Appends a down span after the others, merging it with the last when they touch; the
	/// oldest is forgotten when all [`MAX_DOWNS`] are taken.
	fn push_down(&mut self, down: Window) {
		if down.is_empty() {
			return;
		}
		if let Some(last) = self.downs.last_mut() {
			if last.end >= down.start {
				last.end = last.end.max(down.end);
				return;
			}
		}
		if self.downs.is_full() {
			let oldest = self.downs.remove(0);
			self.complete_from = oldest.end;
		}
		// Room was made above.
		let _ = self.downs.try_push(down);
	}

	/// Settled up seconds in `[from, to)`: time not settled yet, or before `complete_from`,
	/// is not up.
	pub fn up_between(&self, from: u64, to: u64) -> u64 {
		let (from, to) = (from.max(self.complete_from), to.min(self.settled_until));
		let down = seconds_in(&self.downs, from, to);
		to.saturating_sub(from).saturating_sub(down)
	}

	/// Whether the seconds after `settled_until` count as up for a contract settled at `now`
	/// (it changes or ends) before any report can settle them: when the node reported at most
	/// `delay` before `now` (it reports on time) and was up at that report. Without this, a
	/// change just before each report would leave every interval unsettled, and uncharged.
	pub fn up_after_settled(&self, now: u64, delay: u64) -> bool {
		let last = self.settled_until;
		now.saturating_sub(last) <= delay && self.up_between(last.saturating_sub(1), last) == 1
	}

	/// Up seconds of `[from, to)`, those after `settled_until` counted as up when `tail_up`.
	pub fn up_with_tail(&self, from: u64, to: u64, tail_up: bool) -> u64 {
		let settled = self.up_between(from, to);
		if tail_up {
			settled.saturating_add(Window::new(from.max(self.settled_until), to).duration())
		} else {
			settled
		}
	}
}

/// Whether a node was up, and when (implemented by minting; billing charges capacity by it).
pub trait NodeLiveness {
	/// The node's settled timeline; `None` for a node minting does not track (never up).
	fn timeline(node: NodeId) -> Option<Timeline>;
	/// How long after a second the reports that settle it may arrive: billing charges
	/// capacity this far behind the clock.
	fn settle_delay() -> u64;
	/// Upper bound of the weight of [`Self::timeline`].
	fn query_weight() -> Weight;
}

#[cfg(test)]
mod tests {
	use super::*;

	fn w(start: u64, end: u64) -> Window {
		Window::new(start, end)
	}

	#[test]
	fn a_settle_now_continues_the_last_state_of_a_node_reporting_on_time() {
		let mut t = Timeline::starting(0);
		t.settle(100, &[w(0, 100)]);
		assert!(t.up_after_settled(140, 40), "reported 40 s ago, up");
		assert!(!t.up_after_settled(141, 40), "silent for longer than the delay");
		assert_eq!(t.up_with_tail(50, 130, true), 80, "up until 100, then up as last reported");
		assert_eq!(t.up_with_tail(50, 130, false), 50);
		assert_eq!(t.up_with_tail(120, 130, true), 10, "only the part asked for");
		assert_eq!(t.up_with_tail(50, 90, true), 40, "all settled: as up_between");
		t.settle(200, &[w(100, 150)]);
		assert!(!t.up_after_settled(210, 40), "down at its last report: stays down");
		assert!(!Timeline::starting(500).up_after_settled(510, 40), "never settled");
	}

	#[test]
	fn settling_marks_what_is_not_up_as_down() {
		let mut t = Timeline::starting(100);
		t.settle(200, &[w(100, 200)]);
		assert_eq!(t.up_between(0, 1_000), 100, "before 100 and after 200 is not up");
		// A reboot: down from 200 to 250, up after.
		t.settle(300, &[w(250, 300)]);
		assert_eq!(t.downs.to_vec(), vec![w(200, 250)]);
		assert_eq!(t.up_between(150, 275), 50 + 25);
		// Maintenance inside the up time is down too; ups outside the span are ignored.
		t.settle(400, &[w(50, 120), w(300, 330), w(360, 400)]);
		assert_eq!(t.downs.to_vec(), vec![w(200, 250), w(330, 360)]);
		assert_eq!(t.up_between(0, 400), 100 + 50 + 30 + 40);
		// Settling the past again changes nothing.
		let before = t.clone();
		t.settle(350, &[]);
		assert_eq!(t, before);
		// All down, touching the last span: one span.
		t.settle(500, &[]);
		assert_eq!(t.downs.last(), Some(&w(400, 500)));
		t.settle(600, &[]);
		assert_eq!(t.downs.last(), Some(&w(400, 600)));
		assert_eq!(t.settled_until, 600);
	}

	#[test]
	fn the_oldest_spans_are_forgotten_as_down() {
		let mut t = Timeline::starting(0);
		for k in 0..u64::from(MAX_DOWNS) + 2 {
			// Up 10 s, down 10 s, each report.
			t.settle(20 * (k + 1), &[w(20 * k, 20 * k + 10)]);
		}
		assert_eq!(t.downs.len() as u32, MAX_DOWNS);
		assert_eq!(t.complete_from, 40, "two spans forgotten: the second ended at 40");
		assert_eq!(t.up_between(0, 60), 10, "only what is still known counts as up");
		assert_eq!(t.up_between(0, t.settled_until), 80, "8 ups of 10 s after 40");
	}

	#[test]
	fn a_window_splits_at_the_cuts_inside_it() {
		assert_eq!(w(0, 10).split_at(&[5, 20, 0, 5]), vec![w(0, 5), w(5, 10)]);
		assert_eq!(w(0, 10).split_at(&[]), vec![w(0, 10)]);
		assert_eq!(w(10, 10).split_at(&[5]), vec![]);
	}

	#[test]
	fn subtracting_a_window_splits_what_it_cuts() {
		let ups = [w(0, 10), w(20, 30)];
		assert_eq!(subtract(&ups, &w(5, 25)), vec![w(0, 5), w(25, 30)]);
		assert_eq!(subtract(&ups, &w(40, 50)), ups.to_vec());
		assert_eq!(subtract(&ups, &w(0, 30)), vec![]);
		assert_eq!(subtract(&ups, &w(30, 0)), ups.to_vec(), "an empty cut cuts nothing");
		assert_eq!(seconds_in(&ups, 5, 25), 10);
	}
}
