//! The pipeline: one raw document in, one document record out.
//!
//! `clean` → `sentences` + languages → `extract`. This crate only wires the
//! stages; each lives in its own crate and knows nothing of the others.

use muster_core::{CharOffsets, CleanDoc, DocRecord, RawDoc, Sentence, SentenceOut};
use muster_lexicon::Lexicon;

/// Options that change what is written, never what is found.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Add the cleaned text and the sentences to the record.
    pub with_text: bool,
}

/// Everything the pipeline made of one document.
pub struct Processed {
    pub clean: CleanDoc,
    pub sentences: Vec<Sentence>,
    pub record: DocRecord,
}

/// Runs every stage on one document.
pub fn process(raw: &RawDoc, opts: Options) -> Processed {
    let lex = Lexicon::get();
    let clean = muster_clean::clean(raw, lex);
    let spans = muster_lang::sentences(&clean.text, lex);
    let (sentences, main_lang, present) =
        muster_lang::detect(&clean.text, &spans, clean.lang_hint.as_deref(), lex);
    let langs = lex.langs_for(&present);
    let dateline = muster_clean::find_dateline(&clean, lex);
    let ex = muster_extract::extract(&clean, &sentences, &langs, lex, dateline);
    let offsets = CharOffsets::new(&clean.text);
    let record = DocRecord {
        id: clean.id.clone(),
        label: ex.label,
        lang: Some(main_lang),
        pub_date: ex.pub_date,
        pub_date_source: ex.pub_date_source,
        title: clean.title.map(|t| t.slice(&clean.text).to_string()),
        url: clean.url.clone(),
        provenance: clean.provenance.clone(),
        paywalled: clean.paywalled,
        exercises: ex.exercises,
        clean_text: opts.with_text.then(|| clean.text.clone()),
        sentences: opts.with_text.then(|| {
            sentences
                .iter()
                .map(|s| {
                    let c = offsets.span(s.span);
                    SentenceOut {
                        start: c.start,
                        end: c.end,
                        lang: s.lang.clone(),
                    }
                })
                .collect()
        }),
        notes: None,
    };
    Processed {
        clean,
        sentences,
        record,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_deterministic_and_spans_point_into_the_text() {
        let raw = RawDoc {
            id: "t".into(),
            source: "t".into(),
            text: "Navies of Japan and India begin joint drills\n\nJapan and India began a five-day naval exercise called “JIMEX” on Monday, June 3, 2024, near Visakhapatnam.".into(),
            ..Default::default()
        };
        let a = process(&raw, Options { with_text: true });
        let b = process(&raw, Options { with_text: true });
        let ja = serde_json::to_string(&a.record).unwrap();
        assert_eq!(ja, serde_json::to_string(&b.record).unwrap());
        let text = a.record.clean_text.clone().unwrap();
        let chars: Vec<char> = text.chars().collect();
        let ex = &a.record.exercises[0];
        for (field, spans) in &ex.evidence {
            for s in spans {
                assert!(s.start < s.end && s.end <= chars.len(), "{field}: {s:?}");
            }
        }
        let name: String = chars[ex.evidence["name"][0].start..ex.evidence["name"][0].end]
            .iter()
            .collect();
        assert_eq!(name, "JIMEX");
        assert_eq!(ex.start_date.as_deref(), Some("2024-06-03"));
        assert_eq!(ex.duration_days, Some(5.0));
    }
}

#[cfg(test)]
mod dates {
    use super::*;

    fn run(text: &str) -> DocRecord {
        let raw = RawDoc {
            id: "t".into(),
            source: "t".into(),
            text: text.into(),
            ..Default::default()
        };
        process(&raw, Options::default()).record
    }

    #[test]
    fn a_page_date_years_before_the_events_is_not_trusted() {
        let r = run("Published 9 December 2022\n\nNavies train in the Java Sea\n\nThe Komodo-2025 naval exercise began in Bali on 16 February 2025 with ships from 38 countries.");
        assert_eq!(r.pub_date, None);
        assert!(r.pub_date_source.unwrap().starts_with("ignored"));
        assert_eq!(r.exercises[0].start_date.as_deref(), Some("2025-02-16"));
    }

    #[test]
    fn a_trusted_page_date_gives_the_year() {
        let r = run("Published 3 June 2024\n\nJapan and India begin naval drills\n\nThe navies of Japan and India began the JIMEX exercise on Monday off Visakhapatnam.");
        assert_eq!(r.pub_date.as_deref(), Some("2024-06-03"));
        let e = &r.exercises[0];
        assert_eq!(e.start_date.as_deref(), Some("2024-06-03"));
        assert_eq!(e.year_inferred, Some(true));
    }

    #[test]
    fn the_pages_address_dates_a_text_that_has_no_date_of_its_own() {
        let text = "Navies of Japan and India begin JIMEX\n\nThe navies of Japan and India began the JIMEX exercise on 14 June off Visakhapatnam.";
        let with_url = |url: &str| {
            let raw = RawDoc {
                id: "t".into(),
                source: "t".into(),
                text: text.into(),
                url: Some(url.into()),
                ..Default::default()
            };
            process(&raw, Options::default()).record
        };
        let r = with_url("https://news.example/2024/06/15/jimex.html");
        assert_eq!(r.pub_date.as_deref(), Some("2024-06-15"));
        assert_eq!(r.pub_date_source.as_deref(), Some("url"));
        assert_eq!(r.exercises[0].start_date.as_deref(), Some("2024-06-14"));
        assert_eq!(r.exercises[0].year_inferred, Some(true));
        // the month alone still gives the year
        let r = with_url("https://news.example/nachrichten-2023-06/991-jimex.htm");
        assert_eq!(r.exercises[0].start_date.as_deref(), Some("2023-06-14"));
        // an address without a date leaves the year open
        let r = with_url("https://news.example/jimex-begins");
        assert_eq!(r.pub_date, None);
        assert_eq!(r.exercises[0].start_date.as_deref(), Some("--06-14"));
    }

    #[test]
    fn the_reported_exercise_without_a_date_is_dated_to_the_pages_month() {
        let r = run("Published 9 December 2025\n\n\
                     Bombers of Russia and China patrol together\n\n\
                     Russian and Chinese bombers flew another joint air patrol over the Sea of Japan, the ministry said. \
                     The flight lasted eight hours and fighter jets of both countries escorted the bombers all the way.");
        let e = &r.exercises[0];
        assert_eq!(e.start_date.as_deref(), Some("2025-12"), "{e:?}");
        assert_eq!(e.year_inferred, Some(true));
        // without a page date nothing is made up
        let r = run("Bombers of Russia and China patrol together\n\n\
                     Russian and Chinese bombers flew another joint air patrol over the Sea of Japan, the ministry said. \
                     The flight lasted eight hours and fighter jets of both countries escorted the bombers all the way.");
        assert_eq!(r.exercises[0].start_date, None);
    }

    #[test]
    fn a_weekday_on_a_page_dated_to_the_month_gives_that_month() {
        let r = run("Published October 2016\n\n\
                     China and Russia launched the naval exercise Joint Sea 2016 on Tuesday off Guangdong.");
        assert_eq!(r.exercises[0].start_date.as_deref(), Some("2016-10"));
        // a page dated to the day still resolves the weekday to its day
        let r = run("Published 14 October 2016\n\n\
                     China and Russia launched the naval exercise Joint Sea 2016 on Tuesday off Guangdong.");
        assert_eq!(r.exercises[0].start_date.as_deref(), Some("2016-10-11"));
    }

    #[test]
    fn announced_on_the_page_day_as_begun_it_began_that_day() {
        let start = |text: &str| run(text).exercises[0].start_date.clone();
        // the date is the saying's, but the saying is that it began
        let text = "Published 29 December 2025\n\n\
                    A spokesman announced on Monday that Chinese forces had started the exercise Justice Mission 2025 around Taiwan. \
                    Live firing will last from 8 am until 6 pm on 30 December.";
        assert_eq!(start(text).as_deref(), Some("2025-12-29"));
        // said on another day than the page's: nothing is made up
        let text = "Published 29 December 2025\n\n\
                    A spokesman announced on Friday that Chinese forces had started the exercise Justice Mission 2025 around Taiwan.";
        assert_eq!(start(text).as_deref(), Some("2025"));
    }

    #[test]
    fn the_day_before_counts_from_the_last_day_written() {
        let start = |text: &str| run(text).exercises[0].start_date.clone();
        let text = "Published 26 May 2024\n\n\
                    State media reported on 24 May that Chinese warships had surrounded Taiwan. \
                    The Chinese army began the large joint exercise Joint Sword 2024A the day before.";
        assert_eq!(start(text).as_deref(), Some("2024-05-23"));
        // with no day written before it, from the publication date
        let text = "Published 26 May 2024\n\n\
                    The Chinese army began the large joint exercise Joint Sword 2024A the day before.";
        assert_eq!(start(text).as_deref(), Some("2024-05-25"));
    }

    #[test]
    fn a_date_followed_by_a_start_cue_and_the_exercise_is_its_start() {
        // "전날 오전 9시부터 … 훈련에": the summit three days earlier is only
        // a point of reference
        let text = "입력 2024년 7월 11일\n\n\
                    러시아 통신사가 10일 이 소식을 보도했다. \
                    러시아와 중국 해군은 정상회담 사흘 만인 전날 오전 9시부터 동해에서 연합 해상훈련에 들어갔다.";
        assert_eq!(
            run(text).exercises[0].start_date.as_deref(),
            Some("2024-07-09")
        );
    }

    #[test]
    fn a_start_day_a_few_sentences_after_the_mention_dates_it() {
        let lead = "Indian and American troops are holding a joint exercise in Auli, close to the Chinese border.\n\
                    China objected to it, a spokesman told reporters.\n\
                    The Indian army has trained friendly forces at high altitude there for years.\n";
        let start = |last: &str| {
            run(&format!("{lead}{last}")).exercises[0]
                .start_date
                .clone()
        };
        assert_eq!(
            start("It began on 15 November.").as_deref(),
            Some("--11-15")
        );
        // a year alone that far from the mention opens a run, not this one
        assert_eq!(start("It began in 2015."), None);
    }

    #[test]
    fn the_exercise_a_text_goes_on_about_is_not_its_predecessor() {
        let r = run("Norwegian troops lead Nordic Response 2024.\n\n\
                     Nordic Response 2024 is a continuation of the Norwegian exercise Cold Response. \
                     The exercise ran from 3 to 14 March with 20,000 soldiers of Norway.");
        let by_name = |n: &str| {
            r.exercises
                .iter()
                .find(|e| e.name.as_deref() == Some(n))
                .and_then(|e| e.start_date.clone())
        };
        assert_eq!(
            by_name("Nordic Response").as_deref(),
            Some("2024-03-03"),
            "{r:?}"
        );
        // named only as the predecessor, with no edition: no record of its own
        assert!(r
            .exercises
            .iter()
            .all(|e| e.name.as_deref() != Some("Cold Response")));
    }

    #[test]
    fn an_attribution_set_off_after_a_date_does_not_take_it() {
        let start = |text: &str| run(text).exercises[0].start_date.clone();
        let text = "Published 14 October 2024\n\n\
                    Chinese warships and aircraft surrounded Taiwan on Monday, Beijing announced, \
                    in its latest military exercise around the island.";
        assert_eq!(start(text).as_deref(), Some("2024-10-14"));
        // "announced" before the date, with the drills as its object, is the
        // announcement's date
        let text = "Published 14 October 2024\n\n\
                    Beijing announced on Monday that Chinese warships and aircraft would hold a military exercise around Taiwan.";
        assert_ne!(start(text).as_deref(), Some("2024-10-14"));
    }

    #[test]
    fn a_town_name_after_an_office_or_rank_is_a_persons() {
        let place = |text: &str| {
            run(text).exercises[0]
                .location
                .as_ref()
                .and_then(|l| l.name.clone())
        };
        for text in [
            "Polish and American troops led by General Jackson began a joint exercise on 3 May 2024.",
            "Polish and American troops led by General Mark Jackson began a joint exercise on 3 May 2024.",
        ] {
            assert_eq!(place(text), None, "{text}");
        }
        // a town after a preposition stays a town
        assert_eq!(
            place("Polish and American troops began a joint exercise near Jackson on 3 May 2024, the minister said.")
                .as_deref(),
            Some("Jackson")
        );
    }

    #[test]
    fn a_short_chinese_town_name_needs_a_place_word_beside_it() {
        let place = |text: &str| {
            run(text).exercises[0]
                .location
                .as_ref()
                .and_then(|l| l.name.clone())
        };
        // "在大连附近海域": a place; "友好合作" (friendly cooperation) is no
        // town of Heilongjiang, nor "合作" Hezuo in Gansu
        assert_eq!(
            place("中俄两国海军今天在大连附近海域举行联合军事演习。").as_deref(),
            Some("大连")
        );
        assert_eq!(
            place("中俄两国海军举行联合军事演习，体现了两国友好合作。"),
            None
        );
    }

    #[test]
    fn towns_of_the_gazetteer_locate_an_exercise_in_its_parties_countries() {
        let r = run(
            "Polish and American troops began the Iron Gate exercise near Olsztyn on 3 May 2024.",
        );
        let loc = r.exercises[0].location.clone().expect("a location");
        assert_eq!(loc.name.as_deref(), Some("Olsztyn"));
        assert_eq!(loc.country.as_deref(), Some("PL"));
        assert!(loc.lat.is_some() && loc.kind.as_deref() == Some("city"));
        // inside NATO on that date, and some 70 km from the CSTO (Russia's
        // Kaliningrad region)
        let nato = loc
            .alliances
            .iter()
            .find(|d| d.org == "NATO")
            .expect("NATO");
        assert!(nato.inside && nato.on == "2024-05-03");
        let csto = loc
            .alliances
            .iter()
            .find(|d| d.org == "CSTO")
            .expect("CSTO");
        assert!(!csto.inside && (50.0..90.0).contains(&csto.km), "{csto:?}");
        // a town of the same name in a country that takes no part is not it
        let r = run("Norwegian troops began the Arctic Gate exercise in Norden on 3 May 2024.");
        let c = r.exercises[0]
            .location
            .as_ref()
            .and_then(|l| l.country.clone());
        assert_ne!(c.as_deref(), Some("DE"));
    }

    #[test]
    fn a_capitalised_name_before_exercise_in_a_civilian_text_is_no_exercise() {
        let r = run("Gym chains launched the Master Builder Series exercise programme on 3 May 2024, with classes in London and Leeds.");
        assert_eq!(r.label, muster_core::Label::Negative, "{:?}", r.exercises);
        // with soldiers in the sentence, the same shape is an exercise name
        let r = run("British soldiers began the Iron Builder exercise on 3 May 2024 near Leeds.");
        assert_eq!(r.exercises[0].name.as_deref(), Some("Iron Builder"));
    }

    #[test]
    fn an_article_inside_a_list_of_countries_keeps_the_list_together() {
        let r = run("Australian troops began the Coral Gate exercise on 3 July 2023. This year Canada, Tonga, the United Kingdom and New Zealand are also sending forces.");
        let p = r.exercises[0].participants.clone().unwrap_or_default();
        for c in ["AU", "CA", "TO", "GB", "NZ"] {
            assert!(p.contains(&c.to_string()), "{c} missing from {p:?}");
        }
    }

    #[test]
    fn manoeuvres_framed_as_part_of_an_exercise_are_that_exercise() {
        // other countries in a later sentence would start another exercise,
        // but "as part of the drills" / "в рамках учений" refers back
        for text in [
            "Russia and Belarus began the Zapad-2021 strategic exercise on September 10, 2021.\n\
             Troops from Armenia and Kazakhstan will hold joint manoeuvres at two ranges as part of the drills.",
            "Россия и Белоруссия начали стратегические учения «Запад-2021» 10 сентября 2021 года.\n\
             Военные из Армении и Казахстана проведут совместные манёвры на двух полигонах в рамках учений.",
        ] {
            let r = run(text);
            assert_eq!(r.exercises.len(), 1, "{text}: {:?}", r.exercises);
            let p = r.exercises[0].participants.clone().unwrap();
            for c in ["RU", "BY", "AM", "KZ"] {
                assert!(p.contains(&c.to_string()), "{c} in {p:?}");
            }
        }
        // without the framing, other countries' drills are another exercise
        let r = run("Russia and Belarus began the Zapad-2021 strategic exercise on September 10, 2021.\n\
                     Troops from Japan and Australia held joint manoeuvres at two ranges in Queensland.");
        assert_eq!(r.exercises.len(), 2, "{:?}", r.exercises);
    }

    #[test]
    fn occasions_dated_months_before_the_text_are_background_exercises_of_their_own() {
        let text = "Published 26 May 2022\n\n\
                    China and Russia fly joint bomber patrol\n\n\
                    Chinese and Russian bombers flew a joint air patrol over the Sea of Japan on 24 May. \
                    China and Russia first held such a joint air patrol on 23 July 2019. \
                    Chinese and Russian bombers flew the same joint air patrol again on \
                    22 December 2020 and 19 November 2021.";
        let r = run(text);
        let mut starts: Vec<(String, String)> = r
            .exercises
            .iter()
            .map(|e| {
                (
                    e.start_date.clone().unwrap_or_default(),
                    e.role.clone().unwrap_or_default(),
                )
            })
            .collect();
        starts.sort();
        assert_eq!(
            starts,
            [
                ("2019-07-23", "background"),
                ("2020-12-22", "background"),
                ("2021-11-19", "background"),
                ("2022-05-24", "main")
            ]
            .map(|(d, r)| (d.to_string(), r.to_string())),
            "{:?}",
            r.exercises
        );
        // the earlier occasions keep who took part, though they refer back
        for e in &r.exercises {
            let p = e.participants.clone().unwrap_or_default();
            assert!(
                p.contains(&"CN".to_string()) && p.contains(&"RU".to_string()),
                "{e:?}"
            );
        }
        // a date days before the text is the exercise being reported
        let r = run("Published 3 January 2023\n\n\
                     Japanese and Indian navies ended their drills\n\n\
                     The navies of Japan and India held the exercise off Goa. \
                     The same drills had begun on 28 December 2022.");
        assert_eq!(r.exercises.len(), 1, "{:?}", r.exercises);
    }

    #[test]
    fn a_year_alone_before_the_publication_year_is_an_earlier_occasion() {
        let r = run("Published 10 June 2023\n\n\
                     Bombers of China and Russia patrol together\n\n\
                     Chinese and Russian bombers flew a joint air patrol over the Sea of Japan on 6 June. \
                     China and Russia first held such a joint air patrol in 2019.");
        let mut got: Vec<(Option<String>, Option<String>)> = r
            .exercises
            .iter()
            .map(|e| (e.start_date.clone(), e.role.clone()))
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                (Some("2019".into()), Some("background".into())),
                (Some("2023-06-06".into()), Some("main".into()))
            ],
            "{:?}",
            r.exercises
        );
        // "since 2012" begins a run of years: no occasion of its own
        let r = run("Published 10 June 2023\n\n\
                     Bombers of China and Russia patrol together\n\n\
                     Chinese and Russian bombers flew a joint air patrol over the Sea of Japan on 6 June. \
                     China and Russia have held such joint air patrols every year since 2019.");
        assert_eq!(r.exercises.len(), 1, "{:?}", r.exercises);
        // nor of a named series, and it dates nothing
        let r = run("Published 19 December 2022\n\n\
                     The Chinese and Russian navies will hold the Joint Sea-2022 exercise from 21 to 27 December. \
                     Held every year since 2012, these drills include joint artillery fire.");
        assert_eq!(r.exercises.len(), 1, "{:?}", r.exercises);
        assert_eq!(r.exercises[0].start_date.as_deref(), Some("2022-12-21"));
    }

    #[test]
    fn a_dateline_opening_the_text_dates_the_page_not_the_exercise() {
        let r = run("KYIV, Friday, March 8, 2024 — Ukrainian and Polish troops began a joint drill near Lviv on March 4, 2024.");
        assert_eq!(r.pub_date.as_deref(), Some("2024-03-08"));
        assert_eq!(r.exercises[0].start_date.as_deref(), Some("2024-03-04"));
        // a page date known to the month takes its day from the text
        let r = run(
            "date 2024-10\n\n(Monday 14 October 2024) China launched large drills around Taiwan.",
        );
        assert_eq!(r.pub_date.as_deref(), Some("2024-10-14"));
    }

    #[test]
    fn without_a_page_date_an_edition_in_a_name_is_the_texts_year() {
        let r = run(
            "NATO troops begin the Steadfast Defender 2024 exercise across Europe.\n\n\
                     The previous edition of the exercise, held in 2021, was much smaller.",
        );
        let mut keys: Vec<String> = r.exercises.iter().filter_map(|e| e.key.clone()).collect();
        keys.sort();
        assert_eq!(
            keys,
            ["steadfast-defender-2021", "steadfast-defender-2024"],
            "{:?}",
            r.exercises
        );
    }

    #[test]
    fn a_sentence_saying_when_it_began_dates_the_exercise_before_it() {
        let r = run("Published 20 November 2024\n\n\
                     Indian and American soldiers are holding joint drills in Rajasthan. \
                     It began on 15 November.");
        assert_eq!(r.exercises.len(), 1, "{:?}", r.exercises);
        assert_eq!(r.exercises[0].start_date.as_deref(), Some("2024-11-15"));
        // a date with no start cue says nothing of the exercise
        let r = run("Published 20 November 2024\n\n\
                     Indian and American soldiers are holding joint drills in Rajasthan. \
                     The minister visited Delhi on 15 November.");
        assert_eq!(
            r.exercises[0].start_date.as_deref(),
            None,
            "{:?}",
            r.exercises
        );
    }

    #[test]
    fn a_territory_is_the_location_and_its_governing_country_the_host() {
        let r = run("The navies of India and Japan began the Malabar exercise at the naval base on Guam on 7 June 2018.");
        let e = &r.exercises[0];
        assert_eq!(
            e.location.as_ref().and_then(|l| l.country.as_deref()),
            Some("GU"),
            "{e:?}"
        );
        assert_eq!(e.host.as_deref(), Some("US"), "{e:?}");
    }

    #[test]
    fn years_far_from_the_only_trigger_of_a_sentence_are_its_editions() {
        let r = run("Published 20 October 2020\n\n\
                     Indian and Japanese navies begin Malabar drills\n\n\
                     The navies of India and Japan began the Malabar exercise in the Bay of Bengal on 3 November 2020. \
                     This annual exercise was held off the island of Guam in 2018 and off the coast of Japan in 2019.");
        let mut keys: Vec<String> = r.exercises.iter().filter_map(|e| e.key.clone()).collect();
        keys.sort();
        assert_eq!(
            keys,
            ["malabar-2018", "malabar-2019", "malabar-2020"],
            "{:?}",
            r.exercises
        );
    }

    #[test]
    fn a_quoted_unit_name_is_no_exercise_name() {
        let r = run("German soldiers serving under the name \"Brigade Lithuania\" held a joint exercise with Lithuanian troops on 3 May 2024.");
        let names: Vec<Option<String>> = r.exercises.iter().map(|e| e.name.clone()).collect();
        assert!(
            !names.contains(&Some("Brigade Lithuania".to_string())),
            "{names:?}"
        );
        // the same shape with an exercise's name is a name
        let r = run("German soldiers held a joint exercise under the name \"Iron Wolf\" with Lithuanian troops on 3 May 2024.");
        assert_eq!(r.exercises[0].name.as_deref(), Some("Iron Wolf"));
    }

    #[test]
    fn counted_armour_makes_a_land_exercise_and_a_command_no_commandos() {
        let scen = |text: &str| run(text).exercises[0].scenario.clone().unwrap_or_default();
        let s = scen("Polish and German troops began an exercise on 3 May 2024 with 120 armoured vehicles near Drawsko.");
        assert_eq!(s, ["land"]);
        let s = scen("Exercício militar da China em 14 de outubro de 2024: o Comando do Teatro Leste mobilizou navios ao redor de Taiwan.");
        assert!(!s.contains(&"special_forces".to_string()), "{s:?}");
    }

    #[test]
    fn the_attacker_of_a_scenario_is_no_participant() {
        for text in [
            "Polish and German troops began an exercise on 3 May 2024 to repel a Russian attack on the Baltic states.",
            "Polnische und deutsche Soldaten begannen am 3. Mai 2024 eine Übung, deren Szenario ein russischer Angriff ist.",
        ] {
            let r = run(text);
            let p = r.exercises[0].participants.clone().unwrap_or_default();
            assert!(!p.contains(&"RU".to_string()), "{text}: {p:?}");
            assert!(p.contains(&"PL".to_string()) && p.contains(&"DE".to_string()), "{text}: {p:?}");
        }
    }

    #[test]
    fn a_photo_credit_names_no_participant() {
        let r = run("Chinese and Russian bombers flew a joint air patrol on 24 May 2022 (Photo: Japan Joint Staff).");
        let p = r.exercises[0].participants.clone().unwrap();
        assert!(!p.contains(&"JP".to_string()), "{p:?}");
    }

    #[test]
    fn seas_named_after_countries_are_no_participants_and_air_patrols_are_exercises() {
        let r = run(
            "Бомбардировщики России и Китая 9 декабря 2025 года провели совместное воздушное \
                     патрулирование над акваториями Японского и Восточно-Китайского морей.",
        );
        assert_eq!(r.exercises.len(), 1, "{:?}", r.exercises);
        let p = r.exercises[0].participants.clone().unwrap();
        assert!(!p.contains(&"JP".to_string()), "{p:?}");
        assert!(
            p.contains(&"RU".to_string()) && p.contains(&"CN".to_string()),
            "{p:?}"
        );
        // the national fleet in a sea named after another country
        let r = run("Российский флот провёл учения в Японском море 5 мая 2024 года.");
        assert_eq!(
            r.exercises[0].participants.clone().unwrap(),
            vec!["RU".to_string()]
        );
        // a joint air patrol needs no other military word
        let r = run("China and Russia conducted a joint air patrol over the Sea of Japan on 30 November 2024.");
        assert_eq!(r.exercises.len(), 1, "{:?}", r.exercises);
    }

    #[test]
    fn countries_of_another_event_are_no_participants() {
        let parts = |t: &str| -> Vec<String> {
            let r = run(t);
            r.exercises[0].participants.clone().unwrap_or_default()
        };
        let p = parts("Polish and Lithuanian troops began the Iron Gate exercise on 3 March 2023, which comes amid Russia's war on Ukraine.");
        assert!(p.contains(&"PL".to_string()) && p.contains(&"LT".to_string()));
        assert!(
            !p.contains(&"RU".to_string()) && !p.contains(&"UA".to_string()),
            "{p:?}"
        );
        // war games are the exercise itself
        let p = parts("Russia's war games near Ukraine began on 3 March 2023.");
        assert!(p.contains(&"RU".to_string()), "{p:?}");
    }

    #[test]
    fn a_feature_that_opens_on_a_scene_is_still_about_its_exercise() {
        let scene = "Smoke drifts over the wet fields at dawn while a column of trucks waits at the edge of the forest and the soldiers in the first vehicle check their radios one more time before moving off.";
        let body = "Exercise Iron Heath, the largest army exercise of the year, began on Monday in Lower Saxony. The exercise brings together 4,000 Dutch and German soldiers. Iron Heath ends on 20 May.";
        let r = run(&format!("{scene}\n\n{body}"));
        assert_eq!(r.label, muster_core::Label::Exercise);
        // one passing mention after the scene is not enough
        let r = run(&format!(
            "{scene}\n\nThe soldiers took part in Exercise Iron Heath last spring."
        ));
        assert_ne!(r.label, muster_core::Label::Exercise);
    }

    #[test]
    fn all_members_of_an_alliance_on_the_texts_date() {
        let parts = |t: &str| -> Vec<String> {
            let r = run(t);
            r.exercises[0].participants.clone().unwrap_or_default()
        };
        // 31 allies in January 2024: Finland is one, Sweden not yet
        let p = parts("Steadfast Defender 2024 begins on 22 January 2024. Units from all 31 NATO allies take part in the exercise.");
        assert_eq!(p.len(), 31);
        assert!(p.contains(&"FI".to_string()) && !p.contains(&"SE".to_string()));
        // a count that is not the membership on that date names nobody
        let p = parts("Steadfast Defender 2024 begins on 22 January 2024. Units from 12 NATO allies take part in the exercise.");
        assert!(p.len() < 12);
        // undated, looking back at 1988: 31 members only ever meant 2023-24
        let p = parts("Units from all 31 NATO members take part in the exercise, the largest since Reforger in 1988.");
        assert_eq!(p.len(), 31);
        assert!(p.contains(&"FI".to_string()));
        // an ordinal is no count
        let p = parts("The BALTOPS 2023 exercise began on 4 June 2023 with Finland, the 31st member of NATO, taking part.");
        assert_eq!(p, vec!["FI".to_string()]);
    }
}

#[cfg(test)]
mod robustness {
    use super::*;

    /// A small deterministic generator (no test may depend on luck).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
    }

    const PIECES: &[&str] = &[
        "exercise",
        "drills",
        "«",
        "»",
        "“",
        "”",
        "\"",
        "(",
        ")",
        "Vostok-2022",
        "Zapad",
        " ",
        "\n",
        "\n\n",
        "China",
        "Russie",
        "Biélorussie",
        "du 30 août au 5 septembre",
        "July 8",
        "Monday,",
        "2024",
        "99999999999999999999",
        "1.5",
        "1,5 тыс.",
        "учения",
        "東方",
        "演习",
        "é",
        "\u{301}",
        "\u{200d}",
        "💥",
        "km",
        "troops",
        "-",
        "–",
        "called",
        "dubbed",
        "Read also",
        "You have 62% of this article left to read.",
        "PREV",
        "near",
        "border with",
        "les deux pays",
        "the two countries",
        "entre autres",
        ".",
        "?",
        "\u{0}",
        "\t",
        "ß",
        "İ",
        "ﬁ",
        "٢٠٢٤",
        "２０２４",
    ];

    #[test]
    fn hostile_text_never_panics_and_spans_stay_inside() {
        let mut rng = Lcg(42);
        for case in 0..600 {
            let n = 1 + (rng.next() % 60) as usize;
            let text: String = (0..n)
                .map(|_| PIECES[(rng.next() % PIECES.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(if case % 2 == 0 { " " } else { "" });
            let raw = RawDoc {
                id: format!("case{case}"),
                source: "t".into(),
                text,
                ..Default::default()
            };
            let p = process(&raw, Options { with_text: true });
            let len = p.record.clean_text.as_deref().unwrap_or("").chars().count();
            for e in &p.record.exercises {
                for spans in e.evidence.values() {
                    for s in spans {
                        assert!(
                            s.start <= s.end && s.end <= len,
                            "case {case}: {s:?} beyond {len}"
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod purposes {
    use super::*;

    fn purpose(text: &str) -> Option<String> {
        let raw = RawDoc {
            id: "t".into(),
            source: "t".into(),
            text: text.into(),
            ..Default::default()
        };
        let r = process(&raw, Options::default()).record;
        r.exercises.iter().find_map(|e| e.purpose.clone())
    }

    #[test]
    fn the_stated_aim_of_an_exercise_in_several_languages() {
        let p = purpose("Polish and German troops began a joint exercise near Szczecin on 3 May 2024, aimed at testing river crossings under fire.");
        assert!(
            p.as_deref()
                .is_some_and(|p| p.contains("testing river crossings")),
            "{p:?}"
        );
        let p = purpose("Українські та польські військові розпочали спільні навчання 3 травня 2024 року з метою відпрацювання оборони кордону.");
        assert!(
            p.as_deref().is_some_and(|p| p.contains("оборони кордону")),
            "{p:?}"
        );
    }

    #[test]
    fn a_marker_closing_an_aim_written_before_it_gives_no_purpose() {
        // "…능력을 테스트하기 위한 훈련": the aim is before "기 위한", not after
        let p = purpose("한국과 미국 해군은 3일 동해에서 대잠 능력을 테스트하기 위한 연합 훈련을 실시했다고 밝혔다.");
        assert!(
            !p.as_deref().is_some_and(|p| p.starts_with("기 위한")),
            "{p:?}"
        );
    }
}
