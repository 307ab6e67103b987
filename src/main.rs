//! `cognito-conformance`: run the contract catalogue against a Cognito-compatible endpoint.
//!
//! Exit codes: 0 conformant, 1 gaps found, 2 could not run (bad flags or fixtures,
//! unreachable endpoint, no case executed). Only this file maps errors to exit codes.

use std::process::ExitCode;

use clap::Parser;
use cognito_conformance::cli;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if let Err(e) = args.init_logging() {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(cli::dispatch(args)) {
        Ok(outcome) => ExitCode::from(outcome.code()),
        // A closed stdout ends output quietly (commands write through
        // `cognito_conformance::stdout`; this catches any write that did not).
        Err(e) if cognito_conformance::stdout::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", causes(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and each of its causes once: a message that already quotes its cause (an error
/// written "cannot read x: {source}") is not followed by the same text again.
fn causes(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = cause.source();
    }
    out
}
