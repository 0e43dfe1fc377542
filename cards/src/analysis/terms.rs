//! The term lens: what people wrote a container term means to them, and how far apart those
//! meanings are. Definitions are compared as bags of Dutch word stems (Snowball), weighted by
//! TF-IDF, by cosine similarity. Stopwords are left out, but words that turn a meaning around
//! ("niet", "geen", "zelf", "zonder", …) are kept.

use std::collections::BTreeMap;

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

use crate::notes::DefinitionKey;
use crate::text::Text;

/// Two definitions this similar or more are in one group.
const SAME_GROUP: f64 = 0.3;
/// A definition no closer than this to any other is an outlier.
const OUTLIER: f64 = 0.1;

/// One definition of a term, with who gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    pub text: String,
    pub role: Text,
    pub participant: String,
    /// Which answer it was given with, so the trainer can move it to another group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<DefinitionKey>,
}

/// Definitions that say much the same; indices into `TermLens::definitions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefinitionGroup {
    pub members: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermLens {
    pub term: String,
    pub definitions: Vec<Definition>,
    /// Largest first.
    pub groups: Vec<DefinitionGroup>,
    /// 1 − the mean similarity of every pair of definitions: 0 when all say the same, 1 when
    /// no two share a word. `None` with fewer than two definitions.
    pub spread: Option<f64>,
    /// The definition closest to all the others, among those that have at least one alike
    /// (in a group of two or more). Only with three definitions or more: of two, neither is
    /// more shared than the other.
    pub most_shared: Option<usize>,
    /// Definitions close to no other one, with three definitions or more: of two that differ,
    /// neither stands alone more than the other (their two groups say they differ). Never the
    /// most shared one.
    pub outliers: Vec<usize>,
    /// The trainer grouped the definitions by hand in the review (`regrouped`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_hand: bool,
}

pub fn term_lens(term: &str, definitions: Vec<Definition>) -> TermLens {
    let bags: Vec<BTreeMap<String, f64>> = definitions.iter().map(|definition| stems(&definition.text)).collect();
    let vectors = tf_idf(&bags);
    let n = vectors.len();
    let mut similarity = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in (i + 1)..n {
            let value = cosine(&vectors[i], &vectors[j]);
            similarity[i][j] = value;
            similarity[j][i] = value;
        }
    }
    let pairs = n * n.saturating_sub(1) / 2;
    let spread = (pairs > 0).then(|| {
        1.0 - (0..n).flat_map(|i| ((i + 1)..n).map(move |j| (i, j))).map(|(i, j)| similarity[i][j]).sum::<f64>()
            / pairs as f64
    });
    let mean_to_others = |i: usize| similarity[i].iter().sum::<f64>() / (n - 1) as f64;
    let has_alike = |i: usize| similarity[i].iter().enumerate().any(|(j, value)| j != i && *value >= SAME_GROUP);
    let stands_alone = |i: usize| similarity[i].iter().enumerate().all(|(j, value)| j == i || *value < OUTLIER);
    // The first of equals, so the same definitions always give the same answer.
    let most_shared = (0..n).filter(|i| n >= 3 && has_alike(*i)).fold(None, |best: Option<usize>, i| match best {
        Some(best) if mean_to_others(best) >= mean_to_others(i) => Some(best),
        _ => Some(i),
    });
    let outliers = (0..n).filter(|i| n >= 3 && stands_alone(*i)).collect();
    TermLens {
        term: term.to_owned(),
        groups: groups(&similarity),
        definitions,
        spread,
        most_shared,
        outliers,
        by_hand: false,
    }
}

impl TermLens {
    /// The lens as the trainer grouped it in the review: the groups named, in their order,
    /// then every definition they do not name on its own. A definition alone is an outlier
    /// (with three or more); the most shared one stays only if it is not alone. Keys the lens
    /// does not know are passed over.
    pub fn regrouped(mut self, by_hand: &[Vec<DefinitionKey>]) -> TermLens {
        let index =
            |key: &DefinitionKey| self.definitions.iter().position(|definition| definition.key.as_ref() == Some(key));
        let mut placed = vec![false; self.definitions.len()];
        let mut groups: Vec<DefinitionGroup> = Vec::new();
        for group in by_hand {
            let members: Vec<usize> =
                group.iter().filter_map(index).filter(|&i| !std::mem::replace(&mut placed[i], true)).collect();
            if !members.is_empty() {
                groups.push(DefinitionGroup { members });
            }
        }
        groups.extend((0..placed.len()).filter(|&i| !placed[i]).map(|i| DefinitionGroup { members: vec![i] }));
        let alone: Vec<usize> =
            groups.iter().filter(|group| group.members.len() == 1).map(|group| group.members[0]).collect();
        self.most_shared = self.most_shared.filter(|shared| !alone.contains(shared));
        self.outliers = if self.definitions.len() >= 3 { alone } else { Vec::new() };
        self.groups = groups;
        self.by_hand = true;
        self
    }
}

/// Single-link groups: definitions joined by any chain of similar pairs.
fn groups(similarity: &[Vec<f64>]) -> Vec<DefinitionGroup> {
    let n = similarity.len();
    let mut group_of: Vec<usize> = (0..n).collect();
    fn root(group_of: &mut [usize], mut i: usize) -> usize {
        while group_of[i] != i {
            group_of[i] = group_of[group_of[i]];
            i = group_of[i];
        }
        i
    }
    for (i, row) in similarity.iter().enumerate() {
        for (j, value) in row.iter().enumerate().skip(i + 1) {
            if *value >= SAME_GROUP {
                let (a, b) = (root(&mut group_of, i), root(&mut group_of, j));
                group_of[a.max(b)] = a.min(b);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let group = root(&mut group_of, i);
        groups.entry(group).or_default().push(i);
    }
    let mut groups: Vec<DefinitionGroup> = groups.into_values().map(|members| DefinitionGroup { members }).collect();
    groups.sort_by(|a, b| b.members.len().cmp(&a.members.len()).then(a.members[0].cmp(&b.members[0])));
    groups
}

/// The word stems of a text with how often each occurs, without stopwords.
fn stems(text: &str) -> BTreeMap<String, f64> {
    let stemmer = Stemmer::create(Algorithm::Dutch);
    let mut bag = BTreeMap::new();
    let lower = text.to_lowercase();
    for word in lower.split(|c: char| !c.is_alphabetic()).filter(|word| !word.is_empty()) {
        if STOPWORDS.contains(&word) {
            continue;
        }
        *bag.entry(stemmer.stem(word).into_owned()).or_insert(0.0) += 1.0;
    }
    bag
}

fn tf_idf(bags: &[BTreeMap<String, f64>]) -> Vec<BTreeMap<String, f64>> {
    let documents = bags.len() as f64;
    let mut containing: BTreeMap<&str, f64> = BTreeMap::new();
    for bag in bags {
        for stem in bag.keys() {
            *containing.entry(stem.as_str()).or_insert(0.0) += 1.0;
        }
    }
    bags.iter()
        .map(|bag| {
            bag.iter()
                .map(|(stem, count)| {
                    let idf = ((1.0 + documents) / (1.0 + containing[stem.as_str()])).ln() + 1.0;
                    (stem.clone(), count * idf)
                })
                .collect()
        })
        .collect()
}

fn cosine(a: &BTreeMap<String, f64>, b: &BTreeMap<String, f64>) -> f64 {
    let dot: f64 = a.iter().filter_map(|(stem, weight)| b.get(stem).map(|other| weight * other)).sum();
    let norm = |v: &BTreeMap<String, f64>| v.values().map(|weight| weight * weight).sum::<f64>().sqrt();
    let norms = norm(a) * norm(b);
    if norms == 0.0 { 0.0 } else { dot / norms }
}

/// Dutch stopwords (after the Snowball list), without the words that turn a meaning around:
/// "niet", "geen", "zelf", "niets", "nooit", "zonder", "nee" stay in.
const STOPWORDS: &[&str] = &[
    "de",
    "en",
    "van",
    "ik",
    "te",
    "dat",
    "die",
    "in",
    "een",
    "hij",
    "het",
    "is",
    "zijn",
    "op",
    "aan",
    "met",
    "als",
    "voor",
    "had",
    "er",
    "maar",
    "om",
    "hem",
    "dan",
    "zou",
    "of",
    "wat",
    "mijn",
    "men",
    "dit",
    "zo",
    "door",
    "over",
    "ze",
    "bij",
    "ook",
    "tot",
    "je",
    "mij",
    "uit",
    "der",
    "daar",
    "haar",
    "naar",
    "heb",
    "hoe",
    "heeft",
    "hebben",
    "deze",
    "u",
    "want",
    "nog",
    "zal",
    "me",
    "zij",
    "nu",
    "ge",
    "omdat",
    "iets",
    "worden",
    "toch",
    "al",
    "waren",
    "veel",
    "meer",
    "doen",
    "toen",
    "moet",
    "ben",
    "kan",
    "dus",
    "alles",
    "onder",
    "ja",
    "werd",
    "wezen",
    "zich",
    "wie",
    "was",
    "wel",
    "na",
    "ons",
    "hun",
    "hier",
    "wil",
    "wordt",
    "waar",
    "kunnen",
    "iemand",
    "we",
    "wij",
    "jij",
    "jouw",
    "jullie",
    "uw",
    "betekent",
    "voor",
    "mij",
    "betekenen",
    "vind",
    "vinden",
    "gewoon",
    "eigenlijk",
];

/// The distinct stems of a text.
#[cfg(test)]
fn key_stems(text: &str) -> std::collections::BTreeSet<String> {
    stems(text).into_keys().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definitions(texts: &[&str]) -> Vec<Definition> {
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| Definition {
                key: Some(DefinitionKey {
                    seat: crate::event::SeatId(i as u16),
                    statement: crate::deck::CardId::new("s1"),
                }),
                text: (*text).to_owned(),
                role: Text::new(format!("rol {i}"), ""),
                participant: format!("Deelnemer {i}"),
            })
            .collect()
    }

    #[test]
    fn stemming_joins_word_forms_and_keeps_negations() {
        assert_eq!(key_stems("Gesprekken met hulpverleners"), key_stems("een gesprek met de hulpverlener"));
        assert!(key_stems("niet de professional").contains("niet"));
        assert!(!key_stems("de en van het").iter().any(|stem| !stem.is_empty()));
    }

    #[test]
    fn the_lens_groups_alike_definitions_and_finds_the_outlier() {
        let lens = term_lens(
            "regie",
            definitions(&[
                "Het gezin beslist zelf wat er gebeurt",
                "Het gezin beslist zelf over de hulp",
                "Zelf beslissen, als gezin",
                "De professional coördineert alle hulpverleners",
            ]),
        );
        assert_eq!(lens.groups[0].members, [0, 1, 2]);
        assert_eq!(lens.outliers, [3]);
        assert!(matches!(lens.most_shared, Some(0..=2)));
        let spread = lens.spread.expect("a spread");
        assert!(spread > 0.3 && spread < 0.9, "{spread}");
    }

    /// Worked by hand: the two "gezin beslist" definitions are one group and "de professional"
    /// another; the trainer puts the third with the first two and leaves the fourth alone.
    #[test]
    fn the_trainer_regroups_definitions_by_hand() {
        let lens = term_lens(
            "regie",
            definitions(&[
                "Het gezin beslist zelf",
                "Het gezin beslist zelf over de hulp",
                "De professional houdt het overzicht",
                "Niemand weet het",
            ]),
        );
        let key = |i: usize| lens.definitions[i].key.clone().expect("a key");
        let unknown = DefinitionKey { seat: crate::event::SeatId(99), statement: crate::deck::CardId::new("s1") };
        let regrouped = lens.clone().regrouped(&[vec![key(2), key(0), unknown], vec![key(1)], vec![key(0)]]);
        let members: Vec<Vec<usize>> = regrouped.groups.iter().map(|group| group.members.clone()).collect();
        assert_eq!(
            members,
            [vec![2, 0], vec![1], vec![3]],
            "named groups first, a definition only once, the rest alone"
        );
        assert_eq!(regrouped.outliers, [1, 3]);
        assert!(regrouped.by_hand && !lens.by_hand);
        assert_eq!(regrouped.spread, lens.spread, "the spread measures the texts, not the grouping");
    }

    #[test]
    fn identical_definitions_have_no_spread_and_one_definition_none() {
        let same = term_lens("plan", definitions(&["Eén plan voor het gezin", "Eén plan voor het gezin"]));
        assert!(same.spread.expect("a spread").abs() < 1e-9);
        let single = term_lens("plan", definitions(&["Eén plan"]));
        assert_eq!((single.spread, single.most_shared, single.outliers.len()), (None, None, 0));
    }

    /// What "meest gedeeld" and "staat alleen" mean for zero, one, two and three definitions:
    /// a label says how a definition stands among the others, so it needs at least two others.
    #[test]
    fn labels_need_three_definitions_and_never_both_on_one() {
        let labels = |texts: &[&str]| {
            let lens = term_lens("regie", definitions(texts));
            (lens.most_shared, lens.outliers)
        };
        assert_eq!(labels(&[]), (None, vec![]));
        assert_eq!(labels(&["Het gezin beslist zelf"]), (None, vec![]), "one definition has nothing to compare with");
        assert_eq!(
            labels(&["Het gezin beslist zelf", "Het gezin beslist zelf over de hulp"]),
            (None, vec![]),
            "two alike: both are as shared as the other"
        );
        assert_eq!(
            labels(&["Het gezin beslist zelf", "De professional coördineert alle hulpverleners"]),
            (None, vec![]),
            "two apart: neither stands alone more than the other; the two groups show it"
        );
        assert_eq!(
            labels(&["Het gezin beslist zelf", "De professional coördineert", "Eén plan voor school en thuis"]),
            (None, vec![0, 1, 2]),
            "three apart: all stand alone, none is shared"
        );
        let (most_shared, outliers) = labels(&[
            "Het gezin beslist zelf",
            "Het gezin beslist zelf over de hulp",
            "De professional coördineert alle hulpverleners",
        ]);
        assert!(matches!(most_shared, Some(0 | 1)), "{most_shared:?}");
        assert_eq!(outliers, [2]);
    }
}
