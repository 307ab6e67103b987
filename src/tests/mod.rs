//! Tests across modules, against local stand-ins (wiremock and raw TCP servers on loopback):
//! transport faults, target deviations, throttling, generated properties, secrets. They use the
//! crate's internals, so they live in the crate rather than in `tests/`.

mod faults;
mod generated;
mod layers;
mod protocol_pin;
mod secrets;
mod target_checks;
mod throttling;
