//! Microversions (`2.58`, `1.18`): parsed as two integers so that `2.10` sorts after `2.9`
//! and is never confused with `2.1`, which a float parse would do.

use std::fmt;
use std::str::FromStr;

/// A microversion `MAJOR.MINOR`, ordered numerically component by component; written in
/// documents as the text `"2.58"`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Microversion {
    pub major: u32,
    pub minor: u32,
}

impl Microversion {
    pub const fn new(major: u32, minor: u32) -> Self {
        Self { major, minor }
    }
}

/// Why a string is not a microversion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a microversion like `2.58`, found `{0}`")]
pub struct ParseMicroversionError(pub String);

impl FromStr for Microversion {
    type Err = ParseMicroversionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseMicroversionError(s.to_string());
        let (major, minor) = s.trim().split_once('.').ok_or_else(err)?;
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(major) || !digits(minor) {
            return Err(err());
        }
        Ok(Self::new(major.parse().map_err(|_| err())?, minor.parse().map_err(|_| err())?))
    }
}

impl TryFrom<String> for Microversion {
    type Error = ParseMicroversionError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Microversion> for String {
    fn from(version: Microversion) -> Self {
        version.to_string()
    }
}

impl fmt::Display for Microversion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// An inclusive microversion range; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct VersionRange {
    pub min: Option<Microversion>,
    pub max: Option<Microversion>,
}

impl VersionRange {
    pub fn contains(&self, v: Microversion) -> bool {
        self.min.is_none_or(|min| v >= min) && self.max.is_none_or(|max| v <= max)
    }

    pub fn is_unbounded(&self) -> bool {
        self.min.is_none() && self.max.is_none()
    }

    /// The smallest range covering both (an open end on either side stays open).
    pub fn union(&self, other: &Self) -> Self {
        Self {
            min: self.min.zip(other.min).map(|(a, b)| a.min(b)),
            max: self.max.zip(other.max).map(|(a, b)| a.max(b)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_ten_is_after_two_nine_and_not_two_one() {
        let v210: Microversion = "2.10".parse().unwrap();
        assert!(v210 > "2.9".parse().unwrap());
        assert_ne!(v210, "2.1".parse().unwrap());
    }

    #[test]
    fn rejects_non_versions() {
        for bad in ["2", "2.", ".1", "a.b", "2.1.3", ""] {
            assert!(bad.parse::<Microversion>().is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges_contain_their_ends_and_union_keeps_open_ends() {
        let r = VersionRange {
            min: Some(Microversion::new(2, 51)),
            max: Some(Microversion::new(2, 60)),
        };
        assert!(r.contains(Microversion::new(2, 51)) && r.contains(Microversion::new(2, 60)));
        assert!(!r.contains(Microversion::new(2, 50)) && !r.contains(Microversion::new(2, 61)));
        let open = VersionRange { min: None, max: Some(Microversion::new(2, 50)) };
        assert_eq!(r.union(&open), VersionRange { min: None, max: Some(Microversion::new(2, 60)) });
    }
}
