//! The node's key: a 32-byte sr25519 seed in `<data-dir>/node.key`, created on first start,
//! readable by its owner only, never logged.

use anyhow::{bail, Context, Result};
use std::{
	fs::{self, OpenOptions},
	io::{Read, Write},
	os::unix::fs::{OpenOptionsExt, PermissionsExt},
	path::{Path, PathBuf},
};
use subxt::utils::AccountId32;
use subxt_signer::sr25519::Keypair;

/// The key file's name in the data directory.
pub const KEY_FILE: &str = "node.key";

/// The node's signing key.
pub struct Identity {
	pub keypair: Keypair,
	pub account: AccountId32,
	pub path: PathBuf,
}

impl std::fmt::Debug for Identity {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		// The secret never reaches a log.
		f.debug_struct("Identity")
			.field("account", &self.account)
			.finish_non_exhaustive()
	}
}

impl Identity {
	/// Loads the key from `data_dir`, creating it (mode 0600) on first start. Refuses a key
	/// file that its group or others may read or write.
	pub fn load_or_create(data_dir: &Path) -> Result<(Self, bool)> {
		let path = data_dir.join(KEY_FILE);
		let created = !path.exists();
		if created {
			create(&path)?;
		}
		let mode = fs::metadata(&path)
			.with_context(|| format!("reading {}", path.display()))?
			.permissions()
			.mode();
		if mode & 0o077 != 0 {
			bail!(
				"the key file {} is accessible to others (mode {:o}): anyone who reads it can \
				 report as this node. Run `chmod 600 {}` if it was never exposed, else delete it \
				 and register a new node",
				path.display(),
				mode & 0o777,
				path.display()
			);
		}
		let text =
			fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
		let seed = parse_seed(text.trim())
			.with_context(|| format!("{} does not hold a 32-byte hex seed", path.display()))?;
		let keypair = Keypair::from_secret_key(seed)
			.map_err(|e| anyhow::anyhow!("{} holds an unusable seed: {e:?}", path.display()))?;
		let account = keypair.public_key().to_account_id();
		Ok((Self { keypair, account, path }, created))
	}
}

fn create(path: &Path) -> Result<()> {
	if let Some(dir) = path.parent() {
		fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
	}
	let mut seed = [0u8; 32];
	fs::File::open("/dev/urandom")
		.and_then(|mut f| f.read_exact(&mut seed))
		.context("reading /dev/urandom for a new node key")?;
	let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
	let mut file = OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(path)
		.with_context(|| format!("creating {}", path.display()))?;
	file.write_all(format!("0x{hex}\n").as_bytes())?;
	file.sync_all()?;
	Ok(())
}

fn parse_seed(text: &str) -> Result<[u8; 32]> {
	let hex = text.strip_prefix("0x").unwrap_or(text);
	if hex.len() != 64 {
		bail!("expected 64 hex digits, found {}", hex.len());
	}
	let mut seed = [0u8; 32];
	for (i, byte) in seed.iter_mut().enumerate() {
		let digits = hex.get(2 * i..2 * i + 2).unwrap_or_default();
		*byte = u8::from_str_radix(digits, 16).context("not hexadecimal")?;
	}
	Ok(seed)
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]
	use super::*;

	fn temp_dir(name: &str) -> PathBuf {
		let dir = std::env::temp_dir().join(format!("zos-bridge-{name}-{}", std::process::id()));
		let _ = fs::remove_dir_all(&dir);
		dir
	}

	#[test]
	fn a_key_is_created_once_with_mode_0600_and_kept() {
		let dir = temp_dir("key");
		let (first, created) = Identity::load_or_create(&dir).unwrap();
		assert!(created);
		let mode = fs::metadata(dir.join(KEY_FILE)).unwrap().permissions().mode();
		assert_eq!(mode & 0o777, 0o600);
		let (again, created) = Identity::load_or_create(&dir).unwrap();
		assert!(!created);
		assert_eq!(first.account, again.account);
		assert!(!format!("{first:?}").contains(&fs::read_to_string(&first.path).unwrap()[2..10]));
	}

	#[test]
	fn a_key_readable_by_others_is_refused() {
		let dir = temp_dir("open-key");
		Identity::load_or_create(&dir).unwrap();
		fs::set_permissions(dir.join(KEY_FILE), fs::Permissions::from_mode(0o644)).unwrap();
		let err = Identity::load_or_create(&dir).unwrap_err().to_string();
		assert!(err.contains("accessible to others (mode 644)"), "{err}");
	}

	#[test]
	fn seeds_parse_as_64_hex_digits() {
		assert_eq!(parse_seed(&format!("0x{}", "01".repeat(32))).unwrap(), [1u8; 32]);
		assert!(parse_seed("0x01").is_err());
		assert!(parse_seed(&"zz".repeat(32)).is_err());
	}
}
