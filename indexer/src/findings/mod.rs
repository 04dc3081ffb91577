//! What a stage found wrong, and where: findings with a stable code, file,
//! line and help ([`diagnostics`]), and how bad each code is ([`severity`]).
//! Every stage reports in these types, so this folder imports no other.

pub mod diagnostics;
pub mod severity;
