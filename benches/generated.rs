//! Benchmark (not a timed test): generated cases per second and the harness's own CPU time per
//! request, against the embedded reference and against moto.
//!
//! ```sh
//! cargo bench --bench generated                       # reference, then moto if installed
//! COGNITO_CONFORMANCE_BENCH_CASES=64 cargo bench --bench generated
//! COGNITO_CONFORMANCE_BENCH_MOTO=http://127.0.0.1:5000 cargo bench --bench generated
//! ```
//!
//! Every property generates its cases (a seeded proptest runner) and runs them through the
//! library's facade ([`Session::run`]), four properties in flight, as `run` does; shrinking is
//! off, so a property that fails stops there and the measure is of the cases that ran (their
//! count is in each outcome). CPU time is this process's user + system time (getrusage):
//! against moto, a separate process, it is the harness's own cost; against the embedded
//! reference it includes the reference server, which runs in-process. Moto is launched on a
//! free loopback port (`.emulators/` or PATH) unless `COGNITO_CONFORMANCE_BENCH_MOTO` names a
//! running one; without either it is skipped.

use std::time::{Duration, Instant};

use cognito_conformance::{
    Catalogue, LaunchOptions, Parts, RunOptions, Session, Settings, TargetSpec, launch,
};

/// Properties in flight at once (`run`'s default concurrency).
const CONCURRENCY: usize = 4;

struct Measure {
    target: String,
    properties: usize,
    cases: usize,
    requests: u64,
    wall: Duration,
    cpu: Duration,
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: both just run.
    let cases: u32 = std::env::var("COGNITO_CONFORMANCE_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            std::process::exit(2);
        }
    };
    let mut results = Vec::new();
    results.push(measure(&runtime, "reference (in-process)", "", cases));
    match std::env::var("COGNITO_CONFORMANCE_BENCH_MOTO") {
        Ok(url) if !url.is_empty() => {
            results.push(measure(&runtime, "moto (external)", &url, cases))
        }
        _ => match runtime.block_on(launch("moto", LaunchOptions::default())) {
            Ok(m) => {
                let label = format!("{} (launched)", m.label);
                results.push(measure(&runtime, &label, &m.url, cases));
                runtime.block_on(m.stop());
            }
            Err(e) => eprintln!("moto skipped: {e}"),
        },
    }
    println!(
        "\n{:<24} {:>5} {:>7} {:>9} {:>9} {:>10} {:>13} {:>13}",
        "target", "props", "cases", "requests", "wall s", "cases/s", "CPU ms/req", "CPU ms/case"
    );
    for m in &results {
        let wall = m.wall.as_secs_f64();
        let cpu_ms = m.cpu.as_secs_f64() * 1000.0;
        println!(
            "{:<24} {:>5} {:>7} {:>9} {:>9.2} {:>10.1} {:>13.3} {:>13.2}",
            m.target,
            m.properties,
            m.cases,
            m.requests,
            wall,
            m.cases as f64 / wall.max(1e-9),
            cpu_ms / (m.requests.max(1) as f64),
            cpu_ms / (m.cases.max(1) as f64),
        );
    }
}

fn measure(runtime: &tokio::runtime::Runtime, label: &str, url: &str, cases: u32) -> Measure {
    let spec = if url.is_empty() {
        TargetSpec::reference()
    } else {
        TargetSpec::endpoint(url)
    };
    let session = runtime
        .block_on(Session::connect(spec))
        .expect("the target answers");
    let selection = Catalogue::load(
        &Catalogue::builtin_fixtures(),
        Parts {
            fixtures: false,
            generated: true,
        },
    )
    .expect("the catalogue");
    let count = selection.properties.len();
    let settings = Settings {
        cases,
        seed: 1,
        max_shrink_iters: 0,
        ..Settings::default()
    };
    let opts = RunOptions {
        concurrency: CONCURRENCY,
        ..RunOptions::default()
    };
    let (requests0, cpu0, start) = (session.requests_sent(), cpu_time(), Instant::now());
    let result = runtime
        .block_on(session.run(selection, &opts, settings, &mut []))
        .expect("the run completes");
    let (wall, cpu, requests) = (
        start.elapsed(),
        cpu_time() - cpu0,
        session.requests_sent() - requests0,
    );
    let total: usize = result
        .outcomes
        .iter()
        .filter_map(|o| o.generated.as_ref().map(|g| g.cases_run))
        .sum();
    for o in &result.outcomes {
        eprintln!("  {:<70} {}", o.id, o.verdict.label());
    }
    runtime.block_on(session.close());
    eprintln!(
        "{label}: {total} cases, {requests} requests in {:.2} s",
        wall.as_secs_f64()
    );
    Measure {
        target: label.into(),
        properties: count,
        cases: total,
        requests,
        wall,
        cpu,
    }
}

/// User + system CPU time of this process so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given, which lives on this stack frame.
    let usage = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut u) != 0 {
            return Duration::ZERO;
        }
        u
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, (t.tv_usec as u32) * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}
