//! Developer aid: `cargo run -p guihua-parse --example dump -- FILE [what]` prints what the
//! parser extracts from a plan file (any container the reader takes).
use guihua_model::Level;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: dump FILE [outline|indicators|targets|projects|diagnostics]");
        std::process::exit(2);
    };
    let what = args.get(2).map(String::as_str).unwrap_or("summary");
    let plan = match guihua_read::read_path(std::path::Path::new(path)) {
        Ok(d) => guihua_parse::parse_document(&d.document),
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "title={:?} region={:?} period={:?} adopted={:?}",
        plan.title, plan.region, plan.period, plan.adopted
    );
    println!(
        "part={} chapter={} section={} box={} preface={} indicators={} targets={} projects={} diags={}",
        plan.count(Level::Part),
        plan.count(Level::Chapter),
        plan.count(Level::Section),
        plan.count(Level::Box),
        plan.count(Level::Preface),
        plan.indicators.len(),
        plan.targets.len(),
        plan.projects.len(),
        plan.diagnostics.len()
    );
    match what {
        "outline" => {
            for n in guihua_model::walk_outline(&plan.outline) {
                println!("{:>5} {:<14} {}", n.line, n.id, n.title);
            }
        }
        "rows" => {
            for i in &plan.indicators {
                println!("{}  L{}", row(i), i.line);
            }
            for r in &plan.review {
                println!(
                    "R {}||{}  L{}",
                    row(&r.indicator),
                    q(&r.actual),
                    r.indicator.line
                );
            }
        }
        "indicators" => {
            for i in &plan.indicators {
                println!(
                    "{} L{} seq={:?} cat={:?} name={} unit={:?} attr={:?} parent={:?} box={:?}\n    base={:?} {:?} {:?} {:?}\n    target={:?} {:?} {:?} {:?} {:?}\n    pace={:?} {:?} {:?} {:?} {:?}",
                    i.id, i.line, i.seq, i.category, i.name, i.unit, i.attribute, i.parent, i.box_id,
                    i.base.text, i.base.kind, i.base.value, i.base.comparator,
                    i.target.text, i.target.kind, i.target.value, i.target.comparator, i.target.reference,
                    i.pace.text, i.pace.kind, i.pace.value, i.pace.comparator, i.pace.reference
                );
            }
            for n in &plan.indicator_notes {
                println!("note L{}: {}", n.line, n.text);
            }
        }
        "targets" | "facts" => {
            let list = if what == "facts" {
                &plan.facts
            } else {
                &plan.targets
            };
            for t in list {
                let q = &t.quantity;
                println!(
                    "L{} {:?} [{}] {:?} {:?} {:?} {:?} {:?} y={:?} ref={:?} «{}»",
                    t.line,
                    t.section,
                    t.subject,
                    q.kind,
                    q.comparator,
                    q.value,
                    q.value_max,
                    q.unit,
                    q.year,
                    q.reference,
                    q.text
                );
            }
        }
        "projects" => {
            for p in &plan.projects {
                println!(
                    "L{} {:?}/{:?} [{:?}] {} inv={:?} cap={:?}",
                    p.line, p.section, p.box_id, p.group, p.name, p.investment, p.capacity
                );
            }
        }
        _ => {}
    }
    if what == "diagnostics" || what == "summary" {
        for d in &plan.diagnostics {
            println!("{:?} {} L{:?}: {}", d.severity, d.code, d.line, d.message);
        }
    }
}

fn q(x: &guihua_model::Quantity) -> String {
    use guihua_model::QuantityKind::*;
    let mut s = match x.kind {
        Level => "level",
        Growth => "growth",
        Cumulative => "cumulative",
        Relative => "relative",
        Delegated => "delegated",
        Qualitative => "qualitative",
        None => "none",
    }
    .to_string();
    if let Some(v) = x.value {
        s.push_str(&format!(":{v}"));
        if let Some(m) = x.value_max {
            s.push_str(&format!("-{m}"));
        }
    }
    if let Some(c) = x.comparator {
        s.push_str(&format!(":{c:?}").to_lowercase());
    }
    if let Some(r) = &x.reference {
        s.push_str(&format!("@{r}"));
    }
    if x.held {
        s.push_str("[held]");
    }
    if x.estimate {
        s.push_str("[est]");
    }
    if let Some((a, b)) = x.span {
        s.push_str(&format!("[{a}-{b}]"));
    }
    if !x.parts.is_empty() {
        s.push_str(&format!("{:?}", x.parts));
    }
    s
}

fn row(i: &guihua_model::Indicator) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}|{}|{}|{}",
        i.seq.as_deref().unwrap_or(""),
        i.category.as_deref().unwrap_or(""),
        i.name,
        i.unit.as_deref().unwrap_or(""),
        i.attribute.map(|a| a.zh()).unwrap_or(""),
        q(&i.base),
        q(&i.target),
        q(&i.pace),
        i.parent.as_deref().unwrap_or("")
    )
}
