#[test]
#[ignore]
fn dump() {
    for f in [
        "001_0c6556c11fc3ed0a.txt",
        "002_1291a593b1502d9c.txt",
        "003_f3c3abe848757c8b.txt",
    ] {
        let p = guihua_parse::parse_text(
            &std::fs::read_to_string(format!("/work/shared/seeds/{f}")).unwrap(),
        );
        println!("=== {f} {:?}", p.period);
        for i in &p.indicators {
            println!(
                "{} {:?} [{:?}] {:?}\n   base={:?}\n   target={:?}\n   pace={:?}",
                i.id, i.name, i.unit, i.attribute, i.base, i.target, i.pace
            );
        }
        for t in &p.targets {
            if t.quantity.value.is_some() || t.quantity.kind == guihua_model::QuantityKind::Relative
            {
                println!("{} {:?} {:?}", t.id, t.subject, t.quantity);
            }
        }
    }
}
