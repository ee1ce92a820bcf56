//! Loads one TL schema file into a resolved [`Schema`]: definitions with
//! every parameter type classified (primitive, vector, boxed, bare, generic).
//!
//! The files are kept byte-for-byte as published by the client packages, so
//! this loader tolerates what those packages add: `//` comments (including the
//! pyrogram family's commented-out core types), `---types---` /
//! `---functions---` separators and the `// LAYER N` marker. Built-in types
//! (`Bool`, `True`, `Vector`, `int ? = Int` ...) are handled natively by the
//! runtime and skipped here, as are definitions without an explicit `#id`
//! (e.g. mtproto.tl's `tlsClientHello`, which never appear on the wire).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use grammers_tl_parser::tl::{Definition, ParameterType, Type};

/// A (possibly namespaced) TL name such as `auth.SentCode` or `inputPeerSelf`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualName {
    pub ns: Vec<String>,
    pub name: String,
}

impl QualName {
    pub fn new(ns: &[String], name: &str) -> Self {
        QualName {
            ns: ns.to_vec(),
            name: name.to_owned(),
        }
    }
}

impl fmt::Display for QualName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for ns in &self.ns {
            write!(f, "{ns}.")?;
        }
        f.write_str(&self.name)
    }
}

/// The type of a parameter (or a function result), resolved against the schema.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    Int,
    Long,
    Double,
    Int128,
    Int256,
    String,
    Bytes,
    /// Boxed `Bool` (boolTrue / boolFalse).
    Bool,
    /// `flags.N?true`: present-or-absent, no payload.
    FlagTrue,
    Vector {
        boxed: bool,
        elem: Box<Ty>,
    },
    /// A boxed type: constructor id followed by the body.
    Boxed(QualName),
    /// A bare constructor: body only, no id (e.g. `vector<future_salt>`).
    Bare(QualName),
    /// `!X`: the wrapped query of invokeWithLayer & co., kept as raw bytes.
    Query,
    /// The `X` result of a generic function.
    Generic,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    /// `(flags field name, bit)` when the field is conditional.
    pub flag: Option<(String, u32)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    /// A `name:#` bit-set, computed on encode and never stored.
    Flags(String),
    Field(Field),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Def {
    pub name: QualName,
    pub id: u32,
    pub params: Vec<Param>,
    /// Constructors: the boxed type they build. Functions: the result type.
    pub result: Ty,
}

impl Def {
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.params.iter().filter_map(|p| match p {
            Param::Field(f) => Some(f),
            Param::Flags(_) => None,
        })
    }

    pub fn is_generic(&self) -> bool {
        self.fields().any(|f| f.ty == Ty::Query)
    }
}

/// One parsed schema file.
#[derive(Clone, Debug)]
pub struct Schema {
    /// From the `// LAYER N` marker, if the file has one.
    pub layer_marker: Option<i32>,
    pub constructors: Vec<Def>,
    pub functions: Vec<Def>,
    /// Boxed type name -> indices into `constructors`, in schema order.
    pub types: BTreeMap<QualName, Vec<usize>>,
}

impl Schema {
    pub fn constructor(&self, name: &QualName) -> Option<&Def> {
        self.constructors.iter().find(|c| &c.name == name)
    }

    pub fn type_constructors(&self, ty: &QualName) -> impl Iterator<Item = &Def> {
        self.types
            .get(ty)
            .into_iter()
            .flatten()
            .map(|&i| &self.constructors[i])
    }
}

/// Type names the runtime implements itself; definitions of them are skipped.
const BUILTIN_TYPES: &[&str] = &[
    "Bool", "True", "Vector", "Int", "Long", "Double", "String", "Int128", "Int256",
];

/// Removes `//` comments; unlike a char-index based scan this is safe for
/// non-ASCII text.
fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(pos) => &line[..pos],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn find_layer_marker(text: &str) -> Option<i32> {
    text.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("//")?.trim();
        rest.strip_prefix("LAYER")?.trim().parse().ok()
    })
}

#[derive(Debug)]
pub struct SchemaError(pub String);

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SchemaError {}

fn err<T>(msg: String) -> Result<T, SchemaError> {
    Err(SchemaError(msg))
}

/// Parses and resolves a schema file's text.
pub fn parse_schema(text: &str) -> Result<Schema, SchemaError> {
    let layer_marker = find_layer_marker(text);
    let stripped = strip_comments(text);
    let mut raw_constructors = Vec::new();
    let mut raw_functions = Vec::new();
    let mut in_functions = false;
    for chunk in stripped.split(';') {
        let mut chunk = chunk.trim();
        // Separators may be glued to the following definition.
        loop {
            if let Some(rest) = chunk.strip_prefix("---functions---") {
                in_functions = true;
                chunk = rest.trim();
            } else if let Some(rest) = chunk.strip_prefix("---types---") {
                in_functions = false;
                chunk = rest.trim();
            } else {
                break;
            }
        }
        if chunk.is_empty() {
            continue;
        }
        let head = chunk.split_whitespace().next().unwrap_or("");
        if !head.contains('#') {
            // Core pseudo-definitions (`int ? = Int`) and id-less helpers.
            continue;
        }
        let result_type = chunk.rsplit('=').next().unwrap_or("").trim();
        let result_head = result_type.split_whitespace().next().unwrap_or("");
        if !in_functions && BUILTIN_TYPES.contains(&result_head) {
            continue;
        }
        let def = Definition::from_str(chunk)
            .map_err(|e| SchemaError(format!("cannot parse `{chunk}`: {e:?}")))?;
        if in_functions {
            raw_functions.push(def);
        } else {
            raw_constructors.push(def);
        }
    }
    resolve(layer_marker, raw_constructors, raw_functions)
}

fn resolve(
    layer_marker: Option<i32>,
    raw_constructors: Vec<Definition>,
    raw_functions: Vec<Definition>,
) -> Result<Schema, SchemaError> {
    let bare_names: BTreeMap<QualName, QualName> = raw_constructors
        .iter()
        .map(|d| {
            (
                QualName::new(&d.namespace, &d.name),
                QualName::new(&d.ty.namespace, &d.ty.name),
            )
        })
        .collect();
    let mut types: BTreeMap<QualName, Vec<usize>> = BTreeMap::new();
    for (i, d) in raw_constructors.iter().enumerate() {
        types
            .entry(QualName::new(&d.ty.namespace, &d.ty.name))
            .or_default()
            .push(i);
    }
    let ctx = Resolver {
        bare_names: &bare_names,
        types: &types,
    };
    let constructors = raw_constructors
        .iter()
        .map(|d| ctx.def(d, false))
        .collect::<Result<Vec<_>, _>>()?;
    let functions = raw_functions
        .iter()
        .map(|d| ctx.def(d, true))
        .collect::<Result<Vec<_>, _>>()?;
    check_unique(&constructors, "constructor")?;
    check_unique(&functions, "function")?;
    Ok(Schema {
        layer_marker,
        constructors,
        functions,
        types,
    })
}

fn check_unique(defs: &[Def], what: &str) -> Result<(), SchemaError> {
    let mut seen = BTreeMap::new();
    for d in defs {
        if let Some(prev) = seen.insert(d.id, &d.name) {
            return err(format!(
                "{what} id {:08x} used by {prev} and {}",
                d.id, d.name
            ));
        }
    }
    let mut names = std::collections::BTreeSet::new();
    for d in defs {
        if !names.insert(&d.name) {
            return err(format!("{what} {} defined twice", d.name));
        }
    }
    Ok(())
}

struct Resolver<'a> {
    bare_names: &'a BTreeMap<QualName, QualName>,
    types: &'a BTreeMap<QualName, Vec<usize>>,
}

impl Resolver<'_> {
    fn def(&self, d: &Definition, is_function: bool) -> Result<Def, SchemaError> {
        let name = QualName::new(&d.namespace, &d.name);
        let mut params = Vec::new();
        for p in &d.params {
            params.push(match &p.ty {
                ParameterType::Flags => Param::Flags(p.name.clone()),
                ParameterType::Normal { ty, flag } => {
                    let flag = flag.as_ref().map(|f| (f.name.clone(), f.index as u32));
                    let ty = if ty.name == "true" && flag.is_some() {
                        Ty::FlagTrue
                    } else {
                        self.ty(ty)
                            .map_err(|e| SchemaError(format!("{name}.{}: {}", p.name, e.0)))?
                    };
                    Param::Field(Field {
                        name: p.name.clone(),
                        ty,
                        flag,
                    })
                }
            });
        }
        let result = if is_function && d.ty.generic_ref {
            Ty::Generic
        } else if is_function {
            self.ty(&d.ty)
                .map_err(|e| SchemaError(format!("{name} result: {}", e.0)))?
        } else {
            Ty::Boxed(QualName::new(&d.ty.namespace, &d.ty.name))
        };
        Ok(Def {
            name,
            id: d.id,
            params,
            result,
        })
    }

    fn ty(&self, t: &Type) -> Result<Ty, SchemaError> {
        if t.generic_ref {
            return Ok(Ty::Query);
        }
        if t.namespace.is_empty() {
            let prim = match t.name.as_str() {
                "int" => Some(Ty::Int),
                "long" => Some(Ty::Long),
                "double" => Some(Ty::Double),
                "int128" => Some(Ty::Int128),
                "int256" => Some(Ty::Int256),
                "string" => Some(Ty::String),
                "bytes" => Some(Ty::Bytes),
                "Bool" => Some(Ty::Bool),
                "X" => Some(Ty::Generic),
                _ => None,
            };
            if let Some(p) = prim {
                return Ok(p);
            }
            if t.name == "Vector" || t.name == "vector" {
                let Some(arg) = &t.generic_arg else {
                    return err("vector without element type".into());
                };
                return Ok(Ty::Vector {
                    boxed: t.name == "Vector",
                    elem: Box::new(self.ty(arg)?),
                });
            }
        }
        let q = QualName::new(&t.namespace, &t.name);
        if t.bare {
            if self.bare_names.contains_key(&q) {
                return Ok(Ty::Bare(q));
            }
            return err(format!("unknown bare type {q}"));
        }
        if self.types.contains_key(&q) {
            Ok(Ty::Boxed(q))
        } else {
            err(format!("unknown type {q}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyrogram_style_file_parses() {
        let text = "// LAYER 7\n---types---\n// boolFalse#bc799737 = Bool;\n\
                    inputPeerSelf#7da07ec9 = InputPeer;\n\
                    inputPeerChat#35a95cb9 chat_id:long = InputPeer;\n\
                    ---functions---\nhelp.getConfig#c4f9186b = InputPeer;\n";
        let s = parse_schema(text).unwrap();
        assert_eq!(s.layer_marker, Some(7));
        assert_eq!(s.constructors.len(), 2);
        assert_eq!(s.functions.len(), 1);
        assert_eq!(s.functions[0].name.to_string(), "help.getConfig");
    }

    #[test]
    fn flags_and_vectors_resolve() {
        let text = "future_salt#0949d9dc valid_since:int salt:long = FutureSalt;\n\
                    x#1 flags:# a:flags.0?true b:flags.1?Vector<long> c:vector<future_salt> = X;\n\
                    ---functions---\ninvokeWithLayer#da9b0d0d {X:Type} layer:int query:!X = X;";
        let s = parse_schema(text).unwrap();
        let x = s.constructor(&QualName::new(&[], "x")).unwrap();
        let fields: Vec<_> = x.fields().collect();
        assert_eq!(fields[0].ty, Ty::FlagTrue);
        assert_eq!(fields[1].flag, Some(("flags".into(), 1)));
        assert_eq!(
            fields[2].ty,
            Ty::Vector {
                boxed: false,
                elem: Box::new(Ty::Bare(QualName::new(&[], "future_salt")))
            }
        );
        assert!(s.functions[0].is_generic());
        assert_eq!(s.functions[0].result, Ty::Generic);
    }

    #[test]
    fn idless_and_core_lines_are_skipped() {
        let text = "int ? = Int;\nvector {t:Type} # [ t ] = Vector t;\n\
                    tlsBlockZero length:int = TlsBlock;\nboolTrue#997275b5 = Bool;";
        let s = parse_schema(text).unwrap();
        assert!(s.constructors.is_empty());
    }

    #[test]
    fn unknown_type_is_an_error() {
        assert!(parse_schema("a#1 x:Nope = A;").is_err());
    }
}
