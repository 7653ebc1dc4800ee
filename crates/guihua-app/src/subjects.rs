//! Resolving what a person typed ("i3", "森林覆盖率", "单位GDP能耗降低", "forest_coverage",
//! "t12", "j4", "c6") to a subject of one plan.
//!
//! Loaded once per plan and kept in hash maps, so an import of 100,000 rows resolves each
//! row without touching the store.

use std::collections::HashMap;

use guihua_store::{PlanRow, Store, SubjectKind};

pub struct Subjects {
    pub plan: PlanRow,
    by_id: HashMap<String, SubjectKind>,
    by_name: HashMap<String, Vec<(SubjectKind, String)>>,
    by_catalog: HashMap<String, String>,
    catalog_of: HashMap<String, String>,
    names: HashMap<(SubjectKind, String), (String, Option<String>)>,
    /// Base and target levels of table indicators (for plausibility checks).
    levels: HashMap<String, (Option<f64>, Option<f64>)>,
}

impl Subjects {
    pub fn load(store: &dyn Store, plan: PlanRow) -> crate::Result<Subjects> {
        let mut s = Subjects {
            plan,
            by_id: HashMap::new(),
            by_name: HashMap::new(),
            by_catalog: HashMap::new(),
            catalog_of: HashMap::new(),
            names: HashMap::new(),
            levels: HashMap::new(),
        };
        let id = s.plan.id;
        for i in store.indicators(id)? {
            s.add(SubjectKind::Indicator, &i.id, &i.name, i.unit.clone());
            // A target written as a change (〔…〕, 年均, 累计) is not a level to compare with.
            let change = i.target.contains(['〔', '［', '[', '【', '﹝'])
                || ["年均", "累计", "提高", "下降", "降低"]
                    .iter()
                    .any(|w| i.target.contains(w));
            s.levels.insert(
                i.id.clone(),
                (i.base_value, i.target_value.filter(|_| !change)),
            );
            if let Some(c) = i.link.as_ref().and_then(|l| l.catalog_id.clone()) {
                s.catalog_of.insert(i.id.clone(), c.clone());
                s.by_catalog.entry(c).or_insert_with(|| i.id.clone());
            }
        }
        for t in store.targets(id)? {
            s.add(SubjectKind::Target, &t.id, &t.subject, t.unit.clone());
        }
        for j in store.projects(id)? {
            s.add(SubjectKind::Project, &j.id, &j.name, None);
        }
        for n in store.outline(id)? {
            s.add(SubjectKind::Chapter, &n.id, &n.title, None);
        }
        Ok(s)
    }

    fn add(&mut self, kind: SubjectKind, id: &str, name: &str, unit: Option<String>) {
        self.by_id.insert(id.to_string(), kind);
        self.by_name
            .entry(name.trim().to_string())
            .or_default()
            .push((kind, id.to_string()));
        self.names
            .insert((kind, id.to_string()), (name.to_string(), unit));
    }

    /// What the plan says about a subject, for plausibility checks.
    pub fn expectation(&self, kind: SubjectKind, id: &str) -> crate::plausibility::Expectation<'_> {
        let (name, unit) = self.name(kind, id);
        let (base, target) = match kind {
            SubjectKind::Indicator => self.levels.get(id).copied().unwrap_or((None, None)),
            _ => (None, None),
        };
        crate::plausibility::Expectation {
            name,
            unit,
            base,
            target,
        }
    }

    /// The catalogue id a plan indicator is linked to.
    pub fn catalog_of(&self, indicator: &str) -> Option<&str> {
        self.catalog_of.get(indicator).map(String::as_str)
    }

    /// The name (and unit) of a subject.
    pub fn name(&self, kind: SubjectKind, id: &str) -> (&str, Option<&str>) {
        self.names
            .get(&(kind, id.to_string()))
            .map(|(n, u)| (n.as_str(), u.as_deref()))
            .unwrap_or(("", None))
    }

    /// Resolve text to a subject of one of the `allowed` kinds.
    pub fn resolve(
        &self,
        text: &str,
        allowed: &[SubjectKind],
    ) -> Result<(SubjectKind, String), String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("empty".into());
        }
        if let Some(k) = self.by_id.get(t) {
            if allowed.contains(k) {
                return Ok((*k, t.to_string()));
            }
        }
        if let Some(v) = self.by_name.get(t) {
            let mut hits: Vec<_> = v.iter().filter(|(k, _)| allowed.contains(k)).collect();
            // A name that is both a table indicator and a prose target means the indicator.
            if hits
                .iter()
                .filter(|(k, _)| *k == SubjectKind::Indicator)
                .count()
                == 1
            {
                hits.retain(|(k, _)| *k == SubjectKind::Indicator);
            }
            match hits.as_slice() {
                [one] => return Ok((*one).clone()),
                [] => {}
                many => {
                    return Err(format!(
                        "{t} is ambiguous in plan {} ({}); use the id",
                        self.plan.id,
                        many.iter()
                            .map(|(_, i)| i.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                }
            }
        }
        if allowed.contains(&SubjectKind::Indicator) {
            if let Some(c) = guihua_catalog::lookup(t) {
                if let Some(i) = self.by_catalog.get(c.id) {
                    return Ok((SubjectKind::Indicator, i.clone()));
                }
                return Err(format!(
                    "plan {} ({}) has no indicator linked to {} ({})",
                    self.plan.id,
                    self.plan.label(),
                    c.id,
                    c.name
                ));
            }
        }
        let what = allowed.iter().map(|k| k.zh()).collect::<Vec<_>>().join("/");
        Err(format!(
            "unknown {what} {t} in plan {} ({})",
            self.plan.id,
            self.plan.label()
        ))
    }

    /// A year a value may be entered for: in the plan period, base year included;
    /// otherwise the reason.
    pub fn check_year(&self, year: i32) -> crate::Result<()> {
        let (from, to) = match self.plan.period {
            Some((s, e)) => (s - 1, e),
            None => (1949, 2100),
        };
        if (from..=to).contains(&year) {
            Ok(())
        } else {
            Err(crate::Error::Invalid(format!(
                "year {year} is outside the plan period {from}–{to}"
            )))
        }
    }
}
