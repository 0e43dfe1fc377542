//! The review in plain sentences a trainer could read aloud, made from its figures, and every
//! figure's meaning in words. The browser's review and the debrief report both say them.

use super::camps::Side;
use super::{Review, StatementReview};
use crate::chart::group_order;
use crate::text::Lang;

/// The figures the review shows, each with its meaning in words and an explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Consensus,
    Polarization,
    CommonGround,
    /// How far apart the meanings people gave a term are.
    Spread,
    /// How far two roles answered apart.
    Distance,
}

impl Measure {
    /// The figure's meaning in a few words: "0.88" is "grote overeenstemming".
    pub fn words(self, value: f64, lang: Lang) -> &'static str {
        let nl = matches!(lang, Lang::Nl);
        let pick = |bands: [(f64, &'static str, &'static str); 4]| {
            let (_, dutch, english) = bands.into_iter().find(|(from, _, _)| value >= *from).unwrap_or(bands[3]);
            if nl { dutch } else { english }
        };
        match self {
            Measure::Consensus => pick([
                (0.8, "grote overeenstemming", "broad agreement"),
                (0.6, "redelijk eens", "fair agreement"),
                (0.4, "verdeeld", "divided"),
                (f64::NEG_INFINITY, "sterk verdeeld", "strongly divided"),
            ]),
            Measure::Polarization => pick([
                (0.6, "twee kampen", "two camps"),
                (0.35, "neiging tot kampen", "leaning to camps"),
                (0.15, "wat spreiding", "some spread"),
                (f64::NEG_INFINITY, "geen kampen", "no camps"),
            ]),
            Measure::CommonGround => pick([
                (0.6, "alle rollen eens", "every role agrees"),
                (0.45, "de meeste rollen eens", "most roles agree"),
                (0.3, "weinig gedeeld", "little shared"),
                (f64::NEG_INFINITY, "niet gedeeld", "not shared"),
            ]),
            Measure::Spread => pick([
                (0.85, "heel verschillende betekenissen", "very different meanings"),
                (0.65, "verschillende betekenissen", "different meanings"),
                (0.4, "deels dezelfde betekenis", "partly the same meaning"),
                (f64::NEG_INFINITY, "grotendeels dezelfde betekenis", "largely the same meaning"),
            ]),
            Measure::Distance => pick([
                (0.6, "ver uit elkaar", "far apart"),
                (0.35, "uit elkaar", "apart"),
                (0.15, "dicht bij elkaar", "close"),
                (f64::NEG_INFINITY, "gelijk", "alike"),
            ]),
        }
    }

    /// What the figure is, for a hover or a tap.
    pub fn explanation(self, lang: Lang) -> &'static str {
        let (nl, en) = match self {
            Measure::Consensus => (
                "Overeenstemming (Leik, 0–1): 1 als iedereen hetzelfde antwoordt, 0 als de groep gelijk verdeeld is over beide uitersten.",
                "Agreement (Leik, 0–1): 1 when everyone gives the same answer, 0 when the group is split evenly over both ends.",
            ),
            Measure::Polarization => (
                "Kampvorming (Esteban–Ray, 0–1): 1 bij twee even grote kampen aan de uitersten, 0 als niemand uit elkaar staat.",
                "Polarisation (Esteban–Ray, 0–1): 1 for two equal camps at the ends, 0 when nobody stands apart.",
            ),
            Measure::CommonGround => (
                "Gedeelde grond (0–1): hoog alleen als elke rol naar 'eens' neigt; één rol die het oneens is trekt het omlaag.",
                "Common ground (0–1): high only if every role leans to agreeing; one role that disagrees pulls it down.",
            ),
            Measure::Spread => (
                "Spreiding van betekenissen (0–1): 0 als alle omschrijvingen hetzelfde zeggen, 1 als geen twee een woord delen.",
                "Spread of meanings (0–1): 0 when all definitions say the same, 1 when no two share a word.",
            ),
            Measure::Distance => (
                "Afstand tussen rollen (0–1): 0 als twee rollen hetzelfde antwoorden, 1 als de een overal 1 en de ander 5 zegt.",
                "Distance between roles (0–1): 0 when two roles answer alike, 1 when one says 1 and the other 5.",
            ),
        };
        if matches!(lang, Lang::Nl) { nl } else { en }
    }
}

/// "0,88 · grote overeenstemming" (Dutch decimal comma) or "0.88 · broad agreement".
pub fn figure(measure: Measure, value: Option<f64>, lang: Lang) -> String {
    match value {
        Some(value) => format!("{} · {}", decimal(value, lang), measure.words(value, lang)),
        None => "–".to_owned(),
    }
}

pub fn decimal(value: f64, lang: Lang) -> String {
    let text = format!("{value:.2}");
    if matches!(lang, Lang::Nl) { text.replace('.', ",") } else { text }
}

/// A count in words up to twelve, as people say it aloud; digits beyond.
pub fn number(n: u32, lang: Lang) -> String {
    const NL: [&str; 13] =
        ["nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf"];
    const EN: [&str; 13] =
        ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
    let words = if matches!(lang, Lang::Nl) { NL } else { EN };
    words.get(n as usize).map_or_else(|| n.to_string(), |word| (*word).to_owned())
}

/// The first words of a statement, enough to recognise it: "Ook als een gezin vastloopt…".
pub fn opening(text: &str) -> String {
    const WORDS: usize = 6;
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= WORDS + 2 {
        return text.trim().to_owned();
    }
    // A clause that ends within the first words reads better than a cut mid-clause.
    let end = (3..WORDS).find(|&i| words[i - 1].ends_with([',', ';', ':'])).unwrap_or(WORDS);
    format!("{}…", words[..end].join(" ").trim_end_matches([',', ';', ':', '.']))
}

/// The sentence with a capital first letter ("two people…" → "Two people…").
fn capitalised(sentence: String) -> String {
    let mut chars = sentence.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// "a, b en c" ("a, b and c").
fn listed(items: Vec<String>, lang: Lang) -> String {
    let and = if matches!(lang, Lang::Nl) { " en " } else { " and " };
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(", ")),
        _ => items.concat(),
    }
}

/// A role group named as a crowd: "de gezinsrollen", "the professionals".
fn crowd(group: &str, lang: Lang) -> String {
    let (nl, en) = match group {
        "gezin" => ("de gezinsrollen", "the family roles"),
        "netwerk" => ("de rollen uit het netwerk", "the network roles"),
        "professional" => ("de professionals", "the professionals"),
        "gemeente" => ("de rollen van de gemeente", "the municipality's roles"),
        "clientvertegenwoordiging" => ("de cliëntvertegenwoordigers", "the client representatives"),
        _ => return group.to_owned(),
    };
    (if matches!(lang, Lang::Nl) { nl } else { en }).to_owned()
}

/// The review's opening sentences, most telling first: where the group differs most and about
/// which term, who agreed among themselves, common ground, the roles furthest apart, what a
/// re-vote moved, how many meanings a term had and what the group agreed it means.
pub fn sentences(review: &Review, lang: Lang) -> Vec<String> {
    let nl = matches!(lang, Lang::Nl);
    let mut said = Vec::new();
    let divided = review.statements.first().filter(|statement| statement.consensus.is_some_and(|c| c < 0.8));
    let term = review.terms.iter().find(|term| term.disagreement.is_some() && term.statements > 0);
    if let Some(statement) = divided {
        // The most divided term's least agreed statement, when there is a term; else the least
        // agreed statement of all.
        // A term can rank high for its definitions alone: name it only with a statement of it
        // that did divide the group.
        let (statement, about) = match term.and_then(|term| {
            let carrying = review
                .statements
                .iter()
                .find(|s| s.terms.contains(&term.term) && s.consensus.is_some_and(|c| c < 0.8))?;
            Some((carrying, review.term_name(&term.term, lang)))
        }) {
            Some((carrying, name)) => (carrying, Some(name)),
            None => (statement, None),
        };
        said.push(divided_sentence(statement, about.as_deref(), lang));
    }
    if let Some(common) = review.common.iter().max_by(|a, b| a.share.total_cmp(&b.share)) {
        let text = opening(common.text.get(lang));
        // Of those who took a position: a pass is no answer either way.
        let who = match (nl, common.share) {
            (true, share) if share >= 0.999 => "Iedereen die een standpunt innam",
            (true, share) if share >= 0.9 => "Bijna iedereen",
            (true, _) => "Een ruime meerderheid",
            (false, share) if share >= 0.999 => "Everyone who took a position",
            (false, share) if share >= 0.9 => "Almost everyone",
            (false, _) => "A large majority",
        };
        said.push(match (nl, common.side) {
            (true, Side::Agree) => format!("{who} was het eens met ‘{text}’."),
            (true, Side::Disagree) => format!("{who} was het oneens met ‘{text}’."),
            (false, Side::Agree) => format!("{who} agreed with ‘{text}’."),
            (false, Side::Disagree) => format!("{who} disagreed with ‘{text}’."),
        });
    }
    let farthest = review
        .statements
        .iter()
        .filter_map(|statement| statement.farthest_roles.as_ref().map(|far| (statement, far)))
        .filter(|(_, (_, _, distance))| *distance >= 0.5)
        .max_by(|a, b| a.1.2.total_cmp(&b.1.2));
    if let Some((statement, (a, b, _))) = farthest {
        let text = opening(statement.text.get(lang));
        let (a, b) = (a.get(lang), b.get(lang));
        // Role names are quoted like labels: they start with a capital wherever they stand.
        said.push(if nl {
            format!("Het verst uit elkaar stonden ‘{a}’ en ‘{b}’, bij ‘{text}’.")
        } else {
            format!("‘{a}’ and ‘{b}’ stood furthest apart, on ‘{text}’.")
        });
    }
    let moved = review.shifts.iter().filter(|shift| shift.shift.consensus_change.is_some()).max_by(|a, b| {
        let change = |s: &super::ShiftReview| s.shift.consensus_change.unwrap_or(0.0).abs();
        change(a).total_cmp(&change(b))
    });
    if let Some(shift) = moved {
        let text = opening(shift.text.get(lang));
        let (n, moved) = (number(shift.shift.n, lang), number(shift.shift.moved, lang));
        let closer = shift.shift.consensus_change.unwrap_or(0.0);
        let shifted = if shift.shift.moved == 1 { "schoof" } else { "schoven" };
        let toward = shift.shift.toward_median;
        let middle = match (nl, toward) {
            (_, 0) => String::new(),
            (true, _) => format!(", {} naar het midden van de groep", number(toward, lang)),
            (false, _) => format!(", {} toward the group's middle", number(toward, lang)),
        };
        said.push(match (nl, shift.shift.moved, closer) {
            (true, 0, _) => format!("Na het gesprek over ‘{text}’ bleef iedereen bij zijn antwoord."),
            (false, 0, _) => format!("After the talk about ‘{text}’ everyone kept their answer."),
            (true, _, c) if c > 0.05 => format!(
                "Na het gesprek over ‘{text}’ kwam de groep dichter bij elkaar: {moved} van de {n} {shifted} op{middle}."
            ),
            (false, _, c) if c > 0.05 => {
                format!("After the talk about ‘{text}’ the group came closer: {moved} of {n} moved{middle}.")
            }
            (true, _, c) if c < -0.05 => {
                format!("Na het gesprek over ‘{text}’ ging de groep verder uiteen: {moved} van de {n} {shifted} op.")
            }
            (false, _, c) if c < -0.05 => {
                format!("After the talk about ‘{text}’ the group drew further apart: {moved} of {n} moved.")
            }
            (true, _, _) => format!(
                "Na het gesprek over ‘{text}’ {shifted} {moved} van de {n} op, zonder dat de groep dichter bij elkaar kwam."
            ),
            (false, _, _) => format!("After the talk about ‘{text}’ {moved} of {n} moved, without the group coming closer."),
        });
    }
    for term in &review.terms {
        let name = review.term_name(&term.term, lang);
        let (given, groups) = (term.lens.definitions.len(), term.lens.groups.len());
        if given >= 2 {
            let (given, groups_said) = (number(given as u32, lang), number(groups as u32, lang));
            said.push(match (nl, groups) {
                (true, 1) => format!("Wat ‘{name}’ betekent schreven {given} mensen op; hun omschrijvingen zeggen ongeveer hetzelfde."),
                (false, 1) => capitalised(format!("{given} people wrote what ‘{name}’ means to them; they say much the same.")),
                (true, _) => format!("Wat ‘{name}’ betekent schreven {given} mensen op; hun omschrijvingen vallen in {groups_said} groepen."),
                (false, _) => capitalised(format!("{given} people wrote what ‘{name}’ means to them; their definitions fall into {groups_said} groups.")),
            });
        }
        if let Some(agreed) = &term.agreed {
            said.push(if nl {
                format!("Wat wij onder ‘{name}’ verstaan: {agreed}")
            } else {
                format!("What we mean by ‘{name}’: {agreed}")
            });
        }
    }
    said
}

/// "Over ‘regie’ verschilt de groep het meest: bij ‘Ook als een gezin vastloopt…’ staan vijf
/// mensen (eens) tegenover vier (oneens); de gezinsrollen waren het onderling eens, de
/// professionals niet."
fn divided_sentence(statement: &StatementReview, term: Option<&str>, lang: Lang) -> String {
    let nl = matches!(lang, Lang::Nl);
    let text = opening(statement.text.get(lang));
    let (agree, disagree) = (statement.first.agreeing(), statement.first.counts[0] + statement.first.counts[1]);
    let opening_clause = match (nl, term) {
        (true, Some(term)) => format!("Over ‘{term}’ verschilt de groep het meest: bij ‘{text}’"),
        (true, None) => format!("De groep was het meest verdeeld bij ‘{text}’: daar"),
        (false, Some(term)) => format!("The group differs most about ‘{term}’: on ‘{text}’"),
        (false, None) => format!("The group was most divided on ‘{text}’:"),
    };
    let people = |n: u32| match (nl, n) {
        (true, 1) => "één persoon".to_owned(),
        (true, n) => format!("{} mensen", number(n, lang)),
        (false, 1) => "one person".to_owned(),
        (false, n) => format!("{} people", number(n, lang)),
    };
    let (more, fewer, more_agree) = if agree >= disagree { (agree, disagree, true) } else { (disagree, agree, false) };
    let (more_side, fewer_side) = match (nl, more_agree) {
        (true, true) => ("eens", "oneens"),
        (true, false) => ("oneens", "eens"),
        (false, true) => ("agree", "disagree"),
        (false, false) => ("disagree", "agree"),
    };
    let verb = match (nl, more) {
        (true, 1) => "staat",
        (true, _) => "staan",
        (false, 1) => "stands",
        (false, _) => "stand",
    };
    let mut sentence = if fewer == 0 {
        match nl {
            true => format!("{opening_clause} is niemand het {fewer_side}, wel antwoordt men verschillend"),
            false => format!("{opening_clause} nobody {fewer_side}s, yet the answers differ"),
        }
    } else {
        let (people, fewer) = (people(more), number(fewer, lang));
        if nl {
            format!("{opening_clause} {verb} {people} ({more_side}) tegenover {fewer} ({fewer_side})")
        } else {
            format!("{opening_clause} {people} ({more_side}) {verb} against {fewer} ({fewer_side})")
        }
    };
    let (agreed, split) = groups_within(statement);
    let crowds = |groups: &[&str]| listed(groups.iter().map(|group| crowd(group, lang)).collect(), lang);
    match (agreed.is_empty(), split.is_empty(), nl) {
        (false, false, true) => {
            sentence.push_str(&format!("; {} waren het onderling eens, {} niet", crowds(&agreed), crowds(&split)))
        }
        (false, false, false) => {
            sentence.push_str(&format!("; {} agreed among themselves, {} did not", crowds(&agreed), crowds(&split)))
        }
        (false, true, true) => sentence.push_str(&format!("; {} waren het onderling eens", crowds(&agreed))),
        (false, true, false) => sentence.push_str(&format!("; {} agreed among themselves", crowds(&agreed))),
        (true, false, true) => sentence.push_str(&format!("; {} waren het onderling niet eens", crowds(&split))),
        (true, false, false) => sentence.push_str(&format!("; {} did not agree among themselves", crowds(&split))),
        _ => {}
    }
    sentence.push('.');
    sentence
}

/// The role groups with two answers or more on the scale that agreed among themselves (three
/// quarters on one side) and those that did not, in the legend's order.
fn groups_within(statement: &StatementReview) -> (Vec<&str>, Vec<&str>) {
    let mut groups: Vec<&str> =
        statement.answers.iter().map(|answer| answer.group.as_str()).filter(|g| !g.is_empty()).collect();
    groups.sort_by_key(|group| group_order(group));
    groups.dedup();
    let (mut agreed, mut split) = (Vec::new(), Vec::new());
    for group in groups {
        let positions = statement.answers.iter().filter(|answer| answer.group == group).map(|answer| answer.position);
        let distribution = super::Distribution::of(positions);
        let n = distribution.n();
        if n < 2 {
            continue;
        }
        // All in the middle is agreeing too.
        let one_side =
            distribution.agreeing().max(distribution.counts[0] + distribution.counts[1]).max(distribution.counts[2]);
        if 4 * one_side >= 3 * n {
            agreed.push(group);
        } else {
            split.push(group);
        }
    }
    (agreed, split)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Distribution, GivenAnswer, TermLens, TermReview, term_lens};
    use crate::deck::CardId;
    use crate::event::Position;
    use crate::text::Text;

    fn answer(position: u8, group: &str) -> GivenAnswer {
        GivenAnswer {
            position: Position::Scale(position),
            role: Text::new(group, ""),
            group: group.to_owned(),
            participant: None,
            argument: None,
        }
    }

    fn statement(turn: u32, text: &str, terms: &[&str], answers: Vec<GivenAnswer>) -> StatementReview {
        let first = Distribution::of(answers.iter().map(|answer| answer.position));
        StatementReview {
            turn,
            statement: CardId::new(format!("s{turn}")),
            text: Text::new(text, ""),
            terms: terms.iter().map(|term| (*term).to_owned()).collect(),
            first,
            consensus: first.consensus(),
            polarization: first.polarization(),
            split: first.split(),
            common_ground: None,
            farthest_roles: None,
            answers,
            camps: None,
        }
    }

    fn review(statements: Vec<StatementReview>, terms: Vec<TermReview>) -> Review {
        Review {
            code: "ABCDEF".to_owned(),
            statement_deck: Text::new("", ""),
            role_deck: Text::new("", ""),
            statement_source: None,
            role_source: None,
            term_labels: Default::default(),
            created: 0,
            participants: 10,
            statements,
            terms,
            matrix: Vec::new(),
            shifts: Vec::new(),
            steps: Vec::new(),
            common: Vec::new(),
            opinion_groups: Vec::new(),
            marks: Vec::new(),
        }
    }

    fn term(term: &str, disagreement: f64, lens: TermLens) -> TermReview {
        TermReview {
            term: term.to_owned(),
            statements: 1,
            mean_consensus: None,
            lens,
            disagreement: Some(disagreement),
            agreed: None,
        }
    }

    /// The issue's own example, worked by hand: six agree (three of the family, one of the
    /// network, two professionals) and four disagree (two professionals, two of the
    /// municipality). The family roles and the municipality are each on one side; the
    /// professionals are split two and two.
    #[test]
    fn the_first_sentence_names_the_most_divided_term_and_who_agreed_among_themselves() {
        let split = statement(
            2,
            "Ook als een gezin vastloopt, houdt het gezin zelf de regie over de hulp.",
            &["regie"],
            vec![
                answer(5, "gezin"),
                answer(5, "gezin"),
                answer(4, "gezin"),
                answer(4, "netwerk"),
                answer(4, "professional"),
                answer(4, "professional"),
                answer(1, "professional"),
                answer(2, "professional"),
                answer(1, "gemeente"),
                answer(2, "gemeente"),
            ],
        );
        let calm =
            statement(1, "Een plan maak je samen.", &["plan"], vec![answer(4, "gezin"), answer(4, "professional")]);
        let terms =
            vec![term("regie", 0.7, term_lens("regie", Vec::new())), term("plan", 0.1, term_lens("plan", Vec::new()))];
        let review = review(vec![split, calm], terms);
        let said = sentences(&review, Lang::Nl);
        assert_eq!(
            said[0],
            "Over ‘regie’ verschilt de groep het meest: bij ‘Ook als een gezin vastloopt…’ staan zes mensen (eens) \
             tegenover vier (oneens); de gezinsrollen en de rollen van de gemeente waren het onderling eens, de professionals niet."
        );
        let english = sentences(&review, Lang::En);
        assert!(english[0].starts_with("The group differs most about ‘regie’: on ‘Ook als een gezin vastloopt…’ six people (agree) stand against four (disagree)"), "{}", english[0]);
    }

    /// Without a term the sentence still reads as Dutch; a group all in the middle agreed
    /// among itself; a term divided only in its definitions is not named with a calm statement.
    #[test]
    fn a_statement_without_a_divided_term_is_named_on_its_own() {
        let split = statement(
            1,
            "Een plan maak je samen met het gezin en niet voor het gezin.",
            &["plan"],
            vec![
                answer(5, "gezin"),
                answer(4, "gezin"),
                answer(1, "professional"),
                answer(3, "netwerk"),
                answer(3, "netwerk"),
            ],
        );
        let calm = statement(2, "Iedereen doet mee.", &["regie"], vec![answer(4, "gezin"), answer(4, "professional")]);
        // "regie" ranks first for its definitions, but its one statement found the group agreed.
        let terms =
            vec![term("regie", 0.9, term_lens("regie", Vec::new())), term("plan", 0.2, term_lens("plan", Vec::new()))];
        let said = sentences(&review(vec![split, calm], terms), Lang::Nl);
        assert_eq!(
            said[0],
            "De groep was het meest verdeeld bij ‘Een plan maak je samen met…’: daar staan twee mensen (eens) tegenover één \
             (oneens); de gezinsrollen en de rollen uit het netwerk waren het onderling eens."
        );
    }

    #[test]
    fn every_figure_has_its_meaning_in_words() {
        assert_eq!(figure(Measure::Consensus, Some(0.88), Lang::Nl), "0,88 · grote overeenstemming");
        assert_eq!(figure(Measure::Consensus, Some(0.25), Lang::En), "0.25 · strongly divided");
        assert_eq!(figure(Measure::Polarization, Some(0.7), Lang::Nl), "0,70 · twee kampen");
        assert_eq!(figure(Measure::Spread, None, Lang::Nl), "–");
        assert!(Measure::CommonGround.explanation(Lang::Nl).contains("elke rol"));
    }

    #[test]
    fn counts_are_said_in_words_up_to_twelve() {
        assert_eq!(
            (number(1, Lang::Nl), number(12, Lang::En), number(13, Lang::Nl)),
            ("één".into(), "twelve".into(), "13".into())
        );
        assert_eq!(opening("Een kort zinnetje."), "Een kort zinnetje.");
        assert_eq!(
            opening("Wie de regie heeft bepaalt ook wat er in het plan komt te staan"),
            "Wie de regie heeft bepaalt ook…"
        );
    }
}
