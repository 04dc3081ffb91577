//! The `cuecard` CLI as a library. A kb takes one path through it, and the
//! folders follow that path, each stage importing only from those before it:
//!
//! 1. [`kb`]: read what the kb folder holds (config, locales, files, through
//!    the sandbox);
//! 2. [`article`]: parse each file into an [`article::Article`] (pure);
//! 3. [`check`]: every article together: the pipeline `check`, `build`,
//!    `eval` and `gaps` share, and the cross-article checks;
//! 4. [`history`]: when each article changed, from git;
//! 5. [`bundle`]: write the bundle and publish it;
//! 6. [`site`]: the built site around the bundle (the app the binary
//!    carries, headers, workers);
//! 7. [`measure`]: run the engine on a compiled kb (`eval`, `gaps`);
//! 8. [`serve`]: the authors' preview, rebuilt on every save;
//! 9. [`import`]: what a contact centre already has (a Zendesk Guide help
//!    centre, a Confluence space) as a kb.
//!
//! [`findings`] is what every stage reports in; [`cli`] is one file per
//! subcommand, and hands `serve` the build it reruns.
//! `main.rs` only parses arguments and calls [`cli::run`].

pub mod findings;

pub mod kb;

pub mod article;

pub mod check;

pub mod history;

pub mod bundle;

pub mod site;

pub mod measure;

pub mod serve;

pub mod import;

pub mod cli;

// Paths the integration tests and tools name.
pub use check::compile;
pub use kb::front_matter;
