//! When a strategy makes a move (escalation, notice): `never`, `now`,
//! `on_impasse`, or a fixed week relative to expiry such as `-26`.
//!
//! Only the syntax lives here; what "now" or "on impasse" means on a path is
//! decided by the model.

use std::fmt;

use serde::{Deserialize, Serialize};

/// When a provider move happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Trigger {
    /// The move is never made.
    #[default]
    Never,
    /// At the opening of staff talks.
    Now,
    /// At the first meeting where an impasse is declared.
    OnImpasse,
    /// At a fixed week relative to expiry (negative: before expiry).
    Week(i32),
}

impl Trigger {
    /// Parse `never`, `now`, `on_impasse` (or `on-impasse`) or a whole week number.
    pub fn parse(text: &str) -> Result<Trigger, String> {
        let t = text.trim();
        match t.to_ascii_lowercase().as_str() {
            "never" => Ok(Trigger::Never),
            "now" => Ok(Trigger::Now),
            "on_impasse" | "on-impasse" => Ok(Trigger::OnImpasse),
            _ => t.parse::<i32>().map(Trigger::Week).map_err(|_| {
                format!(
                    "`{t}` is not a trigger: use never, now, on_impasse, or a week relative to expiry such as -26"
                )
            }),
        }
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trigger::Never => write!(f, "never"),
            Trigger::Now => write!(f, "now"),
            Trigger::OnImpasse => write!(f, "on_impasse"),
            Trigger::Week(w) => write!(f, "{w}"),
        }
    }
}

impl Serialize for Trigger {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Trigger::Week(w) => s.serialize_i64(i64::from(*w)),
            other => s.serialize_str(&other.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Trigger {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Trigger;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "never, now, on_impasse, or a week such as -26")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Trigger, E> {
                i32::try_from(v)
                    .map(Trigger::Week)
                    .map_err(|_| E::custom(format!("week {v} is out of range")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Trigger, E> {
                i32::try_from(v)
                    .map(Trigger::Week)
                    .map_err(|_| E::custom(format!("week {v} is out of range")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Trigger, E> {
                Trigger::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        assert_eq!(Trigger::parse("never"), Ok(Trigger::Never));
        assert_eq!(Trigger::parse("NOW"), Ok(Trigger::Now));
        assert_eq!(Trigger::parse("on_impasse"), Ok(Trigger::OnImpasse));
        assert_eq!(Trigger::parse("on-impasse"), Ok(Trigger::OnImpasse));
        assert_eq!(Trigger::parse("-26"), Ok(Trigger::Week(-26)));
        assert!(Trigger::parse("soon").unwrap_err().contains("on_impasse"));
    }

    #[test]
    fn display_round_trips() {
        for t in [
            Trigger::Never,
            Trigger::Now,
            Trigger::OnImpasse,
            Trigger::Week(-13),
        ] {
            assert_eq!(Trigger::parse(&t.to_string()), Ok(t));
        }
    }
}
