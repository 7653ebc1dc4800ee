//! Developer aid for profiling: parse the given UTF-8 files N times.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(20);
    let texts: Vec<String> = args
        .iter()
        .skip(1)
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let mut count = 0;
    for _ in 0..n {
        for t in &texts {
            count += guihua_parse::parse_text(t).targets.len();
        }
    }
    println!("{count}");
}
