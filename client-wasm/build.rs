//! Turns the translation files (`i18n/nl.toml`, `i18n/en.toml`) into two constant tables with
//! the same fields, so the interface has no sentence in its code and a missing translation is a
//! build error.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let load = |lang: &str| -> toml::Table {
        let path = format!("i18n/{lang}.toml");
        println!("cargo::rerun-if-changed={path}");
        let source = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"));
        source.parse().unwrap_or_else(|error| panic!("{path} is not valid TOML: {error}"))
    };
    let (nl, en) = (load("nl"), load("en"));
    let keys: Vec<&String> = nl.keys().collect();
    for key in &keys {
        assert!(en.contains_key(*key), "i18n/en.toml lacks `{key}`");
    }
    for key in en.keys() {
        assert!(nl.contains_key(key), "i18n/nl.toml lacks `{key}`");
    }

    let mut code = String::from("/// Every sentence of the interface, in one language.\npub struct Strings {\n");
    for key in &keys {
        let kind = match &nl[*key] {
            toml::Value::Array(items) => format!("[&'static str; {}]", items.len()),
            _ => "&'static str".to_owned(),
        };
        let _ = writeln!(code, "    pub {key}: {kind},");
    }
    code.push_str("}\n");
    for (name, table) in [("NL", &nl), ("EN", &en)] {
        let _ = writeln!(code, "pub const {name}: Strings = Strings {{");
        for key in &keys {
            let value = match &table[*key] {
                toml::Value::String(text) => format!("{text:?}"),
                toml::Value::Array(items) => {
                    let texts: Vec<String> =
                        items.iter().map(|item| format!("{:?}", item.as_str().unwrap_or_default())).collect();
                    assert_eq!(
                        texts.len(),
                        nl[*key].as_array().map_or(0, Vec::len),
                        "`{key}` has as many entries in both files"
                    );
                    format!("[{}]", texts.join(", "))
                }
                other => panic!("`{key}` must be a string or a list of strings, not {other}"),
            };
            let _ = writeln!(code, "    {key}: {value},");
        }
        code.push_str("};\n");
    }
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("strings.rs");
    std::fs::write(out, code).expect("write the string tables");
}
