//! YAML read with a bound on what it expands to. Aliases (`*a`) replay
//! their anchor, so a few KB of nested aliases can expand to gigabytes (an
//! "alias bomb"): front matter and the kb config come from many hands, so
//! they are read into a [`Value`] that counts every node and scalar byte as
//! it is built and stops at [`EXPANDED_LIMIT`], long before memory matters.

use std::cell::Cell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_norway::{Mapping, Value};

/// Largest YAML text read (front matter or kb config).
pub const TEXT_LIMIT: usize = 256 << 10;
/// Most a YAML text may expand to: each node counts 16, each scalar its bytes.
pub const EXPANDED_LIMIT: usize = 2 << 20;

/// Why YAML was not read.
#[derive(Debug)]
pub enum BoundedError {
    /// Longer than [`TEXT_LIMIT`].
    TooLong(usize),
    /// Not valid YAML, or it expands past [`EXPANDED_LIMIT`] (the message
    /// says which); the location is the parser's, when it has one.
    Invalid { message: String, line: Option<usize>, column: Option<usize> },
}

/// Parses `text` into a YAML value, within the limits.
pub fn parse(text: &str) -> Result<Value, BoundedError> {
    if text.len() > TEXT_LIMIT {
        return Err(BoundedError::TooLong(text.len()));
    }
    let budget = Cell::new(EXPANDED_LIMIT);
    let deserializer = serde_norway::Deserializer::from_str(text);
    BoundedSeed(&budget).deserialize(deserializer).map_err(|error: serde_norway::Error| {
        let location = error.location();
        BoundedError::Invalid { message: error.to_string(), line: location.as_ref().map(|l| l.line()), column: location.map(|l| l.column()) }
    })
}

struct BoundedSeed<'b>(&'b Cell<usize>);

impl BoundedSeed<'_> {
    fn spend<E: serde::de::Error>(&self, cost: usize) -> Result<(), E> {
        let left = self.0.get();
        if cost > left {
            return Err(E::custom(format!("it expands to more than {} KB (YAML aliases repeat what they name)", EXPANDED_LIMIT >> 10)));
        }
        self.0.set(left - cost);
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for BoundedSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for BoundedSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        self.spend(16)?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        self.spend(16)?;
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        self.spend(16)?;
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        self.spend(16)?;
        Ok(Value::Number(v.into()))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        self.spend(16 + v.len())?;
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        self.spend(16 + v.len())?;
        Ok(Value::String(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.spend(16)?;
        Ok(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.spend(16)?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(BoundedSeed(self.0))? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.spend(16)?;
        let mut mapping = Mapping::new();
        while let Some(key) = map.next_key_seed(BoundedSeed(self.0))? {
            let value = map.next_value_seed(BoundedSeed(self.0))?;
            mapping.insert(key, value);
        }
        Ok(Value::Mapping(mapping))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, _data: A) -> Result<Value, A::Error> {
        Err(A::Error::custom("YAML tags (`!name`) are not used in front matter"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ordinary_yaml() {
        let value = parse("title: A\ntags: [a, b]\nowner: { name: Ana }\n").unwrap();
        assert_eq!(value["tags"][1], Value::String("b".into()));
    }

    #[test]
    fn stops_nested_alias_bombs_early() {
        let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for n in 1..30 {
            let prev = n - 1;
            yaml.push_str(&format!("a{n}: &a{n} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        assert!(yaml.len() < 16_000);
        let started = std::time::Instant::now();
        let error = parse(&yaml).unwrap_err();
        assert!(matches!(&error, BoundedError::Invalid { message, .. } if message.contains("expands to more than")), "{error:?}");
        assert!(started.elapsed().as_secs() < 5, "stopped early");
    }

    #[test]
    fn stops_flat_alias_lists() {
        let big = "y".repeat(2000);
        let yaml = format!("a: &a {big}\nb: [{}]\n", vec!["*a"; 5000].join(", "));
        assert!(matches!(parse(&yaml), Err(BoundedError::Invalid { .. })));
    }

    #[test]
    fn refuses_long_text() {
        assert!(matches!(parse(&"a: b\n".repeat(100_000)), Err(BoundedError::TooLong(_))));
    }
}
