//! The shape of the per-language data file `data/lang/<code>/lexicon.toml`.
//! Every section is optional: a language may start with a few words and
//! grow. Phrases are written naturally; regex patterns say so in their name.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct LangData {
    pub lang: String,
    pub name: String,
    /// Proper nouns (country names, capitals, months) start with a capital.
    pub capitalized_names: bool,
    pub sentences: Sentences,
    pub boilerplate: Boilerplate,
    pub detect: Detect,
    pub exercise: ExerciseWords,
    pub roles: Roles,
    pub clause: Clause,
    pub dates: Dates,
    pub numbers: Numbers,
    pub units: Units,
    /// scenario tag → phrases
    pub scenario: BTreeMap<String, Vec<String>>,
    /// Nouns and verbs of non-exercise events that dates may belong to.
    pub event_words: Vec<String>,
    /// Common words that are also some town's name (zh "合作" is Hezuo in
    /// Gansu): never read as a place.
    pub not_places: Vec<String>,
    /// In a script without spaces, a place name of one or two characters
    /// counts only right after one of `place_before` ("在", "于") or right
    /// before one of `place_after` ("市", "港", "附近"): short names are
    /// also everyday words ("友好" is a town in Heilongjiang).
    pub place_before: Vec<String>,
    pub place_after: Vec<String>,
    pub claims: Claims,
}

/// Words for finding who said what, and why an exercise is held.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Claims {
    /// Verbs that report speech ("said", "declared", "a déclaré").
    pub reporting: Vec<String>,
    /// Titles and bodies that speak ("spokesman", "defence minister").
    pub speaker_roles: Vec<String>,
    /// Phrases that state a purpose ("aimed at", "the objective is").
    pub purpose: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Sentences {
    /// Tokens ending in a period that do not end a sentence ("Gen.", "U.S.").
    pub abbreviations: Vec<String>,
    /// Words after which a number with a period is an ordinal, not a
    /// sentence end ("zum 53. Mal", "den 3. mars").
    pub ordinal_before: Vec<String>,
}

/// Regex patterns over one normalized line; a matching line is boilerplate.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Boilerplate {
    pub related: Vec<String>,
    pub share: Vec<String>,
    pub navigation: Vec<String>,
    pub comments: Vec<String>,
    pub cookies: Vec<String>,
    pub caption: Vec<String>,
    /// Paywall notices: the line is dropped and the document flagged.
    pub paywall: Vec<String>,
    /// Navigation patterns matched on the original line, case kept
    /// ("PREV", "NEXT" in capitals are links; "Next week" is prose).
    pub exact: Vec<String>,
    /// Words that introduce a publication date line ("published", "mis à jour").
    pub dateline: Vec<String>,
}

/// Very common words of the language, used to identify it.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Detect {
    /// Writing systems of the language, as whatlang names them ("Latin",
    /// "Cyrillic", "Mandarin" for Han characters): a short line with no
    /// stopword, in one of them, takes the document's language.
    pub scripts: Vec<String>,
    pub stopwords: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ExerciseWords {
    /// Words for an exercise, drill, manoeuvre (a trailing * is a prefix).
    pub triggers: Vec<String>,
    /// Words that make a trigger military ("military", "troops", "navy").
    pub military: Vec<String>,
    /// Phrases where a trigger has another sense ("fire drill").
    pub negative: Vec<String>,
    /// Demonstratives that make a trigger refer back ("these exercises").
    pub anaphora: Vec<String>,
    /// Phrases that put a trigger inside an exercise already reported ("as
    /// part of", "в рамках", "dans le cadre de"): a sentence with one
    /// refers back even when other countries are named in it.
    pub part_of: Vec<String>,
    /// Phrases right before the name of an exercise's predecessor
    /// ("successor to", "en videreføring av", "formerly known as"): that
    /// name is the series' past, not the exercise the text goes on about.
    pub lineage_before: Vec<String>,
    /// The same, for languages that write them after the name ("의 후속",
    /// "の後継", "'un devamı").
    pub lineage_after: Vec<String>,
    /// Verbs and nouns of taking part ("participate", "join").
    pub participation: Vec<String>,
    /// Verbs that introduce a name ("called", "dubbed", "code-named").
    pub naming: Vec<String>,
    /// Phrases saying the participant list is open ("among others").
    pub open_list: Vec<String>,
    /// Phrases that refer back to the last two countries ("both countries").
    pub two_countries: Vec<String>,
    /// Words right before a quoted name that make it a ship's, a unit's or a
    /// newspaper's name, not an exercise's ("frigate «Admiral Kasatonov»").
    pub name_blockers: Vec<String>,
    /// Words for "joint" (several countries).
    pub joint: Vec<String>,
    /// Words saying an exercise is only planned, past, or in general.
    pub generic: Vec<String>,
    /// Words for the members of an alliance ("allies", "member states"):
    /// "all 31 allies take part" names every member.
    pub alliance_members: Vec<String>,
}

/// Role patterns: regexes over a normalized sentence in which every country
/// mention is replaced by a placeholder: `{C}` matches any mention, `{D}`
/// only a demonym. A country caught by a pattern takes its role.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Roles {
    pub near: Vec<String>,
    pub location: Vec<String>,
    pub host: Vec<String>,
    pub member: Vec<String>,
    pub attribution: Vec<String>,
    pub speaker: Vec<String>,
    pub reaction: Vec<String>,
    pub observer: Vec<String>,
    pub target: Vec<String>,
    /// Forces of a country named as taking part ("troops from {C}",
    /// "{D} warships"): read in every sentence about the exercise.
    pub participant: Vec<String>,
    /// A demonym that names a language ("in French"): not a country at all.
    pub language: Vec<String>,
    /// Words that may join countries in a list ("and", "as well as").
    pub list_joiners: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Clause {
    /// Words that open a new clause ("which", "whose", "while").
    pub boundaries: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Dates {
    /// Twelve lists of forms, January first.
    pub months: Vec<Vec<String>>,
    /// Seven lists of forms, Monday first.
    pub weekdays: Vec<Vec<String>>,
    /// Regex suffix for ordinal days ("st|nd|rd|th").
    pub ordinal: String,
    /// Month and weekday names start with a capital (English, German).
    pub capitalized: bool,
    /// Date templates (regex over normalized text) with the placeholders
    /// {W} {W2} weekday, {D} {D2} day, {M} {M2} month name, {MN} {MN2} month
    /// number, {Y} {Y2} year, {P} part of month.
    pub patterns: Vec<String>,
    /// Parts of a month: "early" / "mid" / "late" → phrases.
    pub parts: BTreeMap<String, Vec<String>>,
    /// Relative years: phrase → offset ("this year" = 0, "last year" = -1).
    pub relative_years: BTreeMap<String, i32>,
    /// "{N} years ago" phrases; `{N}` stands for a count from 1 to 10 in
    /// digits or in the language's number words.
    pub years_ago: Vec<String>,
    /// Relative days: phrase → offset from the publication date.
    pub relative_days: BTreeMap<String, i32>,
    /// Days counted from the last day the text wrote, not from the
    /// publication date: phrase → offset ("the day before" = -1, "la
    /// veille", "전날", "the next day" = 1).
    pub narrative_days: BTreeMap<String, i32>,
    /// Words before a date that make it an end ("until").
    pub end_cues: Vec<String>,
    /// Words before a date that make it a start ("since", "from").
    pub start_cues: Vec<String>,
    /// Words before a weekday that point forward ("next", "coming").
    pub next_cues: Vec<String>,
    /// Words before a weekday that point back ("last", "past").
    pub last_cues: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Numbers {
    /// Number words → value ("eleven" = 11, "thousand" = 1000).
    pub words: BTreeMap<String, f64>,
    /// Words that multiply the number before them ("thousand", "тыс").
    pub multipliers: BTreeMap<String, f64>,
    /// Qualifiers kept with a number ("more than", "about").
    pub approx: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Units {
    pub troops: Vec<String>,
    pub aircraft: Vec<String>,
    pub ships: Vec<String>,
    pub vehicles: Vec<String>,
    pub days: Vec<String>,
    pub weeks: Vec<String>,
    pub hours: Vec<String>,
    pub km: Vec<String>,
    /// Words before a duration ("last", "for", "pendant").
    pub duration_cues: Vec<String>,
}
