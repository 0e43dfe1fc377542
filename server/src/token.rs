//! Secrets that carry authority: the trainer tokens and the seat tokens. The room keeps only
//! their digests (`cards::TokenDigest`).

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
    fn tokens_are_32_hex_digits_and_never_shown_in_debug_output() {
        let mut rng = rand::rng();
        let token = Token::generate(&mut rng);
        assert_eq!(token.to_hex().len(), 32);
        assert!(token.to_hex().chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(token, Token::generate(&mut rng));
        assert_eq!(format!("{token:?}"), "Token(…)");
    }
}
