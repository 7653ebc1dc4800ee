//! How text becomes terms: two analyzers over the same body.
//!
//! * `jieba` — words, by tantivy-jieba in its default (non-search) mode with **ordinal
//!   positions**: the n-th word is at position n, so a query of several words is a phrase
//!   that matches them side by side. (Its search mode adds overlapping sub-words and
//!   jieba's own positions are character offsets: with either, "城市更新" as a phrase of
//!   城市 + 更新 would not match.) Words rank well: 城市更新 as one word scores above a
//!   paragraph that has 城市 somewhere and 更新 somewhere else.
//! * `chars` — every character that is not white space, at ordinal positions. A query term
//!   as a phrase of its characters matches wherever the term occurs literally, whatever
//!   jieba made of the surrounding text ("建设氢能产业" may segment as 建设 / 氢能产业 or
//!   建设 / 氢 / 能产业): the recall a reader expects from "find 氢能 in every plan".
//!
//! Both drop white space and lower-case Latin letters. Hand-written here: the character
//! tokenizer (tantivy's n-gram tokenizer gives every gram position 0, so no phrases) and
//! the wrapper that keeps jieba's positions ordinal once white space is dropped.

use tantivy::tokenizer::{LowerCaser, TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy_jieba::JiebaTokenizer;

/// Name of the word analyzer in the index's tokenizer manager.
pub const WORDS: &str = "guihua_jieba";
/// Name of the character analyzer.
pub const CHARS: &str = "guihua_chars";

/// The word analyzer: jieba words, white space dropped, ordinal positions, lower case.
pub fn words() -> TextAnalyzer {
    let mut jieba = JiebaTokenizer::with_search_mode(false);
    jieba.set_ordinal_position_mode(true);
    TextAnalyzer::builder(Ordinal(jieba))
        .filter(LowerCaser)
        .build()
}

/// The character analyzer.
pub fn chars() -> TextAnalyzer {
    TextAnalyzer::builder(CharTokenizer)
        .filter(LowerCaser)
        .build()
}

/// The terms an analyzer makes of `text`, in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// Any tokenizer with white-space tokens dropped and positions renumbered 0, 1, 2, ….
#[derive(Clone)]
pub struct Ordinal<T>(pub T);

pub struct OrdinalStream<S> {
    inner: S,
    next: usize,
}

impl<T: Tokenizer> Tokenizer for Ordinal<T> {
    type TokenStream<'a> = OrdinalStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        OrdinalStream {
            inner: self.0.token_stream(text),
            next: 0,
        }
    }
}

impl<S: TokenStream> TokenStream for OrdinalStream<S> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            if self.inner.token().text.trim().is_empty() {
                continue;
            }
            let t = self.inner.token_mut();
            t.position = self.next;
            t.position_length = 1;
            self.next += 1;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

/// Every non-white-space character a token, at ordinal positions.
#[derive(Clone, Copy, Default)]
pub struct CharTokenizer;

pub struct CharStream<'a> {
    text: &'a str,
    at: usize,
    token: Token,
    next: usize,
}

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = CharStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CharStream<'a> {
        CharStream {
            text,
            at: 0,
            token: Token::default(),
            next: 0,
        }
    }
}

impl TokenStream for CharStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some(c) = self.text[self.at..].chars().next() {
            let from = self.at;
            self.at += c.len_utf8();
            if c.is_whitespace() {
                continue;
            }
            self.token.offset_from = from;
            self.token.offset_to = self.at;
            self.token.position = self.next;
            self.token.position_length = 1;
            self.token.text.clear();
            self.token.text.push(c);
            self.next += 1;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        let mut s = analyzer.token_stream(text);
        while let Some(t) = s.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    #[test]
    fn words_are_ordinal_without_white_space() {
        let got = positions(&mut words(), "推进 城市更新行动 5G");
        let texts: Vec<&str> = got.iter().map(|t| t.0.as_str()).collect();
        assert!(!texts.iter().any(|t| t.trim().is_empty()), "{texts:?}");
        assert!(texts.contains(&"5g"), "{texts:?}");
        let pos: Vec<usize> = got.iter().map(|t| t.1).collect();
        assert_eq!(pos, (0..got.len()).collect::<Vec<_>>());
    }

    #[test]
    fn chars_are_every_character() {
        assert_eq!(
            positions(&mut chars(), "氢 能A"),
            vec![("氢".into(), 0), ("能".into(), 1), ("a".into(), 2)]
        );
        assert!(positions(&mut chars(), " \t\n").is_empty());
    }
}
