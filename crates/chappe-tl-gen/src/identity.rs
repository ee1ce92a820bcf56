//! Which parts of an old layer are wire-identical to the canonical layer, so
//! their codecs can be reused instead of generated again.
//!
//! A constructor id alone does not prove identity: `flags.N?true` fields are
//! left out of the id's CRC, so e.g. `codeSettings#ad253d78` has different
//! fields in layers 158 and 230. A boxed type is identical when both layers
//! have exactly the same constructors (name, id, parameters) and every type
//! those parameters mention is identical too. That is a greatest fixed point:
//! start from every locally-equal type and drop types that mention a dropped
//! type until nothing changes.

use std::collections::BTreeSet;

use crate::schema::{Def, QualName, Schema, Ty};

pub struct Identity {
    identical_types: BTreeSet<QualName>,
}

/// Boxed types a type expression refers to (bare constructors count as their type).
pub fn referenced_types(schema: &Schema, ty: &Ty, out: &mut Vec<QualName>) {
    match ty {
        Ty::Boxed(q) => out.push(q.clone()),
        Ty::Bare(c) => {
            if let Some(Ty::Boxed(q)) = schema.constructor(c).map(|d| &d.result) {
                out.push(q.clone());
            }
        }
        Ty::Vector { elem, .. } => referenced_types(schema, elem, out),
        _ => {}
    }
}

fn def_refs(schema: &Schema, d: &Def) -> Vec<QualName> {
    let mut out = Vec::new();
    for f in d.fields() {
        referenced_types(schema, &f.ty, &mut out);
    }
    out
}

impl Identity {
    pub fn compute(old: &Schema, canonical: &Schema) -> Self {
        let mut identical: BTreeSet<QualName> = old
            .types
            .keys()
            .filter(|t| {
                let a: Vec<&Def> = old.type_constructors(t).collect();
                let b: Vec<&Def> = canonical.type_constructors(t).collect();
                a.len() == b.len() && a.iter().all(|c| b.contains(c))
            })
            .cloned()
            .collect();
        loop {
            let before = identical.len();
            let snapshot = identical.clone();
            identical.retain(|t| {
                old.type_constructors(t)
                    .all(|c| def_refs(old, c).iter().all(|r| snapshot.contains(r)))
            });
            if identical.len() == before {
                break;
            }
        }
        Identity {
            identical_types: identical,
        }
    }

    pub fn type_identical(&self, t: &QualName) -> bool {
        self.identical_types.contains(t)
    }

    /// A constructor or function of the old layer that encodes exactly like
    /// the canonical definition `canon`.
    pub fn def_identical(&self, old_schema: &Schema, old: &Def, canon: &Def) -> bool {
        old == canon
            && def_refs(old_schema, old)
                .iter()
                .all(|r| self.type_identical(r))
    }

    pub fn count(&self) -> usize {
        self.identical_types.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::parse_schema;

    #[test]
    fn change_propagates_to_referencing_types() {
        let old =
            parse_schema("a#1 x:int = A;\nb#2 a:A = B;\nc#3 = C;\nd#4 flags:# f:flags.0?true = D;")
                .unwrap();
        let new = parse_schema(
            "a#5 x:int y:int = A;\nb#2 a:A = B;\nc#3 = C;\nd#4 flags:# f:flags.0?true g:flags.1?true = D;",
        )
        .unwrap();
        let id = Identity::compute(&old, &new);
        let q = |n: &str| QualName::new(&[], n);
        assert!(!id.type_identical(&q("A")));
        assert!(!id.type_identical(&q("B")), "B mentions the changed A");
        assert!(id.type_identical(&q("C")));
        assert!(!id.type_identical(&q("D")), "same id, different true-flags");
    }
}
