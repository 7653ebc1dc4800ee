//! Developer aid: `cargo run -p guihua-parse --example blocks -- FILE` prints the document
//! the reader hands the parser: one paragraph per line, table rows as cells joined by ` ¦ `.
use guihua_model::Block;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: blocks FILE");
        std::process::exit(2);
    };
    let doc = match guihua_read::read_path(std::path::Path::new(&path)) {
        Ok(d) => d.document,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => println!(
                "{:>5} P{} {}",
                p.line,
                p.heading_level.map(|h| h.to_string()).unwrap_or_default(),
                p.text
            ),
            Block::Table(t) => {
                println!("{:>5} TABLE", t.line);
                for r in &t.rows {
                    let cells: Vec<String> = r
                        .cells
                        .iter()
                        .map(|c| {
                            let mut s = c.text.clone();
                            if c.col_span > 1 {
                                s.push_str(&format!("⟨{}⟩", c.col_span));
                            }
                            if c.merged_from_above {
                                s.push('↑');
                            }
                            s
                        })
                        .collect();
                    println!("{:>5}   {}", r.line, cells.join(" ¦ "));
                }
            }
        }
    }
}
