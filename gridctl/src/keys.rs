//! Key files: one sr25519 key per file, readable by its owner only (mode 0600), with the chain
//! it was made for. The secret is never printed, logged or passed on a command line.

use crate::fail::Failure;
use serde::{Deserialize, Serialize};
use std::{
	io::Write,
	os::unix::fs::{OpenOptionsExt, PermissionsExt},
	path::{Path, PathBuf},
};
use subxt::utils::AccountId32;
use subxt_signer::{bip39::Mnemonic, sr25519::Keypair, SecretUri};

/// The key file's format version.
const VERSION: u32 = 1;

/// Where a key comes from.
#[derive(Clone, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Secret {
	/// A BIP-39 phrase (12 or 24 words), as polkadot.js and wallets show it.
	Mnemonic(String),
	/// A 32-byte mini secret key, hex.
	Seed(String),
	/// A development URI such as `//Alice`: usable on development chains only.
	Dev(String),
}

/// A key file's contents.
#[derive(Clone, Serialize, Deserialize)]
pub struct KeyFile {
	pub version: u32,
	/// The account's SS58 address (generic prefix 42).
	pub address: String,
	pub secret: Secret,
	/// The genesis hash of the chain it was made for (a warning names another chain).
	pub genesis: String,
}

impl Secret {
	/// The keypair it derives.
	pub fn keypair(&self) -> Result<Keypair, Failure> {
		let bad = |what: &str| Failure::input(format!("the key's {what} is not valid"));
		match self {
			Secret::Mnemonic(words) => {
				let phrase = Mnemonic::parse(words.trim()).map_err(|_| bad("mnemonic"))?;
				Keypair::from_phrase(&phrase, None).map_err(|_| bad("mnemonic"))
			},
			Secret::Seed(hex_seed) => {
				let bytes = hex::decode(hex_seed.trim().trim_start_matches("0x"))
					.map_err(|_| bad("seed"))?;
				let seed: [u8; 32] = bytes.try_into().map_err(|_| bad("seed (32 bytes)"))?;
				Keypair::from_secret_key(seed).map_err(|_| bad("seed"))
			},
			Secret::Dev(uri) => {
				let uri: SecretUri = uri.parse().map_err(|_| bad("development URI"))?;
				Keypair::from_uri(&uri).map_err(|_| bad("development URI"))
			},
		}
	}
}

/// The account of a keypair.
pub fn account(key: &Keypair) -> AccountId32 {
	key.public_key().into()
}

/// A new random 24-word phrase, from the kernel's randomness.
pub fn new_mnemonic() -> Result<String, Failure> {
	let mut entropy = [0u8; 32];
	std::fs::File::open("/dev/urandom")
		.and_then(|mut f| std::io::Read::read_exact(&mut f, &mut entropy))
		.map_err(|e| Failure::input(format!("no randomness from /dev/urandom: {e}")))?;
	let phrase = Mnemonic::from_entropy(&entropy)
		.map_err(|e| Failure::input(format!("cannot make a phrase: {e}")))?;
	Ok(phrase.to_string())
}

/// The key file to use: `--key`/`GRIDCTL_KEY`, else `~/.config/gridctl/key.json`.
pub fn default_path() -> PathBuf {
	let home = std::env::var_os("HOME")
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from("."));
	home.join(".config/gridctl/key.json")
}

/// Writes a new key file with mode 0600; never replaces one unless `force`.
pub fn write(path: &Path, file: &KeyFile, force: bool) -> Result<(), Failure> {
	if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
		std::fs::create_dir_all(dir)
			.map_err(|e| Failure::input(format!("cannot create {}: {e}", dir.display())))?;
	}
	if force {
		let _ = std::fs::remove_file(path);
	}
	let mut out = std::fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(path)
		.map_err(|e| match e.kind() {
			std::io::ErrorKind::AlreadyExists => Failure::input(format!(
				"{} exists: pass --force to replace it (its key is lost unless backed up)",
				path.display()
			)),
			_ => Failure::input(format!("cannot write {}: {e}", path.display())),
		})?;
	let json = serde_json::to_vec_pretty(file).map_err(|e| Failure::input(e.to_string()))?;
	out.write_all(&json)
		.and_then(|()| out.sync_all())
		.map_err(|e| Failure::input(format!("cannot write {}: {e}", path.display())))
}

/// Reads a key file, refusing one that others can read or write.
pub fn read(path: &Path) -> Result<KeyFile, Failure> {
	let meta = std::fs::metadata(path).map_err(|e| {
		Failure::input(format!(
			"no key file at {} ({e}): create one with `gridctl key new` or `gridctl key import`, \
			 or choose one with --key / GRIDCTL_KEY",
			path.display()
		))
	})?;
	let mode = meta.permissions().mode() & 0o777;
	if mode & 0o077 != 0 {
		return Err(Failure::input(format!(
			"{} has mode {mode:04o}: a key file must be readable by its owner only. \
			 Run `chmod 600 {}` (and consider the key exposed)",
			path.display(),
			path.display()
		)));
	}
	let bytes = std::fs::read(path)
		.map_err(|e| Failure::input(format!("cannot read {}: {e}", path.display())))?;
	let file: KeyFile = serde_json::from_slice(&bytes).map_err(|e| {
		Failure::input(format!("{} is not a gridctl key file: {e}", path.display()))
	})?;
	if file.version != VERSION {
		return Err(Failure::input(format!(
			"{} is a key file of version {}; this gridctl reads version {VERSION}",
			path.display(),
			file.version
		)));
	}
	Ok(file)
}

/// A key file for `secret`, made for the chain with genesis hash `genesis`.
pub fn key_file(secret: Secret, genesis: String) -> Result<(KeyFile, Keypair), Failure> {
	let key = secret.keypair()?;
	let address = account(&key).to_string();
	Ok((KeyFile { version: VERSION, address, secret, genesis }, key))
}

/// Reads a secret typed on the terminal without echo, or a line from standard input.
pub fn read_secret(prompt: &str) -> Result<String, Failure> {
	use std::io::IsTerminal;
	let secret = if std::io::stdin().is_terminal() {
		rpassword::prompt_password(prompt)
	} else {
		let mut line = String::new();
		std::io::stdin().read_line(&mut line).map(|_| line)
	}
	.map_err(|e| Failure::input(format!("cannot read the secret: {e}")))?;
	let secret = secret.trim().to_string();
	if secret.is_empty() {
		return Err(Failure::input("no secret given (it is read from standard input)"));
	}
	Ok(secret)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn temp(name: &str) -> PathBuf {
		let dir = std::env::temp_dir().join(format!("gridctl-keys-{name}-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		dir.join("key.json")
	}

	#[test]
	fn a_written_key_is_private_and_reads_back() {
		let path = temp("roundtrip");
		let phrase = new_mnemonic().unwrap();
		assert_eq!(phrase.split_whitespace().count(), 24);
		let (file, key) = key_file(Secret::Mnemonic(phrase), "0x01".into()).unwrap();
		write(&path, &file, false).unwrap();
		let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
		assert_eq!(mode, 0o600);
		let back = read(&path).unwrap();
		assert_eq!(account(&back.secret.keypair().unwrap()), account(&key));
		// Never replaced silently.
		assert!(write(&path, &file, false).err().unwrap().to_string().contains("--force"));
	}

	#[test]
	fn a_key_file_others_can_read_is_refused() {
		let path = temp("mode");
		let (file, _) = key_file(Secret::Dev("//Alice".into()), "0x01".into()).unwrap();
		write(&path, &file, false).unwrap();
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
		let err = read(&path).err().unwrap().to_string();
		assert!(err.contains("mode 0644") && err.contains("chmod 600"), "{err}");
	}

	#[test]
	fn every_kind_of_secret_derives_its_key() {
		let alice = Secret::Dev("//Alice".into()).keypair().unwrap();
		assert_eq!(account(&alice).to_string(), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
		let seed = Secret::Seed(format!("0x{}", "11".repeat(32))).keypair().unwrap();
		assert_ne!(account(&seed), account(&alice));
		assert!(Secret::Seed("0x1234".into()).keypair().is_err());
		assert!(Secret::Mnemonic("not a phrase".into()).keypair().is_err());
	}
}
