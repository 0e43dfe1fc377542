//! Secrets that carry authority: the trainer token and the seat tokens.

use std::fmt;

use rand::RngCore;

/// A 128-bit random secret, written as 32 hex digits. It travels only in message bodies,
/// never in a URL, and is never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Token([u8; 16]);

impl Token {
    pub fn generate(rng: &mut dyn RngCore) -> Token {
        let mut bytes = [0; 16];
        rng.fill_bytes(&mut bytes);
        Token(bytes)
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    /// Compares against what a client sent in time independent of where they differ, so the
    /// answer's timing tells a guesser nothing.
    pub fn matches(&self, candidate: &str) -> bool {
        let expected = self.to_hex();
        if candidate.len() != expected.len() {
            return false;
        }
        expected.bytes().zip(candidate.bytes()).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_matches_only_itself() {
        let mut rng = rand::rng();
        let token = Token::generate(&mut rng);
        assert!(token.matches(&token.to_hex()));
        assert!(!token.matches(&Token::generate(&mut rng).to_hex()));
        assert!(!token.matches(""));
        assert_eq!(format!("{token:?}"), "Token(…)", "debug output never shows the secret");
    }
}
