//! Stable identifiers for the data files: UUIDs (v5) derived from keys such as
//! `service:arm:pupil-counselling`, the same from build to build. The Open Referral UK
//! feed, the calendars and the Atom feeds use them.

use uuid::Uuid;

/// Namespace for this project's UUIDs (worked out once).
pub(super) fn namespace() -> Uuid {
    static NAMESPACE: std::sync::OnceLock<Uuid> = std::sync::OnceLock::new();
    *NAMESPACE.get_or_init(|| Uuid::new_v5(&Uuid::NAMESPACE_URL, b"clusterdir"))
}

/// A stable UUID for a key such as `service:arm:pupil-counselling`.
pub fn id(key: &str) -> String {
    Uuid::new_v5(&namespace(), key.as_bytes()).to_string()
}
