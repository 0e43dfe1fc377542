//! What the core knows of the secrets that carry authority: only their SHA-256 digests.
//!
//! The shell makes the random tokens and hands them to the people they belong to; the room
//! keeps a digest, so its event log can be read, exported or restored without holding a
//! secret.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenDigest([u8; 32]);

impl TokenDigest {
    pub fn of(token: &str) -> TokenDigest {
        TokenDigest(Sha256::digest(token.as_bytes()).into())
    }

    /// Whether `candidate` is the token this is the digest of. Compares in time independent
    /// of where the digests differ.
    pub fn matches(&self, candidate: &str) -> bool {
        let other = TokenDigest::of(candidate);
        self.0.iter().zip(other.0.iter()).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
    }

    fn to_hex(self) -> String {
        self.0.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

impl fmt::Debug for TokenDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenDigest({})", &self.to_hex()[..8])
    }
}

impl Serialize for TokenDigest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for TokenDigest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TokenDigest, D::Error> {
        let hex = String::deserialize(deserializer)?;
        let mut bytes = [0u8; 32];
        let valid = hex.len() == 64
            && bytes
                .iter_mut()
                .enumerate()
                .all(|(i, byte)| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map(|value| *byte = value).is_ok());
        if valid { Ok(TokenDigest(bytes)) } else { Err(serde::de::Error::custom("a token digest is 64 hex digits")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_matches_only_its_token_and_round_trips() {
        let digest = TokenDigest::of("geheim");
        assert!(digest.matches("geheim"));
        assert!(!digest.matches("geheim2"));
        let json = serde_json::to_string(&digest).expect("serialises");
        assert_eq!(serde_json::from_str::<TokenDigest>(&json).expect("parses"), digest);
        assert!(serde_json::from_str::<TokenDigest>("\"zz\"").is_err());
    }
}
