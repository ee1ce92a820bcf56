//! Collects generated items per TL namespace and renders them as nested
//! `pub mod` blocks (`types::auth::SentCode`).

use std::collections::BTreeMap;

use crate::names;

#[derive(Default)]
pub struct ModTree {
    items: String,
    children: BTreeMap<String, ModTree>,
}

impl ModTree {
    pub fn push(&mut self, ns: &[String], code: &str) {
        let mut node = self;
        for part in ns {
            node = node.children.entry(names::module(part)).or_default();
        }
        node.items.push_str(code);
        node.items.push('\n');
    }

    /// Renders the tree as the body of a module; `prelude` is repeated at the
    /// top of every nested module (imports the generated code relies on).
    pub fn render(&self, prelude: &str) -> String {
        let mut out = String::new();
        out.push_str(prelude);
        out.push_str(&self.items);
        for (name, child) in &self.children {
            out.push_str(&format!("pub mod {name} {{\n"));
            out.push_str(&child.render(prelude));
            out.push_str("}\n");
        }
        out
    }
}
