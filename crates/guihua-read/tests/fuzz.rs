//! Random bytes never make a reader panic, whatever the file name says.

use guihua_read::read_bytes;
use proptest::prelude::*;

const NAMES: &[&str] = &[
    "a.txt", "a.md", "a.docx", "a.html", "a.htm", "a.pdf", "a.bin", "a",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), n in 0..NAMES.len()) {
        let _ = read_bytes(NAMES[n], &bytes);
    }

    #[test]
    fn random_bytes_behind_magic_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        magic in prop_oneof![Just(&b"PK\x03\x04"[..]), Just(&b"<!DOCTYPE html><table><tr><td rowspan=9 colspan=99999>"[..]), Just(&b"\xFF\xFE"[..]), Just(&b"\xEF\xBB\xBF"[..])],
        n in 0..NAMES.len(),
    ) {
        let mut input = magic.to_vec();
        input.extend_from_slice(&bytes);
        let _ = read_bytes(NAMES[n], &input);
    }

    #[test]
    fn random_markup_never_panics(s in "[<>/a-z=\"' &;#0-9tdrhpbl\u{4e00}-\u{4e10}\n]{0,400}") {
        let _ = read_bytes("x.html", s.as_bytes());
        let _ = read_bytes("x.txt", s.as_bytes());
    }
}
