//! What a command prints: a table or lines for a person, one JSON document for a script. The
//! result goes to standard output; progress, prompts and warnings to standard error, so
//! `gridctl … --json | jq` always reads one document.

use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use serde_json::Value;
use std::io::{IsTerminal, Write};

/// How to print.
#[derive(Clone, Copy, Debug)]
pub struct Out {
	/// `--json`: one JSON document on standard output, nothing else there.
	pub json: bool,
	/// Standard error is a terminal: progress is animated, not printed line by line.
	pub tty: bool,
}

impl Out {
	pub fn new(json: bool) -> Self {
		Out { json, tty: std::io::stderr().is_terminal() }
	}

	/// Prints a command's result: `json` with `--json`, else what `human` writes.
	pub fn result(&self, json: Value, human: impl FnOnce() -> String) {
		let text = if self.json {
			serde_json::to_string_pretty(&json).unwrap_or_default()
		} else {
			human().trim_end().to_string()
		};
		if !text.is_empty() {
			// A closed pipe (`| head`) is not an error of ours.
			let _ = writeln!(std::io::stdout(), "{text}");
		}
	}

	/// A line of progress or a warning, on standard error.
	pub fn note(&self, line: impl AsRef<str>) {
		eprintln!("{}", line.as_ref());
	}
}

/// A table with a header row.
pub fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
	if rows.is_empty() {
		return "(none)".into();
	}
	let mut table = Table::new();
	table.load_preset(UTF8_FULL_CONDENSED).set_header(header.to_vec());
	for row in rows {
		table.add_row(row);
	}
	table.to_string()
}

/// `label: value` lines, aligned.
pub fn fields(pairs: &[(&str, String)]) -> String {
	let width = pairs.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
	pairs.iter().map(|(k, v)| format!("{k:<width$}  {v}\n")).collect()
}
