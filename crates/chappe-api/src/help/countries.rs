//! `help.getCountriesList`: the countries and calling codes the phone-number
//! form offers.
//!
//! Names are English only (`default_name`; the localised `name` is left out,
//! which clients accept). Number patterns are given only where the national
//! format has one fixed length; clients that lack a pattern accept any
//! length, which is better than a wrong one that cuts numbers short.

use chappe_tl::api::{enums, types};

use super::cache_hash;

/// ISO 3166-1 alpha-2 code, English name, calling code, leading digits that
/// pick this country among those sharing the calling code, number patterns.
type CountryRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

const TEN: &[&str] = &["XXX XXX XXXX"];

#[rustfmt::skip]
const COUNTRIES: &[CountryRow] = &[
    ("AE", "United Arab Emirates", "971", &[], &["XX XXX XXXX"]),
    ("AR", "Argentina", "54", &[], &[]),
    ("AT", "Austria", "43", &[], &[]),
    ("AU", "Australia", "61", &[], &["XXX XXX XXX"]),
    ("BE", "Belgium", "32", &[], &["XXX XX XX XX"]),
    ("BH", "Bahrain", "973", &[], &["XXXX XXXX"]),
    ("BO", "Bolivia", "591", &[], &["X XXX XXXX"]),
    ("BR", "Brazil", "55", &[], &["XX XXXXX XXXX"]),
    ("CH", "Switzerland", "41", &[], &["XX XXX XXXX"]),
    ("CL", "Chile", "56", &[], &["X XXXX XXXX"]),
    ("CN", "China", "86", &[], &["XXX XXXX XXXX"]),
    ("CO", "Colombia", "57", &[], TEN),
    ("CR", "Costa Rica", "506", &[], &["XXXX XXXX"]),
    ("CU", "Cuba", "53", &[], &[]),
    ("DE", "Germany", "49", &[], &[]),
    ("DZ", "Algeria", "213", &[], &["XXX XX XX XX"]),
    ("EC", "Ecuador", "593", &[], &["XX XXX XXXX"]),
    ("EG", "Egypt", "20", &[], &["XX XXXX XXXX"]),
    ("ES", "Spain", "34", &[], &["XXX XXX XXX"]),
    ("FR", "France", "33", &[], &["X XX XX XX XX"]),
    ("GB", "United Kingdom", "44", &[], &["XXXX XXXXXX"]),
    ("GT", "Guatemala", "502", &[], &["X XXX XXXX"]),
    ("HN", "Honduras", "504", &[], &["XXXX XXXX"]),
    ("ID", "Indonesia", "62", &[], &[]),
    ("IN", "India", "91", &[], &["XXXXX XXXXX"]),
    ("IQ", "Iraq", "964", &[], TEN),
    ("IT", "Italy", "39", &[], TEN),
    ("JO", "Jordan", "962", &[], &["X XXXX XXXX"]),
    ("JP", "Japan", "81", &[], &["XX XXXX XXXX"]),
    ("KW", "Kuwait", "965", &[], &["XXXX XXXX"]),
    ("KZ", "Kazakhstan", "7", &["6", "7"], TEN),
    ("LB", "Lebanon", "961", &[], &[]),
    ("LY", "Libya", "218", &[], &["XX XXX XXXX"]),
    ("MA", "Morocco", "212", &[], &["XX XXX XXXX"]),
    ("MX", "Mexico", "52", &[], &[]),
    ("NG", "Nigeria", "234", &[], &[]),
    ("NI", "Nicaragua", "505", &[], &["XXXX XXXX"]),
    ("NL", "Netherlands", "31", &[], &["X XX XX XX XX"]),
    ("OM", "Oman", "968", &[], &["XXXX XXXX"]),
    ("PA", "Panama", "507", &[], &["XXXX XXXX"]),
    ("PE", "Peru", "51", &[], &["XXX XXX XXX"]),
    ("PL", "Poland", "48", &[], &["XXX XXX XXX"]),
    ("PS", "Palestine", "970", &[], &["XXX XX XXXX"]),
    ("PT", "Portugal", "351", &[], &["X XXXX XXXX"]),
    ("PY", "Paraguay", "595", &[], &["XXX XXX XXX"]),
    ("QA", "Qatar", "974", &[], &["XX XX XXXX"]),
    ("RU", "Russian Federation", "7", &[], TEN),
    ("SA", "Saudi Arabia", "966", &[], &["XX XXX XXXX"]),
    ("SD", "Sudan", "249", &[], &["XX XXX XXXX"]),
    ("SV", "El Salvador", "503", &[], &["XXXX XXXX"]),
    ("SY", "Syria", "963", &[], &["XXX XXX XXX"]),
    ("TN", "Tunisia", "216", &[], &["XX XXX XXX"]),
    ("TR", "Turkey", "90", &[], TEN),
    ("UA", "Ukraine", "380", &[], &["XX XXX XX XX"]),
    ("US", "USA", "1", &[], TEN),
    ("UY", "Uruguay", "598", &[], &["X XXX XXXX"]),
    ("VE", "Venezuela", "58", &[], TEN),
    ("YE", "Yemen", "967", &[], &["XXX XXX XXX"]),
];

fn strings(items: &[&str]) -> Option<Vec<String>> {
    if items.is_empty() {
        None
    } else {
        Some(items.iter().map(|s| (*s).to_owned()).collect())
    }
}

fn country(&(iso2, name, code, prefixes, patterns): &CountryRow) -> enums::help::Country {
    enums::help::Country::Country(types::help::Country {
        hidden: false,
        iso2: iso2.to_owned(),
        default_name: name.to_owned(),
        name: None,
        country_codes: vec![enums::help::CountryCode::CountryCode(
            types::help::CountryCode {
                country_code: code.to_owned(),
                prefixes: strings(prefixes),
                patterns: strings(patterns),
            },
        )],
    })
}

/// The full list with its cache hash, built once at startup.
pub(crate) fn countries_list() -> types::help::CountriesList {
    let countries: Vec<_> = COUNTRIES.iter().map(country).collect();
    let hash = cache_hash(&countries);
    types::help::CountriesList { countries, hash }
}

/// The answer to a client that has the list cached under `client_hash`.
pub(crate) fn get_countries_list(
    list: &types::help::CountriesList,
    client_hash: i32,
) -> enums::help::CountriesList {
    if client_hash == list.hash {
        enums::help::CountriesList::CountriesListNotModified(types::help::CountriesListNotModified)
    } else {
        enums::help::CountriesList::CountriesList(list.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_codes_are_unique_and_sorted() {
        let codes: Vec<&str> = COUNTRIES.iter().map(|row| row.0).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn the_countries_the_project_cares_about_are_there() {
        for iso2 in [
            "US", "ES", "MX", "AR", "SA", "EG", "AE", "GB", "DE", "FR", "RU",
        ] {
            assert!(COUNTRIES.iter().any(|row| row.0 == iso2), "{iso2} missing");
        }
    }

    #[test]
    fn calling_codes_and_patterns_are_digits_and_xs() {
        for &(iso2, _, code, prefixes, patterns) in COUNTRIES {
            assert!(
                !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()),
                "{iso2}"
            );
            assert!(
                prefixes
                    .iter()
                    .all(|p| p.bytes().all(|b| b.is_ascii_digit())),
                "{iso2}"
            );
            assert!(
                patterns
                    .iter()
                    .all(|p| p.bytes().all(|b| b == b'X' || b == b' ')),
                "{iso2}"
            );
        }
    }
}
