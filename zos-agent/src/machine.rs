//! The machine the agent speaks for: what it measured at start, its boot, its simulated power.

use std::{
	path::PathBuf,
	sync::Mutex,
	time::{SystemTime, UNIX_EPOCH},
};
use zos_api::{Capacity, ContractUsage, Dmi, Interface, Location, Power, Uptime, UsageCounters};

/// Unix seconds now.
pub fn unix_now() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// What the machine is; fixed for the agent's life.
#[derive(Clone, Debug)]
pub struct Facts {
	pub capacity: Capacity,
	pub dmi: Dmi,
	pub hypervisor: Option<String>,
	pub interfaces: Vec<Interface>,
	pub location: Location,
	/// Where a test (or, in part 2, the workloads) leaves the per-contract counters.
	pub usage_file: Option<PathBuf>,
	/// How long a woken machine takes to boot, seconds.
	pub boot_delay: u64,
}

/// The simulated power cycle: a machine that is off answers nothing but a wake request; a woken
/// machine boots (a new boot time) after [`Facts::boot_delay`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PowerCycle {
	On { boot_time: u64 },
	Off,
	Booting { ready_at: u64 },
}

/// The machine as the agent serves it.
pub struct Machine {
	pub facts: Facts,
	power: Mutex<PowerCycle>,
}

impl Machine {
	/// A machine that booted at `boot_time`.
	pub fn new(facts: Facts, boot_time: u64) -> Self {
		Self { facts, power: Mutex::new(PowerCycle::On { boot_time }) }
	}

	/// The power cycle at `now` (a boot that has finished is on).
	pub fn cycle(&self, now: u64) -> PowerCycle {
		let mut power = self.power.lock().unwrap_or_else(|e| e.into_inner());
		if let PowerCycle::Booting { ready_at } = *power {
			if now >= ready_at {
				*power = PowerCycle::On { boot_time: ready_at };
			}
		}
		*power
	}

	/// Whether the machine answers ordinary commands.
	pub fn is_on(&self, now: u64) -> bool {
		matches!(self.cycle(now), PowerCycle::On { .. })
	}

	/// Powers down, or wakes; the state the machine is going to.
	pub fn set_power(&self, target: Power, now: u64) -> Power {
		let current = self.cycle(now);
		let mut power = self.power.lock().unwrap_or_else(|e| e.into_inner());
		*power = match (current, target) {
			(PowerCycle::On { .. } | PowerCycle::Booting { .. }, Power::Down) => PowerCycle::Off,
			(PowerCycle::Off, Power::Up) => {
				PowerCycle::Booting { ready_at: now.saturating_add(self.facts.boot_delay) }
			},
			(unchanged, _) => unchanged,
		};
		target
	}

	/// Boot time and clock, when on.
	pub fn uptime(&self, now: u64) -> Option<Uptime> {
		match self.cycle(now) {
			PowerCycle::On { boot_time } => Some(Uptime { boot_time, now }),
			_ => None,
		}
	}

	/// The per-contract counters from the usage file (none without one).
	pub fn usage(&self, now: u64) -> Result<UsageCounters, String> {
		let Some(path) = &self.facts.usage_file else {
			return Ok(UsageCounters { at: now, contracts: vec![] });
		};
		let contracts: Vec<ContractUsage> = match std::fs::read(path) {
			Ok(bytes) => serde_json::from_slice(&bytes)
				.map_err(|e| format!("usage file {} is not valid: {e}", path.display()))?,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => vec![],
			Err(e) => return Err(format!("cannot read usage file {}: {e}", path.display())),
		};
		Ok(UsageCounters { at: now, contracts })
	}
}

/// The host's own capacity: logical CPUs, memory, and disks (SSD, else HDD: a disk of unknown
/// kind counts as HDD, the smaller reward).
pub fn host_capacity() -> Capacity {
	use sysinfo::{DiskKind, Disks, System};
	let mut system = System::new();
	system.refresh_memory();
	system.refresh_cpu();
	let mut capacity = Capacity {
		cru: system.cpus().len() as u64,
		mru: system.total_memory(),
		..Capacity::default()
	};
	let mut seen = std::collections::BTreeSet::new();
	for disk in Disks::new_with_refreshed_list().list() {
		// One device mounted several times counts once.
		if !seen.insert(disk.name().to_os_string()) {
			continue;
		}
		match disk.kind() {
			DiskKind::SSD => capacity.sru = capacity.sru.saturating_add(disk.total_space()),
			_ => capacity.hru = capacity.hru.saturating_add(disk.total_space()),
		}
	}
	capacity
}

/// The host's network interfaces with a hardware address (at most 10, as the chain keeps).
pub fn host_interfaces() -> Vec<Interface> {
	let mut interfaces = vec![];
	let Ok(entries) = std::fs::read_dir("/sys/class/net") else { return interfaces };
	let mut names: Vec<String> = entries
		.flatten()
		.map(|e| e.file_name().to_string_lossy().into_owned())
		.collect();
	names.sort();
	for name in names {
		let mac = std::fs::read_to_string(format!("/sys/class/net/{name}/address"))
			.map(|s| s.trim().to_string())
			.unwrap_or_default();
		if mac.is_empty() || mac == "00:00:00:00:00:00" || name.len() > 20 {
			continue;
		}
		interfaces.push(Interface { name, mac, ips: vec![] });
		if interfaces.len() == 10 {
			break;
		}
	}
	interfaces
}

/// The hypervisor the host runs under, if any (the CPU's `hypervisor` flag).
pub fn host_hypervisor() -> Option<String> {
	let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
	let flagged = cpuinfo
		.lines()
		.filter(|l| l.starts_with("flags"))
		.any(|l| l.split_whitespace().any(|f| f == "hypervisor"));
	if !flagged {
		return None;
	}
	let name = std::fs::read_to_string("/sys/hypervisor/type").unwrap_or_default();
	Some(if name.trim().is_empty() { "unknown".into() } else { name.trim().into() })
}

/// The board's serial number, when readable.
pub fn host_serial() -> Option<String> {
	["/sys/class/dmi/id/board_serial", "/sys/class/dmi/id/product_serial"]
		.iter()
		.filter_map(|p| std::fs::read_to_string(p).ok())
		.map(|s| s.trim().to_string())
		.find(|s| !s.is_empty() && s.is_ascii())
}

/// Whether the machine booted with UEFI secure boot on.
pub fn host_secure_boot() -> bool {
	let Ok(entries) = std::fs::read_dir("/sys/firmware/efi/efivars") else { return false };
	entries
		.flatten()
		.filter(|e| e.file_name().to_string_lossy().starts_with("SecureBoot-"))
		// 4 bytes of attributes, then the value.
		.any(|e| std::fs::read(e.path()).is_ok_and(|b| b.get(4) == Some(&1)))
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]
	use super::*;

	fn machine() -> Machine {
		let facts = Facts {
			capacity: Capacity::default(),
			dmi: Dmi::default(),
			hypervisor: None,
			interfaces: vec![],
			location: Location::default(),
			usage_file: None,
			boot_delay: 5,
		};
		Machine::new(facts, 100)
	}

	#[test]
	fn a_power_cycle_boots_anew_after_the_delay() {
		let m = machine();
		assert_eq!(m.uptime(200), Some(Uptime { boot_time: 100, now: 200 }));
		m.set_power(Power::Down, 200);
		assert!(!m.is_on(201) && m.uptime(201).is_none());
		// Asking an off machine to go down changes nothing; waking boots it.
		m.set_power(Power::Down, 202);
		m.set_power(Power::Up, 300);
		assert!(!m.is_on(304));
		assert_eq!(m.uptime(306), Some(Uptime { boot_time: 305, now: 306 }));
		// Waking a machine that is on does not reboot it.
		m.set_power(Power::Up, 400);
		assert_eq!(m.uptime(401).unwrap().boot_time, 305);
	}

	#[test]
	fn usage_without_a_file_is_empty() {
		assert!(machine().usage(5).unwrap().contracts.is_empty());
	}
}
