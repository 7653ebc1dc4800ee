//! How text becomes terms: two analyzers over the same body.
//!
//! * `jieba` — words, by tantivy-jieba in its default (non-search) mode with **ordinal
//!   positions**: the n-th word is at position n, so a query of several words is a phrase
//!   that matches them side by side. (Its search mode adds overlapping sub-words and
//!   jieba's own positions are character offsets: with either, "城市更新" as a phrase of
//!   城市 + 更新 would not match.) Words rank well: 城市更新 as one word scores above a
//!   paragraph that has 城市 somewhere and 更新 somewhere else.
//! * `chars` — every pair of neighbouring characters (white space skipped), the n-th pair
//!   at position n. A query term as a phrase of its pairs (城市更新: 城市 市更 更新) matches
//!   wherever the term occurs literally, whatever jieba made of the surrounding text
//!   ("建设氢能产业" may segment as 建设 / 氢能产业 or 建设 / 氢 / 能产业): the recall a reader
//!   expects from "find 氢能 in every plan". Pairs rather than single characters: a
//!   two-character term is one term lookup, and the lists a phrase intersects are far
//!   shorter (single characters made a common query 20 times slower over 3,000 plans).
//!   A one-character term is looked up as a jieba word.
//!
//! Both drop white space and lower-case Latin letters. Hand-written here: the pair
//! tokenizer (tantivy's n-gram tokenizer gives every gram position 0, so no phrases) and
//! the wrapper that keeps jieba's positions ordinal once white space is dropped.

use tantivy::tokenizer::{LowerCaser, TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy_jieba::JiebaTokenizer;

/// Name of the word analyzer in the index's tokenizer manager.
pub const WORDS: &str = "guihua_jieba";
/// Name of the character analyzer.
pub const CHARS: &str = "guihua_bigrams";

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
    TextAnalyzer::builder(BigramTokenizer)
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

/// Every pair of neighbouring characters (white space skipped) a token, the n-th pair at
/// position n; a text of one character is that character.
#[derive(Clone, Copy, Default)]
pub struct BigramTokenizer;

pub struct BigramStream<'a> {
    /// The characters that count, with their byte ranges.
    chars: Vec<(usize, usize, char)>,
    at: usize,
    token: Token,
    _text: std::marker::PhantomData<&'a str>,
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream<'a> {
        BigramStream {
            chars: text
                .char_indices()
                .filter(|(_, c)| !c.is_whitespace())
                .map(|(i, c)| (i, i + c.len_utf8(), c))
                .collect(),
            at: 0,
            token: Token::default(),
            _text: std::marker::PhantomData,
        }
    }
}

impl TokenStream for BigramStream<'_> {
    fn advance(&mut self) -> bool {
        let n = self.chars.len();
        let (from, to) = match (n, self.at) {
            (1, 0) => (0, 0),
            (n, at) if n >= 2 && at + 1 < n => (at, at + 1),
            _ => return false,
        };
        self.token.offset_from = self.chars[from].0;
        self.token.offset_to = self.chars[to].1;
        self.token.position = self.at;
        self.token.position_length = 1;
        self.token.text.clear();
        for k in from..=to {
            self.token.text.push(self.chars[k].2);
        }
        self.at += 1;
        true
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
    fn bigrams_are_every_pair_of_neighbours() {
        assert_eq!(
            positions(&mut chars(), "氢 能A"),
            vec![("氢能".into(), 0), ("能a".into(), 1)]
        );
        assert_eq!(positions(&mut chars(), "氢"), vec![("氢".into(), 0)]);
        assert!(positions(&mut chars(), " \t\n").is_empty());
    }
}
