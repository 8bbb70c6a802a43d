//! The `impasse` binary: parse the command line, call the library, print one
//! `Error:` line and exit with code 2 on any failure.

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    if let Err(err) = cli::execute(args) {
        let mut message = err.to_string();
        for cause in err.chain().skip(1) {
            message.push_str(": ");
            message.push_str(&cause.to_string());
        }
        eprintln!("Error: {message}");
        std::process::exit(2);
    }
}
