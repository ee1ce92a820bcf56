//! Decides which struct fields must be `Box`ed so recursive TL types
//! (`inputPeerUserFromMessage peer:InputPeer`, `textBold text:RichText`,
//! `jsonArray value:Vector<JSONValue>` is fine already) have a finite size.
//!
//! A field is boxed when it holds its type inline (plain or `Option`, not in a
//! `Vec`) and that type can reach back to the containing type through other
//! inline fields. Only the fields on such a cycle are boxed.

use std::collections::{BTreeMap, BTreeSet};

use crate::schema::{Def, QualName, Schema, Ty};

/// The boxed type a field holds inline, if any (vectors already add indirection).
fn inline_target(schema: &Schema, ty: &Ty) -> Option<QualName> {
    match ty {
        Ty::Boxed(q) => Some(q.clone()),
        Ty::Bare(c) => schema.constructor(c).and_then(|d| match &d.result {
            Ty::Boxed(q) => Some(q.clone()),
            _ => None,
        }),
        _ => None,
    }
}

/// Fields to box, as `(constructor or function name, field name)`.
pub struct Boxing {
    boxed: BTreeSet<(QualName, String)>,
}

impl Boxing {
    pub fn compute(schema: &Schema) -> Self {
        let mut edges: BTreeMap<&QualName, BTreeSet<QualName>> = BTreeMap::new();
        for c in &schema.constructors {
            let Ty::Boxed(owner) = &c.result else {
                continue;
            };
            for f in c.fields() {
                if let Some(t) = inline_target(schema, &f.ty) {
                    edges.entry(owner).or_default().insert(t);
                }
            }
        }
        let reaches = |from: &QualName, to: &QualName| -> bool {
            let mut seen = BTreeSet::new();
            let mut stack = vec![from.clone()];
            while let Some(n) = stack.pop() {
                if &n == to {
                    return true;
                }
                if !seen.insert(n.clone()) {
                    continue;
                }
                if let Some(next) = edges.get(&n) {
                    stack.extend(next.iter().cloned());
                }
            }
            false
        };
        let mut boxed = BTreeSet::new();
        for c in &schema.constructors {
            let Ty::Boxed(owner) = &c.result else {
                continue;
            };
            for f in c.fields() {
                if let Some(t) = inline_target(schema, &f.ty) {
                    if reaches(&t, owner) {
                        boxed.insert((c.name.clone(), f.name.clone()));
                    }
                }
            }
        }
        Boxing { boxed }
    }

    pub fn is_boxed(&self, def: &Def, field: &str) -> bool {
        self.boxed.contains(&(def.name.clone(), field.to_owned()))
    }
}
