//! Why a command failed, and its exit code: scripts tell a refusal from bad input from an
//! unreachable chain without reading the message.

use std::fmt;

/// What kind of failure, with its exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
	/// The chain refused: the transaction failed in the runtime or the pool rejected it (1).
	Refused,
	/// Bad input: arguments, amounts, key files, unknown ids; nothing was sent (2).
	Input,
	/// No node answered at any `--url` (3).
	Unreachable,
	/// The person declined at the fee prompt; nothing was sent (4).
	Declined,
}

impl Kind {
	/// The process exit code.
	pub fn code(self) -> u8 {
		match self {
			Kind::Refused => 1,
			Kind::Input => 2,
			Kind::Unreachable => 3,
			Kind::Declined => 4,
		}
	}

	/// Its name in `--json` errors.
	pub fn name(self) -> &'static str {
		match self {
			Kind::Refused => "refused",
			Kind::Input => "input",
			Kind::Unreachable => "unreachable",
			Kind::Declined => "declined",
		}
	}
}

/// A failure: its kind, a message for a person, and for a runtime error its name
/// (`Registry::FarmNameTaken`) and documentation.
#[derive(Debug)]
pub struct Failure {
	pub kind: Kind,
	pub message: String,
	pub error: Option<String>,
	pub docs: Option<String>,
}

impl Failure {
	pub fn new(kind: Kind, message: impl Into<String>) -> Self {
		Failure { kind, message: message.into(), error: None, docs: None }
	}

	/// Bad input.
	pub fn input(message: impl Into<String>) -> Self {
		Self::new(Kind::Input, message)
	}

	/// The chain refused.
	pub fn refused(message: impl Into<String>) -> Self {
		Self::new(Kind::Refused, message)
	}
}

impl fmt::Display for Failure {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(&self.message)?;
		if let Some(docs) = self.docs.as_deref().filter(|d| !d.is_empty()) {
			write!(f, "\n  {docs}")?;
		}
		Ok(())
	}
}

impl std::error::Error for Failure {}

/// Anything else that went wrong talking to the node is a refusal, with its message.
impl From<anyhow::Error> for Failure {
	fn from(e: anyhow::Error) -> Self {
		match e.downcast::<Failure>() {
			Ok(failure) => failure,
			Err(e) => Failure::refused(format!("{e:#}")),
		}
	}
}

pub type Result<T> = std::result::Result<T, Failure>;

/// `?` on results whose error is anything displayable.
pub trait Fail<T> {
	/// As bad input.
	fn input(self) -> Result<T>;
	/// As a refusal from the chain or node.
	fn refused(self) -> Result<T>;
}

impl<T, E: fmt::Display> Fail<T> for std::result::Result<T, E> {
	fn input(self) -> Result<T> {
		self.map_err(|e| Failure::input(e.to_string()))
	}
	fn refused(self) -> Result<T> {
		self.map_err(|e| Failure::refused(e.to_string()))
	}
}
